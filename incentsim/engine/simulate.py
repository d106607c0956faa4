"""``simulate``: one replication of one policy on one scenario."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import simpy

from incentsim.engine import scheduler
from incentsim.engine.center import Center
from incentsim.engine.collection import fewer_collections
from incentsim.engine.processes import review_clock
from incentsim.engine.records import readable
from incentsim.engine.review import Reviewer
from incentsim.engine.run import Run
from incentsim.policies.base import Policy
from incentsim.policies.builtin import Flat
from incentsim.random import Streams
from incentsim.scenario import Scenario


def simulate(scenario: Scenario, policy: Policy | None = None, seed: int = 0, *,
             replication: int = 0, keep_calls: bool = True, behaviour: Any = None) -> Run:
    """Simulate one replication of ``policy`` on ``scenario``.

    Args:
        scenario: What to simulate.
        policy: The reward or management scheme; ``None`` means salary only (:class:`Flat`).
        seed: Experiment seed (non-negative integer).
        replication: Replication index; replication ``r`` of every policy shares its
            random streams with every other policy's replication ``r``.
        keep_calls: Keep the per-call table in :attr:`Run.calls`. Either way each review
            period's calls are measured at its review and tallied into the summary;
            without them, memory is bounded by one period's calls.
        behaviour: A behaviour model (see :class:`~incentsim.behaviour.BehaviourModel`);
            ``None`` uses :class:`~incentsim.behaviour.DefaultBehaviour` with the
            scenario's behaviour block.

    Returns:
        The :class:`Run`. Same arguments give identical results.

    Example:
        >>> import incentsim as isim
        >>> run = isim.simulate(isim.Scenario.erlang(5, 50, 5, hours=8), seed=1)
        >>> run.summary()["abandon_rate"]
        0.0
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an incentsim.Scenario, got {type(scenario).__name__}")
    with fewer_collections():
        return _simulate(scenario, Flat() if policy is None else policy, seed, replication, keep_calls,
                         behaviour)


def _simulate(scenario: Scenario, policy: Policy, seed: int, replication: int, keep_calls: bool,
              behaviour: Any) -> Run:
    """:func:`simulate` once its arguments are checked."""
    started = time.perf_counter()
    streams = Streams(seed, replication)
    env = simpy.Environment()
    center = Center(env, scenario, streams)
    reviewer = Reviewer(center, policy, behaviour, keep_calls=keep_calls)
    center.calls.start()
    env.process(center.days_process())
    env.process(review_clock(env, center, reviewer))
    scheduler.run(env, center.horizon, center.calls.arrival_stream)
    reviewer(scenario.center.months - 1)
    agents = pd.concat(reviewer.rows, ignore_index=True)
    clock = center.clock
    wage_hours = (float(center.duty_minutes(0.0, clock.horizon).sum())
                  + scenario.center.tier2_agents * clock.horizon) / 60.0
    totals = reviewer.tally.result(agents, hires=reviewer.hires, management_cost=reviewer.management_cost(),
                                   wage_hours=wage_hours)
    days = pd.DataFrame({"day": range(center.days), "defect": center.calls.defect_days.tolist()})
    if keep_calls:
        calls = pd.concat(reviewer.calls, ignore_index=True).sort_values("arrival_time", kind="stable",
                                                                          ignore_index=True)
    else:
        calls = _empty_calls(reviewer)
    calls = readable(calls, [ct.name for ct in scenario.demand.call_types])
    return Run(scenario=scenario, policy=policy, seed=seed, replication=replication,
               calls=calls, agents=agents, days=days, totals=totals,
               meta={"seconds": time.perf_counter() - started})


def _empty_calls(reviewer: Reviewer) -> pd.DataFrame:
    """A call table with the run's columns and no rows (``keep_calls=False``)."""
    assert reviewer.columns_template is not None  # set at the first review
    return reviewer.columns_template.iloc[0:0]
