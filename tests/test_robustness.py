"""The clean-refusal promise beyond single options: files written, files read, records checked,
URLs placed in Markdown, and the last line of defence for a bug."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests._cli import run
from tradeoffs import InvalidParameterError, _notebook, cli
from tradeoffs._catalog import TRADEOFFS, TradeOff
from tradeoffs._record import md


def one_line_refusal(result: object, starts: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, lines
    assert lines[0].startswith(starts), lines[0]
    return str(lines[0])


# --- notebook --output ---------------------------------------------------------------------------


def test_a_failed_overwrite_leaves_the_previous_notebook_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bvb.ipynb"
    assert run("notebook", "build-vs-buy", "-o", str(target)).returncode == 0
    before = target.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_notebook.os, "fsync", full_disk)
    result = run("notebook", "build-vs-buy", "-o", str(target), "--force")
    line = one_line_refusal(result, "tradeoffs notebook: error: --output could not be written")
    assert "No space left on device" in line
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["bvb.ipynb"], "a temporary file was left"


@pytest.mark.parametrize(
    ("output", "says"),
    [
        ("", "must be a file name ending in .ipynb; got ''"),
        ("notes.md", "ending in .ipynb (the notebook format); got 'notes.md'"),
        ("play.py", "ending in .ipynb"),
        ("missing/x.ipynb", "must be in an existing folder"),
        ("folder.ipynb", "must be a file, not a folder"),
        ("link.ipynb", "must not be a symbolic link"),
    ],
)
def test_bad_notebook_outputs_are_refused(tmp_path: Path, output: str, says: str) -> None:
    (tmp_path / "folder.ipynb").mkdir()
    (tmp_path / "elsewhere.ipynb").write_text("keep me")
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")
    result = run("notebook", "build-vs-buy", "-o", output, "--force", cwd=tmp_path)
    assert says in one_line_refusal(result, "tradeoffs notebook: error: --output")
    assert (tmp_path / "elsewhere.ipynb").read_text() == "keep me"


def test_a_new_notebook_gets_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "x.ipynb"
    assert run("notebook", "complexity", "-o", str(target)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert json.loads(target.read_text())["nbformat"] == 4


# --- Markdown records ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://x.org/<script>",
        "https://x.org/)](javascript:alert(1))",
        "http://x.org/\nInjected",
        "ftp://x.org",
        "",
    ],
)
def test_site_url_must_be_a_plain_http_address(url: str) -> None:
    result = run("build-vs-buy", "--format", "md", "--site-url", url)
    assert "http:// or https://" in one_line_refusal(
        result, "tradeoffs build-vs-buy: error: --site-url must be"
    )


def test_the_site_url_environment_variable_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEOFFS_SITE_URL", "javascript:alert(1)")
    result = run("build-vs-buy", "--format", "md")
    one_line_refusal(result, "tradeoffs build-vs-buy: error: TRADEOFFS_SITE_URL must be")


def test_markdown_escapes_what_a_reader_typed() -> None:
    assert md("a|b") == "a\\|b"
    assert md("<script>") == "&lt;script&gt;"
    assert md("[x](javascript:y)") == "\\[x\\](javascript:y)"
    assert md("two\nlines") == "two lines"


def test_a_file_name_in_a_record_cannot_break_out_of_its_cell(tmp_path: Path) -> None:
    scores = tmp_path / "a|b <i>.csv"
    scores.write_text("confidence,correct\n0.9,1\n0.8,0\n")
    result = run("human-oversight", "--scores", str(scores), "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "<i>" not in result.stdout and "a\\|b &lt;i&gt;.csv" in result.stdout
    block = result.stdout.split("<!-- tradeoffs-record ", 1)[1]
    assert block.count("-->") == 1


# --- check-record recomputes ---------------------------------------------------------------------


def _saved(tmp_path: Path, *args: str, name: str = "record.md") -> tuple[Path, str]:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    path = tmp_path / name
    path.write_text(result.stdout, encoding="utf-8")
    return path, result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("build-vs-buy", "--daily-requests", "5000", "--gpu-provider", "runpod"),
        ("batch-vs-realtime", "--api-model", "gpt-4o-mini"),
        ("prompt-vs-finetune", "--success-rate", "rag=0.9", "--as-of", "2026-11-22"),
        ("data-quality", "--new-label-noise", "0.1"),
        ("complexity", "--accuracy-gain-points", "2"),
        ("human-oversight", "--target-error", "0.05"),
    ],
    ids=lambda a: a[0] if isinstance(a, tuple) else a,
)
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_an_untouched_record_recomputes_to_itself(
    tmp_path: Path, args: tuple[str, ...], fmt: str
) -> None:
    path, _ = _saved(tmp_path, *args, "--format", fmt)
    result = run("check-record", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every field matches the record" in result.stdout


def test_a_hand_edited_markdown_record_names_the_changed_fields(tmp_path: Path) -> None:
    path, text = _saved(tmp_path, "build-vs-buy", "--api-model", "gpt-4o-mini", "--format", "md")
    edited = text.replace("| API, monthly | $5,931.25 |", "| API, monthly | $1,000.00 |")
    edited = edited.replace("**Recommendation: api**", "**Recommendation: self-host**")
    edited = edited.replace("| Daily requests | 1,000,000 |", "| Daily requests | 5,000 |")
    assert edited.count("|") == text.count("|")
    path.write_text(edited, encoding="utf-8")
    result = run("check-record", str(path))
    assert result.returncode == 1
    assert "3 field(s) differ" in result.stdout
    for field in ("Result: API, monthly", "Recommendation", "Input: Daily requests"):
        assert f"  {field}: was " in result.stdout


def test_a_hand_edited_json_record_names_the_changed_fields(tmp_path: Path) -> None:
    path, text = _saved(tmp_path, "complexity", "--format", "json", name="r.json")
    data = json.loads(text)
    data["net_annual_usd"] = 1.0
    data["recommendation"] = "keep both"
    data["inputs"]["decisions_per_month"] = 7
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check-record", str(path))
    assert result.returncode == 1
    for field in ("net_annual_usd", "recommendation", "inputs.decisions_per_month"):
        assert f"  {field}: was " in result.stdout


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe{\x00}\x00", "holds binary data"),
        ("caf\xe9".encode("latin-1"), "must be a UTF-8 decision record"),
        (b"[" * 100_000 + b"]" * 100_000, "must be a decision record"),
        (b'{"tradeoff": "build-vs-buy"', "JSON is not valid"),
    ],
)
def test_unreadable_records_are_refused_in_one_line(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(content)
    line = one_line_refusal(run("check-record", str(path)), "tradeoffs check-record: error: ")
    assert says in line


def test_a_record_nested_too_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * 100_000 + "1" + "}" * 100_000)
    line = one_line_refusal(run("check-record", str(path)), "tradeoffs check-record: error: ")
    assert "nested too deeply" in line


def test_a_csv_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffconfidence,correct\n0.9,1\n0.7,0\n0.95,1\n".encode())
    assert run("human-oversight", "--scores", str(path)).returncode == 0


# --- The last line of defence --------------------------------------------------------------------


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from tradeoffs import build_vs_buy

    def broken(s: object) -> object:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(build_vs_buy, "decide", broken)
    result = run("build-vs-buy")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "internal error (ZeroDivisionError)" in line and "--debug" in line
    with pytest.raises(ZeroDivisionError):
        cli.main(["--debug", "build-vs-buy"])


def test_a_negative_number_after_an_option_is_read_as_its_value() -> None:
    result = run("build-vs-buy", "--daily-requests", "-1e-9")
    line = one_line_refusal(result, "tradeoffs build-vs-buy: error: --daily-requests must be")
    assert "got '-1e-9'" in line


def test_numpy_scalars_are_numbers() -> None:
    import numpy as np

    from tradeoffs import build_vs_buy

    s = build_vs_buy.scenario(daily_requests=np.int64(5000), utilisation=np.float64(0.5))
    assert s.daily_requests == 5000 and str(s.utilisation) == "0.5"


def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    import decimal

    from tradeoffs import build_vs_buy

    expected = build_vs_buy.record(build_vs_buy.decide(build_vs_buy.scenario()))
    with decimal.localcontext() as ctx:
        ctx.prec = 4
        ctx.rounding = decimal.ROUND_DOWN
        got = build_vs_buy.record(build_vs_buy.decide(build_vs_buy.scenario()))
    assert got.results == expected.results


WRONG_TYPES = [None, [], {}, object(), b"1", True, complex(1), float("nan"), (1, 2), {"a": 1}]


@pytest.mark.parametrize("tradeoff", TRADEOFFS, ids=[t.slug for t in TRADEOFFS])
def test_library_calls_with_wrong_types_are_refused_in_one_sentence(tradeoff: TradeOff) -> None:
    module = tradeoff.load()
    for p in module.SPEC.params:
        for wrong in WRONG_TYPES:
            try:
                module.record(module.decide(module.scenario(**{p.name: wrong})))
            except InvalidParameterError as exc:
                assert "\n" not in str(exc) and str(exc).endswith("."), str(exc)
    for wrong in [*WRONG_TYPES, "scenario"]:
        for entry_point in (module.decide, module.record):
            with pytest.raises(InvalidParameterError, match=r"takes the \w+ that"):
                entry_point(wrong)


def test_a_cross_field_refusal_names_the_option_the_user_gave() -> None:
    result = run("batch-vs-realtime", "--batch-interval-hours", "0.05")
    line = one_line_refusal(result, "tradeoffs batch-vs-realtime: error: --batch-interval-hours")
    assert "got 0.05" in line


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ("0,0.5,0.2\n1,0.3,0.7\n", "sum to 1 in every row"),
        ("0,nan,0.5\n1,0.3,0.7\n", "probabilities in [0, 1]"),
        ("0,1.5,-0.5\n1,0.3,0.7\n", "probabilities in [0, 1]"),
    ],
)
def test_label_probabilities_are_validated(tmp_path: Path, rows: str, says: str) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("label,p0,p1\n" + rows, encoding="utf-8")
    line = one_line_refusal(
        run("data-quality", "--estimate-from", str(path)), "tradeoffs data-quality: error: "
    )
    assert says in line and "row 1" in line


def test_a_module_that_cannot_load_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from tradeoffs._catalog import TradeOff

    def broken(self: TradeOff) -> object:
        raise NameError("a bug at import")

    monkeypatch.setattr(TradeOff, "load", broken)
    result = run("build-vs-buy")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "internal error (NameError)" in line
