"""Run the ``tradeoffs`` command in-process (fast) or as a real subprocess (a few tests)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tradeoffs import cli


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path | None = None) -> Run:
    """``tradeoffs ARGS`` through ``cli.main()``: exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(previous)
    return Run(code, out.getvalue(), err.getvalue())


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m tradeoffs.cli ARGS`` as a separate process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "tradeoffs.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
