"""Recorded timings, so that two builds of the site produce the same pages.

Timing a model is the point of two playbooks ("measure, don't assume"), and timings differ
on every run. A reader running a notebook always measures live. The site build sets
``TRADEOFFS_TIMINGS=recorded``: the timing functions then return the measurements recorded
in ``data/recorded_timings.json`` by ``make record-timings``, which says where and when they
were taken, and the pages say so. Nothing else is recorded: accuracy, churn and every other
result is computed on each build.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any

ENV = "TRADEOFFS_TIMINGS"


def active() -> bool:
    return os.environ.get(ENV) == "recorded"


@cache
def load() -> dict[str, Any]:
    text = (resources.files("tradeoffs") / "data" / "recorded_timings.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def provenance() -> str:
    """Where the timings shown come from, in one phrase for a table caption."""
    if not active():
        return "measured now, on this machine"
    data = load()
    return (
        f"recorded on {data['recorded_on']} on {data['machine']} (run the notebook to time yours)"
    )
