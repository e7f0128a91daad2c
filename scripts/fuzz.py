"""Fuzz every subcommand by the thousand and count what happens (``make fuzz``).

Runs the generated command lines of ``tests/_fuzz.py`` in-process, each under a time limit,
and prints how many were answered, refused, crashed, hung or printed a non-finite number,
with the first few failures of each kind. Exit status 1 if any case crashed, hung or printed
a non-finite value.

    python scripts/fuzz.py [--examples N] [--seed S] [COMMAND ...]

Files the notebook command writes go to a temporary folder, never the current one.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests._fuzz import (  # noqa: E402
    UTILITIES,
    Outcome,
    command_lines,
    make_files,
    outcome,
    utility_lines,
)
from tradeoffs._catalog import SLUGS  # noqa: E402

BAD = ("traceback", "hang", "non-finite")


def fuzz(
    slug: str, examples: int, random_seed: int, folder: Path
) -> list[tuple[list[str], Outcome]]:
    seen: list[tuple[list[str], Outcome]] = []
    lines = utility_lines(slug) if slug in UTILITIES else command_lines(slug)

    @seed(random_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def case(data: st.DataObject) -> None:
        args = data.draw(lines)
        seen.append((args, outcome(args, cwd=folder)))

    case()
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = (*SLUGS, *UTILITIES)
    parser.add_argument("slugs", nargs="*", choices=[[], *commands], metavar="COMMAND", default=[])
    parser.add_argument("--examples", type=int, default=500, help="cases per trade-off")
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    total: collections.Counter[str] = collections.Counter()
    failing = 0
    folder = Path(tempfile.mkdtemp(prefix="tradeoffs-fuzz-"))
    make_files(folder)
    for slug in args.slugs or commands:
        start = time.perf_counter()
        seen = fuzz(slug, args.examples, args.seed, folder)
        counts = collections.Counter(o.kind for _, o in seen)
        slowest = max(o.seconds for _, o in seen)
        total.update(counts)
        print(
            f"{slug:<20} {len(seen):>5} cases  "
            + "  ".join(f"{k} {counts[k]}" for k in ("ok", "refused", *BAD))
            + f"  slowest {slowest:.1f} s  ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        shown: collections.Counter[str] = collections.Counter()
        for case_args, o in seen:
            if o.kind in BAD and shown[o.kind] < 5:
                shown[o.kind] += 1
                failing += 1
                last = o.detail.strip().splitlines()[-1] if o.detail.strip() else ""
                print(f"    {o.kind}: tradeoffs {' '.join(case_args)}\n      {last[:300]}")
    print("all", sum(total.values()), "cases:", dict(total))
    return 1 if any(total[k] for k in BAD) else 0


if __name__ == "__main__":
    raise SystemExit(main())
