"""Prompting vs fine-tuning: the worked example, platform deadlines, curves and decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs import InvalidParameterError
from tradeoffs import prompt_vs_finetune as pvf

BEFORE_WIND_DOWN = dt.date(2026, 1, 1)
"""A start date on which OpenAI still accepted fine-tuning jobs from everyone."""
TODAY_IN_TESTS = dt.date(2026, 11, 22)
"""The date the issue's cases were measured on: 53 days before GPT-4o mini shuts down."""


def example(**overrides: object) -> pvf.Scenario:
    """The issue's example: 3,000 prompt tokens, 300 after fine-tuning, 200 output tokens."""
    base: dict[str, object] = dict(
        base_model="gpt-4o-mini",
        system_prompt_tokens=800,
        few_shot_tokens=2000,
        input_tokens=200,
        finetuned_system_tokens=100,
        output_tokens=200,
        training_tokens=50_000_000,
        epochs=3,
        as_of=BEFORE_WIND_DOWN,
        months=1,
    )
    return pvf.scenario(**{**base, **overrides})


def by_name(s: pvf.Scenario) -> dict[str, pvf.Option]:
    return {o.name: o for o in pvf.options(s)}


def test_worked_example() -> None:
    """gpt-4o-mini $0.15/$0.60 vs fine-tuned $0.30/$1.20; 50M tokens x 3 epochs at $3/M."""
    s = example()
    assert (s.prompt_tokens, s.finetuned_prompt_tokens) == (3000, 300)
    opts = by_name(s)
    assert opts["prompting"].per_request_usd == Decimal("0.000570")
    assert opts["fine-tune-hosted"].per_request_usd == Decimal("0.000330")
    saving = opts["prompting"].per_request_usd - opts["fine-tune-hosted"].per_request_usd
    assert saving == Decimal("0.000240")
    training = opts["fine-tune-hosted"].upfront_usd - s.prep_weeks * s.weekly_usd
    assert training == Decimal("450")


def test_upfront_and_monthly_parts() -> None:
    s = example(
        monthly_requests=1_000_000,
        weekly_usd=4000,
        prompt_weeks=1,
        rag_weeks=2,
        prep_weeks=4,
        rag_monthly_usd=200,
    )
    opts = by_name(s)
    assert opts["prompting"].upfront_usd == 4000
    assert opts["prompting"].monthly_usd == Decimal("570")
    assert opts["rag"].upfront_usd == 8000
    # RAG prompt: 800 system + 200 input + 1,500 retrieved = 2,500 tokens
    assert opts["rag"].monthly_usd == Decimal("0.000495") * 1_000_000 + 200
    assert opts["fine-tune-hosted"].upfront_usd == 4 * 4000 + 450
    assert opts["hybrid"].upfront_usd == 6 * 4000 + 450


def test_retunes_happen_inside_the_horizon_only() -> None:
    s = example(months=12, retune_every_months=6, retune_weeks=1, weekly_usd=1000)
    ft = by_name(s)["fine-tune-hosted"]
    assert ft.retune_usd == 1000 + 450
    assert ft.retunes_by(12, 12) == 1  # at month 6, not at the horizon's end
    assert ft.cumulative_usd(5, 12) == ft.upfront_usd + 5 * ft.monthly_usd
    assert ft.cumulative_usd(6, 12) == ft.upfront_usd + 6 * ft.monthly_usd + ft.retune_usd
    assert ft.total_usd(12) == ft.upfront_usd + 12 * ft.monthly_usd + ft.retune_usd


def test_break_even_volume_is_exact() -> None:
    s = example(months=12, retune_every_months=12, weekly_usd=1000, prompt_weeks=1, prep_weeks=4)
    volume = pvf.break_even_monthly_requests(s)
    # (4,000 + 450 - 1,000) / (12 x 0.00024) = 1,197,916.67 requests a month
    assert volume == Decimal(3450) / (12 * Decimal("0.00024"))
    at = pvf.decide(pvf.SPEC.rebuild(s, monthly_requests=volume))
    assert at.total_usd("fine-tune-hosted") == pytest.approx(at.total_usd("prompting"))


