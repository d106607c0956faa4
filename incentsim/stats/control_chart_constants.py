"""Control-chart constants for subgroup sizes 2 to 25 (Shewhart charts).

For normally distributed data, the mean range of a subgroup of ``n`` is ``d2 * sigma``
and its standard deviation ``d3 * sigma``. The chart factors follow:
``A2 = 3 / (d2 * sqrt(n))`` (x-bar limits from the mean range), ``D3 = max(0, 1 - 3 d3/d2)``
and ``D4 = 1 + 3 d3 / d2`` (range-chart limits). Values as printed in the standard tables
(ASTM Manual on Presentation of Data and Control Chart Analysis, STP 15D; Montgomery,
*Introduction to Statistical Quality Control*, appendix table VI), to three decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ChartConstants", "SUBGROUP_SIZES", "chart_constants"]


@dataclass(frozen=True)
class ChartConstants:
    """The Shewhart factors for one subgroup size.

    Attributes:
        n: Subgroup size.
        d2: Mean of the relative range ``R / sigma``.
        d3: Standard deviation of the relative range.
        A2: Multiplier of the mean range for x-bar chart limits.
        D3: Multiplier of the mean range for the range chart's lower limit.
        D4: Multiplier of the mean range for the range chart's upper limit.
    """

    n: int
    d2: float
    d3: float
    A2: float
    D3: float
    D4: float


# n: (d2, d3, A2, D3, D4)
_TABLE: dict[int, tuple[float, float, float, float, float]] = {
    2: (1.128, 0.853, 1.880, 0.000, 3.267),
    3: (1.693, 0.888, 1.023, 0.000, 2.574),
    4: (2.059, 0.880, 0.729, 0.000, 2.282),
    5: (2.326, 0.864, 0.577, 0.000, 2.114),
    6: (2.534, 0.848, 0.483, 0.000, 2.004),
    7: (2.704, 0.833, 0.419, 0.076, 1.924),
    8: (2.847, 0.820, 0.373, 0.136, 1.864),
    9: (2.970, 0.808, 0.337, 0.184, 1.816),
    10: (3.078, 0.797, 0.308, 0.223, 1.777),
    11: (3.173, 0.787, 0.285, 0.256, 1.744),
    12: (3.258, 0.778, 0.266, 0.283, 1.717),
    13: (3.336, 0.770, 0.249, 0.307, 1.693),
    14: (3.407, 0.763, 0.235, 0.328, 1.672),
    15: (3.472, 0.756, 0.223, 0.347, 1.653),
    16: (3.532, 0.750, 0.212, 0.363, 1.637),
    17: (3.588, 0.744, 0.203, 0.378, 1.622),
    18: (3.640, 0.739, 0.194, 0.391, 1.608),
    19: (3.689, 0.734, 0.187, 0.403, 1.597),
    20: (3.735, 0.729, 0.180, 0.415, 1.585),
    21: (3.778, 0.724, 0.173, 0.425, 1.575),
    22: (3.819, 0.720, 0.167, 0.434, 1.566),
    23: (3.858, 0.716, 0.162, 0.443, 1.557),
    24: (3.895, 0.712, 0.157, 0.451, 1.548),
    25: (3.931, 0.708, 0.153, 0.459, 1.541),
}

#: Subgroup sizes the table covers.
SUBGROUP_SIZES: tuple[int, ...] = tuple(_TABLE)


def chart_constants(n: int) -> ChartConstants:
    """The Shewhart factors for subgroups of size ``n``.

    Args:
        n: Subgroup size, 2 to 25.

    Returns:
        The constants.

    Raises:
        ValueError: If ``n`` is outside 2..25.
    """
    if n not in _TABLE:
        raise ValueError(f"subgroup size {n!r} not tabulated; allowed: 2 to 25")
    return ChartConstants(n, *_TABLE[n])
