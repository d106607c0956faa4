"""Western Electric rules: patterns on a control chart that signal a special cause.

From the Western Electric *Statistical Quality Control Handbook* (1956), zones measured
in sigma of the plotted statistic from the centre line:

1. one point beyond the 3-sigma limits (``beyond_limits``);
2. two of three successive points beyond 2 sigma on the same side (``2_of_3_beyond_2_sigma``);
3. four of five successive points beyond 1 sigma on the same side (``4_of_5_beyond_1_sigma``);
4. eight successive points on the same side of the centre line (``8_on_one_side``).

A rule is reported at the point that completes the pattern (for rules 2 and 3 that point
is itself beyond the zone), so one pattern gives one signal and a run that goes on gives
one more signal per extra point, as most charting software marks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = ["RULES", "Signal", "western_electric_signals"]

#: Rule names in handbook order.
RULES: tuple[str, ...] = ("beyond_limits", "2_of_3_beyond_2_sigma", "4_of_5_beyond_1_sigma",
                          "8_on_one_side")


class Signal(NamedTuple):
    """A point that breaks a rule.

    Attributes:
        index: Position of the point in the plotted series.
        rule: One of :data:`RULES`.
    """

    index: int  # type: ignore[assignment]  # the field shadows tuple.index on purpose
    rule: str


def _window_rule(z: np.ndarray, zone: float, needed: int, window: int, rule: str
                 ) -> list[Signal]:
    found: list[Signal] = []
    for side in (1.0, -1.0):
        beyond = side * z > zone
        for i in range(len(z)):
            if beyond[i] and beyond[max(0, i - window + 1): i + 1].sum() >= needed:
                found.append(Signal(i, rule))
    return found


def western_electric_signals(values: Sequence[float] | np.ndarray,
                             center: Sequence[float] | np.ndarray,
                             sigma: Sequence[float] | np.ndarray,
                             lcl: Sequence[float] | np.ndarray,
                             ucl: Sequence[float] | np.ndarray,
                             rules: Sequence[str] = RULES) -> list[Signal]:
    """Points that break the Western Electric rules.

    Rule 1 compares each point with the chart's (possibly clipped) limits; rules 2-4 use
    the distance from the centre line in sigma of the plotted statistic, point by point,
    so they work with limits that vary (p charts with varying sample sizes).

    Args:
        values: The plotted statistic.
        center: Centre line, one value per point.
        sigma: Standard deviation of the plotted statistic, one per point.
        lcl: Lower control limit, one per point.
        ucl: Upper control limit, one per point.
        rules: Which rules to apply (names from :data:`RULES`).

    Returns:
        Signals sorted by index, then rule order.

    Raises:
        ValueError: If a rule name is unknown.
    """
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise ValueError(f"unknown rule(s) {unknown}; allowed: {', '.join(RULES)}")
    x = np.asarray(values, dtype=float)
    c = np.asarray(center, dtype=float)
    s = np.asarray(sigma, dtype=float)
    offset = x - c
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s > 0, offset / np.where(s > 0, s, 1.0), np.sign(offset) * np.inf)
    z = np.nan_to_num(z, nan=0.0, posinf=np.inf, neginf=-np.inf)
    signals: list[Signal] = []
    if "beyond_limits" in rules:
        outside = (x > np.asarray(ucl, dtype=float)) | (x < np.asarray(lcl, dtype=float))
        signals += [Signal(int(i), "beyond_limits") for i in np.flatnonzero(outside)]
    if "2_of_3_beyond_2_sigma" in rules:
        signals += _window_rule(z, 2.0, 2, 3, "2_of_3_beyond_2_sigma")
    if "4_of_5_beyond_1_sigma" in rules:
        signals += _window_rule(z, 1.0, 4, 5, "4_of_5_beyond_1_sigma")
    if "8_on_one_side" in rules:
        signals += _window_rule(z, 0.0, 8, 8, "8_on_one_side")
    order = {r: k for k, r in enumerate(RULES)}
    return sorted(set(signals), key=lambda sig: (sig.index, order[sig.rule]))
