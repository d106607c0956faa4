"""HandleTimeTarget on handmade measured frames."""

from __future__ import annotations

import pytest
from strategies_policies import measured

from incentsim.errors import InputError
from incentsim.policies import HandleTimeTarget


def _frame(aht_by_period: dict[int, list[float]]):
    return measured(*({"agent": a, "period": p, "aht": v}
                      for p, values in aht_by_period.items() for a, v in enumerate(values)))


def test_warns_agents_over_target() -> None:
    frame = _frame({0: [5.5, 6.0, 6.5]})
    review = HandleTimeTarget(minutes=6).review(frame, 0)
    assert review.sanctions == {2: "warning"} and review.payouts == {}


def test_tolerance_and_consecutive_periods() -> None:
    frame = _frame({0: [6.5, 6.2, 7.0], 1: [6.5, 5.0, 7.0]})
    assert HandleTimeTarget(minutes=6, tolerance=0.1).review(frame, 1).sanctions == {2: "warning"}
    two = HandleTimeTarget(minutes=6, periods=2, sanction="fire")
    assert two.review(frame[frame.period == 0], 0).sanctions == {}
    assert two.review(frame, 1).sanctions == {0: "fire", 2: "fire"}


def test_too_few_calls_do_not_count_and_none_only_monitors() -> None:
    frame = measured({"agent": 0, "period": 0, "aht": 9.0, "calls": 5},
                     {"agent": 1, "period": 0, "aht": 9.0})
    assert HandleTimeTarget(minutes=6).review(frame, 0).sanctions == {1: "warning"}
    assert HandleTimeTarget(minutes=6, sanction="none").review(frame, 0).sanctions == {}


def test_the_target_acts_only_through_its_sanctions() -> None:
    frame = measured({"agent": 0, "period": 0, "aht": 5.0}, {"agent": 1, "period": 0, "aht": 7.0})
    for sanction in ("warning", "fire"):
        review = HandleTimeTarget(minutes=6, sanction=sanction).review(frame, 0)
        assert review.sanctions == {1: sanction} and not review.payouts and not review.ranks
    assert HandleTimeTarget(minutes=6, process_improvement=0.1).review(frame, 0).process_improvement == 0.1


def test_bad_sanction_names_the_allowed_values() -> None:
    with pytest.raises(InputError, match="sanction.*'warning', 'fire'"):
        HandleTimeTarget(minutes=6, sanction="sack").review(measured({"agent": 0, "period": 0}), 0)
