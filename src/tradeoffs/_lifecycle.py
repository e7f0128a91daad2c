"""When a hosted API model retires, and what an option that runs on it switches to.

The shutdown dates are registry figures (dated, sourced); the successors are the handbook's
choice (``assume-migration``). The table is data (``data/model_lifecycle.toml``), kept apart
from the code that applies it, so a new notice is one row, not a code change.

Open weights never retire: the reader holds them. A hosted model with no row has no shutdown
the registry knows of, which is not a promise (see ``openai-notice-periods``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tradeoffs.evidence import load_registry

MIGRATION_CLAIM = "assume-migration"
"""The claim that names the successors and the default migration effort."""


@dataclass(frozen=True)
class Retirement:
    """A hosted model's announced shutdown and the model a migration switches to."""

    model: str
    shutdown: dt.date
    successor: str
    claim: str
    """The registry claim that dates the shutdown."""


@cache
def _table() -> tuple[Retirement, ...]:
    text = (resources.files("tradeoffs") / "data" / "model_lifecycle.toml").read_text("utf-8")
    registry = load_registry()
    rows = []
    for row in tomllib.loads(text)["retiring"]:
        claim, _, key = row["shutdown"].partition(".")
        shutdown = registry.figure(claim, key).date
        if shutdown is None:  # the registry's schema makes a date figure carry its date
            raise ValueError(f"model_lifecycle.toml: {row['shutdown']} is not a date figure")
        rows.append(Retirement(row["model"], shutdown, row["successor"], claim))
    return tuple(rows)


def retiring_models() -> tuple[Retirement, ...]:
    """Every hosted model with a shutdown in the registry."""
    return _table()


def retirement(model: str) -> Retirement | None:
    """The model's shutdown, matching its dated snapshots too (``gpt-4o-mini-2024-07-18``)
    but not other models that share a prefix (``gpt-4.1-nano`` is not ``gpt-4.1``)."""
    for row in _table():
        if model == row.model or re.fullmatch(re.escape(row.model) + r"-\d{4}-\d{2}-\d{2}", model):
            return row
    return None


def months_until(start: dt.date, day: dt.date) -> int:
    """Whole months from ``start`` before ``day`` arrives: the months a plan starting on
    ``start`` can run on a model that shuts down on ``day`` (0 when it already has)."""
    if day <= start:
        return 0
    months = (day.year - start.year) * 12 + day.month - start.month
    if day.day < start.day:
        months -= 1
    return max(0, months)
