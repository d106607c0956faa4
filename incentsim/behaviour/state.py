"""The motivation state of every agent: one array per quantity, one entry per seat.

What it represents comes from DESIGN.md section 2 (sources 000, 002 and
Deci, Koestner & Ryan 1999): intrinsic motivation and the trait it returns to,
stress, felt fairness, the reward reference point (a usual bonus is expected,
source 002) and focus on the measured metric. All quantities lie in 0..1 except
``reference``, which is money per period.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np


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
        focus: Focus on the measured metric rather than the customer, 0 to 1.
    """

    intrinsic: np.ndarray
    trait: np.ndarray
    stress: np.ndarray
    fairness: np.ndarray
    reference: np.ndarray
    focus: np.ndarray

    def __post_init__(self) -> None:
        sizes = {f.name: np.shape(getattr(self, f.name)) for f in fields(self)}
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
        changed = {}
        for name, value in values.items():
            arr = np.array(getattr(self, name), dtype=float, copy=True)
            arr[seats] = value
            changed[name] = arr
        return replace(self, **changed)

    def mean(self) -> dict[str, float]:
        """Mean of every field (for summaries)."""
        return {f.name: float(np.mean(getattr(self, f.name))) for f in fields(self)}
