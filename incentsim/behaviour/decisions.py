"""Per-call propensities from motivation state and the incentive in force.

What each propensity models (source in brackets; the functional forms and
sizes are assumptions, with parameters in ``scenario.behaviour.decisions``):

* **care** rises with intrinsic motivation (source 000: service people like
  helping people), falls with stress (source 001: the talk-time goal's stress
  hurt service) and with focus on a speed metric, and rises when a quality
  metric is rewarded: rewards can work (DESIGN.md honesty principle).
* **speed** (handle-time multiplier) falls with pressure to be fast: effort is
  genuine, so an AHT incentive really shortens calls.
* **rush** only under a handle-time target or individual AHT pay/ranking
  (source 001), growing with threat, focus and low intrinsic motivation, and
  held back when a quality metric is rewarded or ranked too (rushing shows on
  QA and surveys).
* Gaming propensities saturate: ``max_propensity * (1 - exp(-drive))``, where
  the drive is the product of a scale, the salience and the motive, so
  stacking levers has diminishing returns.
* **beg** and **dump** only when CSAT is paid or ranked individually
  (source 001's $100 bonus), growing with stakes, threat, focus and low
  intrinsic motivation. A team reward on CSAT removes most dumping, because
  dumping on colleagues hurts the team score; team stakes count toward gaming
  only at ``team_gaming_share`` (0 by default).
* **helping** colleagues and sharing fixes rises with intrinsic motivation,
  team rewards and informational feedback, and ranking suppresses it
  (sources 000 and 001).

With :class:`~incentsim.policies.Signals` of no incentive every gaming
propensity is exactly 0.
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.conduct import ConductPlan
from incentsim.behaviour.salience import Salience
from incentsim.behaviour.state import MotivationState
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Behaviour


def gaming_motive(state: MotivationState, threat: float, threat_weight: float,
                  low_intrinsic_weight: float) -> np.ndarray:
    """How strongly each agent acts on a gaming opportunity (1 at focus 0.5, intrinsic 1, no threat).

    Args:
        state: Motivation state.
        threat: Threat of sanctions, 0..1.
        threat_weight: Relative rise per unit of threat.
        low_intrinsic_weight: Relative rise per unit of intrinsic motivation below 1.
    """
    return ((0.5 + state.focus) * (1.0 + threat_weight * threat)
            * (1.0 + low_intrinsic_weight * (1.0 - state.intrinsic)))


def saturate(drive: np.ndarray, ceiling: float) -> np.ndarray:
    """A propensity from a drive >= 0: ``ceiling * (1 - exp(-drive))``.

    Linear (``ceiling * drive``) for small drives and never above the ceiling, so
    stacking levers (stakes, ranking, threat, focus) has diminishing returns.
    """
    return ceiling * -np.expm1(-np.maximum(drive, 0.0))


def plan_conduct(state: MotivationState, signals: Signals, sal: Salience,
                 params: Behaviour) -> ConductPlan:
    """Per-agent propensities until the next review.

    Args:
        state: Motivation state.
        signals: The policy's signals.
        sal: Their salience (:func:`incentsim.behaviour.salience.salience`).
        params: Behaviour parameters.
    """
    d = params.decisions
    n = state.n
    threat = min(1.0, max(0.0, float(signals.threat)))

    care = (1.0
            + d.care_intrinsic * (state.intrinsic - params.motivation.intrinsic_mean)
            - d.care_stress * (state.stress - params.stress.base)
            - d.care_time_focus * state.focus * sal.time_pressure
            + d.care_effort * sal.quality)
    care = np.clip(care, d.care_min, d.care_max)

    speed = np.full(n, max(d.speed_min, 1.0 - d.speed_effort * sal.time_pressure))

    zero = np.zeros(n)
    survey_gaming = sal.csat_individual + d.team_gaming_share * sal.csat_team
    if survey_gaming > 0:
        motive = gaming_motive(state, threat, d.gaming_threat, d.gaming_low_intrinsic)
        beg = saturate(d.beg_scale * survey_gaming * motive, d.max_propensity)
        dump = saturate(d.dump_scale * survey_gaming * motive
                        * (1.0 - d.team_dump_reduction * sal.csat_team), d.max_propensity)
    else:
        beg, dump = zero, zero.copy()
    if sal.rush_pressure > 0:
        motive = gaming_motive(state, threat, d.rush_threat, d.gaming_low_intrinsic)
        restraint = 1.0 - d.rush_quality_restraint * sal.quality
        rush = saturate(d.rush_scale * sal.rush_pressure * motive * restraint, d.max_propensity)
    else:
        rush = zero.copy()

    mean_intrinsic = params.motivation.intrinsic_mean
    relative_intrinsic = state.intrinsic / mean_intrinsic if mean_intrinsic > 0 else zero + 1.0
    feedback = min(1.0, max(0.0, float(signals.feedback)))
    helping = (d.helping_base * relative_intrinsic + d.helping_team * sal.team_any
               + d.helping_feedback * feedback)
    helping = np.clip(helping * (1.0 - d.helping_ranking_suppression * bool(signals.ranking)),
                      0.0, 1.0)
    return ConductPlan(care=care, speed=speed, rush=rush, dump=dump, beg=beg, helping=helping)
