"""Behaviour and measurement parameters: defaults, neutral settings, validation, TOML round trip."""

from __future__ import annotations

import inspect

import pytest

from incentsim.behaviour import DefaultBehaviour
from incentsim.behaviour.conduct import BehaviourModel
from incentsim.errors import InputError
from incentsim.scenario import Scenario
from incentsim.scenario.behaviour import Behaviour


def test_round_trip_through_toml() -> None:
    sc = Scenario().replace(**{"behaviour.decisions.beg_scale": 0.7,
                               "measurement.surveys.extremity": 1.0})
    again = Scenario.from_toml(sc.to_toml())
    assert again == sc and again.hash == sc.hash
    assert again.behaviour.decisions.beg_scale == 0.7


def test_bad_values_name_the_field() -> None:
    with pytest.raises(InputError) as err:
        Scenario.from_dict({"behaviour": {"decisions": {"max_propensity": 2.0},
                                          "attrition": {"monthly_quit_rate": -1}},
                            "measurement": {"qa": {"rater_sd": -3}}})
    fields = {p.field for p in err.value.problems}
    assert {"behaviour.decisions.max_propensity", "behaviour.attrition.monthly_quit_rate",
            "measurement.qa.rater_sd"} <= fields


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(InputError, match="behaviour.stress.stres"):
        Scenario.from_dict({"behaviour": {"stress": {"stres": 0.1}}})


def test_neutral_zeroes_every_behaviour_effect() -> None:
    neutral = Behaviour.neutral()
    d = neutral.decisions
    assert (d.care_intrinsic, d.care_stress, d.care_incentive, d.beg_scale, d.dump_scale,
            d.rush_scale, d.helping_base, d.helping_incentive, d.helping_feedback) == (0,) * 9
    assert d.speed_min == 1
    m = neutral.motivation
    assert (m.crowding_performance, m.crowding_completion, m.crowding_engagement,
            m.feedback_boost) == (0,) * 4
    assert neutral.attrition.monthly_quit_rate == 0
    i = neutral.improvement
    assert (i.management_rate, i.helping_rate) == (0, 0)
    c = neutral.conduct
    assert (c.care_time, c.care_resolution, c.rush_time_factor, c.rush_resolution_factor,
            c.help_resolution, c.help_time) == (0, 0, 1, 1, 0, 0)
    assert Scenario.erlang(3, 10, 5).behaviour == neutral


def test_default_behaviour_follows_the_protocol() -> None:
    for name, method in inspect.getmembers(BehaviourModel, inspect.isfunction):
        if name.startswith("_"):
            continue
        ours = getattr(DefaultBehaviour, name)
        assert list(inspect.signature(ours).parameters) == list(
            inspect.signature(method).parameters)
    assert callable(DefaultBehaviour.hire)
