"""The measurement model in expectation agrees with what the engine and the measurement layer produce."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import incentsim as isim
from incentsim.behaviour import CallSample, ConductPlan, expected_kpis, tabulate
from incentsim.engine import review as review_module


class FixedConduct:
    """A behaviour model holding every agent to one conduct plan (no learning, no quits)."""

    def __init__(self, **conduct: float) -> None:
        self.conduct = conduct

    def initial_state(self, n: int, rng: np.random.Generator) -> int:
        return n

    def perceive(self, state: int, reading: Any) -> int:
        return state

    def plan(self, state: int) -> ConductPlan:
        base = ConductPlan.neutral(state)
        return ConductPlan(**{name: np.full(state, self.conduct.get(name, float(getattr(base, name)[0])))
                              for name in ("care", "speed", "rush", "dump", "beg", "helping")})

    def update(self, state: int, outcome: Any) -> int:
        return state

    def quit_probability(self, state: int, outcome: Any) -> np.ndarray:
        return np.zeros(state)

    def hire(self, state: int, seats: np.ndarray, rng: np.random.Generator) -> int:
        return state

    def columns(self, state: int) -> dict[str, np.ndarray]:
        return {}


SC = isim.Scenario(
    center={"tier1_agents": 20, "tier2_agents": 4, "months": 3, "days_per_month": 12},
    demand={"calls_per_hour": 150.0},
    system={"defect_day_probability": 0.0},
    people={"speed_sd": 0.0, "quality_sd": 0.0, "initial_tenure_days": 5000.0},
    measurement={"qa": {"samples": 40}},
)


@pytest.mark.parametrize("conduct", [
    {},
    {"care": 1.1, "rush": 0.3},
    {"beg": 0.6, "dump": 0.5, "care": 0.95},
    {"speed": 0.85, "rush": 0.5, "beg": 0.3},
])
def test_expected_numbers_match_the_engine(conduct: dict[str, float], monkeypatch: pytest.MonkeyPatch) -> None:
    samples: list[CallSample] = []
    original = review_module.perceive

    def capture(*args: Any, **kwargs: Any) -> Any:
        samples.append(args[5])
        return original(*args, **kwargs)

    monkeypatch.setattr(review_module, "perceive", capture)
    run = isim.simulate(SC, isim.policies.Flat(), seed=11, behaviour=FixedConduct(**conduct))
    n = SC.center.tier1_agents
    full = ConductPlan.neutral(n)
    plan = FixedConduct(**conduct).plan(n)
    care, speed = plan.care, plan.speed
    # every review's sample (drawn from one period's calls, standing for the next), averaged:
    # one sample's transfer rate alone moves by about a point from one period to the next
    readings = []
    for sample in samples[1:]:
        tables = [tabulate(sample, np.ones(n), np.zeros(n), care, SC)]
        k = expected_kpis(tables, np.zeros(n, np.int64), speed, plan.rush, plan.beg, plan.dump, sample, SC)
        k = expected_kpis(tables, np.zeros(n, np.int64), speed, plan.rush, plan.beg, plan.dump, sample, SC,
                          centre_aht=float(np.mean(k.aht)))
        readings.append(k)

    def mean(name: str) -> float:
        return float(np.mean([np.mean(getattr(k, name)) for k in readings]))

    later = run.agents[run.agents["period"] >= 1]
    calls = later["calls"].sum()
    assert mean("aht") == pytest.approx(np.average(later["aht"], weights=later["calls"]), rel=0.03)
    assert mean("transfer_rate") == pytest.approx(
        np.average(later["transfer_rate"], weights=later["calls"]), abs=0.01)
    assert mean("response_rate") == pytest.approx(later["survey_responses"].sum() / calls, abs=0.01)
    assert mean("csat") == pytest.approx(
        later["survey_positive"].sum() / later["survey_responses"].sum(), abs=0.025)
    assert mean("qa") == pytest.approx(np.average(later["qa"], weights=later["qa_samples"]), abs=1.0)
    assert mean("calls") == pytest.approx(later["calls"].mean(), rel=0.1)
    assert full.care[0] == 1.0  # the neutral plan is the reference
