"""Crowding out of intrinsic motivation by rewards, calibrated to Deci, Koestner & Ryan (1999).

Deci, Koestner & Ryan (1999, Psychological Bulletin 125(6), 627-668) pooled 128
experiments in which people did an interesting task, some for a reward, and
then were left alone with it: the time they chose to spend on it after the
reward stopped (free-choice behaviour) measures intrinsic motivation. Their
free-choice effect sizes (Cohen's d, reward vs control) are -0.28 for
performance-contingent, -0.36 for completion-contingent and -0.40 for
engagement-contingent tangible rewards, and +0.33 for positive (informational)
feedback.

The model (the same function drives agents in the call centre):

* an agent's settled intrinsic motivation is ``trait - crowding_c * s + feedback_boost * f``
  (clipped to 0..1), where ``s`` is the controlling salience of what rides on
  the agent's measured numbers (0..1: felt stakes, being ranked and felt threat,
  see :class:`incentsim.behaviour.DefaultBehaviour`), ``c`` its contingency and
  ``f`` informational feedback (0..1);
* each review period intrinsic motivation moves ``adapt_rate`` of the way to
  that level (:func:`intrinsic_step`).

The simulated free-choice experiment (:func:`free_choice_experiment`) draws
subjects' traits from the agents' distribution, gives the reward group one
fully salient reward (``s = 1``) and the control group none, lets intrinsic
motivation settle (a lab session), then measures free-choice behaviour as
intrinsic motivation plus situational noise of sd ``free_choice_noise``.
Ignoring the clip at 0 and 1, Cohen's d is therefore

``d = -crowding_c / sqrt(intrinsic_sd**2 + free_choice_noise**2)``

and :func:`crowding_for_d` inverts it. Assumptions: the sustained effect of a
reward in force in the centre equals the lab effect at full salience; the
free-choice noise (0.2) sets the scale and is not from a source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from incentsim.scenario.behaviour import Motivation

Condition = Literal["performance", "completion", "engagement", "feedback"]

#: Deci, Koestner & Ryan (1999), free-choice effect sizes (d) by condition.
DKR_1999_D: dict[str, float] = {
    "performance": -0.28,
    "completion": -0.36,
    "engagement": -0.40,
    "feedback": 0.33,
}


def crowding(params: Motivation, contingency: str) -> float:
    """Drop of intrinsic motivation under a fully salient reward of a contingency.

    ``"none"`` (a lever with no stated contingency, such as ranking or a threat)
    is treated as performance-contingent: it depends on reaching a standard.

    Args:
        params: Motivation parameters.
        contingency: ``none``, ``engagement``, ``completion`` or ``performance``.

    Raises:
        ValueError: For an unknown contingency.
    """
    table = {
        "none": params.crowding_performance,
        "performance": params.crowding_performance,
        "completion": params.crowding_completion,
        "engagement": params.crowding_engagement,
    }
    if contingency not in table:
        raise ValueError(f"unknown contingency {contingency!r}; allowed: {', '.join(table)}")
    return table[contingency]


def settled_intrinsic(trait: np.ndarray, pressure: np.ndarray | float,
                      support: np.ndarray | float) -> np.ndarray:
    """The level intrinsic motivation settles at under a reward and feedback.

    Args:
        trait: Trait intrinsic motivation (0..1).
        pressure: Crowding pressure, ``crowding_c * controlling salience``.
        support: Informational support, ``feedback_boost * feedback``.
    """
    return np.clip(np.asarray(trait, dtype=float) - pressure + support, 0.0, 1.0)


def intrinsic_step(intrinsic: np.ndarray, trait: np.ndarray, pressure: np.ndarray | float,
                   support: np.ndarray | float, adapt_rate: float) -> np.ndarray:
    """Intrinsic motivation after one review period.

    Args:
        intrinsic: Intrinsic motivation now.
        trait: Trait intrinsic motivation.
        pressure: Crowding pressure this period.
        support: Informational support this period.
        adapt_rate: Share of the way to the settled level covered in a period.
    """
    target = settled_intrinsic(trait, pressure, support)
    return np.asarray(intrinsic, dtype=float) + adapt_rate * (target - intrinsic)


def draw_traits(params: Motivation, n: int, rng: np.random.Generator) -> np.ndarray:
    """Trait intrinsic motivation of ``n`` people (normal, clipped to 0..1)."""
    return np.clip(rng.normal(params.intrinsic_mean, params.intrinsic_sd, n), 0.0, 1.0)


def cohens_d(treated: np.ndarray, control: np.ndarray) -> float:
    """Cohen's d with the pooled standard deviation."""
    n1, n0 = len(treated), len(control)
    pooled = ((n1 - 1) * np.var(treated, ddof=1) + (n0 - 1) * np.var(control, ddof=1)) / (
        n1 + n0 - 2)
    return float((np.mean(treated) - np.mean(control)) / math.sqrt(pooled))


