"""The playbook's parameters cell: sourced defaults, and papermill can change them."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import nbformat
import papermill

from tradeoffs import build_vs_buy as bvb
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


def test_parameters_equal_the_registry_defaults() -> None:
    """A literal default in the notebook must not drift from the registry it claims to use."""
    params = parameters_cell("build-vs-buy")
    defaults = bvb.scenario()
    for name, given in params.items():
        if given is None:
            continue
        expected = getattr(defaults, name)
        if isinstance(expected, Decimal):
            assert Decimal(str(given)) == expected, name
        else:
            assert given == expected, name
    assert set(params) >= {
        "daily_requests",
        "input_tokens",
        "output_tokens",
        "api_model",
        "gpu_provider",
        "staff_fte",
    }


def test_papermill_runs_the_notebook_with_a_changed_parameter(tmp_path: Path) -> None:
    source = tmp_path / "in.ipynb"
    nbformat.write(notebook("build-vs-buy"), source)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(source),
        str(out),
        kernel_name="python3",
        parameters={"daily_requests": 200_000_000},
        progress_bar=False,
        cwd=str(tmp_path),
    )
    result = nbformat.read(out, as_version=4)
    decision = result.cells[-1].outputs[0]["data"]["text/markdown"]
    assert "200,000,000 requests a day" in decision
    assert "Self-host" in decision and "BVB-2" in decision
