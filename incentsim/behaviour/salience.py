"""How strongly agents feel what the policy's signals reward and threaten.

A policy speaks to agents only through :class:`~incentsim.policies.Signals`.
This module turns signals into salience numbers in 0..1 that the motivation
dynamics and the per-call decisions read. Stakes saturate: money ``x`` per
period feels ``x / (x + stakes_half)`` as salient as it can (an assumption; with
the default ``stakes_half`` of 100, source 001's $100 bonus is at one half).
Combinations of levers add like independent chances: ``1 - prod(1 - s_i)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Motivation

#: Metrics on which care (quality of service) is the honest way to score.
QUALITY_METRICS: frozenset[str] = frozenset({"csat", "qa"})


def stakes_salience(stakes: float, stakes_half: float) -> float:
    """Salience of money at stake per period, 0 (none) rising to 1.

    Args:
        stakes: Money per agent per period (negative values count as zero).
        stakes_half: Money at which salience is one half.
    """
    stakes = max(0.0, float(stakes))
    return stakes / (stakes + stakes_half)


def combine(*saliences: float) -> float:
    """Combine independent salience sources: ``1 - prod(1 - s)``."""
    remaining = 1.0
    for s in saliences:
        remaining *= 1.0 - min(1.0, max(0.0, s))
    return 1.0 - remaining


@dataclass(frozen=True)
class Salience:
    """What the signals make salient (all in 0..1).

    Attributes:
        individual: Salience of individual stakes.
        team: Salience of team stakes.
        controlling: Controlling pressure of rewards, ranking, threats and targets
            on the individual (what crowds out intrinsic motivation).
        focus: How much the incentive pulls attention to the measured metric.
        csat_individual: Salience of CSAT paid or ranked individually (gaming motive).
        csat_team: Salience of a team reward on CSAT.
        time_pressure: Pressure to be fast: AHT paid or ranked, or a handle-time target.
        rush_pressure: Pressure that makes rushing worthwhile (a biting target, or
            AHT paid or ranked individually); 0 without either.
        quality: Salience of a quality metric (CSAT or QA), individual or team.
        team_any: Salience of any team reward.
        target_bite: How hard the handle-time target bites, 0 (none or generous) to 1.
    """

    individual: float
    team: float
    controlling: float
    focus: float
    csat_individual: float
    csat_team: float
    time_pressure: float
    rush_pressure: float
    quality: float
    team_any: float
    target_bite: float = 0.0


def salience(signals: Signals, params: Motivation, target_bite: float = 1.0) -> Salience:
    """Salience of the policy's signals.

    Args:
        signals: The policy's signals.
        params: Motivation parameters (``stakes_half`` and the lever saliences).
        target_bite: How hard a handle-time target bites, 0..1
            (:mod:`incentsim.behaviour.target`); 1 when unknown.
    """
    ind_stakes = stakes_salience(signals.individual_stakes, params.stakes_half)
    team_stakes = stakes_salience(signals.team_stakes, params.stakes_half)
    individual = ind_stakes if signals.individual_metrics else 0.0
    team = team_stakes if signals.team_metrics else 0.0
    ranking = params.ranking_salience if signals.ranking else 0.0
    threat = params.threat_salience * min(1.0, max(0.0, signals.threat))
    bite = min(1.0, max(0.0, target_bite)) if signals.handle_time_target is not None else 0.0
    target = params.target_salience * bite

    def individual_on(metric: str) -> float:
        if metric not in signals.individual_metrics:
            return 0.0
        return combine(ind_stakes, ranking, threat)

    def team_on(metric: str) -> float:
        return team_stakes if metric in signals.team_metrics else 0.0

    # Under a target, the threat on AHT is the target's enforcement: it presses as hard as
    # the target bites (a generous target is rarely enforced).
    aht_individual = (combine(ind_stakes, ranking, threat * bite)
                      if signals.handle_time_target is not None and "aht" in signals.individual_metrics
                      else individual_on("aht"))
    time_pressure = combine(aht_individual, target, params.team_focus_share * team_on("aht"))
    rush_pressure = combine(aht_individual, target)
    quality = combine(*(individual_on(m) for m in QUALITY_METRICS),
                      *(params.team_focus_share * team_on(m) for m in QUALITY_METRICS))
    return Salience(
        individual=individual,
        team=team,
        controlling=combine(individual, ranking, threat, target,
                            params.team_crowding * team),
        focus=combine(individual, ranking, threat, target, params.team_focus_share * team),
        csat_individual=individual_on("csat"),
        csat_team=team_on("csat"),
        time_pressure=time_pressure,
        rush_pressure=rush_pressure,
        quality=quality,
        team_any=team,
        target_bite=bite,
    )
