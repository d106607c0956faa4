"""What the model shows for each scenario file, over common-random-number replications.

Each policy in a scenario file is run on the same replications (same seed, same
replication index, so the same arrivals, call types, handle-time and survey draws) and
compared with a paired difference. A direction "holds" when the mean paired difference
has the stated sign and is beyond the one-sided 95% t bound; "no higher" means the
difference is not significantly above zero; "nobody games" means a gaming rate below
0.1% of calls. Scenarios are shrunk (20 tier-1 agents, 4 months of 10 working days,
demand scaled); the full-size scenarios are in ``scenarios/``. A policy that two files
declare alike in the same world (flat pay; ranking on AHT and QA with firing) is run
once, and once per test session: under pytest-xdist the workers share the runs through
files in the session's temporary folder (the first worker to need a run makes it, the
other waits for it), so the file costs 12 policies x 8 replications whatever the split.

Agents react to what a policy's review does to their own measured numbers
(``docs/explanation/experienced-incentives.md``), so several claims of the sources hold
only where the review can actually reach people. Each test says whether the source's
claim holds as stated or flipped, and where it flips (figures in
``docs/reference/policies/what-the-model-shows.md``):

- survey bonus (source 001) at the source's 95%: **flipped**. Nobody's measured CSAT gets
  near 95% (agents run around 0.70), so the bonus is never paid, its review shows no
  return to begging or dumping, and nobody games. The source's directions (begging,
  dumping, higher measured and lower true CSAT) hold once the threshold is near the
  agents' level: tested with the 65% bonus of ``rewards_that_stop.toml``;
- team goal vs individual bonus (source 001): at the sources' thresholds (85% and 95%)
  neither games, so the team goal games **no more** (not less); at a reachable threshold
  the team goal games less (each member reads the team's number diluted by team size).
  The team goal's better true outcomes come from its team leader's process time, which
  costs management hours;
- six-minute talk-time target (sources 001, 003): **holds**: lower AHT, more repeat
  calls, lower true first-contact resolution, more stress;
- forced ranking (source 000): **holds**: more stress and departures, lower true
  resolution;
- Deming management (source 000): better true outcomes than every other scheme, the team
  goal included (the old known gap is closed), but **not** at equal or lower cost: its
  management hours are costed, so it costs more per resolved call than flat pay; it
  costs less than the talk-time target;
- loyalty pay with 5% survey response (source 004): **holds**: the noise of a few
  answers puts a 90% threshold within reach of luck, so agents beg; requiring 30 answers
  to qualify lowers the begging (it responds to the chance of being paid);
- rewards that stop (source 002): fairness and intrinsic motivation fall below flat pay
  after the stop and begging fades: **holds**; quits do **not** rise (not tested here;
  see the what-the-model-shows page);
- people differ (DESIGN honesty principle): **holds**: a QA bonus raises true outcomes
  without gaming.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
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
#: Below this share of calls a gaming rate counts as nobody gaming.
NOBODY = 0.001

pytestmark = pytest.mark.slow


def _shrink(scenario: isim.Scenario) -> isim.Scenario:
    return scenario.replace(**{
        "center.tier1_agents": AGENTS,
        "center.tier2_agents": max(1, round(scenario.center.tier2_agents * AGENTS / 55)),
        "center.months": 4, "center.days_per_month": 10,
        "demand.calls_per_hour": scenario.demand.calls_per_hour
        * AGENTS / scenario.center.tier1_agents,
    })


def _by_period(agents: pd.DataFrame, column: str, weight: str | None = None) -> pd.Series:
    rows = agents[agents["seat"] >= 0] if weight is None else agents[agents["calls"] > 0]
    if weight is None:
        return rows.groupby("period")[column].mean()
    totals = (rows[column] * rows[weight]).groupby(rows["period"]).sum()
    return totals / rows.groupby("period")[weight].sum()


def _outcomes(run: isim.Run) -> dict[str, float]:
    out = dict(run.summary())
    agents = run.agents[run.agents["calls"] > 0]
    out["aht"] = float((agents["aht"] * agents["calls"]).sum() / agents["calls"].sum())
    out["gaming"] = out["beg_rate"] + out["dump_rate"] + out["rush_rate"]
    out["departures"] = out["quits"] + out["fired"]
    fairness = _by_period(run.agents, "fairness")
    intrinsic = _by_period(run.agents, "intrinsic_motivation")
    beg = _by_period(run.agents, "beg_rate", weight="calls")
    out["fairness_last"] = float(fairness.iloc[-1])
    out["fairness_before"] = float(fairness.iloc[:-1].mean())
    out["intrinsic_last"] = float(intrinsic.iloc[-1])
    out["beg_last"] = float(beg.iloc[-1])
    out["beg_before"] = float(beg.iloc[-2])
    return out


def _world(scenario: isim.Scenario) -> str:
    """The scenario without its name and policies: files that share it share runs."""
    data = scenario.to_dict()
    return json.dumps({k: v for k, v in data.items()
                       if k not in ("name", "description", "policies", "baseline")},
                      sort_keys=True, default=str)


_RUNS: dict[str, pd.DataFrame] = {}
#: Folder shared by the test session's workers (set by the session fixture below).
_SHARED: list[Path] = []
#: Seconds a worker waits for another worker's runs before making them itself.
_WAIT = 1800.0


@pytest.fixture(scope="session", autouse=True)
def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    base = tmp_path_factory.getbasetemp()
    folder = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    _SHARED.append(folder / "policy_directions")
    _SHARED[-1].mkdir(exist_ok=True)
    yield
    _SHARED.pop()


def _simulate(scenario: isim.Scenario, policy: isim.policies.Policy) -> pd.DataFrame:
    return pd.DataFrame([_outcomes(isim.simulate(scenario, policy=policy, seed=SEED, replication=r,
                                                 keep_calls=False))
                         for r in range(REPLICATIONS)])


def _shared(key: str, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``make()``, computed by one worker of the session and read by the others."""
    if not _SHARED:
        return make()
    done = _SHARED[-1] / f"{key}.pkl"
    lock = _SHARED[-1] / f"{key}.lock"
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        deadline = time.monotonic() + _WAIT
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        if done.exists():
            return pd.read_pickle(done)
        return make()
    frame = make()
    partial = done.with_suffix(".partial")
    frame.to_pickle(partial)
    partial.replace(done)
    return frame


