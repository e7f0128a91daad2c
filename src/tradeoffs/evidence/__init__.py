"""The evidence registry: every sourced figure the handbook shows, with its verdict.

Use :func:`load_registry` to read it; :func:`figure` is the short way to a default value.
"""

from decimal import Decimal

from tradeoffs.evidence._loader import Registry, RegistryError, load_registry, load_registry_from
from tradeoffs.evidence._models import (
    TRADEOFF_SLUGS,
    Claim,
    Figure,
    Source,
    Unit,
    Verdict,
)

__all__ = [
    "TRADEOFF_SLUGS",
    "Claim",
    "Figure",
    "Registry",
    "RegistryError",
    "Source",
    "Unit",
    "Verdict",
    "figure",
    "load_registry",
    "load_registry_from",
    "value",
    "value_or",
]


def figure(ref: str) -> Figure:
    """A figure by reference: ``"B7.input"`` or ``"B5"`` for a claim with one figure."""
    claim_id, _, key = ref.partition(".")
    return load_registry().figure(claim_id, key or None)


def value(ref: str) -> Decimal:
    """The single value of a figure by reference (see :func:`figure`)."""
    return figure(ref).number


def value_or(given: object, ref: str) -> object:
    """``given`` when the caller supplied it, else the registry default ``ref``."""
    return value(ref) if given is None else given
