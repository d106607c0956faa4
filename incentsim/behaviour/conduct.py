"""The contract between behaviour models and the engine.

At every review the engine hands a behaviour model two things: a
:class:`~incentsim.behaviour.perception.Reading` of what the policy's next
review would do to each agent (:meth:`BehaviourModel.perceive`), and a
:class:`PeriodOutcome` of what the review just did (:meth:`BehaviourModel.update`).
The model turns its state into a :class:`ConductPlan` of per-agent propensities
that the engine applies call by call until the next review, says who quits,
fills vacant seats and reports the state shown in ``run.agents``. Neither input
carries a policy's class, name or any declaration, only consequences, so the
engine never needs to know how a model thinks and a researcher can swap in
their own (see :class:`BehaviourModel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from incentsim.behaviour.perception import Reading


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
        fired: Whether the agent was fired.
        coached: Whether the agent was coached.
        colleagues_sanctioned: Share of the agent's colleagues warned or fired this
            review (a warning weighted by ``perception.warning_threat``).
        occupancy: Share of available time spent handling calls.
        process_share: Share of management time spent improving the process with
            the team this period (agents take part in it).
        productivity: True productivity in standard deviations of the centre's
            spread of skill (0 where people do not differ): what the job market
            would pay for.
        wage: Pay per period before any bonus.
    """

    bonus: np.ndarray
    rank_percentile: np.ndarray
    warned: np.ndarray
    fired: np.ndarray
    coached: np.ndarray
    colleagues_sanctioned: np.ndarray
    occupancy: np.ndarray
    process_share: float
    productivity: np.ndarray
    wage: float


class BehaviourModel(Protocol):
    """Everything the engine asks of a behaviour model.

    The default is :class:`~incentsim.behaviour.DefaultBehaviour`.
    """

    def initial_state(self, n: int, rng: np.random.Generator) -> object:
        """The state of ``n`` experienced agents at the start."""
        ...

    def perceive(self, state: object, reading: Reading) -> object:
        """The state after reading what the next review would do."""
        ...

    def plan(self, state: object) -> ConductPlan:
        """Per-agent propensities until the next review."""
        ...

    def update(self, state: object, outcome: PeriodOutcome) -> object:
        """The state after a review period."""
        ...

    def quit_probability(self, state: object, outcome: PeriodOutcome) -> np.ndarray:
        """Chance each agent quits at this review."""
        ...

    def hire(self, state: object, seats: np.ndarray, rng: np.random.Generator) -> object:
        """The state with new hires in ``seats``."""
        ...

    def columns(self, state: object) -> dict[str, np.ndarray]:
        """Per-seat state shown in ``run.agents`` (name -> array)."""
        ...
