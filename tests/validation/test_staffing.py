"""Skills and staffing against theory: Erlang C per disjoint group, the transient chain by the hour."""

from __future__ import annotations

import numpy as np
import pytest

from incentsim.validation import checks, staffing
from incentsim.validation.checks import QUICK
from incentsim.validation.queueing import erlang_a, erlang_c
from incentsim.validation.transient import Stretch, generator, transient

CONFIDENCE = 1 - 0.05 / checks.INTERVAL_CHECKS


def test_generator_rows_sum_to_zero_and_rates_are_right() -> None:
    q = generator(calls_per_hour=60.0, agents=2, mean_handle_time=4.0, mean_patience=8.0, n_max=5)
    np.testing.assert_allclose(q.sum(axis=1), 0.0, atol=1e-15)
    assert q[0, 1] == pytest.approx(1.0)          # one call a minute
    assert q[3, 2] == pytest.approx(2 / 4 + 1 / 8)  # two in service, one waiting and impatient
    assert q[5, 5] == pytest.approx(-(2 / 4 + 3 / 8))  # births stop at the truncation


def test_a_long_constant_stretch_settles_to_erlang_a_and_c() -> None:
    long = transient([Stretch(60.0, 96.0, 10)] * 60, 5.0, 100.0, n_max=300)
    assert long.p_wait[-1] == pytest.approx(erlang_a(10, 96.0, 5.0, 100.0).p_wait, rel=1e-6)
    assert long.lost_mass < 1e-12
    no_patience = transient([Stretch(60.0, 96.0, 10)] * 60, 5.0, None, n_max=300)
    assert no_patience.p_wait[-1] == pytest.approx(erlang_c(10, 96.0, 5.0).p_wait, rel=1e-5)
    # An empty centre fills up: the first hour waits less than the steady state.
    assert long.p_wait[0] < 0.9 * long.p_wait[-1]


def test_the_chain_carries_the_queue_from_hour_to_hour() -> None:
    # Rising demand: an hour after a quiet one waits less than its own steady state; after a busy one, more.
    rates = (60.0, 170.0, 110.0)
    chain = transient([Stretch(60.0, r, 12) for r in rates], 5.0, 15.0)
    steady = [erlang_a(12, r, 5.0, 15.0).p_wait for r in rates]
    assert chain.p_wait[1] < steady[1] - 0.02
    assert chain.p_wait[2] > steady[2] + 0.02


def test_staffing_checks_pass_at_quick_sizes() -> None:
    results = (staffing.group_checks(QUICK, 1, CONFIDENCE) + staffing.varying_checks(QUICK, 1, CONFIDENCE)
               + staffing.shift_checks(QUICK, 1, CONFIDENCE))
    assert len(results) == staffing.INTERVAL_CHECKS
    assert all(r.passed for r in results), [(r.name, r.figure, r.expected, r.tolerance) for r in results]


def test_group_checks_would_catch_routing_that_ignores_skills(monkeypatch: pytest.MonkeyPatch) -> None:
    # Everyone taking every call pools the two queues: the busy group's callers wait far less
    # than Erlang C of their own group says.
    pooled = staffing.groups_scenario(QUICK.hours).replace(**{"center.staff": []})
    monkeypatch.setattr(staffing, "groups_scenario", lambda hours: pooled)
    results = staffing.group_checks(QUICK, 1, CONFIDENCE)
    assert not all(r.passed for r in results)


def test_varying_checks_would_catch_a_flat_day(monkeypatch: pytest.MonkeyPatch) -> None:
    original = staffing.varying_scenario
    monkeypatch.setattr(staffing, "varying_scenario",
                        lambda days: original(days).replace(**{"demand.intraday_profile": [1.0] * 24}))
    results = staffing.varying_checks(QUICK, 1, CONFIDENCE)
    assert not all(r.passed for r in results)


def test_shift_checks_would_catch_everyone_on_duty_all_day(monkeypatch: pytest.MonkeyPatch) -> None:
    everyone = staffing.shift_scenario().replace(**{"center.staff": []})
    monkeypatch.setattr(staffing, "shift_scenario", lambda: everyone)
    results = staffing.shift_checks(QUICK, 1, CONFIDENCE)
    assert not all(r.passed for r in results)
