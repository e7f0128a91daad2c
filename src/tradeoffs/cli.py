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
import os
import re
import sys
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, NoReturn

from tradeoffs import __version__
from tradeoffs._catalog import TRADEOFFS, TradeOff
from tradeoffs._errors import InvalidParameterError
from tradeoffs._spec import add_options
from tradeoffs._utilities import add_utilities, retired_option

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
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")  # a value may hold newlines
    sys.stderr.write(f"{prog}: error: {one_line}\n")
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
    names = add_options(p, spec.params)
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
            if hook.progress:
                sys.stderr.write(hook.progress + "\n")
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


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the trade-off named in ``argv`` gets its options (and its import)."""
    parser = _Parser(
        prog="tradeoffs",
        description="Turn your own numbers into a production-AI decision, with sourced defaults.",
    )
    parser.add_argument("--version", action="version", version=f"tradeoffs {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for tradeoff in TRADEOFFS:
        p = sub.add_parser(tradeoff.slug, help=tradeoff.summary, description=tradeoff.summary)
        names = _add_tradeoff_options(p, tradeoff.spec()) if tradeoff.slug == chosen else {}
        p.set_defaults(run=partial(_run_tradeoff, tradeoff), names=names)
    add_utilities(sub, chosen)
    return parser


def _internal_error(prog: str, exc: Exception) -> int:
    sys.stderr.write(
        f"{prog}: internal error ({type(exc).__name__}): this is a bug in tradeoffs "
        f"{__version__}; please report it with the command you ran (add --debug for "
        "the traceback).\n"
    )
    return 1


def _numbers_as_values(arguments: list[str]) -> list[str]:
    """``--x -1e-9`` as ``--x=-1e-9``: argparse takes a dash-led token that is not a plain
    integer or decimal for an option, and would refuse the number with a puzzling message."""
    joined: list[str] = []
    for token in arguments:
        previous = joined[-1] if joined else ""
        if (
            token.startswith("-")
            and _NUMBER.match(token)
            and previous.startswith("--")
            and "=" not in previous
        ):
            joined[-1] = f"{previous}={token}"
        else:
            joined.append(token)
    return joined


_NUMBER = re.compile(r"^-(\d|\.\d|inf|nan|infinity)", re.IGNORECASE)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _numbers_as_values(list(sys.argv[1:] if argv is None else argv))
    debug = "--debug" in arguments
    arguments = [a for a in arguments if a != "--debug"]
    try:
        parser = build_parser(arguments)
    except Exception as exc:  # a module that cannot load: a bug, reported in one line
        if debug:
            raise
        return _internal_error("tradeoffs", exc)
    retired = retired_option(arguments)
    if retired:
        _fail(f"tradeoffs {arguments[0]}", retired)
    args = parser.parse_args(arguments)
    prog = f"{parser.prog} {args.command}"
    try:
        _check_site_url(args, arguments)
        output = args.run(args)
    except InvalidParameterError as exc:
        _fail(prog, _with_option_names(str(exc), args.names))
    except FileExistsError as exc:
        _fail(prog, str(exc))
    except Exception as exc:  # a bug: one line, the traceback only on request
        if debug:
            raise
        return _internal_error(prog, exc)
    try:
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `tradeoffs evidence | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return int(getattr(args, "exit_code", 0))


_SITE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%-]*)?$")


def _check_site_url(args: argparse.Namespace, arguments: Sequence[str]) -> None:
    """Only a plain http(s) address goes into a Markdown record: a record is pasted into
    tools that render links, so ``javascript:`` or a stray bracket must never get through."""
    url = getattr(args, "site_url", None)
    if url is None or _SITE_URL.match(url):
        return
    typed = any(a == "--site-url" or a.startswith("--site-url=") for a in arguments)
    source = "--site-url" if typed else "TRADEOFFS_SITE_URL"
    raise InvalidParameterError(
        f"{source} must be an http:// or https:// address such as {DEFAULT_SITE_URL} "
        f"(letters, digits and . - _ ~ / % only); got {url!r}."
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
