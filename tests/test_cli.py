"""The `tradeoffs` command as a user runs it, in-process through ``cli.main()`` (exit codes,
stdout and stderr as a shell sees them); a few tests start a real process.

Every declared option's bad values are generated in tests/test_spec.py; the cases here are
the cross-field checks, the files and the special options.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests._cli import run, run_process


def test_json_has_the_documented_keys() -> None:
    result = run(
        "build-vs-buy",
        "--api-model",
        "gpt-4o-mini",
        "--daily-requests",
        "1000000",
        "--replica-tokens-per-second",
        "3400.4",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["api_monthly_usd"] == 5931.25
    assert data["gpus"] == 3
    assert data["recommendation"] == "api"
    assert data["rule"] == "BVB-1"
    assert isinstance(data["break_even_daily_requests"], int)
    assert 0 < data["self_host_hardware_share"] < 1
    assert data["self_host_monthly_usd"] > data["api_monthly_usd"]
    assert data["claims"]["B3"] == "not-found"
    assert len(data["registry_snapshot"]) == 12


def test_json_break_even_is_null_when_none() -> None:
    result = run(
        "build-vs-buy", "--api-input-price", "0", "--api-output-price", "0", "--format", "json"
    )
    assert json.loads(result.stdout)["break_even_daily_requests"] is None


def test_self_host_recommendation_when_the_api_is_dear() -> None:
    result = run(
        "build-vs-buy", "--daily-requests", "5000000", "--api-model", "gpt-4o", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["recommendation"] == "self-host"
    assert data["rule"] == "BVB-2"
    assert data["inputs"]["api_model"] == "gpt-4o"


def test_markdown_record_for_a_design_review() -> None:
    result = run(
        "build-vs-buy",
        "--api-model",
        "gpt-4o-mini",
        "--daily-requests",
        "2000000",
        "--format",
        "md",
        "--site-url",
        "https://handbook.example/",
    )
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert md.startswith("## Decision record: Build vs buy")
    assert "[BVB-1](https://handbook.example/build-vs-buy/#bvb-1)" in md
    assert "| Daily requests | 2,000,000 | given |" in md
    assert "[B7](https://handbook.example/evidence/#B7) | Confirmed via copy" in md
    assert "2027-01-14" in md
    assert "evidence registry snapshot" in md


def test_text_is_a_readable_table() -> None:
    result = run("build-vs-buy", "--api-model", "gpt-4o-mini")
    assert result.returncode == 0
    assert "API, monthly" in result.stdout and "$5,931.25" in result.stdout
    assert "Recommendation: api (BVB-1" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--daily-requests", "0"],
            "--daily-requests must be a number in [1, 1,000,000,000,000]; got '0'.",
        ),
        (
            ["--daily-requests", "nan"],
            "--daily-requests must be a finite number in [1, 1,000,000,000,000]; got 'nan'.",
        ),
        (["--output-tokens", "0"], "--output-tokens must be a whole number in [1, 1,000,000]"),
        (["--utilisation", "2"], "--utilisation must be a number in [0.01, 1]; got '2'."),
        (["--api-model", "gpt-nope"], "--api-model must be a model id known to genai-prices"),
        (["--gpu-provider", "moon"], "--gpu-provider must be one of lambda, runpod, aws, azure"),
        (["--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], expected: str) -> None:
    result = run_process("build-vs-buy", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_notebook_command_writes_a_runnable_notebook(tmp_path: Path) -> None:
    result = run("notebook", "build-vs-buy", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "build_vs_buy.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "jupytext" not in nb.metadata  # JupyterLab's Jupytext extension would try to pair it
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "daily_requests = 1_000_000" in tagged[0].source
    again = run("notebook", "build-vs-buy", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr


def test_notebook_command_rejects_an_unknown_slug() -> None:
    result = run("notebook", "build-vs-rent")
    assert result.returncode == 2
    assert "invalid choice: 'build-vs-rent'" in result.stderr


def test_evidence_command_lists_verdicts() -> None:
    result = run("evidence", "--tradeoff", "build-vs-buy")
    assert result.returncode == 0
    assert "B3" in result.stdout and "not-found" in result.stdout
    data = json.loads(run("evidence", "--format", "json").stdout)
    assert {c["id"] for c in data} >= {"B1", "G5"}


def test_batch_vs_realtime_json_has_the_documented_keys() -> None:
    result = run("batch-vs-realtime", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["replicas"], data["replicas_provisioned"]) == (3, 4)
    assert data["utilization"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["p95_response_ms"] <= 150 and data["min_p95_ms"] == pytest.approx(76.96, abs=0.01)
    assert data["realtime_monthly_usd"] == 4 * 2.79 * 730
    assert data["batch_monthly_usd"] == pytest.approx(
        data["batch_compute_monthly_usd"]
        + data["batch_storage_monthly_usd"]
        + data["batch_lookup_monthly_usd"],
        abs=0.011,
    )
    assert data["batch_interval_hours"] == 24 and data["batch_staleness_minutes"] <= 1800
    assert data["recommendation"] == "batch"
    assert data["claims"]["E1"] == "confirmed"


def test_batch_vs_realtime_with_an_api_and_impatient_users() -> None:
    result = run(
        "batch-vs-realtime",
        "--max-staleness-minutes",
        "5",
        "--api-model",
        "gpt-4o-mini",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert data["recommendation"] == "real-time" and data["rule"] == "BVR-2"
    assert data["api_batch_monthly_usd"] == data["api_realtime_monthly_usd"] / 2
    assert data["claims"]["batch-discount-openai"] == "confirmed"


def test_batch_vs_realtime_markdown_record() -> None:
    md = run("batch-vs-realtime", "--format", "md").stdout
    assert "[BVR-1](http://127.0.0.1:8000/batch-vs-realtime/#bvr-1)" in md
    assert "| Real-time replicas for the p95 | 3 |" in md
    cadence = "| Time between batch runs (hours) | 24 | the longest cadence within the tolerance |"
    assert cadence in md


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--p95-ms", "50"], "--p95-ms must be above 76.96 ms, the p95 of the service time"),
        (["--batch-interval-hours", "0.05"], "--batch-interval-hours must be at least the run's"),
        (["--input-tokens", "10"], "--api-model must be given with --input-tokens"),
        (["--api-model", "nope-1"], "--api-model must be a model id known to genai-prices"),
    ],
)
def test_batch_vs_realtime_bad_input_exits_2(args: list[str], expected: str) -> None:
    result = run("batch-vs-realtime", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_prompt_vs_finetune_json_has_the_documented_keys() -> None:
    result = run(
        "prompt-vs-finetune",
        "--base-model",
        "gpt-4o-mini",
        "--as-of",
        "2026-01-01",
        "--months",
        "1",
        "--success-rate",
        "prompting=0.8",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = [o["name"] for o in data["options"]]
    assert names == ["prompting", "rag", "fine-tune-hosted", "fine-tune-open", "hybrid"]
    for option in data["options"]:
        assert {
            "name",
            "upfront_usd",
            "monthly_usd",
            "total_usd",
            "cost_per_success_usd",
            "model",
            "model_retires",
            "migration_usd",
        } <= set(option)
    prompting = data["options"][0]
    assert prompting["monthly_usd"] == 570.0 and prompting["cost_per_success_usd"] > 0
    assert data["options"][1]["cost_per_success_usd"] is None
    assert data["cheapest"] in names
    assert isinstance(data["break_even_monthly_requests"], int)


def test_prompt_vs_finetune_flags_the_closing_platform() -> None:
    result = run(
        "prompt-vs-finetune",
        "--base-model",
        "gpt-4o-mini",
        "--as-of",
        "2026-11-22",
        "--format",
        "md",
    )
    assert result.returncode == 0, result.stderr
    assert "2027-01-06" in result.stdout and "2027-01-14" in result.stdout
    assert "moves to gpt-5.4-mini" in result.stdout
    assert "NOT AVAILABLE" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--months", "1.5"], "--months must be a whole number in [1, "),
        (["--success-rate", "rag"], "--success-rate must look like NAME=RATE"),
        (["--success-rate", "rag=2"], "--success-rate[rag] must be a number in (0, 1]"),
        (["--as-of", "tomorrow"], "--as-of must be a date as YYYY-MM-DD; got 'tomorrow'."),
        (["--base-model", "nope-9"], "--base-model must be a model id known to genai-prices"),
    ],
)
def test_prompt_vs_finetune_bad_input_exits_2(args: list[str], expected: str) -> None:
    result = run("prompt-vs-finetune", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_data_quality_json_has_the_documented_keys() -> None:
    result = run(
        "data-quality",
        "--noise-rate",
        "0.4",
        "--new-label-usd",
        "1",
        "--review-label-usd",
        "1",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["recommendation"] == "clean"
    assert len(data["plans"]) == 11
    for plan in data["plans"]:
        assert {
            "name",
            "new_labels",
            "reviewed_labels",
            "expected_accuracy",
            "accuracy_low",
            "accuracy_high",
        } <= set(plan)
        assert plan["accuracy_low"] <= plan["expected_accuracy"] <= plan["accuracy_high"]
    assert data["plans"][0]["reviewed_labels"] == 0 and data["plans"][0]["new_labels"] == 500
    assert "reference learning curves" in result.stderr  # progress goes to stderr, not stdout


def test_data_quality_estimates_noise_from_a_csv(tmp_path: Path) -> None:
    from sklearn.model_selection import cross_val_predict

    from tradeoffs import _noise as noise

    data = noise.digits(0)
    noisy = noise.inject_uniform(data.y_train, 0.3, 10, seed=2)
    probs = cross_val_predict(noise.model(), data.x_train, noisy, cv=3, method="predict_proba")
    csv = tmp_path / "labels.csv"
    lines = ["label," + ",".join(f"p{k}" for k in range(10))]
    lines += [
        f"{y}," + ",".join(f"{p:.6f}" for p in row) for y, row in zip(noisy, probs, strict=True)
    ]
    csv.write_text("\n".join(lines))
    data_json = json.loads(
        run("data-quality", "--estimate-from", str(csv), "--format", "json").stdout
    )
    assert data_json["inputs"]["labels"] == len(noisy)
    assert abs(data_json["inputs"]["noise_rate"] - 0.3) < 0.05


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--noise-rate", "1"], "--noise-rate must be a number in [0, 1); got '1'."),
        (["--estimate-from", "/no/such.csv"], "--estimate-from must be a readable CSV file"),
        (
            ["--estimate-from", "x.csv", "--noise-rate", "0.1"],
            "--noise-rate must not be given with --estimate-from",
        ),
    ],
)
def test_data_quality_bad_input_exits_2(args: list[str], expected: str) -> None:
    result = run("data-quality", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_complexity_json_has_the_documented_keys() -> None:
    result = run(
        "complexity",
        "--accuracy-gain-points",
        "2",
        "--value-per-point-usd",
        "0.01",
        "--decisions-per-month",
        "100000",
        "--extra-maintenance-hours-per-month",
        "10",
        "--engineer-hourly-usd",
        "100",
        "--extra-compute-monthly-usd",
        "300",
        "--extra-incidents-per-year",
        "1",
        "--incident-cost-usd",
        "4000",
        "--build-hours",
        "40",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["net_annual_usd"] == 4400
    assert data["break_even_value_per_point_usd"] == pytest.approx(19600 / 2_400_000, abs=1e-6)
    assert data["recommendation"] == "complex"


def test_complexity_measure_prints_the_ledger() -> None:
    result = run("complexity", "--measure")
    assert result.returncode == 0, result.stderr
    assert "Logistic regression" in result.stdout and "Gradient-boosted trees" in result.stdout
    assert "churn: bootstrap" in result.stdout
    assert "Accuracy gain, complex minus simple" in result.stdout
    data = json.loads(run("complexity", "--measure", "--format", "json").stdout)
    assert len(data["ledger"]) == 2 and "churn_reseed" in data["ledger"][0]
    assert data["accuracy_gain_ci_low"] < data["accuracy_gain_ci_high"]
    assert data["accuracy_gain_ci_low"] <= 0 <= data["accuracy_gain_ci_high"]
    assert data["recommendation"] == "simple" and data["measurable_gain"] is False
    churn = data["comparison"]["churn"]["bootstrap"]
    assert churn["complex"]["low"] <= churn["complex"]["mean"] <= churn["complex"]["high"]
    assert {"simple", "complex", "difference"} == set(churn)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--accuracy-gain-points", "x"], "--accuracy-gain-points must be a number in [-100"),
        (["--engineer-hourly-usd", "inf"], "--engineer-hourly-usd must be a finite number in"),
    ],
)
def test_complexity_bad_input_exits_2(args: list[str], expected: str) -> None:
    result = run("complexity", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_human_oversight_json_has_the_documented_keys(tmp_path: Path) -> None:
    rng = __import__("numpy").random.default_rng(0)
    conf = rng.uniform(0.5, 1.0, size=3000)
    right = rng.uniform(size=3000) < conf
    path = tmp_path / "scores.csv"
    path.write_text(
        "confidence,correct\n"
        + "\n".join(f"{c:.6f},{int(r)}" for c, r in zip(conf, right, strict=True))
    )
    result = run(
        "human-oversight", "--scores", str(path), "--target-error", "0.05", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in (
        "threshold",
        "automation_rate",
        "automated_error_upper_bound",
        "expected_cost_per_item_usd",
        "review_hours_per_day",
    ):
        assert key in data
    assert 0 < data["automation_rate"] < 1
    assert data["automated_error_upper_bound"] <= 0.05
    assert data["recommendation"] == "selective review"


def test_human_oversight_demo_without_scores() -> None:
    result = run("human-oversight", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "[HITL-2](http://127.0.0.1:8000/human-oversight/#hitl-2)" in result.stdout
    assert "exchangeable" in result.stdout


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (
            "confidence,correct\n0.9,1\nx,0\n",
            [],
            "--scores row 3, column 'confidence': must be a number in [0, 1]; got 'x'.",
        ),
        ("score,correct\n0.9,1\n", [], "--scores must have columns 'confidence' and 'correct'"),
        ("confidence,correct\n0.9,2\n", [], "--scores row 2, column 'correct'"),
        (
            "confidence,correct\n0.9,1\n",
            ["--delta", "0"],
            "--delta must be a number in [0.000001, 1)",
        ),
    ],
)
def test_human_oversight_bad_input_exits_2(
    tmp_path: Path, content: str, args: list[str], expected: str
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(content)
    result = run("human-oversight", "--scores", str(path), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_check_record_reports_changed_and_removed_claims(tmp_path: Path) -> None:
    record = run("build-vs-buy", "--api-model", "gpt-4o-mini", "--format", "md").stdout
    path = tmp_path / "record.md"
    path.write_text(record)
    fresh = run("check-record", str(path))
    assert fresh.returncode == 0, fresh.stderr
    assert "No cited claim has changed" in fresh.stdout
    tampered = record.replace('"B7": "', '"B7": "0', 1).replace('"B2": ', '"Z9": ', 1)
    path.write_text(tampered)
    stale = run("check-record", str(path))
    assert stale.returncode == 1
    assert "B7" in stale.stdout and "changed" in stale.stdout
    assert "Z9" in stale.stdout and "removed" in stale.stdout
    json_record = tmp_path / "record.json"
    json_record.write_text(run("complexity", "--format", "json").stdout)
    assert run("check-record", str(json_record)).returncode == 0


def test_check_record_rejects_a_file_that_is_not_a_record(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# just notes\n")
    result = run("check-record", str(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "must be a decision record" in result.stderr


@pytest.mark.parametrize(
    ("slug", "row"),
    [
        ("human-oversight", "| Target automated error | 1.00% | [assume-oversight]("),
        ("data-quality", "| Budget | $500.00 | [assume-labels]("),
        ("build-vs-buy", "| Peak-to-mean traffic | 2 | [assume-capacity]("),
        ("batch-vs-realtime", "| p95 response-time target (ms) | 150 | [assume-realtime]("),
    ],
)
def test_records_cite_the_claim_of_a_default_the_reader_never_gave(slug: str, row: str) -> None:
    md = run(slug, "--format", "md").stdout
    assert row in md
    assert "| given |" not in md


def test_a_given_input_says_given_and_keeps_no_claim() -> None:
    md = run("human-oversight", "--target-error", "0.02", "--format", "md").stdout
    assert "| Target automated error | 2.00% | given |" in md


def test_the_command_runs_as_a_process_and_lists_every_tradeoff() -> None:
    result = run_process("--help")
    assert result.returncode == 0, result.stderr
    for slug in ("build-vs-buy", "human-oversight", "notebook", "check-record", "evidence"):
        assert slug in result.stdout
