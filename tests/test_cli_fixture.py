"""Valid input behaves as before: the README's examples give the JSON recorded in
``tests/fixtures/cli_examples.json`` (made by ``scripts/record_cli_fixture.py``).

Every documented key keeps its value. Keys may be added (``input_sources``), and ``inputs`` and
``claims`` may grow (a record lists every declared input and cites every default it used), but
nothing recorded may change or go.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from record_cli_fixture import run  # noqa: E402

RECORDED: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "fixtures" / "cli_examples.json").read_text(encoding="utf-8")
)
GROWING = ("inputs", "input_sources", "claims")


@pytest.mark.parametrize("example", RECORDED, ids=[" ".join(e["args"]) for e in RECORDED])
def test_the_readme_examples_give_the_recorded_json(
    example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    before: dict[str, Any] = example["json"]
    after = run(tuple(example["args"]))
    assert set(before) <= set(after), f"top-level keys lost: {set(before) - set(after)}"
    for key, value in before.items():
        if key in GROWING:
            lost = {k: v for k, v in value.items() if after[key].get(k, object()) != v}
            assert not lost, f"{key} changed: {lost} became " + str(
                {k: after[key].get(k) for k in lost}
            )
        else:
            assert after[key] == value, key