def results(scenario_name: str, policy_name: str) -> pd.DataFrame:
    """One row of outcomes per replication (index = replication)."""
    scenario = _shrink(isim.Scenario.load(SCENARIOS / f"{scenario_name}.toml"))
    policy = build_policy(scenario.policies[policy_name])
    key = hashlib.sha256(json.dumps([_world(scenario), repr(policy), SEED, REPLICATIONS]).encode()
                         ).hexdigest()[:24]
    if key not in _RUNS:
        _RUNS[key] = _shared(key, lambda: _simulate(scenario, policy))
    return _RUNS[key]


def paired(a: tuple[str, str], b: tuple[str, str], outcome: str,
           outcome_b: str | None = None) -> tuple[float, float]:
    """Mean paired difference ``a - b`` in ``outcome`` and its one-sided 95% bound."""
    diff = results(*a)[outcome] - results(*b)[outcome_b or outcome]
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
    assert mean <= bound, f"{outcome}: {a[1]} - {b[1]} = {mean:.4g} is significantly higher"


def nobody(a: tuple[str, str], outcome: str) -> None:
    value = float(results(*a)[outcome].mean())
    assert value < NOBODY, f"{outcome}: {a[1]} = {value:.4g} (nobody games below {NOBODY})"


Direction = Callable[[tuple[str, str], tuple[str, str], str], None]

SURVEY = "survey_bonus_vs_team_goal"
BONUS, TEAM, FLAT = (SURVEY, "individual_bonus"), (SURVEY, "team_goal"), (SURVEY, "flat")
STOP = "rewards_that_stop"
REACHABLE, TEAM_REACHABLE = (STOP, "bonus_stops"), (STOP, "team_bonus_stops")


@pytest.mark.parametrize("outcome", ["beg_rate", "dump_rate", "rush_rate"])
def test_survey_bonus_out_of_reach_moves_nobody(outcome: str) -> None:
    """Flipped (source 001 claimed begging and dumping): at 95% nobody is ever paid, so nobody games."""
    nobody(BONUS, outcome)


def test_survey_bonus_out_of_reach_does_not_raise_measured_csat() -> None:
    not_higher(BONUS, FLAT, "measured_csat")
    assert results(*BONUS)["bonus_paid"].sum() == 0


@pytest.mark.parametrize("outcome", ["beg_rate", "dump_rate", "measured_csat"])
def test_survey_bonus_within_reach_raises_gaming_and_measured_csat(outcome: str) -> None:
    """Source 001's directions, at a 65% threshold most agents reach (``rewards_that_stop.toml``)."""
    higher(REACHABLE, (STOP, "flat"), outcome)


def test_survey_bonus_within_reach_lowers_true_csat() -> None:
    lower(REACHABLE, (STOP, "flat"), "true_csat")


@pytest.mark.parametrize("outcome", ["beg_rate", "dump_rate"])
def test_team_goal_out_of_reach_games_no_more_than_the_individual_bonus(outcome: str) -> None:
    """Flipped from "less": at 85% and 95% neither scheme games, so neither games more."""
    nobody(TEAM, outcome)
    nobody(BONUS, outcome)
    not_higher(TEAM, BONUS, outcome)


@pytest.mark.parametrize("outcome", ["gaming", "beg_rate", "dump_rate"])
def test_team_goal_within_reach_games_less_than_the_individual_bonus(outcome: str) -> None:
    """Source 001's claim, at the same 65% threshold: a member's effect is diluted by team size."""
    lower(TEAM_REACHABLE, REACHABLE, outcome)


@pytest.mark.parametrize("other", [FLAT, BONUS], ids=lambda o: o[1])
@pytest.mark.parametrize("outcome", ["true_csat", "fcr"])
def test_team_goal_gives_better_true_outcomes(other: tuple[str, str], outcome: str) -> None:
    """Through its team leader's process time (``process_improvement`` 0.2), not its money."""
    higher(TEAM, other, outcome)


