"""The contract between behaviour models and the engine.

A behaviour model turns each agent's motivation state and the policy's
:class:`~incentsim.policies.Signals` into a :class:`ConductPlan`: per-agent
propensities that the engine applies call by call until the next review. At
each review the engine hands the model a :class:`PeriodOutcome` (what happened
to each agent) and gets the next state back. The engine never needs to know how
a model thinks, so a researcher can swap in their own (see
:class:`BehaviourModel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from incentsim.policies.base import Signals


@dataclass
class ConductPlan:
    """Per-agent propensities in force until the next review (arrays of one length).

    Attributes:
        care: Care per call, 1 = normal; more care makes calls longer and more
            often resolved (effect sizes in ``scenario.behaviour.conduct``).
        speed: Handle-time multiplier from effort, 1 = normal.
        rush: Chance a call is rushed.
        dump: Chance a caller at or above the dump threshold of upset is dumped.
        beg: Chance the agent asks the caller for a good rating.
        helping: Effort spent helping colleagues and sharing fixes, 0 to 1.
    """

    care: np.ndarray
    speed: np.ndarray
    rush: np.ndarray
    dump: np.ndarray
    beg: np.ndarray
    helping: np.ndarray

    @classmethod
    def neutral(cls, n: int) -> ConductPlan:
        """Normal care and speed, no gaming, no helping."""
        return cls(care=np.ones(n), speed=np.ones(n), rush=np.zeros(n), dump=np.zeros(n),
                   beg=np.zeros(n), helping=np.zeros(n))


@dataclass
class PeriodOutcome:
    """What happened to each agent in a review period (arrays aligned with the state).

    Attributes:
        bonus: Money paid this period.
        rank_percentile: Rank as a percentile, 0 = best, 1 = worst; NaN if unranked.
        warned: Whether the agent received a warning.
        coached: Whether the agent was coached.
        occupancy: Share of available time spent handling calls.
        signals: The policy's signals after the review.
    """

    bonus: np.ndarray
    rank_percentile: np.ndarray
    warned: np.ndarray
    coached: np.ndarray
    occupancy: np.ndarray
    signals: Signals


class BehaviourModel(Protocol):
    """What a behaviour model provides (the default is :class:`incentsim.behaviour.DefaultBehaviour`)."""

    def initial_state(self, n: int, rng: np.random.Generator) -> object:
        """The motivation state of ``n`` experienced agents at the start."""
        ...

    def plan(self, state: object, signals: Signals) -> ConductPlan:
        """Per-agent propensities given state and the policy's signals."""
        ...

    def update(self, state: object, outcome: PeriodOutcome) -> object:
        """The state after a review period."""
        ...
