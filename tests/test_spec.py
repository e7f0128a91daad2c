"""The contract every trade-off keeps, checked from its declaration (:mod:`tradeoffs._spec`).

One test per property, parametrised over :data:`~tradeoffs._catalog.TRADEOFFS`; the bad-value
cases are generated from each input's declared constraint, so a new input is tested the moment
it is declared.
"""

from __future__ import annotations

import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest

from tests._cli import run
from tradeoffs._catalog import SLUGS, TRADEOFFS, TradeOff, by_rule, by_slug
from tradeoffs._spec import FromRegistry, Interval
from tradeoffs.evidence import TRADEOFF_SLUGS
from tradeoffs.evidence._models import Tradeoff

ROOT = Path(__file__).resolve().parents[1]
IDS = [t.slug for t in TRADEOFFS]


def run_cli(*args: str) -> tuple[int, str, str]:
    result = run(*args)
    return result.returncode, result.stdout, result.stderr


def test_one_list_of_tradeoffs() -> None:
    assert SLUGS == TRADEOFF_SLUGS == typing.get_args(Tradeoff)
    assert [by_slug(s).slug for s in SLUGS] == list(SLUGS)
    for t in TRADEOFFS:
        assert (ROOT / "docs" / f"{t.slug}.md").is_file()
        assert (ROOT / "playbooks" / t.playbook).is_file()
        assert (ROOT / "src" / "tradeoffs" / f"{t.module}.py").is_file()


@pytest.mark.parametrize("tradeoff", TRADEOFFS, ids=IDS)
def test_the_module_declares_one_shape(tradeoff: TradeOff) -> None:
    module = tradeoff.load()
    spec = module.SPEC
    assert spec.slug == tradeoff.slug
    for entry_point in ("scenario", "decide", "record"):
        assert callable(getattr(module, entry_point)), entry_point
    names = [p.name for p in spec.params]
    assert len(names) == len(set(names)), "an input is declared twice"
    flags = [p.flag for p in spec.params if p.on_cli] + [h.option for h in spec.hooks]
    assert len(flags) == len(set(flags)), "two inputs share an option"
    keys = [r.key for r in spec.results]
    assert len(keys) == len(set(keys)), "a result is declared twice"
    assert set(spec.fires) <= set(spec.rules)


@pytest.mark.parametrize("tradeoff", TRADEOFFS, ids=IDS)
def test_every_rule_has_its_heading_on_the_page(tradeoff: TradeOff) -> None:
    page = (ROOT / "docs" / f"{tradeoff.slug}.md").read_text(encoding="utf-8")
    headings = dict(re.findall(r"^### ([A-Z]+-\d+): (.+?) \{#[a-z]+-\d+\}$", page, re.M))
    rules = tradeoff.spec().rules
    assert {r: rule.title for r, rule in rules.items()} == headings
    for rule_id, rule in rules.items():
        assert f"{{#{rule.anchor}}}" in page
        assert by_rule(rule_id) is tradeoff


@pytest.mark.parametrize("tradeoff", TRADEOFFS, ids=IDS)
def test_defaults_are_cited_and_only_given_inputs_say_given(tradeoff: TradeOff) -> None:
    module = tradeoff.load()
    spec = module.SPEC
    first = next(p for p in spec.params if isinstance(p.constraint, Interval))
    inside = (first.constraint.low + first.constraint.high) / 2
    given_value = str(int(inside) if first.constraint.integer else inside)
    scenario = module.scenario(**{first.name: given_value})
    decision = module.decide(scenario)
    record = module.record(decision)
    assert record.rule_id in spec.fires, f"decide() fired {record.rule_id}, not declared"
    rows = {row.key: row for row in record.inputs}
    for p in spec.params:
        if not p.in_record:
            continue
        row = rows[p.name]
        if p.name == first.name:
            assert row.source == "given"
        else:
            assert row.source != "given", f"{p.name}: a default must say where it came from"
        if isinstance(p.default, FromRegistry) and p.name != first.name:
            assert row.claim == p.default.claim
            assert p.default.claim in record.claims
    declared = {r.key for r in spec.results}
    assert {row.key for row in record.results} <= declared


def _bad_cases() -> list[Any]:
    cases = []
    for t in TRADEOFFS:
        module = t.load()
        if not hasattr(module, "SPEC"):  # test_the_module_declares_one_shape fails for it
            continue
        for p in module.SPEC.params:
            if not p.on_cli:
                continue
            for bad in p.constraint.bad_values():
                cases.append(pytest.param(t.slug, p.flag, bad, id=f"{t.slug} {p.flag} {bad!r}"))
    return cases


@pytest.mark.parametrize(("slug", "flag", "bad"), _bad_cases())
def test_bad_values_exit_2_with_one_line_naming_the_option(slug: str, flag: str, bad: str) -> None:
    code, out, err = run_cli(slug, f"{flag}={bad}", "--format", "json")
    assert code == 2, (out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"tradeoffs {slug}: error: {flag}"), lines[0]
    assert repr(bad) in lines[0] or bad in lines[0], lines[0]


def test_every_declared_option_has_the_generated_bad_values() -> None:
    """Each numeric option is tested below, above, as text, NaN and infinity."""
    for t in TRADEOFFS:
        for p in t.spec().params:
            if isinstance(p.constraint, Interval) and p.on_cli:
                bad = p.constraint.bad_values()
                assert len(bad) >= 5 and {"nan", "inf", "many"} <= set(bad), p.name


@pytest.mark.parametrize("tradeoff", TRADEOFFS, ids=IDS)
def test_help_reads_defaults_from_the_declaration(tradeoff: TradeOff) -> None:
    code, out, _ = run_cli(tradeoff.slug, "--help")
    assert code == 0
    text = " ".join(out.split())
    for p in tradeoff.spec().params:
        if p.on_cli:
            assert p.flag in text
        if p.on_cli and isinstance(p.default, FromRegistry):
            assert p.default.claim in text, f"{p.flag}: help does not cite its default"


def test_cli_source_types_no_numeric_default() -> None:
    """Defaults live in the declarations and the registry, never in the command's code."""
    source = (ROOT / "src" / "tradeoffs" / "cli.py").read_text(encoding="utf-8")
    assert not re.search(r"default:? \$?\d", source)
    assert len(source.splitlines()) < 250


def test_top_level_help_imports_no_heavy_library() -> None:
    code = (
        "import sys; from tradeoffs import cli; cli.build_parser([]).format_help(); "
        "heavy = [m for m in ('pydantic', 'pandas', 'altair', 'sklearn', 'numpy', "
        "'genai_prices') if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