@dataclass(frozen=True)
class FreeChoiceResult:
    """Outcome of one simulated free-choice experiment.

    Attributes:
        condition: The reward condition.
        d: Cohen's d of free-choice behaviour, reward vs control.
        predicted_d: The analytic mapping's d (ignoring the clip at 0 and 1).
        n_per_group: Subjects per group.
    """

    condition: str
    d: float
    predicted_d: float
    n_per_group: int


def free_choice_experiment(params: Motivation, condition: Condition, n_per_group: int,
                           rng: np.random.Generator) -> FreeChoiceResult:
    """Simulate a free-choice experiment for one reward condition against a control group.

    Args:
        params: Motivation parameters (the model's own crowding and trait spread).
        condition: ``performance``, ``completion``, ``engagement`` or ``feedback``.
        n_per_group: Subjects per group (at least 2).
        rng: Random generator.

    Raises:
        ValueError: For an unknown condition or fewer than 2 subjects per group.
    """
    if condition not in DKR_1999_D:
        raise ValueError(f"unknown condition {condition!r}; allowed: {', '.join(DKR_1999_D)}")
    if n_per_group < 2:
        raise ValueError("n_per_group must be at least 2")
    traits = draw_traits(params, 2 * n_per_group, rng)
    control_traits, reward_traits = traits[:n_per_group], traits[n_per_group:]
    if condition == "feedback":
        pressure, support = 0.0, params.feedback_boost
    else:
        pressure, support = crowding(params, condition), 0.0
    # a lab session: motivation settles fully (adapt_rate 1), then the reward stops
    control = intrinsic_step(control_traits, control_traits, 0.0, 0.0, 1.0)
    rewarded = intrinsic_step(reward_traits, reward_traits, pressure, support, 1.0)
    noise = rng.normal(0.0, params.free_choice_noise, 2 * n_per_group)
    d = cohens_d(rewarded + noise[n_per_group:], control + noise[:n_per_group])
    return FreeChoiceResult(condition=condition, d=d, predicted_d=predicted_d(params, condition),
                            n_per_group=n_per_group)


def free_choice_scale(params: Motivation) -> float:
    """Standard deviation of free-choice behaviour: ``sqrt(intrinsic_sd**2 + noise**2)``."""
    return math.hypot(params.intrinsic_sd, params.free_choice_noise)


def predicted_d(params: Motivation, condition: Condition) -> float:
    """Cohen's d the mapping predicts for a condition (ignoring the clip at 0 and 1)."""
    effect = params.feedback_boost if condition == "feedback" else -crowding(params, condition)
    return effect / free_choice_scale(params)


def crowding_for_d(d: float, params: Motivation) -> float:
    """The crowding (or feedback boost, for positive ``d``) that gives effect size ``d``.

    Args:
        d: Target Cohen's d.
        params: Motivation parameters (only the trait spread and noise are used).
    """
    return abs(d) * free_choice_scale(params)


def calibrated(params: Motivation, targets: dict[str, float] | None = None) -> Motivation:
    """A copy of ``params`` whose crowding and feedback reproduce the target d values.

    Args:
        params: Motivation parameters to recalibrate (e.g. after changing the noise).
        targets: d per condition; defaults to :data:`DKR_1999_D`.
    """
    targets = {**DKR_1999_D, **(targets or {})}
    return params.model_copy(update={
        "crowding_performance": crowding_for_d(targets["performance"], params),
        "crowding_completion": crowding_for_d(targets["completion"], params),
        "crowding_engagement": crowding_for_d(targets["engagement"], params),
        "feedback_boost": crowding_for_d(targets["feedback"], params),
    })
