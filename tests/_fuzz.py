"""Command lines a careless user or an attacker could type, generated from the declarations.

Each trade-off's options come from its :class:`~tradeoffs._spec.Spec`: numbers inside the
declared range (its ends, subnormal and huge values included), just outside it, and text that
is not a number at all. Used by ``tests/test_fuzz.py`` (a few dozen cases per trade-off, every
CI run) and ``scripts/fuzz.py`` (thousands, with counts).
"""

from __future__ import annotations

import json
import math
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from tests._cli import run
from tradeoffs._catalog import TRADEOFFS
from tradeoffs._spec import Choice, Interval, Param

NASTY = (
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e-9",
    "1e-400",
    "1e-324",
    "0x10",
    "1_000",
    "1,000",
    "++1",
    "1e",
    "٣",
    "\x00",
    "../../etc/passwd",
    "$(reboot)",
    "1" * 400,
    "9" * 40,
    "0." + "0" * 60 + "1",
)
"""Values that have broken command lines before: non-finite, tiny, huge, not a number."""

CASE_SECONDS = 20
"""A case that runs longer is a hang: the slowest command (data-quality measuring its
reference curves, about 4 s alone) must finish in 20 s on the 2-core machine, even while the
other test worker is busy."""


def _number(value: float | Decimal | int) -> str:
    return format(value, "f") if isinstance(value, Decimal) else repr(value)


def interval_values(c: Interval) -> st.SearchStrategy[str]:
    """Numbers a user could type for an interval: inside (ends included), outside, text."""
    low, high = float(c.low), float(c.high)
    inside: st.SearchStrategy[Any]
    if c.integer:
        inside = st.integers(int(c.low), int(c.high))
    else:
        inside = st.floats(low, high, exclude_min=c.low_open, exclude_max=c.high_open)
    ends = st.sampled_from([c.low, c.high, c.low + Decimal("1e-20"), c.high - Decimal("1e-9")])
    outside = st.floats(allow_nan=True, allow_infinity=True)
    return st.one_of(
        inside.map(_number),
        ends.map(_number),
        outside.map(_number),
        st.sampled_from(NASTY),
        st.text(max_size=12),
    )


def values_for(p: Param) -> st.SearchStrategy[str]:
    if isinstance(p.constraint, Interval):
        return interval_values(p.constraint)
    if isinstance(p.constraint, Choice):
        return st.one_of(st.sampled_from(p.constraint.options), st.sampled_from(NASTY))
    return st.one_of(st.sampled_from(NASTY), st.text(max_size=20))


@st.composite
def command_lines(draw: st.DrawFn, slug: str) -> list[str]:
    """``SLUG --option value ...`` with a few of the trade-off's options, and a format."""
    spec = next(t for t in TRADEOFFS if t.slug == slug).spec()
    params = [p for p in spec.params if p.on_cli]
    chosen = draw(st.lists(st.sampled_from(params), max_size=4, unique_by=lambda p: p.name))
    args = [slug]
    for p in chosen:
        args.append(f"{p.flag}={draw(values_for(p))}")
    args += ["--format", draw(st.sampled_from(["json", "md", "text"]))]
    return args


UTILITIES = ("notebook", "check-record", "evidence")
"""The subcommands that are not trade-offs, fuzzed alongside them."""

PATHS = (
    "",
    ".",
    "..",
    "/",
    "/dev/null",
    "/proc/self/status",
    "x.ipynb",
    "x.md",
    "x",
    "no/such/x.ipynb",
    "\x00.ipynb",
    "a" * 300 + ".ipynb",
    "record.json",
    "record.md",
    "binary.json",
    "deep.json",
)
"""File names a careless user could give (``tests/_fuzz.py`` makes the files it names)."""


@st.composite
def utility_lines(draw: st.DrawFn, command: str) -> list[str]:
    """``notebook``, ``check-record`` or ``evidence`` with arguments good, odd and bad."""
    from tradeoffs._catalog import SLUGS

    slug = draw(st.one_of(st.sampled_from(SLUGS), st.sampled_from(NASTY)))
    path = draw(st.one_of(st.sampled_from(PATHS), st.text(max_size=20)))
    if command == "notebook":
        args = [command, slug, f"--output={path}"]
        return args + (["--force"] if draw(st.booleans()) else [])
    if command == "check-record":
        return [command, path]
    fmt = draw(st.sampled_from(["text", "json", "yaml"]))
    return [command, f"--tradeoff={slug}", f"--format={fmt}"]


def make_files(folder: Any) -> None:
    """The files PATHS names: a real record, a binary file, a record nested too deep."""
    from pathlib import Path

    root = Path(folder)
    (root / "record.json").write_text(run("build-vs-buy", "--format", "json").stdout)
    (root / "record.md").write_text(run("complexity", "--format", "md").stdout)
    (root / "binary.json").write_bytes(bytes(range(256)))
    (root / "deep.json").write_text("[" * 50_000 + "]" * 50_000)


@dataclass(frozen=True)
class Outcome:
    """What one command line did: ``kind`` is ok, refused, traceback, hang or non-finite."""

    kind: str
    detail: str
    seconds: float


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"non-finite JSON value {name}")


def outcome(args: list[str], cwd: Any = None) -> Outcome:
    """Run one command line in-process (in ``cwd``) and classify what it did."""
    start = time.perf_counter()
    try:
        with time_limit(CASE_SECONDS):
            result = run(*args, cwd=cwd)
    except Hang as exc:
        return Outcome("hang", str(exc), time.perf_counter() - start)
    seconds = time.perf_counter() - start
    err_lines = result.stderr.strip().splitlines()
    if result.returncode == 2:
        prefix = f"tradeoffs {args[0]}: error: "
        good = len(err_lines) == 1 and err_lines[0].startswith(prefix) and not result.stdout
        return Outcome("refused" if good else "traceback", result.stderr[-2000:], seconds)
    if result.returncode == 1 and args[0] == "check-record" and not result.stderr:
        return Outcome("ok", "", seconds)  # a record whose claims or fields changed
    if result.returncode != 0:
        return Outcome("traceback", result.stderr[-2000:], seconds)
    if "--format" in args and args[args.index("--format") + 1] == "json":
        try:
            data = json.loads(result.stdout, parse_constant=_refuse_constant)
        except ValueError as exc:
            return Outcome("non-finite", str(exc), seconds)
        bad = [v for v in _numbers(data) if not math.isfinite(v)]
        if bad:
            return Outcome("non-finite", repr(bad[:3]), seconds)
    return Outcome("ok", "", seconds)


def _numbers(data: Any) -> Iterator[float]:
    if isinstance(data, dict):
        for v in data.values():
            yield from _numbers(v)
    elif isinstance(data, list):
        for v in data:
            yield from _numbers(v)
    elif isinstance(data, int | float) and not isinstance(data, bool):
        try:
            yield float(data)
        except OverflowError:  # an integer past any float: a JavaScript reader sees Infinity
            yield math.inf
