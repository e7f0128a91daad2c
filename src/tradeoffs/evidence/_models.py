"""Typed records of the evidence registry.

A *source* is something we read (a paper, a vendor page, a repository); a *claim* is one
statement, in our words, with the figures it gives, the verdict of our check and the sources
it rests on. The models are strict (unknown fields are errors) so that a typo in a data file
fails loudly instead of silently dropping a verdict.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from tradeoffs._catalog import SHARED_GROUPS as _SHARED_GROUPS
from tradeoffs._catalog import SLUGS

TRADEOFF_SLUGS = SLUGS
"""Fixed names of the six trade-offs, from the one table of them (``tradeoffs._catalog``)."""

# A type needs the names written out; tests/test_spec.py checks they equal TRADEOFFS.
Tradeoff = Literal[
    "build-vs-buy",
    "complexity",
    "data-quality",
    "batch-vs-realtime",
    "prompt-vs-finetune",
    "human-oversight",
]

SHARED_GROUPS = _SHARED_GROUPS
"""Claims several trade-offs share: GPU datasheets and open-model shapes for the
serving-capacity model (``serving``); statistical methods and model lifecycles
(``methods``). Each group is listed on its own page, not on /evidence/, which keeps the
evidence page within its size budget; their anchors are their ids there too."""

Group = Tradeoff | Literal["serving", "methods"]

SeedId = Literal["000", "001", "002", "003"]
"""The files in the seed folder that carry the article's text (see the evidence page)."""


class Verdict(StrEnum):
    """How far our check got. Ordered from strongest to weakest."""

    CONFIRMED = "confirmed"
    CONFIRMED_VIA_COPY = "confirmed-via-copy"
    PARTLY = "partly"
    SECONDARY_ONLY = "secondary-only"
    NOT_FOUND = "not-found"
    ASSUMPTION = "assumption"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]

    @property
    def meaning(self) -> str:
        return _VERDICT_MEANINGS[self]


_VERDICT_LABELS = {
    Verdict.CONFIRMED: "Confirmed",
    Verdict.CONFIRMED_VIA_COPY: "Confirmed via copy",
    Verdict.PARTLY: "Partly",
    Verdict.SECONDARY_ONLY: "Secondary only",
    Verdict.NOT_FOUND: "Not found",
    Verdict.ASSUMPTION: "Assumption",
}

_VERDICT_MEANINGS = {
    Verdict.CONFIRMED: "the primary source says it",
    Verdict.CONFIRMED_VIA_COPY: (
        "a vendor figure seen only in dated third-party copies that name the vendor page; "
        "re-check the vendor page before relying on it"
    ),
    Verdict.PARTLY: "the source exists but says something different",
    Verdict.SECONDARY_ONLY: "only blogs or derivative articles mention it",
    Verdict.NOT_FOUND: "no source located",
    Verdict.ASSUMPTION: (
        "a default chosen by this handbook, not a sourced figure: replace it with your own"
    ),
}


class Unit(StrEnum):
    """Units a figure can carry; each has one way of being written on the site."""

    USD = "usd"
    USD_PER_MTOK = "usd_per_mtok"
    USD_PER_GPU_HOUR = "usd_per_gpu_hour"
    USD_PER_HOUR = "usd_per_hour"
    USD_PER_YEAR = "usd_per_year"
    USD_PER_MONTH = "usd_per_month"
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"
    COUNT = "count"
    REQUESTS_PER_DAY = "requests_per_day"
    TOKENS_PER_SECOND = "tokens_per_second"
    TOKENS = "tokens"
    MULTIPLIER = "multiplier"
    RATIO = "ratio"
    FTE = "fte"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"
    MINUTES = "minutes"
    MILLISECONDS = "milliseconds"
    REQUESTS_PER_SECOND = "requests_per_second"
    GPUS = "gpus"
    DATE = "date"
    GIGABYTES = "gigabytes"
    GIGABYTES_PER_SECOND = "gigabytes_per_second"
    TERAFLOPS = "teraflops"
    SECONDS = "seconds"


