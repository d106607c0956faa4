"""The directions the sources claim, over common-random-number replications.

Each policy in a scenario file is run on the same replications (same seed, same
replication index, so the same arrivals, call types, handle-time and survey draws) and
compared with a paired difference. A direction "holds" when the mean paired difference
has the claimed sign and is beyond the one-sided 95% t bound; "no higher" means the
difference is not significantly above zero. Scenarios are shrunk (20 tier-1 agents,
4 months of 10 working days, demand scaled) to keep the file near a minute on one core;
the full-size scenarios are in ``scenarios/``.

Claims (sources in ``/scenarios/*.toml`` headers):

- survey bonus (source 001): more begging and dumping, higher measured CSAT, no higher
  true CSAT than flat pay;
- team goal (source 001): less gaming than the individual bonus;
- six-minute talk-time target (source 001): lower AHT, more repeat calls, lower true
  first-contact resolution;
- forced ranking (source 000): more stress and more quits;
- Deming management (source 000): the best true outcomes at equal or lower cost. It
  beats flat pay, the survey bonus, the talk-time target and ranking, but not the team
  goal (marked ``xfail``: a known gap between the model and the claim, see the test).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import incentsim as isim
from incentsim.policies import build_policy

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
REPLICATIONS = 8
SEED = 2024
AGENTS = 20
TRUE_OUTCOMES = {"true_csat": +1, "fcr": +1, "repeat_rate": -1}

pytestmark = pytest.mark.slow


def _shrink(scenario: isim.Scenario) -> isim.Scenario:
    return scenario.replace(**{
        "center.tier1_agents": AGENTS,
        "center.tier2_agents": max(1, round(scenario.center.tier2_agents * AGENTS / 55)),
        "center.months": 4, "center.days_per_month": 10,
        "demand.calls_per_hour": scenario.demand.calls_per_hour
        * AGENTS / scenario.center.tier1_agents,
    })


def _outcomes(run: isim.Run) -> dict[str, float]:
    out = dict(run.summary())
    agents = run.agents[run.agents["calls"] > 0]
    out["aht"] = float((agents["aht"] * agents["calls"]).sum() / agents["calls"].sum())
    out["gaming"] = out["beg_rate"] + out["dump_rate"] + out["rush_rate"]
    return out


@cache
def results(scenario_name: str, policy_name: str) -> pd.DataFrame:
    """One row of outcomes per replication (index = replication)."""
    scenario = _shrink(isim.Scenario.load(SCENARIOS / f"{scenario_name}.toml"))
    policy = build_policy(scenario.policies[policy_name])
    rows = [_outcomes(isim.simulate(scenario, policy=policy, seed=SEED, replication=r,
                                    keep_calls=False))
            for r in range(REPLICATIONS)]
    return pd.DataFrame(rows)


def paired(a: tuple[str, str], b: tuple[str, str], outcome: str) -> tuple[float, float]:
    """Mean paired difference ``a - b`` in ``outcome`` and its one-sided 95% bound."""
    diff = results(*a)[outcome] - results(*b)[outcome]
    bound = stats.t.ppf(0.95, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
    return float(diff.mean()), float(bound)


def higher(a: tuple[str, str], b: tuple[str, str], outcome: str) -> None:
    mean, bound = paired(a, b, outcome)
    assert mean > bound, f"{outcome}: {a[1]} - {b[1]} = {mean:.4g} (needs > {bound:.3g})"


def lower(a: tuple[str, str], b: tuple[str, str], outcome: str) -> None:
    mean, bound = paired(a, b, outcome)
    assert mean < -bound, f"{outcome}: {a[1]} - {b[1]} = {mean:.4g} (needs < {-bound:.3g})"


def not_higher(a: tuple[str, str], b: tuple[str, str], outcome: str) -> None:
    mean, bound = paired(a, b, outcome)
    assert mean < bound, f"{outcome}: {a[1]} - {b[1]} = {mean:.4g} is significantly higher"


SURVEY = "survey_bonus_vs_team_goal"
BONUS, TEAM, FLAT = (SURVEY, "individual_bonus"), (SURVEY, "team_goal"), (SURVEY, "flat")


@pytest.mark.parametrize("outcome", ["beg_rate", "dump_rate", "measured_csat"])
def test_survey_bonus_raises_gaming_and_measured_csat(outcome: str) -> None:
    higher(BONUS, FLAT, outcome)


def test_survey_bonus_gives_no_higher_true_csat() -> None:
    not_higher(BONUS, FLAT, "true_csat")


@pytest.mark.parametrize("outcome", ["gaming", "beg_rate", "dump_rate"])
def test_team_goal_games_less_than_individual_bonus(outcome: str) -> None:
    lower(TEAM, BONUS, outcome)


TALK = "talk_time_target"


def test_talk_time_target_lowers_aht() -> None:
    lower((TALK, "six_minutes"), (TALK, "flat"), "aht")


def test_talk_time_target_raises_repeat_calls() -> None:
    higher((TALK, "six_minutes"), (TALK, "flat"), "repeat_rate")


def test_talk_time_target_lowers_true_resolution() -> None:
    lower((TALK, "six_minutes"), (TALK, "flat"), "fcr")


RANK = "forced_ranking"


@pytest.mark.parametrize("policy", ["ranking", "rank_and_yank"])
@pytest.mark.parametrize("outcome", ["mean_stress", "quits"])
def test_forced_ranking_raises_stress_and_quits(policy: str, outcome: str) -> None:
    higher((RANK, policy), (RANK, "flat"), outcome)


DEMING = ("deming_management", "deming")
#: Every other scheme run in the same (default) world; the scenario files share it.
OTHERS = [("deming_management", "flat"), ("deming_management", "ranking"), BONUS,
          (TALK, "six_minutes"), (RANK, "rank_and_yank")]


def test_scenarios_compared_with_deming_share_one_world() -> None:
    def world(name: str) -> dict[str, object]:
        data = _shrink(isim.Scenario.load(SCENARIOS / f"{name}.toml")).to_dict()
        return {k: v for k, v in data.items()
                if k not in ("name", "description", "policies", "baseline")}

    assert all(world(name) == world(DEMING[0]) for name, _ in OTHERS + [TEAM])


@pytest.mark.parametrize("other", OTHERS, ids=lambda o: o[1])
@pytest.mark.parametrize("outcome", sorted(TRUE_OUTCOMES))
def test_deming_gives_better_true_outcomes(other: tuple[str, str], outcome: str) -> None:
    if TRUE_OUTCOMES[outcome] > 0:
        higher(DEMING, other, outcome)
    else:
        lower(DEMING, other, outcome)


@pytest.mark.parametrize("other", OTHERS + [TEAM], ids=lambda o: o[1])
def test_deming_costs_no_more(other: tuple[str, str]) -> None:
    not_higher(DEMING, other, "cost_per_resolved_call")


@pytest.mark.xfail(strict=True, reason=(
    "Known gap, reported to the lead: with the default behaviour parameters the team goal "
    "(TeamBonus csat 0.85, feedback 0.6, process_improvement 0.2) reaches higher true CSAT "
    "(+0.008) and first-contact resolution (+0.005) than DemingManagement() at equal cost "
    "(seed 2024, 8 replications, 20 agents x 4 months)."))
@pytest.mark.parametrize("outcome", ["true_csat", "fcr"])
def test_deming_beats_the_team_goal_on_true_outcomes(outcome: str) -> None:
    higher(DEMING, TEAM, outcome)
