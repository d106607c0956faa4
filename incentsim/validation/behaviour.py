"""Behaviour against published evidence: crowding out, expectancy, what drives caller satisfaction, sorting.

The checks ``incentsim validate`` runs on the people side of the model, each
against a published figure or direction (``docs/explanation/validation.md``
lists the targets and their sources):

* Deci, Koestner & Ryan (1999): free-choice effect sizes of performance-,
  completion- and engagement-contingent rewards and of positive feedback, from
  the model's own simulated free-choice experiment;
* expectancy (Lee, Locke & Phan 1997; Mowen, Middlemist & Luther 1981: an
  all-or-nothing bonus on a goal out of reach motivates less than one on a goal
  within reach): gaming under a survey bonus nobody can reach, as a share of the
  gaming under one near the agents' level, is small;
* Feinberg et al. (2000): handle time is barely related to caller satisfaction,
  while first-contact resolution matters (flat pay, per answered call);
* sorting (Lazear 2000): where people differ and pay follows a quality metric,
  pay follows true quality (the better agents earn more bonus), the channel by
  which pay for performance keeps them: quit odds fall with the bonus an agent
  expects (:func:`incentsim.behaviour.quit_probability`). Who actually leaves is
  not checked: at this size a run has two or three leavers, too few to tell.
"""

from __future__ import annotations

import math

import numpy as np

from incentsim.validation.results import CheckResult, Sizes

#: A small centre for the behaviour checks (shrunk baseline: 20 agents, busy about 85%).
SMALL = {"center.tier1_agents": 20, "center.tier2_agents": 3, "center.months": 3,
         "center.days_per_month": 8, "demand.calls_per_hour": 142.0}


def crowding_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Simulated free-choice d against Deci, Koestner & Ryan (1999), by condition."""
    from scipy import stats

    from incentsim.behaviour.crowding import DKR_1999_D, free_choice_experiment
    from incentsim.scenario.behaviour import Motivation

    n = 2_000 * sizes.churn_replications
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    out = []
    for k, (condition, target) in enumerate(DKR_1999_D.items()):
        result = free_choice_experiment(Motivation(), condition,  # type: ignore[arg-type]
                                        n, np.random.default_rng([seed, k]))
        half = z * math.sqrt(2.0 / n + target**2 / (4.0 * n))  # standard error of Cohen's d
        out.append(CheckResult(f"Deci, Koestner & Ryan 1999: free-choice d, {condition}", result.d,
                               target, half, abs(result.d - target) <= half,
                               f"{n:,} simulated subjects per group"))
    return out


def _runs(scenario: object, policy: object, sizes: Sizes, seed: int) -> list[dict[str, float]]:
    from incentsim.engine.simulate import simulate

    return [simulate(scenario, policy=policy, seed=seed, replication=r,  # type: ignore[arg-type]
                     keep_calls=False).summary() for r in range(max(2, sizes.churn_replications))]


def expectancy_check(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Gaming at an unreachable survey threshold over gaming at one near the agents' level."""
    from incentsim.policies import IndividualBonus
    from incentsim.scenario import Scenario

    sc = Scenario.shipped("baseline").replace(**SMALL)

    def gaming(threshold: float) -> float:
        runs = _runs(sc, IndividualBonus("csat", threshold), sizes, seed)
        return float(np.mean([r["beg_rate"] + r["dump_rate"] + r["rush_rate"] for r in runs]))

    near, unreachable = gaming(0.7), gaming(0.99)
    ratio = unreachable / near if near > 0 else math.nan
    return [CheckResult("Expectancy (Lee, Locke & Phan 1997): gaming out of reach / within reach",
                        ratio, 0.0, 0.3, bool(near > 0 and ratio <= 0.3),
                        f"survey bonus at 99% vs 70% (flat-pay CSAT about 69%), {SMALL['center.tier1_agents']}"
                        " agents; one-sided: at most 0.3")]


def satisfaction_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Feinberg et al. (2000): handle time barely matters to callers, resolution does."""
    from incentsim.engine.simulate import simulate
    from incentsim.scenario import Scenario

    run = simulate(Scenario.shipped("baseline").replace(**SMALL), seed=seed)
    calls = run.calls[run.calls["answered"].to_numpy()]
    r = float(np.corrcoef(calls["handle_time"], calls["true_satisfaction"])[0, 1])
    resolved = calls["resolved"].to_numpy() & (calls["transfer"].astype(str).to_numpy() == "none")
    lift = float(calls.loc[resolved, "true_satisfaction"].mean() - calls.loc[~resolved, "true_satisfaction"].mean())
    return [
        CheckResult("Feinberg et al. 2000: |corr(handle time, satisfaction)| per call", abs(r), 0.0, 0.15,
                    abs(r) <= 0.15, f"flat pay, {len(calls):,} answered calls; one-sided: at most 0.15"),
        CheckResult("Feinberg et al. 2000: satisfaction lift of first-contact resolution", lift, 0.2, 0.0,
                    lift >= 0.2, "resolved at first contact minus not; one-sided: at least 0.2"),
    ]


def sorting_check(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Lazear (2000): where pay follows true quality, the better agents are paid more.

    Under a QA bonus where people differ, the rank correlation (pooled over
    replications, one point per agent) between an agent's true first-contact
    resolution over its tenure and the bonus it was paid. Positive means the better
    agents expect more pay, which lowers their quit odds (the sorting channel).
    """
    from scipy.stats import spearmanr

    from incentsim.engine.simulate import simulate
    from incentsim.policies import IndividualBonus
    from incentsim.scenario import Scenario

    sc = Scenario.shipped("people_differ").replace(**{**SMALL, "center.months": 6})
    quality: list[float] = []
    paid: list[float] = []
    for r in range(max(2, sizes.churn_replications)):
        agents = simulate(sc, policy=IndividualBonus("qa", 82.0), seed=seed, replication=r,
                          keep_calls=False).agents
        per = agents.groupby("agent").agg(true_fcr=("true_fcr", "mean"), bonus=("bonus", "sum")).dropna()
        quality.extend(per["true_fcr"].tolist())
        paid.extend(per["bonus"].tolist())
    rho = float(spearmanr(quality, paid).statistic) if len(quality) > 2 else math.nan
    return [CheckResult("Lazear 2000: rank correlation of true resolution and bonus under QA pay", rho, 0.0, 0.0,
                        bool(np.isfinite(rho)) and rho > 0,
                        f"people_differ, {len(quality)} agents pooled; one-sided: above 0")]


__all__ = ["crowding_checks", "expectancy_check", "satisfaction_checks", "sorting_check"]
