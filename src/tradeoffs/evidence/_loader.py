"""Load and validate the registry's data files, which ship inside the package.

Errors name the file, the entry and the field, because the people who edit these files are
fact-checkers with a source open in another window, not programmers reading a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import ValidationError

from tradeoffs.evidence._models import SHARED_GROUPS, TRADEOFF_SLUGS, Claim, Figure, Source


class RegistryError(ValueError):
    """A data file of the evidence registry is malformed or inconsistent."""


@dataclass(frozen=True)
class Registry:
    """All sources and claims, indexed by id."""

    sources: Mapping[str, Source]
    claims: Mapping[str, Claim]
    files: Mapping[str, str] = field(default_factory=dict)
    """Claim id -> the data file it came from, for error messages and the evidence page."""

    def claim(self, claim_id: str) -> Claim:
        try:
            return self.claims[claim_id]
        except KeyError:
            raise KeyError(f"no claim {claim_id!r} in the evidence registry") from None

    def figure(self, claim_id: str, key: str | None = None) -> Figure:
        return self.claim(claim_id).figure(key)

    def for_tradeoff(self, slug: str) -> list[Claim]:
        return [c for c in self.claims.values() if c.tradeoff == slug]

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims.values())


def _describe(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(entry)"
    received = first.get("input")
    shown = "" if isinstance(received, dict) else f" (got {received!r})"
    return f"field '{where}': {first['msg']}{shown}"


def _read_toml(file: Traversable, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{name}: not valid TOML: {exc}") from None


def _entries(data: dict[str, Any], table: str, name: str) -> list[dict[str, Any]]:
    unknown = set(data) - {table}
    if unknown:
        raise RegistryError(
            f"{name}: unknown top-level key(s) {sorted(unknown)}; expected [[{table}]]"
        )
    entries = data.get(table, [])
    if not isinstance(entries, list):
        raise RegistryError(f"{name}: '{table}' must be an array of tables ([[{table}]])")
    return entries


def _toml_files(folder: Traversable) -> list[Traversable]:
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def load_registry_from(root: Traversable) -> Registry:
    """Read every ``sources/*.toml`` and ``claims/*.toml`` under ``root`` and cross-check them."""
    sources: dict[str, Source] = {}
    for file in _toml_files(root / "sources"):
        name = f"sources/{file.name}"
        for i, raw in enumerate(_entries(_read_toml(file, name), "source", name)):
            label = f"{name}: source {raw.get('id', f'#{i + 1}')!r}"
            try:
                src = Source.model_validate(raw)
            except ValidationError as exc:
                raise RegistryError(f"{label}: {_describe(exc)}") from None
            if src.id in sources:
                raise RegistryError(f"{label}: duplicate id")
            sources[src.id] = src

    claims: dict[str, Claim] = {}
    files: dict[str, str] = {}
    for file in _toml_files(root / "claims"):
        name = f"claims/{file.name}"
        stem = file.name.removesuffix(".toml")
        if stem not in TRADEOFF_SLUGS + SHARED_GROUPS:
            raise RegistryError(
                f"{name}: file name must be one of {list(TRADEOFF_SLUGS + SHARED_GROUPS)}"
            )
        for i, raw in enumerate(_entries(_read_toml(file, name), "claim", name)):
            label = f"{name}: claim {raw.get('id', f'#{i + 1}')!r}"
            try:
                claim = Claim.model_validate(raw)
            except ValidationError as exc:
                raise RegistryError(f"{label}: {_describe(exc)}") from None
            if claim.tradeoff != stem:
                raise RegistryError(
                    f"{label}: field 'tradeoff' is {claim.tradeoff!r} but the file is {stem!r}"
                )
            if claim.id in claims:
                raise RegistryError(f"{label}: duplicate id (also in {files[claim.id]})")
            missing = [s for s in claim.sources if s not in sources]
            if missing:
                raise RegistryError(f"{label}: field 'sources': unknown source id(s) {missing}")
            claims[claim.id] = claim
            files[claim.id] = name
    return Registry(sources=sources, claims=claims, files=files)


@cache
def load_registry() -> Registry:
    """The registry shipped with this package (read once per process)."""
    return load_registry_from(resources.files("tradeoffs.evidence") / "data")
