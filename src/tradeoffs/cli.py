"""The ``tradeoffs`` command: decision records, notebooks and the evidence registry.

Thin by design: one loop over :data:`~tradeoffs._catalog.TRADEOFFS` makes a subcommand per
trade-off, and each subcommand's options, help, defaults and checks come from that trade-off's
declared :class:`~tradeoffs._spec.Spec`. Only the chosen trade-off's module is imported, so
``tradeoffs --help`` loads no model and no heavy library. Every user error ends the same way:
one line on stderr naming the option, the valid range and the value received, and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from tradeoffs import __version__
from tradeoffs._catalog import SLUGS, TRADEOFFS, TradeOff
from tradeoffs._errors import InvalidParameterError

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
"""Where `make serve` publishes the handbook; pass --site-url (or set TRADEOFFS_SITE_URL)
for permalinks to a published copy."""

EXIT_USAGE = 2


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps help text at spaces only, so that a claim id (``assume-staff``) stays whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, in the same form as the library's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _fail(prog: str, message: str) -> NoReturn:
    sys.stderr.write(f"{prog}: error: {message}\n")
    raise SystemExit(EXIT_USAGE)


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "json", "md"),
        default="text",
        help="text: a readable table; json: stable keys for machines; "
        "md: a decision record for a design review (default: text)",
    )
    p.add_argument(
        "--site-url",
        default=os.environ.get("TRADEOFFS_SITE_URL", DEFAULT_SITE_URL),
        help="base URL of the handbook for permalinks in --format md "
        "(default: $TRADEOFFS_SITE_URL or %(default)s)",
    )


def _add_tradeoff_options(p: argparse.ArgumentParser, spec: Any) -> dict[str, str]:
    """One option per declared input and per command-line hook; returns name -> option."""
    names = {}
    for param in (p for p in spec.params if p.on_cli):
        p.add_argument(
            param.flag,
            dest=param.name,
            metavar=param.metavar,
            action="append" if param.repeat else "store",
            help=param.help_text().replace("%", "%%"),
        )
        names[param.name] = param.flag
    for hook in spec.hooks:
        extra: dict[str, Any] = {"action": "store_true"} if hook.flag else {"metavar": hook.metavar}
        p.add_argument(hook.option, dest=hook.name, help=hook.help, **extra)
        names[hook.name] = hook.option
    _add_format(p)
    return names


def _run_tradeoff(tradeoff: TradeOff, args: argparse.Namespace) -> str:
    """Inputs from the options, the hooks' inputs, then scenario, decision and record."""
    module = tradeoff.load()
    spec = module.SPEC
    given = {p.name: getattr(args, p.name) for p in spec.params if p.on_cli}
    given = {name: raw for name, raw in given.items() if raw is not None}
    for hook in spec.hooks:
        raw = getattr(args, hook.name)
        if raw not in (None, False):
            hook.apply(raw, given)
    scenario = module.scenario(**given)
    if spec.progress:
        sys.stderr.write(spec.progress + "\n")
    return _render(module.record(module.decide(scenario)), args)


def _with_option_names(message: str, names: Mapping[str, str]) -> str:
    """The library names inputs (``p95_ms``); a command-line user knows them as options.

    A one-word name is replaced only where it opens the message, so that "labels" in prose
    stays a word."""
    for name, option in sorted(names.items(), key=lambda item: -len(item[0])):
        if "_" in name:
            message = re.sub(rf"(?<![\w-]){re.escape(name)}\b", option, message)
        elif message.startswith(name):
            message = re.sub(rf"^{re.escape(name)}\b", option, message)
    return message


def _render(record: Any, args: argparse.Namespace) -> str:
    from tradeoffs._record import to_json, to_markdown, to_text

    if args.format == "json":
        return to_json(record)
    if args.format == "md":
        return to_markdown(record, args.site_url)
    return to_text(record)


def _run_check_record(args: argparse.Namespace) -> str:
    from tradeoffs._record import check_record, registry_snapshot

    path = Path(args.file)
    if not path.is_file():
        raise InvalidParameterError(f"file must be a readable decision record; got '{path}'.")
    try:
        data, checks = check_record(path.read_text(encoding="utf-8"))
    except (ValueError, json.JSONDecodeError) as exc:
        raise InvalidParameterError(
            f"file must be a decision record: {exc}; got '{path}'."
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
    args.exit_code = 1 if changed else 0
    return "\n".join(lines)


def _run_notebook(args: argparse.Namespace) -> str:
    from tradeoffs._notebook import write_notebook

    path = write_notebook(args.slug, Path(args.output) if args.output else None, force=args.force)
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


def _add_utilities(sub: Any) -> None:
    nb = sub.add_parser("notebook", help="write a trade-off's playbook as a Jupyter notebook")
    nb.add_argument("slug", choices=SLUGS, metavar="SLUG", help=f"one of: {', '.join(SLUGS)}")
    nb.add_argument("-o", "--output", help="file to write (default: <module>.ipynb here)")
    nb.add_argument("--force", action="store_true", help="overwrite an existing file")
    nb.set_defaults(run=_run_notebook, names={})

    chk = sub.add_parser(
        "check-record",
        help="say whether the claims a saved decision record "
        "cites have changed since (exit 1 if any has)",
    )
    chk.add_argument("file", metavar="FILE", help="a record saved from --format md or json")
    chk.set_defaults(run=_run_check_record, names={"file": "FILE"})

    ev = sub.add_parser("evidence", help="list the registry's claims with their verdicts")
    ev.add_argument(
        "--tradeoff", choices=SLUGS, metavar="SLUG", help=f"only one trade-off: {', '.join(SLUGS)}"
    )
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.set_defaults(run=_run_evidence, names={})


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the trade-off named in ``argv`` gets its options (and its import)."""
    parser = _Parser(
        prog="tradeoffs",
        description="Turn your own numbers into a production-AI decision, with sourced defaults.",
    )
    parser.add_argument("--version", action="version", version=f"tradeoffs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for tradeoff in TRADEOFFS:
        p = sub.add_parser(tradeoff.slug, help=tradeoff.summary, description=tradeoff.summary)
        names = _add_tradeoff_options(p, tradeoff.spec()) if tradeoff.slug == chosen else {}
        p.set_defaults(run=partial(_run_tradeoff, tradeoff), names=names)
    _add_utilities(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
    try:
        output = args.run(args)
    except InvalidParameterError as exc:
        _fail(f"{parser.prog} {args.command}", _with_option_names(str(exc), args.names))
    except FileExistsError as exc:
        _fail(f"{parser.prog} {args.command}", str(exc))
    print(output)
    return int(getattr(args, "exit_code", 0))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
