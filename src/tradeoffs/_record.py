"""Decision records: one structure, three renderings (text, JSON, Markdown).

Every trade-off turns its result into a :class:`Record`; the CLI renders it. Keeping the
rendering here means the six trade-offs' records look alike and cite the registry alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from tradeoffs import __version__
from tradeoffs.evidence import load_registry

JsonValue = str | int | float | bool | None


@dataclass(frozen=True)
class Row:
    """One labelled value of a record; ``key`` is its stable JSON name."""

    key: str
    label: str
    value: JsonValue | Decimal
    shown: str
    """How the value reads to a person ("$5,931.25")."""
    claim: str = ""
    """The registry claim a default came from (empty when the reader supplied it)."""
    note: str = ""
    """Where a value without a claim came from: "given", or the default it is."""

    @property
    def source(self) -> str:
        """The claim id, else the note, else "given"."""
        return self.claim or self.note or "given"


@dataclass(frozen=True)
class Record:
    slug: str
    title: str
    inputs: tuple[Row, ...]
    results: tuple[Row, ...]
    recommendation: str
    rule_id: str
    rule_title: str
    reason: str
    warnings: tuple[str, ...] = ()
    claims: tuple[str, ...] = field(default=())
    """Every registry claim the result rests on, cited with its verdict."""
    json_extra: Mapping[str, object] = field(default_factory=dict)
    """Structured results only machines need (lists, nested objects), added to the JSON."""
    preamble: str = ""
    """Text printed before the text table (a measured ledger, say)."""


def claim_fingerprint(claim_id: str) -> str:
    """A short digest of everything the registry says about one claim: a record keeps it so
    that ``tradeoffs check-record`` can tell later whether the claim has changed."""
    claim = load_registry().claim(claim_id)
    canonical = json.dumps(claim.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


RECORD_MARKER = "tradeoffs-record"
"""The HTML comment that carries a Markdown record's machine-readable part."""