def test_no_break_even_when_fine_tuning_is_dearer_per_request() -> None:
    s = example(finetuned_system_tokens=2800)  # the fine-tune's prompt is as long as before
    assert pvf.break_even_monthly_requests(s) is None


def test_openai_deadlines_make_hosted_fine_tuning_unavailable() -> None:
    late = example(as_of=dt.date(2027, 2, 1))
    opts = by_name(late)
    assert not opts["fine-tune-hosted"].available and not opts["hybrid"].available
    assert any("2027-01-06" in n for n in opts["fine-tune-hosted"].notes)
    long = example(as_of=dt.date(2026, 11, 22), months=12)
    ft = by_name(long)["fine-tune-hosted"]
    assert not ft.available and any("2027-01-14" in n for n in ft.notes)
    short = example(as_of=dt.date(2026, 11, 22), months=1)
    assert by_name(short)["fine-tune-hosted"].available
    assert pvf.decide(long).cheapest != "fine-tune-hosted"


def test_a_model_without_a_fine_tuning_price_needs_one() -> None:
    opts = by_name(example(base_model="claude-3-5-haiku"))
    assert not opts["fine-tune-hosted"].available
    given = by_name(
        example(
            base_model="claude-3-5-haiku",
            ft_training_usd_per_mtok=5,
            ft_input_usd_per_mtok=1,
            ft_output_usd_per_mtok=5,
        )
    )
    assert given["fine-tune-hosted"].available


def test_fine_tuning_prices_come_from_the_base_model_unless_given() -> None:
    s = example()
    assert s.ft_price_claim == "finetune-price-gpt-4o-mini"
    assert (s.ft_training_usd_per_mtok, s.ft_input_usd_per_mtok) == (Decimal(3), Decimal("0.30"))
    # Any price the reader gives makes the set the reader's: the registry is no longer cited.
    assert example(ft_output_usd_per_mtok=2).ft_price_claim == ""
    # Rebuilding with another base model derives its prices again (none known here).
    other = pvf.SPEC.rebuild(s, base_model="claude-3-5-haiku")
    assert other.ft_training_usd_per_mtok is None and other.ft_price_claim == ""
    rows = {row.key: row for row in pvf.record(pvf.decide(other)).inputs}
    assert rows["ft_input_usd_per_mtok"].source.startswith("no registry price for claude-3-5-haiku")
    assert rows["base_input_usd_per_mtok"].source.startswith("genai-prices")
    assert {r.key: r.claim for r in pvf.record(pvf.decide(s)).inputs}[
        "base_input_usd_per_mtok"
    ] == "B7"


def test_command_line_forms_read_like_the_library_forms() -> None:
    cli = example(success_rates=["rag=0.9", "prompting=0.8"], as_of="2026-01-01")
    lib = example(success_rates={"rag": 0.9, "prompting": "0.8"}, as_of=dt.date(2026, 1, 1))
    assert (
        cli.success_rates
        == lib.success_rates
        == {
            "rag": Decimal("0.9"),
            "prompting": Decimal("0.8"),
        }
    )
    assert cli.as_of == lib.as_of
    rows = {row.key: row for row in pvf.record(pvf.decide(cli)).inputs}
    assert rows["success_rate_rag"].value == Decimal("0.9")
    assert "success_rates" not in rows


def test_every_rule_decide_returns_is_declared() -> None:
    assert set(pvf.SPEC.fires) == {*pvf.WINNER_RULES.values(), pvf.PER_SUCCESS_RULE}


def test_open_weights_reuse_the_build_vs_buy_serving_cost() -> None:
    from tradeoffs import build_vs_buy

    s = example(monthly_requests=3_000_000)
    serving = build_vs_buy.self_host_cost(s.open_serving)
    assert by_name(s)["fine-tune-open"].monthly_usd == serving.total_monthly_usd
    assert s.open_serving.input_tokens == 300


