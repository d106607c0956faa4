"""Helpers for experiment tests: small shipped scenarios and a fake run-one function.

The fake stands in for the engine where a test is about the experiment layer
(plan, executors, storage) rather than the model: it is deterministic in
(seed, replication, policy), fast, and counts its calls.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import incentsim as isim
from incentsim.policies.base import Policy

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline.toml"


def small_baseline(**changes: Any) -> isim.Scenario:
    """The shipped baseline scenario shrunk to 10 agents and one month (about 8,000 calls)."""
    shrink = {"center.tier1_agents": 10, "center.tier2_agents": 1, "center.months": 1,
              "demand.calls_per_hour": 71.0}
    return isim.Scenario.load(BASELINE).replace(**{**shrink, **changes})


class FakeRun:
    """Looks like an engine Run: agents, calls and summary()."""

    def __init__(self, seed: int, replication: int, shift: float, agents: int) -> None:
        rng = np.random.default_rng([seed, replication])
        luck = rng.normal(size=3)  # shared by every policy: common random numbers
        self._summary = {"mean_wait": 1.0 + luck[0] + shift, "true_csat": 0.7 + 0.1 * luck[1],
                         "quits": float(rng.integers(0, 3))}
        self.agents = pd.DataFrame({
            "agent": np.repeat(np.arange(agents), 2), "period": np.tile([0, 1], agents),
            "aht": 6.0 + rng.normal(size=2 * agents) + shift,
        })
        self.calls = pd.DataFrame({"call_id": np.arange(5), "handle_time": rng.exponential(6.0, 5)})

    def summary(self) -> dict[str, float]:
        """Outcomes."""
        return dict(self._summary)


class FakeSimulator:
    """A picklable-free fake ``simulate`` that records each call it gets.

    Args:
        delay: Seconds to sleep per run, varied by replication so that thread
            pools finish out of order.
        interrupt_after: Raise KeyboardInterrupt on this many-th call (1-based).
    """

    def __init__(self, delay: float = 0.0, interrupt_after: int | None = None) -> None:
        self.delay = delay
        self.interrupt_after = interrupt_after
        self.calls: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def __call__(self, scenario: isim.Scenario, policy: Policy, seed: int, *, replication: int,
                 keep_calls: bool) -> FakeRun:
        with self._lock:
            self.calls.append((repr(policy), replication))
            count = len(self.calls)
        if self.interrupt_after is not None and count >= self.interrupt_after:
            raise KeyboardInterrupt
        if self.delay:
            time.sleep(self.delay * ((replication * 7919) % 5) / 5)
        shift = shift_of(policy)
        return FakeRun(seed, replication, shift, agents=scenario.center.tier1_agents)


def shift_of(policy: Policy) -> float:
    """What the fake adds to every outcome under a policy: a bonus's amount / 100, else 0."""
    return float(getattr(policy, "amount", 0.0)) / 100.0


def fake_policies() -> dict[str, Policy]:
    """Three policies for the fake simulator: a baseline, one shifted up by 0.5, one not shifted."""
    return {"flat": isim.policies.Flat(),
            "up": isim.policies.IndividualBonus(metric="csat", threshold=0.9, amount=50.0),
            "same": isim.policies.HandleTimeTarget(minutes=6.0)}


class NoisySimulator:
    """A fake engine whose policies differ by shift plus their own noise (so the rule has work to do)."""

    def __init__(self, noise: float = 0.02, interrupt_after: int | None = None) -> None:
        self.noise = noise
        self.interrupt_after = interrupt_after
        self.calls: list[tuple[str, int]] = []

    def __call__(self, scenario: isim.Scenario, policy: Policy, seed: int, *, replication: int,
                 keep_calls: bool) -> object:
        self.calls.append((type(policy).__name__, replication))
        if self.interrupt_after is not None and len(self.calls) >= self.interrupt_after:
            raise KeyboardInterrupt
        luck = np.random.default_rng([seed, replication]).normal()
        own = np.random.default_rng([seed, replication, len(type(policy).__name__)]).normal()
        shift = shift_of(policy) / 10  # "up" is 0.05 higher, "same" is not
        true = 0.7 + 0.05 * luck + shift + self.noise * own
        return NoisyRun({"true_csat": true, "measured_csat": true + 0.1, "service_level": 0.8 + 0.01 * luck})


class NoisyRun:
    """Looks like an engine Run."""

    def __init__(self, summary: dict[str, float]) -> None:
        self._summary = summary
        self.agents = pd.DataFrame({"agent": [0], "period": [0], "aht": [6.0]})
        self.calls = pd.DataFrame({"call_id": [0]})

    def summary(self) -> dict[str, float]:
        """Outcomes."""
        return dict(self._summary)
