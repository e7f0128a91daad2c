"""The playbook's parameters cell: sourced defaults, and papermill can change them."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import nbformat
import papermill
import pytest

from tradeoffs._catalog import SLUGS, by_slug
from tradeoffs._notebook import notebook


def parameters_cell(slug: str) -> dict[str, object]:
    nb = notebook(slug)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    values: dict[str, object] = {}
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        (target,) = node.targets
        assert isinstance(target, ast.Name)
        values[target.id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("slug", SLUGS)
def test_parameters_equal_the_registry_defaults(slug: str) -> None:
    """A literal default in the notebook must not drift from the registry it claims to use."""
    params = parameters_cell(slug)
    defaults = by_slug(slug).load().scenario()
    checked = 0
    for name, given in params.items():
        if given is None or getattr(defaults, name, None) is None:
            continue
        checked += 1
        expected = getattr(defaults, name)
        if isinstance(expected, Decimal):
            assert Decimal(str(given)) == expected, name
        else:
            assert given == expected, name
    assert checked >= 4, f"only {checked} parameters are checked against the registry"


def run_with(slug: str, parameters: dict[str, object], tmp_path: Path) -> str:
    """Run the playbook through papermill with ``parameters``; return its decision cell."""
    source = tmp_path / "in.ipynb"
    nbformat.write(notebook(slug), source)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(source),
        str(out),
        kernel_name="python3",
        parameters=parameters,
        progress_bar=False,
        cwd=str(tmp_path),
    )
    result = nbformat.read(out, as_version=4)
    return str(result.cells[-1].outputs[0]["data"]["text/markdown"])


def test_papermill_runs_the_notebook_with_a_changed_parameter(tmp_path: Path) -> None:
    decision = run_with(
        "build-vs-buy", {"daily_requests": 200_000_000, "step_overhead_ms": 0}, tmp_path
    )
    assert "200,000,000 requests a day" in decision
    assert "Self-host" in decision and "BVB-2" in decision


def test_papermill_batch_vs_realtime_with_impatient_users(tmp_path: Path) -> None:
    decision = run_with("batch-vs-realtime", {"max_staleness_minutes": 5}, tmp_path)
    assert "Serve in real time" in decision and "BVR-2" in decision


def test_papermill_prompt_vs_finetune_with_success_rates(tmp_path: Path) -> None:
    decision = run_with(
        "prompt-vs-finetune",
        {
            "monthly_requests": 2_000_000,
            "as_of": "2026-11-22",
            "success_rates": {"prompting": 0.2, "rag": 0.25, "fine-tune-open": 0.99},
        },
        tmp_path,
    )
    assert "Fine-tune open weights" in decision and "PVF-4" in decision


def test_papermill_data_quality_with_no_noise(tmp_path: Path) -> None:
    decision = run_with("data-quality", {"noise_rate": 0.0}, tmp_path)
    assert "Collect new labels" in decision and "DQ-1" in decision


def test_papermill_complexity_with_a_valuable_gain(tmp_path: Path) -> None:
    decision = run_with(
        "complexity", {"accuracy_gain_points": 3, "value_per_point_usd": 0.05}, tmp_path
    )
    assert "Adopt the complex model" in decision and "CPX-2" in decision


def test_papermill_human_oversight_with_a_small_team(tmp_path: Path) -> None:
    decision = run_with("human-oversight", {"reviewers": 1}, tmp_path)
    assert "HITL-4" in decision and "would fit the team" in decision


def test_an_unknown_papermill_parameter_is_refused_by_name(tmp_path: Path) -> None:
    source = tmp_path / "in.ipynb"
    nbformat.write(notebook("complexity"), source)
    with pytest.raises(papermill.PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(source),
            str(tmp_path / "out.ipynb"),
            kernel_name="python3",
            parameters={"value_per_pont_usd": 0.5},
            progress_bar=False,
            cwd=str(tmp_path),
        )
    assert "unknown parameter(s) value_per_pont_usd" in str(err.value)


def test_human_oversight_reads_the_readers_scores_file(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    confidence = rng.uniform(0.5, 1.0, 3000)
    correct = rng.uniform(size=3000) < confidence  # calibrated: right as often as it says
    path = tmp_path / "scores.csv"
    path.write_text(
        "confidence,correct\n"
        + "".join(f"{c:.4f},{int(k)}\n" for c, k in zip(confidence, correct, strict=True))
    )
    decision = run_with("human-oversight", {"scores_csv": str(path)}, tmp_path)
    assert "by rule" in decision