def test_cost_per_success_can_change_the_winner() -> None:
    s = example(
        base_model="gpt-5.4-mini", months=12, monthly_requests=2_000_000, as_of=TODAY_IN_TESTS
    )
    plain = pvf.decide(s)
    assert plain.best == plain.cheapest == "rag"
    rated = pvf.decide(
        pvf.SPEC.rebuild(s, success_rates={"prompting": 0.2, "rag": 0.25, "fine-tune-open": 0.99})
    )
    assert rated.best == "fine-tune-open" and rated.rule.id == "PVF-4"
    per = rated.cost_per_success_usd("prompting")
    assert per == rated.total_usd("prompting") / (2_000_000 * 12 * Decimal("0.2"))


def test_crossovers_report_the_month_one_option_catches_up() -> None:
    s = example(months=24, monthly_requests=10_000_000, weekly_usd=1000, retune_every_months=24)
    c = pvf.decide(s)
    catch_up = [
        x for x in c.crossovers if (x.overtaker, x.overtaken) == ("fine-tune-hosted", "prompting")
    ]
    assert len(catch_up) == 1
    month = catch_up[0].month
    ft, pr = c.option("fine-tune-hosted"), c.option("prompting")
    assert ft.cumulative_usd(month, 24) <= pr.cumulative_usd(month, 24)
    assert ft.cumulative_usd(month - 1, 24) > pr.cumulative_usd(month - 1, 24)


def test_sensitivity_covers_every_input() -> None:
    rows = pvf.sensitivity(example(months=12))
    assert {r.parameter for r in rows} == set(pvf.SENSITIVITY_INPUTS) - {"failure_usd"}
    rated = pvf.scenario(
        as_of=TODAY_IN_TESTS, success_rates={"prompting": 0.8, "rag": 0.9, "fine-tune-open": 0.9}
    )
    rated_rows = pvf.sensitivity(pvf.SPEC.rebuild(rated, failure_usd=0.01))
    assert "failure_usd" in {r.parameter for r in rated_rows}


def test_each_flip_is_where_the_winner_really_changes() -> None:
    """At the reported value another option wins; a hair on the reader's side it does not."""
    s = pvf.scenario(as_of=TODAY_IN_TESTS)
    base = pvf.decide(s).best
    flips = [f for r in pvf.sensitivity(s) for f in (r.flip_below, r.flip_above) if f]
    assert flips, "the defaults have at least one input that flips the answer"
    for flip in flips:
        at = pvf.decide(pvf.SPEC.rebuild(s, **{flip.parameter: flip.value}))
        assert (flip.before, at.best) == (base, flip.after)
        current = getattr(s, flip.parameter)
        step = 1 if isinstance(flip.value, int) else abs(flip.value) * Decimal("1e-6")
        inside = flip.value - step if flip.value > current else flip.value + step
        assert pvf.decide(pvf.SPEC.rebuild(s, **{flip.parameter: inside})).best == base


