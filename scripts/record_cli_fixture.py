"""Record what the README's examples print as JSON, so a refactor can prove it changed nothing.

Run from the repository root: ``.venv/bin/python scripts/record_cli_fixture.py``. It writes
``tests/fixtures/cli_examples.json``; ``tests/test_cli_fixture.py`` recomputes every example
in-process and compares. Re-record only when a change of output is intended, and say why in
the commit.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SCORES = "tests/fixtures/scores.csv"

EXAMPLES: tuple[tuple[str, ...], ...] = (
    # The README's examples (prompt-vs-finetune pinned to a date: its deadlines depend on it).
    ("build-vs-buy", "--daily-requests", "2000000"),
    ("batch-vs-realtime", "--max-staleness-minutes", "5", "--api-model", "gpt-4o-mini"),
    (
        "prompt-vs-finetune",
        "--monthly-requests",
        "5000000",
        "--success-rate",
        "rag=0.9",
        "--as-of",
        "2026-11-22",
    ),
    ("data-quality", "--labels", "5000", "--noise-rate", "0.3", "--budget-usd", "2000"),
    ("complexity", "--measure"),
    ("human-oversight", "--scores", SCORES, "--target-error", "0.02"),
    # Every trade-off at its defaults.
    ("build-vs-buy",),
    ("batch-vs-realtime",),
    ("prompt-vs-finetune", "--as-of", "2026-11-22"),
    ("data-quality",),
    ("complexity",),
    ("human-oversight",),
)

VOLATILE = {"package_version", "registry_snapshot", "claim_fingerprints"}
"""Keys that change with the package or the registry, not with the model."""
TIMED = {"training_seconds", "latency_ms"}
"""Ledger fields measured with a clock: they differ on every run."""


def normalise(payload: dict[str, object]) -> dict[str, object]:
    """Drop what differs between runs of the same model (versions, clock timings)."""
    out = {k: v for k, v in payload.items() if k not in VOLATILE}
    ledger = out.get("ledger")
    if isinstance(ledger, list):
        out["ledger"] = [{k: v for k, v in e.items() if k not in TIMED} for e in ledger]
    return out


def run(args: tuple[str, ...]) -> dict[str, object]:
    """``tradeoffs ARGS --format json`` in-process, parsed."""
    from tradeoffs.cli import main

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        code = main([*args, "--format", "json"])
    assert code == 0, args
    return normalise(json.loads(stdout.getvalue()))


def write_scores() -> None:
    """A seeded validation set for the human-oversight example (a model right as often as
    it is confident)."""
    import numpy as np

    rng = np.random.default_rng(0)
    conf = rng.uniform(0.5, 1.0, size=2000)
    right = rng.uniform(size=2000) < conf
    lines = ["confidence,correct"] + [f"{c:.6f},{int(r)}" for c, r in zip(conf, right, strict=True)]
    (ROOT / SCORES).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    import os

    os.chdir(ROOT)
    FIXTURES.mkdir(exist_ok=True)
    if not (ROOT / SCORES).exists():
        write_scores()
    recorded = [{"args": list(args), "json": run(args)} for args in EXAMPLES]
    path = FIXTURES / "cli_examples.json"
    path.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(recorded)} examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
