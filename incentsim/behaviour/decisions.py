"""Per-call propensities from motivation state and the returns agents believe conduct brings.

Every incentive term reads a *return*: the money-equivalent gain that a kind
of conduct would bring at the next review, as read from the policy's own
review (:mod:`incentsim.behaviour.perception`). A return of ``x`` is felt as
``x / (x + stakes_half)``, so a return nobody can earn is felt as nothing.
What each propensity models (the functional forms and sizes are assumptions,
with parameters in ``scenario.behaviour.decisions``):

* **care** rises with intrinsic motivation (source 000: service people like
  helping people), falls with stress (source 001: the talk-time goal's stress
  hurt service), and follows its felt return: up when care pays (a QA or
  survey reward, so incentives can work), down when it costs (a handle-time
  target, since care makes calls longer).
* **speed** (handle-time multiplier) falls with the felt return to effort:
  effort is genuine, so a reward for short calls really shortens them (Jenkins
  et al. 1998: incentives move quantity).
* **rush**, **beg** and **dump** follow their felt returns, scaled by a gaming
  motive that grows with focus on the numbers, the threat of sanctions and low
  intrinsic motivation, and saturate: ``max_propensity * (1 - exp(-drive))``.
  With no return to a kind of gaming it is exactly 0.
* **helping** colleagues and sharing fixes rises with intrinsic motivation and
  informational feedback, and follows its felt return: a team reward shows a
  (diluted) return to helping, a ranking a negative one (helping colleagues
  costs rank; Drago & Garvey 1998 found less helping under strong promotion
  incentives).
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.conduct import ConductPlan
from incentsim.behaviour.state import MotivationState
from incentsim.scenario.behaviour import Behaviour


def felt(amount: np.ndarray, half: float) -> np.ndarray:
    """How strongly a money-equivalent return is felt, in -1..1: ``x / (|x| + half)``."""
    x = np.nan_to_num(np.asarray(amount, dtype=float))
    return x / (np.abs(x) + half)


def gaming_motive(state: MotivationState, threat: np.ndarray, threat_weight: float,
                  low_intrinsic_weight: float) -> np.ndarray:
    """How strongly each agent acts on a gaming return (1 at focus 0.5, intrinsic 1, no threat).

    Args:
        state: Motivation state.
        threat: Threat of sanctions felt by each agent, 0..1.
        threat_weight: Relative rise per unit of threat.
        low_intrinsic_weight: Relative rise per unit of intrinsic motivation below 1.
    """
    return ((0.5 + state.focus) * (1.0 + threat_weight * threat)
            * (1.0 + low_intrinsic_weight * (1.0 - state.intrinsic)))


def saturate(drive: np.ndarray, ceiling: float) -> np.ndarray:
    """A propensity from a drive >= 0: ``ceiling * (1 - exp(-drive))``.

    Linear (``ceiling * drive``) for small drives and never above the ceiling.
    """
    return ceiling * -np.expm1(-np.maximum(drive, 0.0))


def threat(state: MotivationState, params: Behaviour) -> np.ndarray:
    """Threat each agent feels, 0..1: their own sanction risk and what colleagues were dealt.

    ``1 - (1 - w p_warning)(1 - p_fire)(1 - min(1, c s))`` with ``w`` the warning's
    weight, ``s`` the share of colleagues sanctioned at the last review and ``c``
    its weight (``scenario.behaviour.perception``).
    """
    per = params.perception
    b = state.beliefs
    seen = np.minimum(1.0, per.colleague_threat * state.colleagues_sanctioned)
    return 1.0 - (1.0 - per.warning_threat * b.p_warning) * (1.0 - b.p_fire) * (1.0 - seen)


def plan_conduct(state: MotivationState, params: Behaviour) -> ConductPlan:
    """Per-agent propensities until the next review.

    Args:
        state: Motivation state, beliefs included.
        params: Behaviour parameters.
    """
    d = params.decisions
    half = params.motivation.stakes_half
    b = state.beliefs
    care = (1.0
            + d.care_intrinsic * (state.intrinsic - params.motivation.intrinsic_mean)
            - d.care_stress * (state.stress - params.stress.base)
            + d.care_incentive * felt(b.ret("care"), half))
    care = np.clip(care, d.care_min, d.care_max)
    effort = np.maximum(felt(b.ret("effort"), half), 0.0)
    speed = 1.0 - (1.0 - d.speed_min) * effort

    motive = gaming_motive(state, threat(state, params), d.gaming_threat, d.gaming_low_intrinsic)

    def gaming(lever: str, scale: float) -> np.ndarray:
        return saturate(scale * np.maximum(felt(b.ret(lever), half), 0.0) * motive, d.max_propensity)

    mean_intrinsic = params.motivation.intrinsic_mean
    relative = state.intrinsic / mean_intrinsic if mean_intrinsic > 0 else np.ones(state.n)
    helping = (d.helping_base * relative + d.helping_incentive * felt(b.ret("help"), half)
               + d.helping_feedback * state.feedback)
    return ConductPlan(care=care, speed=speed, rush=gaming("rush", d.rush_scale),
                       dump=gaming("dump", d.dump_scale), beg=gaming("beg", d.beg_scale),
                       helping=np.clip(helping, 0.0, 1.0))
