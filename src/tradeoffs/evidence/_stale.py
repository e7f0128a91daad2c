"""Which dated figures have gone stale: the list the evidence page shows beside its prices.

A claim's ``as_of`` is the date its figures were read (or are dated). The registry's newest
check is the latest ``as_of`` of any claim; a figure read more than :data:`STALE_AFTER` before
that is listed for re-checking, and so is a price claim that carries no date at all, since a
reader cannot tell how old it is.
"""

from __future__ import annotations

import datetime as dt
import html

from tradeoffs.evidence._loader import Registry, load_registry
from tradeoffs.evidence._models import Claim, Unit, Verdict

STALE_AFTER = dt.timedelta(days=90)
"""How far behind the newest check a figure may lag before it is listed."""

PRICE_UNITS = frozenset({Unit.USD_PER_MTOK, Unit.USD_PER_GPU_HOUR, Unit.USD_PER_HOUR})
"""Units of a list price: a claim with a figure in one of them is a price claim."""


def is_price_claim(claim: Claim) -> bool:
    """A sourced claim that gives a list price (our own assumptions are not prices)."""
    return claim.verdict is not Verdict.ASSUMPTION and any(
        f.unit in PRICE_UNITS for f in claim.figures.values()
    )


def newest_check(registry: Registry) -> dt.date | None:
    """The latest ``as_of`` in the registry, or None when no claim is dated."""
    return max((c.as_of for c in registry if c.as_of), default=None)


def stale_claims(registry: Registry, max_age: dt.timedelta = STALE_AFTER) -> list[Claim]:
    """Claims dated more than ``max_age`` before the newest check, oldest first."""
    newest = newest_check(registry)
    if newest is None:
        return []
    cutoff = newest - max_age
    stale = [c for c in registry if c.as_of is not None and c.as_of < cutoff]
    return sorted(stale, key=lambda c: (c.as_of or dt.date.min, c.id))


def undated_price_claims(registry: Registry) -> list[Claim]:
    """Price claims with no ``as_of``: their age is unknown, so they need a check too."""
    return [c for c in registry if is_price_claim(c) and c.as_of is None]


def _link(claim: Claim) -> str:
    page = "" if claim.page == "evidence.md" else claim.page
    return f"[{claim.id}]({page}#{claim.anchor})"


def _item(claim: Claim) -> str:
    when = claim.as_of.isoformat() if claim.as_of else "no date"
    who = f"{html.escape(claim.provider)}, " if claim.provider else ""
    return f"{_link(claim)} ({who}{when})"


def stale_claims_markdown(registry: Registry | None = None) -> str:
    """The evidence page's paragraph of figures to re-check, as Markdown: each claim linked
    to its row, oldest first, then the undated price claims."""
    reg = registry or load_registry()
    newest = newest_check(reg)
    if newest is None:
        return "**Figures to re-check.** No figure in the registry carries a date."
    claims = stale_claims(reg) + undated_price_claims(reg)
    lead = (
        f"**Figures to re-check.** Dated more than {STALE_AFTER.days} days before the "
        f"registry's newest check ({newest.isoformat()}), or not dated"
    )
    if not claims:
        return lead + ": none."
    return lead + ": " + ", ".join(_item(c) for c in claims) + "."
