"""build_policy and scenario files: one clear error naming the field and what is allowed."""

from __future__ import annotations

import pytest
from strategies_policies import BUILT_INS

from incentsim.errors import InputError
from incentsim.policies import METRICS, IndividualBonus, build_policy, registered, synthetic_measured
from incentsim.scenario import Scenario


def test_built_ins_are_registered_by_class_name() -> None:
    assert {"Flat", "IndividualBonus", "TeamBonus", "HandleTimeTarget", "ForcedRanking",
            "DemingManagement", "Combined"} <= set(registered())


def test_unknown_type_names_the_allowed_types() -> None:
    with pytest.raises(InputError, match="unknown policy type 'Bonus'; allowed: .*IndividualBonus"):
        build_policy({"type": "Bonus"})
    with pytest.raises(InputError, match="needs a 'type'"):
        build_policy({"metric": "csat"})


def test_unknown_and_missing_parameters_are_all_named() -> None:
    with pytest.raises(InputError) as info:
        build_policy({"type": "IndividualBonus", "threshhold": 0.9})
    fields = {p.field for p in info.value.problems}
    assert fields == {"threshhold", "metric", "threshold"}
    assert "allowed: metric, threshold, amount" in str(info.value)


def test_bad_metric_lists_the_metrics() -> None:
    with pytest.raises(InputError, match="metric: must be one of " + ", ".join(METRICS)):
        build_policy({"type": "IndividualBonus", "metric": "nps", "threshold": 0.9})


def test_build_policy_round_trips_to_spec() -> None:
    policy = IndividualBonus(metric="csat", threshold=0.95, amount=100)
    assert build_policy(policy.to_spec()) == policy


def test_scenario_file_with_a_bad_policy_names_it() -> None:
    text = """
[policies.bonus]
type = "IndividualBonus"
metric = "csat"
threshold = 95
"""
    with pytest.raises(InputError, match=r"(?s)policies\.bonus.*threshold.*<= 1.*95"):
        Scenario.from_toml(text)


def test_constructors_only_store() -> None:
    policy = IndividualBonus(metric=["not", "a", "metric"], threshold="high")  # type: ignore[arg-type]
    assert policy.metric == ["not", "a", "metric"] and policy.threshold == "high"


def test_every_built_in_round_trips_through_a_scenario_file() -> None:
    scenario = Scenario(policies={f"p{i}": p.to_spec() for i, p in enumerate(BUILT_INS)})
    again = Scenario.from_toml(scenario.to_toml())
    for i, policy in enumerate(BUILT_INS):
        rebuilt = build_policy(again.policies[f"p{i}"])
        assert rebuilt.to_spec() == policy.to_spec()
        frame = synthetic_measured(seed=i, agents=12, periods=3)
        assert rebuilt.review(frame, 2) == policy.review(frame, 2)


def test_combined_errors_name_the_part() -> None:
    with pytest.raises(InputError) as info:
        build_policy({"type": "Combined", "policies": [
            {"type": "Flat"}, {"type": "HandleTimeTarget", "minutes": -6}]})
    assert [p.field for p in info.value.problems] == ["policies[1].minutes"]
