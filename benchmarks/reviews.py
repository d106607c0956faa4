"""Where a full-model replication's time goes at its reviews (no profiler).

Run ``python benchmarks/reviews.py``. It simulates six months of the shipped
baseline under the survey bonus of ``engine.py``, calls not kept (the full model
of ``engine.py``), with a timer around each step of the monthly review, and
prints the run's wall time, the reviews' total and share, and each step's time.
Timers rather than ``cProfile``: the profiler slows per-call Python code far more
than vectorised code, so it understates what the reviews weigh in a real run.
Nested steps are listed under their parent (indented); a parent's time includes
them. ``--months`` changes the horizon, ``--seed`` the seed.
"""

from __future__ import annotations

import argparse
import functools
import os
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import incentsim as isim
from incentsim.behaviour import perception
from incentsim.behaviour.probe_frames import ProbeFrames
from incentsim.engine import review, summary, switchboard

TIMES: defaultdict[str, float] = defaultdict(float)

#: (label, owner, attribute): the steps timed; an indented label is part of the one above.
STEPS: tuple[tuple[str, Any, str], ...] = (
    ("reviews (Reviewer.__call__)", review.Reviewer, "__call__"),
    ("  measure the period's closed calls (_closed_calls)", review.Reviewer, "_closed_calls"),
    ("    take them from the switchboard (close_period)", switchboard.Switchboard, "close_period"),
    ("    truth and surveys (measure_calls)", review, "measure_calls"),
    ("  summary tally (Tally.add)", summary.Tally, "add"),
    ("  QA sampling (qa_scores)", review, "qa_scores"),
    ("  measured KPIs (agent_kpis)", review, "agent_kpis"),
    ("  true KPIs (agent_truth)", review, "agent_truth"),
    ("  agent rows (_rows)", review.Reviewer, "_rows"),
    ("  next period's call sample (_sample)", review.Reviewer, "_sample"),
    ("  perception (perceive)", review, "perceive"),
    ("    expected KPIs (_expected)", perception, "_expected"),
    ("    probed review frames (ProbeFrames.frame)", ProbeFrames, "frame"),
    ("  open the next period (open_period)", switchboard.Switchboard, "open_period"),
)


def _timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - start
    return wrapper


def instrument() -> list[str]:
    """Wrap each step in a timer; returns the labels of the steps found."""
    found = []
    for label, owner, name in STEPS:
        if not hasattr(owner, name):
            continue
        setattr(owner, name, _timed(label, getattr(owner, name)))
        found.append(label)
    return found


class TimedPolicy:
    """The survey bonus of ``engine.py``, timing every call of its review (28 probes per review and the real one)."""

    def __init__(self) -> None:
        self.inner = isim.policies.IndividualBonus(metric="csat", threshold=0.95, amount=100.0)

    def review(self, measured: Any, period: int) -> Any:
        """The bonus's review, timed."""
        start = time.perf_counter()
        try:
            return self.inner.review(measured, period)
        finally:
            TIMES["  the policy's review, every call (probes and real)"] += time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    labels = instrument()
    scenario = isim.Scenario.shipped("baseline").replace(**{"center.months": args.months})
    start = time.perf_counter()
    run = isim.simulate(scenario, TimedPolicy(), seed=args.seed, keep_calls=False)
    total = time.perf_counter() - start
    print(f"load average {os.getloadavg()[0]:.1f}; {int(run.summary()['calls']):,} calls in "
          f"{args.months} months: {total:.2f} s")
    reviews = TIMES[labels[0]]
    print(f"reviews: {reviews:.3f} s ({100 * reviews / total:.0f}% of the run)")
    for label in [*labels, "  the policy's review, every call (probes and real)"]:
        print(f"  {label:<58s} {TIMES[label]:7.3f} s")


if __name__ == "__main__":
    main()
