"""Benchmarks (measured, not asserted): clean site build and each playbook's run time.

Run with `make benchmark`. Budgets from the developers' guide: each playbook <= 15 s, a clean
site build <= 60 s on a 2-core machine. Prints a table; writes nothing into the repository.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbclient

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCHMARK_RUNS", "3"))


def time_build() -> list[float]:
    times = []
    for _ in range(RUNS):
        out = Path(tempfile.mkdtemp())
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        times.append(time.perf_counter() - started)
        sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("index.html")}
        shutil.rmtree(out)
    print("page HTML sizes (bytes):")
    for page, size in sorted(sizes.items()):
        print(f"  {page:<32} {size:>8,}")
    return times


def time_playbook(path: Path) -> list[float]:
    times = []
    for _ in range(RUNS):
        nb = jupytext.read(path)
        started = time.perf_counter()
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    print(f"{os.cpu_count()} CPUs, {RUNS} runs each, median (min-max) in seconds")
    rows = [("clean site build (budget 60 s)", time_build())]
    for path in sorted(p for p in (ROOT / "playbooks").glob("*.py") if p.name != "conftest.py"):
        rows.append((f"playbook {path.stem} (budget 15 s)", time_playbook(path)))
    for name, t in rows:
        print(f"  {name:<44} {statistics.median(t):6.2f}  ({min(t):.2f}-{max(t):.2f})")


if __name__ == "__main__":
    main()