def registry_snapshot() -> str:
    """A short digest of the registry's data files, so a record says which figures it used."""
    digest = hashlib.sha256()
    root = resources.files("tradeoffs.evidence") / "data"
    for folder in ("sources", "claims"):
        for file in sorted((root / folder).iterdir(), key=lambda f: f.name):
            if file.name.endswith(".toml"):
                digest.update(f"{folder}/{file.name}\0".encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _json_value(v: JsonValue | Decimal) -> JsonValue:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def to_json(record: Record) -> str:
    registry = load_registry()
    payload: dict[str, object] = {
        "tradeoff": record.slug,
        **{row.key: _json_value(row.value) for row in record.results},
        **record.json_extra,
        "recommendation": record.recommendation,
        "rule": record.rule_id,
        "reason": record.reason,
        "warnings": list(record.warnings),
        "inputs": {row.key: _json_value(row.value) for row in record.inputs},
        "input_sources": {row.key: row.source for row in record.inputs},
        "claims": {c: registry.claim(c).verdict.value for c in record.claims},
        "claim_fingerprints": {c: claim_fingerprint(c) for c in record.claims},
        "package_version": __version__,
        "registry_snapshot": registry_snapshot(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def to_text(record: Record) -> str:
    width = max(len(r.label) for r in (*record.inputs, *record.results))
    lines = [record.preamble, ""] if record.preamble else []
    lines += [record.title, ""]
    lines += [f"  {r.label:<{width}}  {r.shown}" for r in record.results]
    lines += [
        "",
        f"Recommendation: {record.recommendation} ({record.rule_id}: {record.rule_title})",
        f"  {record.reason}",
    ]
    lines += [f"  ! {w}" for w in record.warnings]
    lines += ["", "Inputs:"]
    lines += [
        f"  {r.label:<{width}}  {r.shown}" + (f"  [{r.source}]" if r.source != "given" else "")
        for r in record.inputs
    ]
    return "\n".join(lines)


_MARKDOWN_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]|#"} | {"<": "&lt;", ">": "&gt;", "\n": " ", "\r": " "}
)


def md(text: str) -> str:
    """Text made inert in Markdown: no link, no HTML, no table cell break, one line.

    A record is pasted into review tools that render Markdown, and its values include what
    the caller typed (a model id, a file name)."""
    return text.translate(_MARKDOWN_SPECIAL)


def to_markdown(record: Record, site_url: str, today: dt.date | None = None) -> str:
    """A decision record to paste into a design review, with permalinks to the handbook."""
    base = site_url.rstrip("/")
    page = f"{base}/{record.slug}/"
    registry = load_registry()
    when = (today or dt.date.today()).isoformat()
    out = [
        f"## Decision record: {md(record.title)}",
        "",
        f"**Recommendation: {md(record.recommendation)}**, by "
        f"[{record.rule_id}]({page}#{record.rule_id.lower()}) ({md(record.rule_title)}).",
        "",
        md(record.reason),
        "",
    ]
    if record.warnings:
        out += ["**Warnings and dated risks**", ""] + [f"- {md(w)}" for w in record.warnings] + [""]
    out += ["| Result | Value |", "|---|---|"]
    out += [f"| {md(r.label)} | {md(r.shown)} |" for r in record.results]
    out += ["", "| Input | Value | Default's source |", "|---|---|---|"]
    for r in record.inputs:
        cite = f"[{r.claim}]({base}/evidence/#{r.claim})" if r.claim else md(r.source)
        out.append(f"| {md(r.label)} | {md(r.shown)} | {cite} |")
    out += ["", "| Claim | Verdict | Statement |", "|---|---|---|"]
    for cid in record.claims:
        claim = registry.claim(cid)
        out.append(
            f"| [{cid}]({base}/evidence/#{cid}) | {claim.verdict.label} | {md(claim.statement)} |"
        )
    machine = {
        **json.loads(to_json(record)),
        "generated": when,
    }
    machine.pop("claims")
    out += [
        "",
        f"Generated {when} by `tradeoffs {record.slug}` {__version__}, "
        f"evidence registry snapshot `{registry_snapshot()}`. Method: {page}. "
        f"Check later whether its claims changed: `tradeoffs check-record FILE`.",
        "",
        f"<!-- {RECORD_MARKER} {_comment_safe(json.dumps(machine, sort_keys=True))} -->",
    ]
    return "\n".join(out)


def _comment_safe(text: str) -> str:
    """JSON that cannot close the HTML comment carrying it ("-->" in a value, say)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass(frozen=True)
class ClaimCheck:
    claim: str
    status: str
    """"unchanged", "changed" or "removed"."""
    detail: str


def check_record(text: str) -> tuple[dict[str, object], list[ClaimCheck]]:
    """Compare the claims a saved record (Markdown or JSON) cites with today's registry."""
    data = _record_data(text)
    registry = load_registry()
    checks = []
    fingerprints = data.get("claim_fingerprints")
    if not isinstance(fingerprints, dict) or not fingerprints:
        raise ValueError(
            "the record has no claim fingerprints (written by tradeoffs 0.1 or "
            "later with --format md or json)"
        )
    for claim_id, old in sorted(fingerprints.items()):
        if claim_id not in registry.claims:
            checks.append(ClaimCheck(claim_id, "removed", "no longer in the registry"))
            continue
        verdict = registry.claim(claim_id).verdict.label.lower()
        if claim_fingerprint(claim_id) == old:
            checks.append(ClaimCheck(claim_id, "unchanged", f"verdict {verdict}"))
        else:
            checks.append(
                ClaimCheck(
                    claim_id,
                    "changed",
                    f"now: verdict {verdict}; see the "
                    "evidence page for its current figures and sources",
                )
            )
    return data, checks


def _loads(text: str) -> object:
    """JSON, with nesting too deep for the parser refused as a clean error."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("its JSON is nested too deeply to be a record") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"its JSON is not valid ({exc.msg} at line {exc.lineno})") from None


def _record_data(text: str) -> dict[str, object]:
    stripped = text.strip()
    if stripped.startswith("{"):
        data = _loads(stripped)
    else:
        start = text.find(f"<!-- {RECORD_MARKER} ")
        if start < 0:
            raise ValueError(
                "no decision record found (expected a Markdown record from "
                "`tradeoffs <slug> --format md` or its JSON)"
            )
        end = text.find(" -->", start)
        data = _loads(text[start + len(RECORD_MARKER) + 6 : end])
    if not isinstance(data, dict):
        raise ValueError("the record's data is not an object")
    return data


# --- Recomputing a saved record -----------------------------------------------------------------


@dataclass(frozen=True)
class FieldCheck:
    """One field of a saved record that today's recomputation does not reproduce."""

    field: str
    recorded: object
    now: object


def recompute(data: Mapping[str, object]) -> Record:
    """The record's decision made again from its inputs, with today's library and registry.

    What the reader gave is passed again; a value estimated or measured for them is passed
    with its note; a default is derived again from today's registry (a changed claim then
    shows up as a changed field as well as a changed fingerprint)."""
    from tradeoffs._catalog import by_slug
    from tradeoffs._spec import Noted

    try:
        module = by_slug(str(data.get("tradeoff"))).load()
    except KeyError:
        raise ValueError(
            f"the record names no known trade-off ({data.get('tradeoff')!r})"
        ) from None
    inputs, sources = data.get("inputs"), data.get("input_sources")
    if not isinstance(inputs, dict) or not isinstance(sources, dict):
        raise ValueError("the record has no inputs and their sources (made before tradeoffs 0.2)")
    spec = module.SPEC
    today = spec.resolve({}).origins
    claims = load_registry().claims
    given: dict[str, object] = {}
    for p in spec.params:
        if p.read_back is not None and (kept := p.read_back(inputs)):
            given[p.name] = kept
        if not p.in_record or p.name not in inputs:
            continue
        source = str(sources.get(p.name, "given"))
        if source in claims or source == (today[p.name].claim or today[p.name].note):
            continue
        given[p.name] = inputs[p.name] if source == "given" else Noted(inputs[p.name], source)
    result: Record = module.record(module.decide(module.scenario(**given)))
    return result


def payload_fields(record: Record) -> dict[str, object]:
    """What a check compares: every result, the decision and every input, as JSON values."""
    fields: dict[str, object] = {row.key: _json_value(row.value) for row in record.results}
    fields |= json.loads(json.dumps(dict(record.json_extra), default=str))
    fields |= {"recommendation": record.recommendation, "rule": record.rule_id}
    fields["reason"] = record.reason
    fields |= {f"inputs.{row.key}": _json_value(row.value) for row in record.inputs}
    return fields


def field_checks(data: Mapping[str, object], now: Record) -> list[FieldCheck]:
    """Fields whose recorded value differs from the recomputed one (missing ones included)."""
    recorded = dict(data)
    inputs = recorded.pop("inputs", {})
    if isinstance(inputs, dict):
        recorded |= {f"inputs.{k}": v for k, v in inputs.items()}
    checks = []
    for key, value in payload_fields(now).items():
        if key in now.json_extra and key not in recorded:
            continue  # a measurement the recomputation cannot repeat (a ledger)
        if recorded.get(key, "(missing)") != value:
            checks.append(FieldCheck(key, recorded.get(key, "(missing)"), value))
    return checks


def visible_checks(text: str, now: Record) -> list[FieldCheck]:
    """In a Markdown record, the tables and the recommendation a reader sees, against the
    recomputed record: an edit to the visible text does not touch the machine block."""
    seen = _visible_rows(text)
    expected = {f"Result: {md(r.label).strip()}": md(r.shown).strip() for r in now.results}
    expected |= {f"Input: {md(r.label).strip()}": md(r.shown).strip() for r in now.inputs}
    expected["Recommendation"] = md(now.recommendation)
    return [
        FieldCheck(key, seen.get(key, "(missing)"), value)
        for key, value in expected.items()
        if seen.get(key, "(missing)") != value
    ]


def _visible_rows(text: str) -> dict[str, str]:
    """Label -> value of the Result and Input tables, and the recommendation, as shown."""
    rows: dict[str, str] = {}
    table = ""
    for line in text.splitlines():
        if line.startswith("**Recommendation: "):
            rows["Recommendation"] = line.removeprefix("**Recommendation: ").split("**", 1)[0]
        if line.startswith("| Result | Value |"):
            table = "Result"
        elif line.startswith("| Input | Value |"):
            table = "Input"
        elif not line.startswith("|"):
            table = ""
        elif table and not line.startswith("|---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if len(cells) >= 2:
                rows[f"{table}: {cells[0]}"] = cells[1]
    return rows
