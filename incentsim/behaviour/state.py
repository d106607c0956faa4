"""The motivation state of every agent: one array per quantity, one entry per seat.

What it represents comes from DESIGN.md section 2 (sources 000, 002 and
Deci, Koestner & Ryan 1999): intrinsic motivation and the trait it returns to,
stress, felt fairness, the reward reference point (a usual bonus is expected,
source 002), focus on the measured metric, and what each agent believes the
policy's reviews do to people like them (:mod:`incentsim.behaviour.perception`).
All quantities lie in 0..1 except ``reference`` and the beliefs in money.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from incentsim.behaviour.perception import LEVERS


@dataclass(frozen=True)
class Beliefs:
    """What each agent believes the next review will do to them (arrays over seats).

    Attributes:
        returns: Money-equivalent return of each kind of conduct in
            :data:`~incentsim.behaviour.perception.LEVERS`, shape ``(n, 6)``.
        stakes: Money that depends on the agent's measured numbers.
        completion: Share of that money tied to the number of calls.
        p_warning: Chance of a warning.
        p_fire: Chance of being fired.
        ranked: Chance of being ranked.
        fresh: Whether the agent has no belief yet (a new hire takes the first
            reading whole).
    """

    returns: np.ndarray
    stakes: np.ndarray
    completion: np.ndarray
    p_warning: np.ndarray
    p_fire: np.ndarray
    ranked: np.ndarray
    fresh: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Beliefs:
        """No belief yet: every agent takes the first reading whole."""
        zero = np.zeros(n)
        return cls(returns=np.zeros((n, len(LEVERS))), stakes=zero, completion=zero.copy(),
                   p_warning=zero.copy(), p_fire=zero.copy(), ranked=zero.copy(),
                   fresh=np.ones(n, dtype=bool))

    def ret(self, lever: str) -> np.ndarray:
        """The believed return of one kind of conduct."""
        return self.returns[:, LEVERS.index(lever)]


@dataclass(frozen=True)
class MotivationState:
    """Per-seat motivation (arrays of one length; a new object after every change).

    Attributes:
        intrinsic: Intrinsic motivation now, 0 to 1.
        trait: The agent's own level of intrinsic motivation with no reward or
            feedback in force; ``intrinsic`` settles back to it.
        stress: Stress, 0 to 1.
        fairness: Felt fairness, 0 (resentful) to 1.
        reference: Reward reference point: the bonus per period the agent has come
            to expect (money).
        focus: Focus on the measured numbers rather than the customer, 0 to 1.
        colleagues_sanctioned: Share of colleagues warned or fired at the last
            review (a warning weighted by ``perception.warning_threat``).
        feedback: Informational feedback received at the last review, 0 to 1.
        beliefs: What each agent believes the next review will do.
    """

    intrinsic: np.ndarray
    trait: np.ndarray
    stress: np.ndarray
    fairness: np.ndarray
    reference: np.ndarray
    focus: np.ndarray
    colleagues_sanctioned: np.ndarray
    feedback: np.ndarray
    beliefs: Beliefs

    def __post_init__(self) -> None:
        sizes = {f.name: np.shape(getattr(self, f.name)) for f in fields(self) if f.name != "beliefs"}
        if len(set(sizes.values())) != 1:
            raise ValueError(f"MotivationState arrays must share one shape, got {sizes}")

    @property
    def n(self) -> int:
        """Number of seats."""
        return int(np.shape(self.intrinsic)[0])

    def with_seats(self, seats: np.ndarray | int, **values: np.ndarray | float) -> MotivationState:
        """A copy with the given fields overwritten at ``seats``.

        Args:
            seats: Seat index or indices.
            **values: Field name to new value(s) for those seats.
        """
        changed: dict[str, np.ndarray] = {}
        for name, value in values.items():
            arr = np.array(getattr(self, name), dtype=float, copy=True)
            arr[seats] = value
            changed[name] = arr
        return replace(self, **changed)  # type: ignore[arg-type]

    def mean(self) -> dict[str, float]:
        """Mean of every per-seat field (for summaries)."""
        return {f.name: float(np.mean(getattr(self, f.name))) for f in fields(self) if f.name != "beliefs"}
