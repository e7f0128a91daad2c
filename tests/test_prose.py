"""No number is typed by hand in page prose: each must be a claim reference ([[ID.key]]).

A short, reviewed allowlist covers what is not a figure: years, rule and claim ids, legal
article numbers, ordered-list markers, and product names that contain a version number.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

from tradeoffs import _site
from tradeoffs.evidence import load_registry

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md"))
PLAYBOOKS = sorted(p for p in (ROOT / "playbooks").glob("*.py") if p.name != "conftest.py")

ALLOWED_PHRASES = ("Llama 3.1",)
"""Product names whose version looks like a number (reviewed)."""

_STRIP = [
    re.compile(r"```.*?```", re.S),  # fenced code
    re.compile(r"<!--.*?-->", re.S),  # comments and markers
    re.compile(r"`[^`\n]*`"),  # inline code
    _site.CLAIM_REF,  # claim references: the allowed way
    re.compile(r"\{[^}\n]*\}"),  # attribute lists and anchors
    re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # link targets
    re.compile(r"\b[A-Z]{2,5}-\d+\b"),  # rule ids: BVB-2
    re.compile(r"\b[A-G]\d{1,2}\b"),  # audit claim ids: B5
    re.compile(r"\b(?:19|20)\d{2}\b"),  # years
    re.compile(r"\bArticles? \d+(?:\(\d+\))?"),  # legal section numbers: Article 14
    re.compile(r"^\s*\d+\.\s", re.M),  # ordered-list markers
]
BARE_NUMBER = re.compile(r"(?<![\w.-])\d[\d,.]*(?![\w-])")


def bare_numbers(text: str) -> list[tuple[int, str]]:
    """(line number, number) for every bare number left after the allowed forms are removed."""
    found = []
    for index, line in enumerate(_blank_allowed(text).splitlines(), start=1):
        found += [(index, m[0]) for m in BARE_NUMBER.finditer(line)]
    return found


def _blank_allowed(text: str) -> str:
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match[0])  # keep line numbers

    text = re.sub(r"\A---\n.*?\n---\n", blank, text, flags=re.S)  # front matter
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " " * len(phrase))
    for pattern in _STRIP:
        text = pattern.sub(blank, text)
    return text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_bare_numbers_in_pages(page: Path) -> None:
    hits = bare_numbers(page.read_text(encoding="utf-8"))
    assert not hits, "\n".join(f"{page.relative_to(ROOT)}:{n}: bare number {v!r}" for n, v in hits)


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=lambda p: p.name)
def test_no_bare_numbers_in_playbook_prose(playbook: Path) -> None:
    nb = jupytext.read(playbook)
    text = playbook.read_text(encoding="utf-8")
    hits = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for n, v in bare_numbers(cell.source):
            first = cell.source.splitlines()[n - 1].strip()
            line = next(i for i, t in enumerate(text.splitlines(), 1) if first in t)
            hits.append(f"{playbook.relative_to(ROOT)}:{line}: bare number {v!r}")
    assert not hits, "\n".join(hits)


def test_the_checker_catches_a_bare_number() -> None:
    assert bare_numbers("Costs rise above 100,000 requests.") == [(1, "100,000")]
    assert bare_numbers("A share of 20% of cost.") == [(1, "20")]
    assert bare_numbers("Above [[B2.api_below]] (see BVB-2, B5, in 2025).") == []
    assert bare_numbers("Article 14 and Article 22 apply.") == []


def test_every_claim_reference_resolves() -> None:
    registry = load_registry()
    for page in PAGES:
        for m in _site.CLAIM_REF.finditer(page.read_text(encoding="utf-8")):
            registry.figure(m["id"], m["key"])  # raises KeyError naming the claim