Number = Annotated[Decimal, Field(allow_inf_nan=False)]
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Figure(BaseModel):
    """One number (or range, or date) a claim gives, with its unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Unit
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    date: dt.date | None = None
    label: str = ""
    """What the figure is, for tables and link titles ("input price")."""

    @model_validator(mode="after")
    def _one_shape(self) -> Figure:
        if self.unit is Unit.DATE:
            if self.date is None or self.value is not None or self.low is not None:
                raise ValueError("a figure with unit 'date' needs 'date' and nothing else")
            return self
        if self.date is not None:
            raise ValueError("'date' is only for figures with unit 'date'")
        is_range = self.low is not None or self.high is not None
        if is_range == (self.value is not None):
            raise ValueError("give either 'value' or both 'low' and 'high'")
        if is_range and (self.low is None or self.high is None or self.low > self.high):
            raise ValueError("a range needs 'low' <= 'high'")
        return self

    @property
    def number(self) -> Decimal:
        """The single value; a range has none, so asking for it is a programming error."""
        if self.value is None:
            raise ValueError(f"figure {self.label!r} is a range or a date, not a single value")
        return self.value


class Source(BaseModel):
    """Something we read: who, what, where, when, and how we reached it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    authors: str
    title: str
    venue: str
    date: str = Field(default="", description="YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown")
    url: HttpUrl | None = None
    """The most specific address that was read; None only with a ``no_url`` reason."""
    no_url: str = ""
    """Why there is no address (required when ``url`` is None): we never reconstruct one."""
    read_via: str = ""
    """How the text was read when not on the page itself (a mirror, a transcription)."""

    @model_validator(mode="after")
    def _date_shape(self) -> Source:
        if self.date and not _DATE_RE.match(self.date):
            raise ValueError(
                f"'date' must look like YYYY, YYYY-MM or YYYY-MM-DD, not {self.date!r}"
            )
        if self.url is None and not self.no_url.strip():
            raise ValueError("a source without 'url' must say why in 'no_url'")
        if self.url is not None and self.no_url:
            raise ValueError("'no_url' is only for sources without 'url'")
        return self


_NEEDS_SOURCES = (Verdict.CONFIRMED, Verdict.CONFIRMED_VIA_COPY, Verdict.PARTLY)


class Claim(BaseModel):
    """One statement with its figures, verdict, sources and, where needed, our correction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^([A-G][0-9]{1,2}|[a-z0-9]+(-[a-z0-9]+)*)$")
    tradeoff: Group
    """The trade-off whose page cites the claim, or a shared model's group (``serving``)."""
    statement: str = Field(min_length=10)
    verdict: Verdict
    sources: tuple[str, ...] = ()
    excerpt: str = ""
    """Only text actually read in the source or a faithful copy of it."""
    note: str = ""
    """The correction to the article, or what a reader should know before using the figure."""
    article: bool = False
    """True when the article (or one of its write-ups in the seed folder) makes this claim."""
    seeds: tuple[SeedId, ...] = ()
    as_of: dt.date | None = None
    """For prices and other figures that drift: the date the figure was read."""
    provider: str = ""
    figures: dict[str, Figure] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        if self.article and not self.seeds:
            raise ValueError("an article claim must name the seed files that make it ('seeds')")
        if self.verdict in (Verdict.NOT_FOUND, Verdict.ASSUMPTION) and self.excerpt:
            raise ValueError(f"a claim with verdict {self.verdict.value!r} cannot have an excerpt")
        if self.verdict in _NEEDS_SOURCES and not self.sources:
            raise ValueError(f"a claim with verdict {self.verdict.value!r} needs 'sources'")
        if self.verdict is Verdict.ASSUMPTION and self.article:
            raise ValueError("an assumption is ours, so it cannot be an article claim")
        return self

    @property
    def page(self) -> str:
        """The Markdown page that lists the claim: the evidence page, or a shared model's page."""
        return f"{self.tradeoff}.md" if self.tradeoff in SHARED_GROUPS else "evidence.md"

    @property
    def anchor(self) -> str:
        """The claim's anchor on the evidence page: the id itself, so readers can cite it."""
        return self.id

    def figure(self, key: str | None = None) -> Figure:
        """The figure named ``key``, or the only figure when ``key`` is None."""
        if key is None:
            if len(self.figures) != 1:
                raise KeyError(
                    f"claim {self.id} has {len(self.figures)} figures; name one of "
                    f"{sorted(self.figures)}"
                )
            return next(iter(self.figures.values()))
        try:
            return self.figures[key]
        except KeyError:
            raise KeyError(
                f"claim {self.id} has no figure {key!r}; it has {sorted(self.figures)}"
            ) from None