def test_volume_flips_prompting_to_retrieval_where_their_totals_cross() -> None:
    """Both are linear in volume, so the crossing has a closed form to check against."""
    s = pvf.scenario(as_of=TODAY_IN_TESTS)
    row = next(r for r in pvf.sensitivity(s) if r.parameter == "monthly_requests")
    assert row.flip_above is not None and row.flip_above.after == "rag"
    opts = {o.name: o for o in pvf.options(s)}
    prompting, rag = opts["prompting"], opts["rag"]
    fixed = rag.upfront_usd + s.rag_monthly_usd * s.months - prompting.upfront_usd
    crossing = fixed / ((prompting.per_request_usd - rag.per_request_usd) * s.months)
    assert abs(Decimal(row.flip_above.value) - crossing) <= crossing * Decimal("1e-6")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"monthly_requests": 0},
            "monthly_requests must be a number in [1, 1,000,000,000,000]; got 0.",
        ),
        ({"months": 0}, "months must be a whole number in [1, 600]; got 0."),
        ({"months": 601}, "months must be a whole number in [1, 600]; got 601."),
        ({"epochs": -1}, "epochs must be a number in (0, 1,000]; got -1."),
        (
            {"few_shot_tokens": 1.5},
            "few_shot_tokens must be a whole number in [0, 10,000,000]; got 1.5.",
        ),
        ({"base_model": "nope-9"}, "base_model must be a model id known to genai-prices"),
        ({"success_rates": {"rag": 0}}, "success_rates[rag] must be a number in (0, 1]"),
        ({"success_rates": {"magic": 0.5}}, "success_rates must name options among"),
        ({"success_rates": ["rag"]}, "success_rates must look like NAME=RATE (e.g. rag=0.9)"),
        (
            {"success_rates": ["rag=2"]},
            "success_rates[rag] must be a number in (0, 1]; got '2'.",
        ),
        ({"weekly_usd": "nan"}, "weekly_usd must be a finite number in [0, 1,000,000]; got 'nan'."),
        ({"as_of": "tomorrow"}, "as_of must be a date as YYYY-MM-DD; got 'tomorrow'."),
        ({"as_of": dt.date(1999, 12, 31)}, "as_of must be a date as YYYY-MM-DD between"),
        (
            {"gpu_provider": "azure", "gpu": "a100-80gb"},
            "gpu_provider must offer the chosen GPU (a100-80gb)",
        ),
    ],
)
def test_bad_input_is_one_clear_sentence(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        example(**overrides)
    assert str(err.value).startswith(message)


volumes = st.integers(1_000, 10**9)


@settings(max_examples=40, deadline=None)
@given(volumes, st.integers(2, 10), st.integers(1, 36))
def test_more_volume_never_makes_the_cheaper_per_request_option_lose_more(
    volume: int, factor: int, months: int
) -> None:
    """Fine-tuning is cheaper per request here: its advantage over prompting can only grow."""

    def advantage(v: int) -> Decimal:
        c = pvf.decide(example(monthly_requests=v, months=months))
        return c.total_usd("prompting") - c.total_usd("fine-tune-hosted")

    assert advantage(volume * factor) >= advantage(volume)


@settings(max_examples=40, deadline=None)
@given(volumes, st.integers(1, 24), st.integers(1, 24))
def test_a_longer_horizon_never_hurts_the_option_with_lower_monthly_cost(
    volume: int, months: int, extra: int
) -> None:
    """With no re-tunes, the lower-monthly option's lead can only grow with the horizon."""

    def lead(m: int) -> Decimal:
        c = pvf.decide(example(monthly_requests=volume, months=m, retune_every_months=1000))
        low, high = sorted(("prompting", "fine-tune-hosted"), key=lambda n: c.option(n).monthly_usd)
        return c.total_usd(high) - c.total_usd(low)

    assert lead(months + extra) >= lead(months)


def test_a_cached_prefix_lowers_prompting_at_genai_prices_cache_price() -> None:
    from genai_prices import Usage, calc_price

    before_deadlines = {"base_model": "gpt-4o-mini", "as_of": BEFORE_WIND_DOWN}
    plain_run = pvf.decide(pvf.scenario(**before_deadlines))
    cached = pvf.decide(pvf.scenario(**before_deadlines, cached_prefix_tokens=2800))
    before = plain_run.option("prompting").per_request_usd
    after = cached.option("prompting").per_request_usd
    assert after < before
    s = cached.scenario
    hit = Decimal(
        calc_price(
            Usage(
                input_tokens=s.prompt_tokens, cache_read_tokens=2800, output_tokens=s.output_tokens
            ),
            model_ref=s.base_model,
        ).total_price
    )
    miss = Decimal(
        calc_price(
            Usage(
                input_tokens=s.prompt_tokens, cache_write_tokens=2800, output_tokens=s.output_tokens
            ),
            model_ref=s.base_model,
        ).total_price
    )
    assert after == s.cache_hit_share * hit + (1 - s.cache_hit_share) * miss
    be_before, be_after = plain_run.break_even_monthly_requests, cached.break_even_monthly_requests
    assert be_before is not None and be_after is not None and be_after > be_before
    # The figures: every prefix read from the cache
    full = pvf.decide(
        pvf.scenario(**before_deadlines, cached_prefix_tokens=2800, cache_hit_share=1)
    )
    assert plain_run.option("prompting").per_request_usd == Decimal("0.000570")
    assert full.option("prompting").per_request_usd == Decimal("0.000360")
    assert round(be_before / 10**4) == 565 and round(full.break_even_monthly_requests or 0, -5) == (
        45_200_000
    )


def test_a_failure_cost_can_change_the_winner() -> None:
    rates = {"prompting": "0.8", "rag": "0.92", "fine-tune-open": "0.95"}
    by_success = pvf.decide(pvf.scenario(as_of="2026-11-22", success_rates=rates))
    costly = pvf.decide(pvf.scenario(as_of="2026-11-22", success_rates=rates, failure_usd=5))
    assert by_success.best != costly.best
    expected = {
        o.name: pvf._expected_usd(costly.scenario, o) for o in costly.options if o.available
    }
    assert costly.best == min(expected, key=lambda name: expected[name] or 0)
    assert "per failed request" in costly.reason


def test_the_cached_prefix_fits_in_the_static_prefix() -> None:
    with pytest.raises(InvalidParameterError, match="cached_prefix_tokens must be at most"):
        pvf.scenario(cached_prefix_tokens=10**6)


def test_unavailable_options_are_drawn_dashed_and_available_ones_solid() -> None:
    import altair as alt

    from tradeoffs import charts

    rows = [
        {"Month": m, "Option": name, "USD": float(m)}
        for m in (0, 1)
        for name in ("Prompting", "Fine-tune on the API (not available)")
    ]
    chart = charts.line_chart(
        charts.frame(rows),
        x="Month",
        y="USD",
        series="Option",
        title="t",
        subtitle="",
        description="d",
        x_axis=alt.Axis(),
        y_axis=alt.Axis(),
        dashed=["Fine-tune on the API (not available)"],
    )
    scale = chart.to_dict()["encoding"]["strokeDash"]["scale"]
    dashes = dict(zip(scale["domain"], scale["range"], strict=True))
    assert dashes["Prompting"] == [1, 0]
    assert dashes["Fine-tune on the API (not available)"] == [6, 4]


def test_the_reason_never_cites_an_option_it_ruled_out() -> None:
    d = pvf.decide(pvf.scenario(as_of="2026-11-22"))
    assert not d.option("fine-tune-hosted").available
    assert "pay back" not in d.reason
    early = pvf.decide(pvf.scenario(as_of="2026-11-22", months=1))
    if early.option("fine-tune-hosted").available and early.break_even_monthly_requests:
        assert "pay back" in early.reason


# --- Model retirements: the same rule on every side -------------------------------------------


def test_no_available_option_at_the_defaults_runs_on_a_retiring_model_without_a_migration() -> None:
    for as_of in (TODAY_IN_TESTS, dt.date.today()):
        c = pvf.decide(pvf.scenario(as_of=as_of))
        end = pvf._add_months(as_of, c.scenario.months)
        for o in c.options:
            if o.available and o.model_retires is not None and o.model_retires <= end:
                assert o.migration is not None and o.migration_usd > 0, o.name


def test_the_default_models_do_not_retire_inside_the_default_horizon() -> None:
    from tradeoffs import _lifecycle, build_vs_buy

    assert _lifecycle.retirement(pvf.scenario().base_model) is None
    assert _lifecycle.retirement(build_vs_buy.scenario().api_model) is None


def test_a_retiring_base_model_moves_prompting_to_its_successor_at_a_cost() -> None:
    """gpt-4o-mini from 2026-11-22: one month on it, a migration, then eleven on gpt-5.4-mini."""
    s = pvf.scenario(base_model="gpt-4o-mini", as_of=TODAY_IN_TESTS)
    opts = {o.name: o for o in pvf.options(s)}
    prompting = opts["prompting"]
    m = prompting.migration
    assert m is not None and (m.successor, m.switch_month) == ("gpt-5.4-mini", 1)
    assert prompting.model_retires == dt.date(2027, 1, 14)
    assert m.one_off_usd == s.migration_weeks * s.weekly_usd
    after = pvf.scenario(base_model="gpt-5.4-mini", as_of=TODAY_IN_TESTS)
    assert m.per_request_usd == {o.name: o for o in pvf.options(after)}["prompting"].per_request_usd
    by_hand = (
        prompting.upfront_usd
        + prompting.per_request_usd * s.monthly_requests
        + m.one_off_usd
        + m.per_request_usd * s.monthly_requests * 11
    )
    assert prompting.total_usd(12) == by_hand
    assert prompting.cumulative_usd(0, 12) == prompting.upfront_usd
    # ...and a hosted fine-tune of it cannot move: the same rule, with no way through
    for name in ("fine-tune-hosted", "hybrid"):
        assert not opts[name].available
        assert any("cannot move to gpt-5.4-mini" in n for n in opts[name].notes)
    assert opts["fine-tune-open"].model_retires is None and opts["fine-tune-open"].available


def test_a_shutdown_after_the_horizon_needs_no_migration() -> None:
    s = pvf.scenario(base_model="gpt-4o-mini", as_of=BEFORE_WIND_DOWN, months=12)
    prompting = {o.name: o for o in pvf.options(s)}["prompting"]
    assert prompting.model_retires == dt.date(2027, 1, 14) and prompting.migration is None


def test_a_model_already_retired_migrates_before_the_first_month() -> None:
    s = pvf.scenario(base_model="gpt-4o-mini", as_of=dt.date(2027, 2, 1))
    prompting = {o.name: o for o in pvf.options(s)}["prompting"]
    assert prompting.migration is not None and prompting.migration.switch_month == 0
    assert prompting.cumulative_usd(0, s.months) == prompting.upfront_usd + prompting.migration_usd


def test_the_json_record_names_each_options_model_and_migration() -> None:
    c = pvf.decide(pvf.scenario(base_model="gpt-4o-mini", as_of=TODAY_IN_TESTS))
    rows = {o["name"]: o for o in pvf.options_json(c)}
    assert rows["prompting"]["model"] == "gpt-4o-mini"
    assert rows["prompting"]["model_retires"] == "2027-01-14"
    assert rows["prompting"]["migration_usd"] == float(
        round(c.option("prompting").migration_usd, 2)
    )
    assert rows["prompting"]["successor"] == "gpt-5.4-mini"
    assert rows["fine-tune-open"]["model_retires"] is None
    assert rows["fine-tune-open"]["migration_usd"] == 0
    assert any("shuts down on 2027-01-14" in w for w in pvf.record(c).warnings)


def test_openai_stops_taking_jobs_before_a_retune_the_plan_needs() -> None:
    """Fine-tuning prices given for a current model: the first job runs before the wind-down,
    the six-month re-tune would not."""
    prices = {
        "ft_training_usd_per_mtok": 3,
        "ft_input_usd_per_mtok": 1,
        "ft_output_usd_per_mtok": 4,
    }
    s = pvf.scenario(as_of=TODAY_IN_TESTS, **prices)
    hosted = {o.name: o for o in pvf.options(s)}["fine-tune-hosted"]
    assert not hosted.available
    assert any("re-tune due in month 6" in n for n in hosted.notes)
    one_month = pvf.scenario(as_of=TODAY_IN_TESTS, months=1, **prices)
    assert {o.name: o for o in pvf.options(one_month)}["fine-tune-hosted"].available


def test_the_self_hosted_payback_is_the_first_volume_at_which_it_costs_no_more() -> None:
    s = pvf.scenario(as_of=TODAY_IN_TESTS)
    volume = pvf.decide(s).open_break_even_monthly_requests
    assert volume is not None

    def gap(v: Decimal) -> Decimal:
        opts = {o.name: o for o in pvf.options(pvf.SPEC.rebuild(s, monthly_requests=v))}
        return opts["fine-tune-open"].total_usd(s.months) - opts["prompting"].total_usd(s.months)

    assert gap(volume) <= 0 < gap(volume - 1)
    # the first crossing: no volume on a fine grid below it pays back
    assert all(gap(Decimal(v)) > 0 for v in range(1_000, int(volume), int(volume) // 97))
