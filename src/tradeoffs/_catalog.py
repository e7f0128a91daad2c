"""The six trade-offs, listed once: the command, the site hook, the packaging and the tests
read :data:`TRADEOFFS` instead of keeping lists of their own.

Standard library only, so that ``tradeoffs --help`` can list the subcommands without importing
any model. From a slug or a rule id, :func:`by_slug` and :func:`by_rule` lead to the module
that declares the trade-off's inputs, results and rules (its ``SPEC``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class TradeOff:
    """A trade-off's fixed names (DESIGN.md) and the one-line summary the command shows."""

    slug: str
    """The page (``docs/<slug>.md``), the subcommand and the registry file name."""
    module: str
    """``tradeoffs.<module>`` and ``playbooks/<module>.py``."""
    prefix: str
    """Rule ids and anchors: ``BVB-1`` and ``#bvb-1``."""
    title: str
    """The heading of its section on the evidence page."""
    summary: str
    """The subcommand's one-line help."""

    @property
    def playbook(self) -> str:
        return f"{self.module}.py"

    def load(self) -> ModuleType:
        """The trade-off's module (imported on demand: the models pull in heavy libraries)."""
        return importlib.import_module(f"tradeoffs.{self.module}")

    def spec(self) -> Any:
        """The module's declared :class:`~tradeoffs._spec.Spec`."""
        return self.load().SPEC


TRADEOFFS: tuple[TradeOff, ...] = (
    TradeOff(
        "build-vs-buy",
        "build_vs_buy",
        "bvb",
        "Build vs buy",
        "hosted API or self-hosted model: monthly cost, break-even and a decision record",
    ),
    TradeOff(
        "complexity",
        "complexity",
        "cpx",
        "Model complexity vs maintainability",
        "simple or complex model: the value of the accuracy gain against its upkeep, and a "
        "measured complexity ledger",
    ),
    TradeOff(
        "data-quality",
        "data_quality",
        "dq",
        "Data quantity vs quality",
        "clean the labels you have or collect more: expected accuracy of each plan for a budget",
    ),
    TradeOff(
        "batch-vs-realtime",
        "batch_vs_realtime",
        "bvr",
        "Batch vs real-time",
        "batch runs or an always-on fleet: replicas by queueing theory, monthly cost, "
        "staleness and a decision record",
    ),
    TradeOff(
        "prompt-vs-finetune",
        "prompt_vs_finetune",
        "pvf",
        "Prompting vs fine-tuning",
        "prompting, RAG or fine-tuning: cumulative cost over a horizon, break-even volume and "
        "a decision record",
    ),
    TradeOff(
        "human-oversight",
        "human_oversight",
        "hitl",
        "Automation vs human oversight",
        "what to automate and what humans review: a confidence threshold with an error "
        "guarantee, its cost and staffing",
    ),
)
"""In the order the evidence page presents them (DESIGN.md's table)."""

SLUGS: tuple[str, ...] = tuple(t.slug for t in TRADEOFFS)
SHARED_GROUPS = ("serving", "methods")
"""Registry groups several trade-offs share, each listed on its own page (serving, methods)."""


def by_slug(slug: str) -> TradeOff:
    """The trade-off with this slug (KeyError names the known ones)."""
    for t in TRADEOFFS:
        if t.slug == slug:
            return t
    raise KeyError(f"no trade-off {slug!r}; the slugs are {', '.join(SLUGS)}")


def by_rule(rule_id: str) -> TradeOff:
    """The trade-off a rule id such as ``BVB-2`` belongs to."""
    prefix = rule_id.partition("-")[0].lower()
    for t in TRADEOFFS:
        if t.prefix == prefix:
            return t
    raise KeyError(f"no trade-off has rules {prefix.upper()}-N")
