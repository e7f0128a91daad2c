"""The ``tradeoffs`` command: decision records, notebooks and the evidence registry.

argparse (standard library) keeps start-up fast; heavy libraries are imported inside the
subcommand that needs them. Every user error ends the same way: one line on stderr naming the
option, the valid range and the value received, and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tradeoffs import __version__
from tradeoffs._errors import InvalidParameterError

if TYPE_CHECKING:
    from tradeoffs._ledger import Entry

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
"""Where `make serve` publishes the handbook; pass --site-url (or set TRADEOFFS_SITE_URL)
for permalinks to a published copy."""

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, in the same form as the library's."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _fail(prog: str, message: str) -> NoReturn:
    sys.stderr.write(f"{prog}: error: {message}\n")
    raise SystemExit(EXIT_USAGE)


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "json", "md"),
        default="text",
        help="text: a readable table; json: stable keys for machines; "
        "md: a decision record for a design review (default: text)",
    )
    p.add_argument(
        "--site-url",
        default=os.environ.get("TRADEOFFS_SITE_URL", DEFAULT_SITE_URL),
        help="base URL of the handbook for permalinks in --format md "
        "(default: $TRADEOFFS_SITE_URL or %(default)s)",
    )


BVB_OPTIONS: tuple[tuple[str, str, str], ...] = (
    # (option, library parameter, help)
    ("--daily-requests", "daily_requests", "requests a day (default: 1,000,000, an assumption)"),
    ("--input-tokens", "input_tokens", "input tokens per request (default: 500)"),
    ("--output-tokens", "output_tokens", "output tokens per request (default: 200)"),
    ("--api-model", "api_model", "API model id known to genai-prices (default: gpt-4o-mini)"),
    (
        "--api-input-price",
        "api_input_usd_per_mtok",
        "override the API input price, USD per million tokens",
    ),
    (
        "--api-output-price",
        "api_output_usd_per_mtok",
        "override the API output price, USD per million tokens",
    ),
    (
        "--serving",
        "serving",
        "benchmarked serving config: llama31_8b_1xh100 (default), llama31_8b_1xa100, "
        "llama31_70b_2xh100, llama31_70b_2xa100",
    ),
    (
        "--replica-tokens-per-second",
        "replica_tokens_per_second",
        "override the output tokens/s of one serving replica (default: the benchmark's)",
    ),
    ("--gpu-provider", "gpu_provider", "lambda (default), runpod, aws or azure"),
    ("--gpu-hourly-usd", "gpu_hourly_usd", "override the price of one GPU-hour, USD"),
    ("--peak-to-mean", "peak_to_mean", "peak traffic over the daily mean (default: 2)"),
    (
        "--utilisation",
        "utilisation",
        "share of benchmark throughput to run at, in (0, 1] (default: 0.7)",
    ),
    ("--spare-replicas", "spare_replicas", "spare serving replicas, N+1 = 1 (default: 1)"),
    ("--staff-fte", "staff_fte", "engineers running the stack, in FTE (default: 1)"),
    (
        "--staff-annual-usd",
        "staff_loaded_annual_usd",
        "loaded annual cost of one engineer, USD (default: 200,000)",
    ),
    ("--ops-monthly-usd", "ops_monthly_usd", "monthly operations overhead, USD (default: 1,000)"),
)


BVR_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--daily-requests", "daily_requests", "requests a day (default: 1,728,000, an assumption)"),
    ("--peak-to-mean", "peak_to_mean", "peak traffic over the daily mean (default: 2)"),
    ("--service-ms", "service_ms", "mean time to serve one request, ms (default: 50)"),
    ("--p95-ms", "p95_ms", "p95 latency target, ms; must exceed --service-ms (default: 150)"),
    (
        "--replica-hourly-usd",
        "replica_hourly_usd",
        "price of one serving replica an hour, USD (default: AWS m7g.large)",
    ),
    ("--spare-replicas", "spare_replicas", "spare real-time replicas, N+1 = 1 (default: 1)"),
    (
        "--max-staleness-minutes",
        "max_staleness_minutes",
        "how old a prediction users tolerate, minutes (default: 1,800)",
    ),
    ("--batch-interval-hours", "batch_interval_hours", "hours between batch runs (default: 24)"),
    (
        "--batch-max-run-hours",
        "batch_max_run_hours",
        "longest a batch run may take, hours (default: 1)",
    ),
    (
        "--batch-throughput-per-second",
        "batch_throughput_per_second",
        "requests/s one replica handles on batched input (default: 2,000)",
    ),
    (
        "--batch-hourly-usd",
        "batch_hourly_usd",
        "price of a batch replica an hour, e.g. interruptible capacity"
        " (default: --replica-hourly-usd)",
    ),
)
BVR_API_OPTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "--api-model",
        "api_model",
        "also compare a hosted LLM API's synchronous and batch prices for this model",
    ),
    ("--input-tokens", "input_tokens", "with --api-model: input tokens per request (default: 500)"),
    (
        "--output-tokens",
        "output_tokens",
        "with --api-model: output tokens per request (default: 200)",
    ),
)


PVF_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--monthly-requests", "monthly_requests", "requests a month (default: 1,000,000)"),
    ("--months", "months", "horizon in months (default: 12)"),
    ("--base-model", "base_model", "base model id known to genai-prices (default: gpt-4o-mini)"),
    ("--system-prompt-tokens", "system_prompt_tokens", "system prompt tokens (default: 800)"),
    ("--few-shot-tokens", "few_shot_tokens", "few-shot example tokens (default: 2,000)"),
    ("--input-tokens", "input_tokens", "user input tokens per request (default: 200)"),
    ("--output-tokens", "output_tokens", "output tokens per request (default: 200)"),
    (
        "--finetuned-system-tokens",
        "finetuned_system_tokens",
        "system prompt tokens left after fine-tuning (default: 100)",
    ),
    ("--rag-context-tokens", "rag_context_tokens", "retrieved context tokens (default: 1,500)"),
    ("--rag-monthly-usd", "rag_monthly_usd", "retrieval index a month, USD (default: 200)"),
    (
        "--training-price",
        "ft_training_usd_per_mtok",
        "fine-tuning training price, USD per million tokens (default: the registry's)",
    ),
    (
        "--ft-input-price",
        "ft_input_usd_per_mtok",
        "fine-tuned model input price, USD per million tokens",
    ),
    (
        "--ft-output-price",
        "ft_output_usd_per_mtok",
        "fine-tuned model output price, USD per million tokens",
    ),
    ("--training-tokens", "training_tokens", "training tokens per epoch (default: 50,000,000)"),
    ("--epochs", "epochs", "epochs per training run (default: 3)"),
    ("--retune-every-months", "retune_every_months", "months between re-tunes (default: 6)"),
    ("--prompt-weeks", "prompt_weeks", "prompt-engineering weeks (default: 1)"),
    ("--rag-weeks", "rag_weeks", "weeks to build retrieval (default: 2)"),
    ("--prep-weeks", "prep_weeks", "weeks to prepare fine-tuning data (default: 4)"),
    ("--retune-weeks", "retune_weeks", "weeks of data work per re-tune (default: 1)"),
    (
        "--weekly-usd",
        "weekly_usd",
        "loaded engineering cost a week, USD (default: $200,000 a year / 52)",
    ),
    ("--lora-gpu-hours", "lora_gpu_hours", "GPU hours per LoRA run (default: 8)"),
)


DQ_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--labels", "labels", "labelled examples you have (default: 1,000, or the CSV's rows)"),
    ("--noise-rate", "noise_rate", "share of labels that are wrong, in [0, 1) (default: 0.2)"),
    ("--budget-usd", "budget_usd", "money to spend on labels, USD (default: 500)"),
    ("--new-label-usd", "new_label_usd", "cost of one new label, USD (default: 1)"),
    ("--review-label-usd", "review_label_usd", "cost of reviewing one label, USD (default: 0.5)"),
    (
        "--review-hit-rate",
        "review_hit_rate",
        "share of reviewed labels that are wrong, e.g. cleanlab's precision (default: random "
        "review, i.e. the noise rate)",
    ),
)


CPX_OPTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "--accuracy-gain-points",
        "accuracy_gain_points",
        "accuracy the complex model adds, in percentage points (default: 1; see --measure)",
    ),
    (
        "--value-per-point-usd",
        "value_per_point_usd",
        "what one point of accuracy is worth on one decision, USD (default: 0.01)",
    ),
    ("--decisions-per-month", "decisions_per_month", "decisions a month (default: 1,000,000)"),
    (
        "--extra-maintenance-hours-per-month",
        "extra_maintenance_hours_per_month",
        "extra engineering hours a month to maintain and retrain (default: 20)",
    ),
    (
        "--engineer-hourly-usd",
        "engineer_hourly_usd",
        "loaded engineer cost an hour, USD (default: $200,000 a year / 2,080 h)",
    ),
    (
        "--extra-compute-monthly-usd",
        "extra_compute_monthly_usd",
        "extra compute a month, USD (default: 200)",
    ),
    (
        "--extra-incidents-per-year",
        "extra_incidents_per_year",
        "extra incidents a year from the complex model's churn (default: 2)",
    ),
    ("--incident-cost-usd", "incident_cost_usd", "cost of one incident, USD (default: 5,000)"),
    ("--build-hours", "build_hours", "engineering hours to build the complex model (default: 80)"),
)


HITL_OPTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "--target-error",
        "target_error",
        "automated error rate to stay under, in (0, 1) (default: 0.01)",
    ),
    ("--delta", "delta", "accepted risk that the guarantee fails, in (0, 1) (default: 0.1)"),
    ("--review-usd", "review_usd", "cost of one human review, USD (default: 1)"),
    ("--error-usd", "error_usd", "cost of one wrong decision, USD (default: 50)"),
    (
        "--reviewer-error-rate",
        "reviewer_error_rate",
        "share of reviews that are wrong, in [0, 1] (default: 0.02)",
    ),
    ("--daily-volume", "daily_volume", "items a day (default: 10,000)"),
    ("--reviews-per-hour", "reviews_per_hour", "reviews one person does an hour (default: 60)"),
    ("--reviewers", "reviewers", "people reviewing, 8 hours a day each (default: 8)"),
)


def _given(args: argparse.Namespace, options: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """The library parameters the user set on the command line (None means "the default")."""
    return {p: getattr(args, p) for _, p, _ in options if getattr(args, p) is not None}


def _with_option_names(message: str, options: Sequence[tuple[str, str, str]]) -> str:
    """The library names parameters (``p95_ms``); a CLI user knows them as options."""
    for option, parameter, _ in options:
        message = re.sub(rf"\b{parameter}\b", option, message)
    return message


def _run_build_vs_buy(args: argparse.Namespace) -> str:
    from tradeoffs import build_vs_buy as bvb

    given = _given(args, BVB_OPTIONS)
    decision = bvb.decide(bvb.scenario(**given))
    return _render(bvb.record(decision), args)


def _run_batch_vs_realtime(args: argparse.Namespace) -> str:
    from tradeoffs import batch_vs_realtime as bvr

    given = _given(args, BVR_OPTIONS)
    s = bvr.scenario(**given)
    api = None
    if args.api_model is not None:
        api = bvr.api_batch(
            s,
            api_model=args.api_model,
            input_tokens=args.input_tokens,
            output_tokens=args.output_tokens,
        )
    elif args.input_tokens is not None or args.output_tokens is not None:
        raise InvalidParameterError(
            "api_model must be given with input_tokens or output_tokens; got none."
        )
    return _render(bvr.record(bvr.decide(s, api)), args)


def _run_prompt_vs_finetune(args: argparse.Namespace) -> str:
    import datetime as dt

    from tradeoffs import prompt_vs_finetune as pvf

    given = _given(args, PVF_OPTIONS)
    rates = {}
    for item in args.success_rate or []:
        name, sep, rate = item.partition("=")
        if not sep:
            raise InvalidParameterError(
                f"success_rates must look like NAME=RATE (e.g. rag=0.9); got {item!r}."
            )
        rates[name] = rate
    as_of = None
    if args.as_of is not None:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise InvalidParameterError(
                f"as_of must be a date as YYYY-MM-DD; got {args.as_of!r}."
            ) from None
    s = pvf.scenario(**given, success_rates=rates, as_of=as_of)
    return _render(pvf.record(pvf.compare(s)), args)


def _run_data_quality(args: argparse.Namespace) -> str:
    from tradeoffs import data_quality as dq

    given = _given(args, DQ_OPTIONS)
    if args.estimate_from is not None:
        if "noise_rate" in given:
            raise InvalidParameterError(
                "noise_rate must not be given with estimate_from, which estimates it; got both."
            )
        labels, probabilities = _read_label_csv(Path(args.estimate_from))
        given["noise_rate"] = dq.estimate_noise(labels, probabilities)
        given.setdefault("labels", len(labels))
    s = dq.scenario(**given)
    sys.stderr.write(
        "Measuring the reference learning curves (scikit-learn digits, a few seconds)...\n"
    )
    return _render(dq.record(dq.decide(s)), args)


def _read_label_csv(path: Path) -> tuple[list[int], list[list[float]]]:
    """A CSV with a ``label`` column (0..K-1) and K probability columns, one row per example."""
    import csv

    if not path.is_file():
        raise InvalidParameterError(f"estimate_from must be a readable CSV file; got '{path}'.")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or "label" not in rows[0]:
        raise InvalidParameterError(
            f"estimate_from must have a 'label' column and one probability column per class; "
            f"got columns {list(rows[0]) if rows else []}."
        )
    prob_columns = [c for c in rows[0] if c != "label"]
    try:
        labels = [int(r["label"]) for r in rows]
        probs = [[float(r[c]) for c in prob_columns] for r in rows]
    except ValueError as exc:
        raise InvalidParameterError(
            f"estimate_from must hold whole-number labels and numeric probabilities; {exc}."
        ) from None
    if len(prob_columns) < 2 or any(not 0 <= lab < len(prob_columns) for lab in labels):
        raise InvalidParameterError(
            f"estimate_from must have one probability column per class and labels in "
            f"0..{len(prob_columns) - 1}; got {len(prob_columns)} probability column(s)."
        )
    return labels, probs


def _run_complexity(args: argparse.Namespace) -> str:
    from tradeoffs import complexity as cpx

    given = _given(args, CPX_OPTIONS)
    measured = None
    if args.measure:
        sys.stderr.write("Measuring the ledger (two models, five splits, a few seconds)...\n")
        measured = cpx.ledger()
        if "accuracy_gain_points" not in given:
            simple, complex_ = measured
            given["accuracy_gain_points"] = round((complex_.accuracy - simple.accuracy) * 100, 2)
    record = cpx.record(cpx.decide(cpx.scenario(**given)), measured)
    if measured is not None and args.format == "text":
        return _ledger_table(measured) + "\n\n" + _render(record, args)
    return _render(record, args)


def _ledger_table(entries: Sequence[Entry]) -> str:
    rows = [
        (
            "",
            "accuracy",
            "± sd",
            "train s",
            "latency ms",
            "size KB",
            "hyperparams",
            "features",
            "churn: retrain",
            "churn: bootstrap",
            "churn: drift",
        )
    ]
    for e in entries:
        rows.append(
            (
                e.description,
                f"{e.accuracy:.1%}",
                f"{e.accuracy_sd:.1%}",
                f"{e.training_seconds:.3f}",
                f"{e.latency_ms:.2f}",
                f"{e.size_kb:.0f}",
                str(e.hyperparameters),
                str(e.features),
                f"{e.churn_same_seed:.1%}",
                f"{e.churn_bootstrap:.1%}",
                f"{e.churn_feature_shift:.2%}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _run_human_oversight(args: argparse.Namespace) -> str:
    from tradeoffs import human_oversight as hitl

    given = _given(args, HITL_OPTIONS)
    s = hitl.scenario(**given)
    if args.scores is None:
        scores, _ = hitl.demo_scores()
        source = "demo: logistic regression on scikit-learn digits (pass --scores FILE.csv)"
    else:
        scores, source = hitl.read_scores(args.scores), args.scores
    return _render(hitl.record(hitl.decide(scores.confidence, scores.correct, s), source), args)


def _run_check_record(args: argparse.Namespace) -> str:
    from tradeoffs._record import check_record, registry_snapshot

    path = Path(args.file)
    if not path.is_file():
        raise InvalidParameterError(f"file must be a readable decision record; got '{path}'.")
    try:
        data, checks = check_record(path.read_text(encoding="utf-8"))
    except (ValueError, json.JSONDecodeError) as exc:
        raise InvalidParameterError(
            f"file must be a decision record: {exc}; got '{path}'."
        ) from None
    changed = [c for c in checks if c.status != "unchanged"]
    lines = [
        f"Record of {data.get('tradeoff')} made with registry snapshot "
        f"{data.get('registry_snapshot')} (today's: {registry_snapshot()})."
    ]
    lines += [f"  {c.claim:<28} {c.status:<10} {c.detail}" for c in checks]
    lines.append(
        f"{len(changed)} of {len(checks)} cited claims changed since the record."
        if changed
        else "No cited claim has changed since the record."
    )
    args.exit_code = 1 if changed else 0
    return "\n".join(lines)


def _render(record: object, args: argparse.Namespace) -> str:
    from tradeoffs._record import Record, to_json, to_markdown, to_text

    assert isinstance(record, Record)
    if args.format == "json":
        return to_json(record)
    if args.format == "md":
        return to_markdown(record, args.site_url)
    return to_text(record)


def _run_notebook(args: argparse.Namespace) -> str:
    from tradeoffs._notebook import write_notebook

    path = write_notebook(args.slug, Path(args.output) if args.output else None, force=args.force)
    return f"wrote {path}"


def _run_evidence(args: argparse.Namespace) -> str:
    import json

    from tradeoffs.evidence import load_registry
    from tradeoffs.formatting import figure_text

    registry = load_registry()
    claims = [c for c in registry if args.tradeoff in (None, c.tradeoff)]
    if args.format == "json":
        return json.dumps([c.model_dump(mode="json") for c in claims], indent=2, ensure_ascii=False)
    lines = []
    for c in claims:
        figures = "; ".join(f"{f.label or k}: {figure_text(f)}" for k, f in c.figures.items())
        lines.append(f"{c.id:<24} {c.verdict.value:<19} {c.statement}")
        if figures:
            lines.append(f"{'':<24} {'':<19} {figures}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    from tradeoffs.evidence._models import TRADEOFF_SLUGS

    parser = _Parser(
        prog="tradeoffs",
        description="Turn your own numbers into a production-AI decision, with sourced defaults.",
    )
    parser.add_argument("--version", action="version", version=f"tradeoffs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    bvb = sub.add_parser(
        "build-vs-buy",
        help="hosted API or self-hosted model: monthly cost, break-even and a decision record",
    )
    for option, param, help_text in BVB_OPTIONS:
        bvb.add_argument(option, dest=param, metavar="X", help=help_text)
    _add_format(bvb)
    bvb.set_defaults(run=_run_build_vs_buy, options=BVB_OPTIONS)

    bvr = sub.add_parser(
        "batch-vs-realtime",
        help="batch runs or an always-on fleet: replicas "
        "by queueing theory, monthly cost, staleness and a decision record",
    )
    for option, param, help_text in BVR_OPTIONS + BVR_API_OPTIONS:
        bvr.add_argument(option, dest=param, metavar="X", help=help_text)
    _add_format(bvr)
    bvr.set_defaults(run=_run_batch_vs_realtime, options=BVR_OPTIONS + BVR_API_OPTIONS)

    pvf = sub.add_parser(
        "prompt-vs-finetune",
        help="prompting, RAG or fine-tuning: cumulative "
        "cost over a horizon, break-even volume and a decision record",
    )
    for option, param, help_text in PVF_OPTIONS:
        pvf.add_argument(option, dest=param, metavar="X", help=help_text)
    pvf.add_argument(
        "--success-rate",
        action="append",
        metavar="NAME=RATE",
        help="expected success rate of an option, in (0, 1]; repeat for each of "
        "prompting, rag, fine-tune-hosted, fine-tune-open, hybrid",
    )
    pvf.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the date the plan starts, for platform deadlines (default: today)",
    )
    _add_format(pvf)
    pvf.set_defaults(
        run=_run_prompt_vs_finetune,
        options=(*PVF_OPTIONS, ("--success-rate", "success_rates", ""), ("--as-of", "as_of", "")),
    )

    dq = sub.add_parser(
        "data-quality",
        help="clean the labels you have or collect more: "
        "expected accuracy of each plan for a budget",
    )
    for option, param, help_text in DQ_OPTIONS:
        dq.add_argument(option, dest=param, metavar="X", help=help_text)
    dq.add_argument(
        "--estimate-from",
        metavar="FILE.csv",
        help="estimate the noise rate with cleanlab from a CSV of labels ('label') "
        "and out-of-sample class probabilities (one column per class)",
    )
    _add_format(dq)
    dq.set_defaults(
        run=_run_data_quality, options=(*DQ_OPTIONS, ("--estimate-from", "estimate_from", ""))
    )

    cpx = sub.add_parser(
        "complexity",
        help="simple or complex model: the value of the accuracy "
        "gain against its upkeep, and a measured complexity ledger",
    )
    for option, param, help_text in CPX_OPTIONS:
        cpx.add_argument(option, dest=param, metavar="X", help=help_text)
    cpx.add_argument(
        "--measure",
        action="store_true",
        help="measure the ledger (accuracy, churn, latency, size...) of a simple and "
        "a complex model on scikit-learn's breast-cancer data, and use the "
        "measured gain unless --accuracy-gain-points is given",
    )
    _add_format(cpx)
    cpx.set_defaults(run=_run_complexity, options=CPX_OPTIONS)

    hitl = sub.add_parser(
        "human-oversight",
        help="what to automate and what humans review: a "
        "confidence threshold with an error guarantee, its cost and staffing",
    )
    hitl.add_argument(
        "--scores",
        metavar="FILE.csv",
        help="validation scores: columns 'confidence' (0 to 1) and 'correct' "
        "(1/0 or true/false), one row per item (default: a demo model's)",
    )
    for option, param, help_text in HITL_OPTIONS:
        hitl.add_argument(option, dest=param, metavar="X", help=help_text)
    _add_format(hitl)
    hitl.set_defaults(run=_run_human_oversight, options=(*HITL_OPTIONS, ("--scores", "scores", "")))

    nb = sub.add_parser("notebook", help="write a trade-off's playbook as a Jupyter notebook")
    nb.add_argument(
        "slug", choices=TRADEOFF_SLUGS, metavar="SLUG", help=f"one of: {', '.join(TRADEOFF_SLUGS)}"
    )
    nb.add_argument("-o", "--output", help="file to write (default: <module>.ipynb here)")
    nb.add_argument("--force", action="store_true", help="overwrite an existing file")
    nb.set_defaults(run=_run_notebook, options=())

    chk = sub.add_parser(
        "check-record",
        help="say whether the claims a saved decision record "
        "cites have changed since (exit 1 if any has)",
    )
    chk.add_argument("file", metavar="FILE", help="a record saved from --format md or json")
    chk.set_defaults(run=_run_check_record, options=(("FILE", "file", ""),))

    ev = sub.add_parser("evidence", help="list the registry's claims with their verdicts")
    ev.add_argument(
        "--tradeoff",
        choices=TRADEOFF_SLUGS,
        metavar="SLUG",
        help=f"only one trade-off: {', '.join(TRADEOFF_SLUGS)}",
    )
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.set_defaults(run=_run_evidence, options=())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], str] = args.run
    try:
        output = run(args)
    except InvalidParameterError as exc:
        _fail(f"{parser.prog} {args.command}", _with_option_names(str(exc), args.options))
    except FileExistsError as exc:
        _fail(f"{parser.prog} {args.command}", str(exc))
    print(output)
    return int(getattr(args, "exit_code", 0))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
