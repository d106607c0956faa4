"""Units: shares in percent, differences in points, no duplicated units, no negative zero."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from incentsim.report import units


def test_shares_show_as_percent_and_differences_as_points():
    assert units.show("true_csat", 0.7634) == "76.3%"
    assert units.show_difference("true_csat", -0.015) == "1.5 points"
    assert units.show_interval("true_csat", -0.039, 0.027) == "-3.9 to +2.7"
    assert units.show_range("true_csat", 0.5, 0.6) == "50.0% to 60.0%"


def test_axis_labels_name_unit_and_direction_once():
    assert units.axis_label("true_csat") == "true satisfaction (%, higher is better)"
    assert units.axis_label("mean_wait") == "mean wait (minutes, lower is better)"
    assert units.axis_label("bonus_paid") == "bonus paid ($ over the run)"
    six = units.Context(currency="EUR", months=6)
    assert units.axis_label("bonus_paid", six) == "bonus paid (EUR over 6 months)"
    assert units.show("cost_per_resolved_call", 6.834, six) == "EUR 6.83"
    assert units.show("cost_per_resolved_call", 6.834) == "$6.83"
    assert units.show_signed("cost_per_resolved_call", -0.061) == "-$0.06"
    assert units.show("calls", 4450.4) == "4,450" and units.show("quits", 0.75) == "0.8"
    assert units.axis_label("something_new") == "something new"
    assert units.axis_unit("mean_wait") == "minutes, lower is better"


def test_missing_values_show_as_a_dash():
    assert units.show("fcr", math.nan) == "-"
    assert units.show_interval("fcr", math.nan, 0.1) == "-"
    assert units.show_range("fcr", math.nan, 0.1) == ""


@given(st.sampled_from(sorted(units.SHARE_OUTCOMES | units.MINUTE_OUTCOMES | units.MONEY_OUTCOMES)),
       st.floats(-1e-4, 1e-4, allow_nan=False))
def test_a_difference_that_rounds_to_zero_has_no_minus_sign(outcome, value):
    assert not units.signed(outcome, value).startswith("-0")


def test_level_intervals_stay_within_what_the_outcome_can_take():
    assert units.show_range("true_csat", -0.1, 1.2) == "0.0% to 100.0%"
    assert units.show_range("mean_wait", -0.3, 0.5) == "0.00 to 0.50"
    assert units.show_range("csat_gap", -0.2, -0.1) == "-20.0% to -10.0%"  # a gap may be negative


def test_context_comes_from_the_scenario():
    import incentsim as isim

    ctx = units.context_of(isim.Scenario.shipped("baseline"))
    assert ctx == units.Context(currency="$", months=6)
    assert units.context_of(object()) == units.DEFAULT_CONTEXT
