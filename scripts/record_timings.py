"""Record the timings the site build shows (see src/tradeoffs/_recorded.py).

Run with `make record-timings` on the machine whose timings the published site should show,
then commit src/tradeoffs/data/recorded_timings.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

os.environ.pop("TRADEOFFS_TIMINGS", None)  # measure live

from tradeoffs import _latency, _ledger

OUT = Path(__file__).resolve().parents[1] / "src" / "tradeoffs" / "data" / "recorded_timings.json"


def main() -> None:
    model, pool = _latency.demo_model(0)
    batches = _latency.time_batches(model, pool)
    service = _latency.service_times(model, pool)
    simple, complex_ = _ledger.ledger()
    data = {
        "recorded_on": dt.date.today().isoformat(),
        "machine": (
            f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}"
        ),
        "batch_seconds": [[t.batch_size, round(t.seconds_per_batch, 9)] for t in batches],
        "service_seconds": [round(float(x), 9) for x in service],
        "ledger": {
            e.name: {
                "training_seconds": round(e.training_seconds, 6),
                "latency_ms": round(e.latency_ms, 6),
            }
            for e in (simple, complex_)
        },
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
