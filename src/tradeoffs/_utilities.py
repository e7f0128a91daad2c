"""The ``tradeoffs`` subcommands that are not trade-offs: notebook, check-record, evidence,
serving."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from tradeoffs._catalog import SHARED_GROUPS, SLUGS
from tradeoffs._errors import InvalidParameterError


def _run_check_record(args: argparse.Namespace) -> str:
    """Claims changed since the record, then the decision recomputed field by field."""
    from tradeoffs._files import read_text
    from tradeoffs._record import check_record, registry_snapshot

    path, text = read_text("file", args.file, "decision record")
    try:
        data, checks = check_record(text)
    except ValueError as exc:
        raise InvalidParameterError(
            f"file must be a decision record: {exc}; got {str(path)!r}."
        ) from None
    changed = [c for c in checks if c.status != "unchanged"]
    lines = [
        f"Record of {data.get('tradeoff')} made with registry snapshot "
        f"{data.get('registry_snapshot')} (today's: {registry_snapshot()})."
    ]
    lines += [f"  {c.claim:<28} {c.status:<10} {c.detail}" for c in checks]
    lines.append(
        f"{len(changed)} of {len(checks)} cited claims changed since the record."
        if changed
        else "No cited claim has changed since the record."
    )
    differences = _recomputed_lines(data, text)
    lines += differences
    args.exit_code = 1 if changed or len(differences) > 1 else 0
    return "\n".join(lines)


def _recomputed_lines(data: dict[str, object], text: str) -> list[str]:
    """The fields today's library and registry do not reproduce, one line each."""
    from tradeoffs import __version__
    from tradeoffs._record import field_checks, recompute, visible_checks

    try:
        now = recompute(data)
    except (ValueError, InvalidParameterError) as exc:
        return [f"Could not recompute the decision: {exc}", "  (the claims above were checked)"]
    fields = field_checks(data, now)
    if not text.lstrip().startswith("{"):
        fields += visible_checks(text, now)
    if not fields:
        return [f"Recomputed with tradeoffs {__version__}: every field matches the record."]
    head = (
        f"Recomputed with tradeoffs {__version__}: {len(fields)} field(s) differ from the record:"
    )
    return [head] + [f"  {f.field}: was {_short(f.recorded)}, now {_short(f.now)}" for f in fields]


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _run_notebook(args: argparse.Namespace) -> str:
    from tradeoffs._notebook import write_notebook

    path = write_notebook(args.slug, args.output, force=args.force)
    return f"wrote {path}"


def _run_evidence(args: argparse.Namespace) -> str:
    from tradeoffs.evidence import load_registry
    from tradeoffs.formatting import figure_text

    registry = load_registry()
    claims = [c for c in registry if args.tradeoff in (None, c.tradeoff)]
    if args.format == "json":
        return json.dumps([c.model_dump(mode="json") for c in claims], indent=2, ensure_ascii=False)
    lines = []
    for c in claims:
        figures = "; ".join(f"{f.label or k}: {figure_text(f)}" for k, f in c.figures.items())
        lines.append(f"{c.id:<24} {c.verdict.value:<19} {c.statement}")
        if figures:
            lines.append(f"{'':<24} {'':<19} {figures}")
    return "\n".join(lines)


def _run_serving(args: argparse.Namespace) -> str:
    from tradeoffs import serving
    from tradeoffs._validation import check_choice

    given = {p.name: getattr(args, p.name) for p in serving.WORKLOAD_PARAMS}
    w = serving.workload(**{name: raw for name, raw in given.items() if raw is not None})
    tp = None if args.tp is None else int(check_choice("tp", args.tp, ("1", "2", "4", "8")))
    c = serving.replica_capacity(w, tp)
    if args.format == "json":
        return json.dumps(serving.describe(c), indent=2)
    return serving.text_report(c)


def _add_serving(sub: Any, chosen: str | None) -> None:
    """The serving subcommand; its options (and the model's import) only when it is chosen,
    like a trade-off's."""
    sv = sub.add_parser(
        "serving",
        help="capacity of one serving replica: memory, concurrency, prefill and decode "
        "times, tokens/s and requests/s at latency targets",
    )
    names: dict[str, str] = {}
    if chosen == "serving":
        from tradeoffs import serving
        from tradeoffs._spec import add_options

        names = add_options(sv, serving.WORKLOAD_PARAMS)
        sv.add_argument(
            "--tp", metavar="N", help="GPUs per replica: 1, 2, 4 or 8 (default: the best per GPU)"
        )
        names["tp"] = "--tp"
        sv.add_argument("--format", choices=("text", "json"), default="text")
    sv.set_defaults(run=_run_serving, names=names)


def add_utilities(sub: Any, chosen: str | None = None) -> None:
    """Add the notebook, check-record, evidence and serving subcommands to ``sub``
    (``chosen``: the subcommand on the command line, whose options are needed)."""
    nb = sub.add_parser("notebook", help="write a trade-off's playbook as a Jupyter notebook")
    nb.add_argument("slug", choices=SLUGS, metavar="SLUG", help=f"one of: {', '.join(SLUGS)}")
    nb.add_argument("-o", "--output", help="file to write (default: <module>.ipynb here)")
    nb.add_argument("--force", action="store_true", help="overwrite an existing file")
    nb.set_defaults(run=_run_notebook, names={"output": "--output"})

    chk = sub.add_parser(
        "check-record",
        help="say whether the claims a saved decision record "
        "cites have changed since (exit 1 if any has)",
    )
    chk.add_argument("file", metavar="FILE", help="a record saved from --format md or json")
    chk.set_defaults(run=_run_check_record, names={"file": "FILE"})

    ev = sub.add_parser("evidence", help="list the registry's claims with their verdicts")
    groups = (*SLUGS, *SHARED_GROUPS)
    ev.add_argument(
        "--tradeoff",
        choices=groups,
        metavar="SLUG",
        help=f"only one trade-off (or a shared group): {', '.join(groups)}",
    )
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.set_defaults(run=_run_evidence, names={})
    _add_serving(sub, chosen)


RETIRED_OPTIONS = {
    "--serving": (
        "--serving (a benchmarked config) was replaced by the serving-capacity model: give "
        "--model, --gpu and --precision (see `tradeoffs serving --help`), or "
        "--replica-tokens-per-second and --gpus-per-replica to set the throughput by hand"
    ),
}
"""Options that existed once, with what replaces them: an old command line gets a pointer,
not argparse's bare "unrecognized arguments"."""


def retired_option(arguments: Sequence[str]) -> str | None:
    """The message for the first retired option in ``arguments``, if any."""
    for token in arguments:
        option = token.split("=", 1)[0]
        if option in RETIRED_OPTIONS:
            return f"{RETIRED_OPTIONS[option]}; got {token!r}."
    return None
