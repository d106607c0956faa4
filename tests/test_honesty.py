"""The honesty principle: where people truly differ and measurement is good, individual incentives can work.

The same schemes are run in two worlds: the baseline centre (mostly system variation on
QA) and ``people_differ.toml`` (wide individual differences, careful QA). Conclusions must
come out of the parameters: in the second world the league table carries signal, and paying
or ranking on QA rewards real differences.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import incentsim as isim
from incentsim.policies import Flat, ForcedRanking, IndividualBonus
from incentsim.stats import rank_consistency, variance_components

# Six monthly periods: with five, a two-sided sign test can never reach p < 0.05.
SHRINK = {"center.tier1_agents": 24, "demand.calls_per_hour": 170.0, "center.months": 6}
REPLICATIONS = 3


@cache
def world(name: str) -> isim.Scenario:
    return isim.Scenario.load(f"scenarios/{name}.toml").replace(**SHRINK)


@cache
def runs(name: str, policy: isim.policies.Policy) -> tuple[isim.Run, ...]:
    return tuple(isim.simulate(world(name), policy=policy, seed=77, replication=r, keep_calls=False)
                 for r in range(REPLICATIONS))


def test_league_table_carries_signal_only_where_people_differ() -> None:
    icc = {}
    share = {}
    for name in ("baseline", "people_differ"):
        agents = isim.simulate(world(name), seed=77).agents
        icc[name] = variance_components(agents, agent="agent", period="period", metric="qa").icc
        share[name] = rank_consistency(agents, agent="agent", period="period", metric="qa",
                                       higher_is_better=True).share_non_random
    assert icc["people_differ"] > 0.5 > icc["baseline"]
    assert share["people_differ"] > share["baseline"] + 0.15


def test_qa_bonus_raises_true_resolution_where_measurement_is_good() -> None:
    flat = runs("people_differ", Flat())
    # a threshold near the agents' own QA level (about 82): expectancy, not an unreachable 95
    bonus = runs("people_differ", IndividualBonus(metric="qa", threshold=82.0, amount=100.0))
    diff = [b.summary()["fcr"] - f.summary()["fcr"] for b, f in zip(bonus, flat, strict=True)]
    assert np.mean(diff) > 0.0
    assert all(d > -0.005 for d in diff)
    assert np.mean([b.summary()["bonus_paid"] for b in bonus]) > 0


@pytest.mark.parametrize("name", ["people_differ"])
def test_ranking_on_good_qa_fires_the_truly_weaker(name: str) -> None:
    fired_fcr, others_fcr = [], []
    for run in runs(name, ForcedRanking(metrics=["qa"], fire_after=2)):
        agents = run.agents
        fired = set(agents.loc[agents["status"] == "fired", "agent"])
        per_agent = agents.groupby("agent")["true_fcr"].mean()
        fired_fcr += [per_agent[a] for a in fired]
        others_fcr += [per_agent[a] for a in per_agent.index if a not in fired]
    assert fired_fcr, "nobody was fired"
    assert np.mean(fired_fcr) < np.mean(others_fcr) - 0.02