def test_team_goal_process_time_costs_more_per_resolved_call() -> None:
    higher(TEAM, FLAT, "cost_per_resolved_call")


TALK = "talk_time_target"


@pytest.mark.parametrize(("outcome", "direction"), [
    ("aht", lower), ("repeat_rate", higher), ("fcr", lower), ("mean_stress", higher),
])
def test_six_minute_target(outcome: str, direction: Direction) -> None:
    """Holds (sources 001, 003): six minutes is a stretch for agents averaging about 6.5."""
    direction((TALK, "six_minutes"), (TALK, "flat"), outcome)


RANK = "forced_ranking"


@pytest.mark.parametrize(("outcome", "direction"), [
    ("mean_stress", higher), ("departures", higher), ("fcr", lower), ("rush_rate", higher),
])
def test_rank_and_yank(outcome: str, direction: Direction) -> None:
    """Holds (source 000): more stress and departures, rushing, lower true resolution."""
    direction((RANK, "rank_and_yank"), (RANK, "flat"), outcome)


DEMING = ("deming_management", "deming")
#: Every other scheme run in the same (default) world; the scenario files share it.
OTHERS = [("deming_management", "flat"), ("deming_management", "ranking"), BONUS, TEAM,
          (TALK, "six_minutes")]


def test_scenarios_compared_with_each_other_share_one_world() -> None:
    def world(name: str) -> str:
        return _world(_shrink(isim.Scenario.load(SCENARIOS / f"{name}.toml")))

    assert len({world(name) for name in (SURVEY, TALK, RANK, STOP, DEMING[0])}) == 1


@pytest.mark.parametrize("other", OTHERS, ids=lambda o: o[1])
@pytest.mark.parametrize("outcome", ["true_csat", "fcr"])
def test_deming_gives_better_true_outcomes(other: tuple[str, str], outcome: str) -> None:
    """Holds against every scheme, the team goal included (more process time: 0.5 against 0.2)."""
    higher(DEMING, other, outcome)


@pytest.mark.parametrize("other", [("deming_management", "flat"), ("deming_management", "ranking"),
                                   (TALK, "six_minutes")], ids=lambda o: o[1])
def test_deming_has_fewer_repeat_calls(other: tuple[str, str]) -> None:
    lower(DEMING, other, "repeat_rate")


def test_deming_costs_more_per_resolved_call_than_flat_pay() -> None:
    """Flipped (source 000 claimed equal or lower cost): half the management hours are costed."""
    higher(DEMING, ("deming_management", "flat"), "cost_per_resolved_call")


def test_deming_costs_less_than_the_talk_time_target() -> None:
    lower(DEMING, (TALK, "six_minutes"), "cost_per_resolved_call")


LOYALTY = "loyalty_pay_low_response"


def test_loyalty_bonus_at_low_response_invites_begging() -> None:
    """Holds (source 004): with 5% response a 90% threshold is within reach of luck."""
    begging = results(LOYALTY, "loyalty_bonus")["beg_rate"]
    bound = stats.t.ppf(0.95, len(begging) - 1) * begging.std(ddof=1) / np.sqrt(len(begging))
    assert begging.mean() > bound


def test_requiring_more_answers_lowers_begging() -> None:
    """New direction: begging follows the chance of being paid, which 30 answers lowers."""
    lower((LOYALTY, "loyalty_bonus_min_sample"), (LOYALTY, "loyalty_bonus"), "beg_rate")


@pytest.mark.parametrize(("outcome", "direction"), [
    ("fairness_last", lower), ("intrinsic_last", lower),
])
def test_a_bonus_that_stops_leaves_fairness_and_motivation_below_flat_pay(
        outcome: str, direction: Direction) -> None:
    """Holds (source 002): the reference point has adapted to the money; crowding out lingers."""
    direction(REACHABLE, (STOP, "flat"), outcome)


def test_fairness_rises_while_the_bonus_is_paid() -> None:
    higher(REACHABLE, (STOP, "flat"), "fairness_before")


def test_begging_fades_after_the_stop() -> None:
    mean, bound = paired(REACHABLE, REACHABLE, "beg_last", "beg_before")
    assert mean < -bound, f"begging last period minus the period before = {mean:.4g}"


DIFFER = "people_differ"


@pytest.mark.parametrize("outcome", ["true_csat", "fcr"])
def test_where_people_differ_a_qa_bonus_raises_true_outcomes(outcome: str) -> None:
    """Holds (DESIGN honesty principle): incentives can work where people differ and QA is good."""
    higher((DIFFER, "qa_bonus"), (DIFFER, "flat"), outcome)


@pytest.mark.parametrize("outcome", ["beg_rate", "dump_rate"])
def test_where_people_differ_a_qa_bonus_invites_no_gaming(outcome: str) -> None:
    """QA (30 samples by a careful rater) marks begging and dumping down: neither pays."""
    nobody((DIFFER, "qa_bonus"), outcome)
