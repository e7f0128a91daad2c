"""The evidence registry: complete against the audit, strict about its data files."""

from __future__ import annotations

import shutil
from collections import Counter
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from tradeoffs.evidence import RegistryError, Verdict, load_registry, load_registry_from

AUDIT_IDS = (
    [f"B{i}" for i in range(1, 11)]
    + [f"C{i}" for i in range(1, 7)]
    + [f"D{i}" for i in range(1, 6)]
    + ["E1", "E2"]
    + [f"F{i}" for i in range(1, 8)]
    + [f"G{i}" for i in range(1, 6)]
)


def test_every_audit_row_is_a_claim() -> None:
    registry = load_registry()
    assert [i for i in AUDIT_IDS if i not in registry.claims] == []
    assert len(AUDIT_IDS) == 35


def test_audit_tally_matches_the_audit() -> None:
    """The audit's tally: 17 confirmed (4 of them via copy), 8 partly, 5 secondary-only,
    5 not found."""
    registry = load_registry()
    tally = Counter(registry.claim(i).verdict for i in AUDIT_IDS)
    assert tally == {
        Verdict.CONFIRMED: 13,
        Verdict.CONFIRMED_VIA_COPY: 4,
        Verdict.PARTLY: 8,
        Verdict.SECONDARY_ONLY: 5,
        Verdict.NOT_FOUND: 5,
    }
    assert {i for i in AUDIT_IDS if registry.claim(i).verdict is Verdict.CONFIRMED_VIA_COPY} == {
        "B7",
        "B8",
        "B9",
        "F2",
    }


def test_headline_numbers_without_source_are_marked_not_found() -> None:
    registry = load_registry()
    assert {c.id for c in registry if c.verdict is Verdict.NOT_FOUND} == {
        "B3",
        "B4",
        "C5",
        "F1",
        "G4",
    }


def test_prices_carry_provider_and_a_date_where_one_was_read() -> None:
    registry = load_registry()
    b7 = registry.claim("B7")
    assert (b7.provider, str(b7.as_of)) == ("openai", "2026-04-05")
    assert registry.figure("gpu-price-aws", "h100").number == Decimal("6.88")
    for cid in ("gpu-price-aws", "gpu-price-lambda", "gpu-price-runpod"):
        assert registry.claim(cid).as_of is not None, cid


def test_every_cited_source_exists_and_excerpts_only_where_read() -> None:
    registry = load_registry()
    for claim in registry:
        assert all(s in registry.sources for s in claim.sources), claim.id
        if claim.verdict in (Verdict.NOT_FOUND, Verdict.ASSUMPTION):
            assert not claim.excerpt, claim.id


def test_genai_prices_agrees_with_the_registry() -> None:
    """The calculator's API price (genai-prices) and the audited list price must not drift."""
    from tradeoffs.build_vs_buy import api_price

    price = api_price("gpt-4o-mini")
    registry = load_registry()
    assert price.input_usd_per_mtok == registry.figure("B7", "input").number
    assert price.output_usd_per_mtok == registry.figure("B7", "output").number


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    source = resources.files("tradeoffs.evidence") / "data"
    target = tmp_path / "data"
    shutil.copytree(str(source), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_bad_verdict_names_file_entry_and_field(data_copy: Path) -> None:
    _edit(data_copy / "claims" / "build-vs-buy.toml", 'verdict = "confirmed"', 'verdict = "sure"')
    with pytest.raises(RegistryError) as err:
        load_registry_from(data_copy)
    message = str(err.value)
    assert "claims/build-vs-buy.toml" in message
    assert "claim 'B5'" in message
    assert "field 'verdict'" in message
    assert "'sure'" in message


def test_an_unknown_source_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "claims" / "build-vs-buy.toml",
        'sources = ["hf-tgi-maintenance"]',
        'sources = ["no-such-source"]',
    )
    with pytest.raises(RegistryError, match=r"claim 'B5': field 'sources'.*no-such-source"):
        load_registry_from(data_copy)


def test_an_unknown_field_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "claims" / "build-vs-buy.toml", 'id = "B4"', 'id = "B4"\nverdikt = "x"')
    with pytest.raises(RegistryError, match=r"claim 'B4': field 'verdikt'"):
        load_registry_from(data_copy)


def test_a_figure_needs_one_shape(data_copy: Path) -> None:
    _edit(data_copy / "claims" / "build-vs-buy.toml", "value = 376", "")
    with pytest.raises(RegistryError, match=r"claim 'B1': field 'figures.respondents'"):
        load_registry_from(data_copy)


def test_a_duplicate_id_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "claims" / "build-vs-buy.toml", 'id = "B4"', 'id = "B3"')
    with pytest.raises(RegistryError, match="duplicate id"):
        load_registry_from(data_copy)


def test_broken_toml_names_the_file(data_copy: Path) -> None:
    (data_copy / "sources" / "complexity.toml").write_text("[[source]\n")
    with pytest.raises(RegistryError, match=r"sources/complexity.toml: not valid TOML"):
        load_registry_from(data_copy)
