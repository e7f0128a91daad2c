"""The evidence registry: complete against the audit, strict about its data files."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from decimal import Decimal
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tradeoffs.evidence import (
    Registry,
    RegistryError,
    Verdict,
    load_registry,
    load_registry_from,
)
from tradeoffs.evidence._stale import (
    is_price_claim,
    newest_check,
    stale_claims,
    stale_claims_markdown,
    undated_price_claims,
)

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
    """The audit's tally (17 confirmed, 8 partly, 5 secondary-only, 5 not found) as corrected
    by the fact-check: B2's only source does not state its thresholds (not found), and C6,
    F3 and G2 were read only in copies or reports (confirmed via copy)."""
    registry = load_registry()
    tally = Counter(registry.claim(i).verdict for i in AUDIT_IDS)
    assert tally == {
        Verdict.CONFIRMED: 10,
        Verdict.CONFIRMED_VIA_COPY: 7,
        Verdict.PARTLY: 8,
        Verdict.SECONDARY_ONLY: 4,
        Verdict.NOT_FOUND: 6,
    }
    assert {i for i in AUDIT_IDS if registry.claim(i).verdict is Verdict.CONFIRMED_VIA_COPY} == {
        "B7",
        "B8",
        "B9",
        "C6",
        "F2",
        "F3",
        "G2",
    }


def test_headline_numbers_without_source_are_marked_not_found() -> None:
    registry = load_registry()
    assert {c.id for c in registry if c.verdict is Verdict.NOT_FOUND} == {
        "B2",
        "B3",
        "B4",
        "C5",
        "F1",
        "G4",
    }


UNDATED_PRICES = {"gpu-price-azure": "the audit kept no date for the Azure transcription"}
"""Price claims allowed without ``as_of``, each with the reason (reviewed); the evidence page
lists them for re-checking (``tradeoffs.evidence._stale``)."""


def test_prices_carry_provider_and_a_date_where_one_was_read() -> None:
    registry = load_registry()
    b7 = registry.claim("B7")
    assert (b7.provider, str(b7.as_of)) == ("openai", "2026-04-05")
    assert registry.figure("gpu-price-aws", "h100").number == Decimal("6.88")
    for cid in ("gpu-price-aws", "gpu-price-lambda", "gpu-price-runpod"):
        assert registry.claim(cid).as_of is not None, cid


def test_every_price_claim_has_its_own_date() -> None:
    """A price is only as good as the day it was read: every list price carries ``as_of``."""
    registry = load_registry()
    prices = [c for c in registry if is_price_claim(c)]
    assert {"B7", "B10", "gpu-price-runpod", "finetune-price-gpt-4o-mini"} <= {c.id for c in prices}
    assert [c.id for c in prices if c.as_of is None] == list(UNDATED_PRICES)


def test_b9_spread_is_the_h100_prices_it_rests_on() -> None:
    """4.57x is Azure's H100 over RunPod Community's, both shown; the A100 spread is ours."""
    registry = load_registry()
    dearest = registry.figure("gpu-price-azure", "h100").number
    cheapest = registry.figure("gpu-price-runpod", "h100_community").number
    assert round(dearest / cheapest, 2) == registry.figure("B9", "spread").number
    a100 = (
        registry.figure("gpu-price-aws", "a100").number
        / registry.figure("gpu-price-runpod", "a100_community").number
    )
    assert round(a100, 2) == registry.figure("B9", "a100_spread").number


_GITHUB_SPECIFIC = re.compile(
    r"^https://github\.com/[^/]+/[^/]+/(blob|tree|commit|pull|issues|releases)/"
)


def test_every_source_has_an_address_or_says_why_not() -> None:
    registry = load_registry()
    for src in registry.sources.values():
        assert src.url is not None or src.no_url.strip(), src.id
        url = str(src.url or "")
        if urlsplit(url).hostname in ("github.com", "www.github.com"):
            assert _GITHUB_SPECIFIC.match(url), f"{src.id}: a bare GitHub address: {url}"


def test_a_source_without_url_or_reason_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "sources" / "build-vs-buy.toml", 'no_url = "the transcription', "#")
    with pytest.raises(RegistryError, match=r"source 'azure-nd-h100-v5'.*must say why in 'no_url'"):
        load_registry_from(data_copy)


def test_a_reason_beside_an_address_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "sources" / "build-vs-buy.toml",
        'url = "https://www.runpod.io/pricing"',
        'url = "https://www.runpod.io/pricing"\nno_url = "x"',
    )
    with pytest.raises(RegistryError, match=r"source 'runpod-pricing'.*only for sources without"):
        load_registry_from(data_copy)


def test_stale_claims_are_those_read_long_before_the_newest_check() -> None:
    registry = load_registry()
    newest = newest_check(registry)
    assert newest is not None
    stale = stale_claims(registry)
    assert all(c.as_of is not None and (newest - c.as_of).days > 90 for c in stale)
    fresh = [c for c in registry if c.as_of and c not in stale]
    assert all((newest - c.as_of).days <= 90 for c in fresh if c.as_of)
    assert "B7" in {c.id for c in stale}  # 2026-04-05, beside prices checked in November
    assert {c.id for c in undated_price_claims(registry)} == set(UNDATED_PRICES)


def test_stale_list_links_each_claim_to_its_row() -> None:
    text = stale_claims_markdown()
    assert "[B7](#B7) (openai, 2026-04-05)" in text
    assert text.endswith("[gpu-price-azure](#gpu-price-azure) (azure, no date).")
    assert "[gpu-price-aws]" not in text  # read 2026-11-09: fresh


def test_stale_list_with_nothing_old() -> None:
    registry = load_registry()
    fresh = Registry(
        sources=registry.sources,
        claims={k: c for k, c in registry.claims.items() if k == "gpu-price-aws"},
    )
    assert stale_claims_markdown(fresh).endswith(": none.")
    assert stale_claims(fresh, dt.timedelta(days=0)) == []


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
