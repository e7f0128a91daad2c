"""Fuzzed command lines: a clean answer (finite JSON) or a clean refusal, never a traceback,
a hang or a non-finite number. ``scripts/fuzz.py`` runs the same cases by the thousand."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests._fuzz import UTILITIES, command_lines, make_files, outcome, utility_lines
from tradeoffs._catalog import SLUGS

EXAMPLES = int(os.environ.get("TRADEOFFS_FUZZ_EXAMPLES", "25"))


@pytest.mark.parametrize("slug", SLUGS)
def test_fuzzed_command_lines_answer_or_refuse_cleanly(slug: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,  # the case's own time limit (tests._fuzz.CASE_SECONDS) catches hangs
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )
    @given(st.data())
    def case(data: st.DataObject) -> None:
        args = data.draw(command_lines(slug))
        result = outcome(args)
        assert result.kind in ("ok", "refused"), (args, result)

    case()


@pytest.mark.parametrize("command", UTILITIES)
def test_fuzzed_utility_commands_answer_or_refuse_cleanly(
    command: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp(command)
    make_files(folder)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )
    @given(st.data())
    def case(data: st.DataObject) -> None:
        args = data.draw(utility_lines(command))
        result = outcome(args, cwd=folder)
        assert result.kind in ("ok", "refused"), (args, result)

    case()
