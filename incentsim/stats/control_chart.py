"""Shewhart control charts: telling a special cause from the system's common-cause noise.

Deming's advice (source 000: "manage up or manage out" only statistical outliers) rests
on the control chart: limits at three sigma of the plotted statistic around its centre
line, sigma estimated from the data's own short-term variation, and the Western Electric
rules for non-random patterns. Kinds, with their textbook formulas (Montgomery,
*Introduction to Statistical Quality Control*; Wheeler, *Understanding Variation*):

- ``xmr``: individual values and moving ranges; limits ``mean +/- 2.66 * mR-bar``
  (``2.66 = 3 / d2(2)``); the moving-range chart is attached as ``secondary``.
- ``p``: proportions (e.g. the share of calls failing QA) from samples of size ``n``,
  which may vary by point; limits ``p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i)``.
- ``np``: counts of defectives in samples of constant size ``n``.
- ``c``: counts of defects per unit of constant opportunity; limits ``c-bar +/- 3 sqrt(c-bar)``.
- ``xbar_r``: subgroup means and ranges; limits ``x-bar-bar +/- A2 * R-bar`` and the range
  chart ``D3 * R-bar``, ``D4 * R-bar`` as ``secondary`` (the moving-range chart of ``xmr``
  likewise uses ``D4(2) * mR-bar = 3.267 * mR-bar``). Range charts are checked for points
  beyond their limits only: the zone rules assume a symmetric statistic.

Lower limits of p, np and c charts (and range charts) are clipped at zero; p-chart upper
limits at one and np at ``n``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from incentsim.errors import InputError
from incentsim.stats.control_chart_constants import chart_constants
from incentsim.stats.western_electric import RULES, Signal, western_electric_signals

__all__ = ["CHART_KINDS", "ControlChart", "control_chart"]

#: Chart kinds :func:`control_chart` draws.
CHART_KINDS: tuple[str, ...] = ("xmr", "p", "np", "c", "xbar_r")

Limit = float | np.ndarray


@dataclass(frozen=True, eq=False)
class ControlChart:
    """A control chart: the plotted statistic, its centre line, limits and signals.

    Attributes:
        kind: One of :data:`CHART_KINDS`, or ``mr`` / ``r`` for an attached range chart.
        label: Name of the plotted statistic (``X``, ``mR``, ``p``, ``np``, ``c``,
            ``x-bar``, ``R``).
        values: The plotted statistic, one per point (NaN where undefined, e.g. the
            first moving range).
        center: Centre line: a number, or an array with one value per point.
        lcl: Lower control limit: a number when constant, else one per point.
        ucl: Upper control limit: a number when constant, else one per point.
        sigma: Standard deviation of the plotted statistic (number or per point).
        signals: Points beyond the limits or breaking a Western Electric rule, as
            ``(index, rule)`` pairs (see :mod:`incentsim.stats.western_electric`).
        secondary: The attached range chart for ``xmr`` and ``xbar_r``, else None.
    """

    kind: str
    label: str
    values: np.ndarray
    center: Limit
    lcl: Limit
    ucl: Limit
    sigma: Limit
    signals: list[Signal] = field(default_factory=list)
    secondary: ControlChart | None = None

    def per_point(self, attribute: str) -> np.ndarray:
        """``center``, ``lcl``, ``ucl`` or ``sigma`` as an array with one value per point."""
        if attribute not in ("center", "lcl", "ucl", "sigma"):
            raise ValueError(f"{attribute!r} is not one of center, lcl, ucl, sigma")
        value = getattr(self, attribute)
        return np.broadcast_to(np.asarray(value, dtype=float), self.values.shape).copy()

    @property
    def out_of_control(self) -> list[int]:
        """Indices of points with at least one signal, in order."""
        return sorted({s.index for s in self.signals})


def _build(kind: str, label: str, values: np.ndarray, center: Limit, sigma: Limit,
           low_clip: float | None, high_clip: Limit | None,
           rules: Sequence[str] = RULES, secondary: ControlChart | None = None,
           limits: tuple[float, float] | None = None) -> ControlChart:
    if limits is None:
        lcl = np.asarray(center) - 3 * np.asarray(sigma)
        ucl = np.asarray(center) + 3 * np.asarray(sigma)
    else:  # range charts: the tabulated D3, D4 factors, not a symmetric 3-sigma band
        lcl, ucl = np.asarray(limits[0]), np.asarray(limits[1])
    if low_clip is not None:
        lcl = np.maximum(lcl, low_clip)
    if high_clip is not None:
        ucl = np.minimum(ucl, high_clip)
    shape = values.shape

    def tidy(limit: np.ndarray) -> Limit:
        flat = np.broadcast_to(limit, shape)
        return float(flat[0]) if flat.size and np.all(flat == flat[0]) else np.array(flat)

    center_t, sigma_t, lcl_t, ucl_t = (tidy(np.asarray(a, dtype=float))
                                       for a in (center, sigma, lcl, ucl))
    signals = western_electric_signals(
        values, np.broadcast_to(center, shape), np.broadcast_to(sigma, shape),
        np.broadcast_to(lcl, shape), np.broadcast_to(ucl, shape), rules)
    return ControlChart(kind, label, values, center_t, lcl_t, ucl_t, sigma_t, signals,
                        secondary)


def _one_dimensional(values: object, kind: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError.single("control_chart", "values", f"not numeric: {exc}") from exc
    if array.ndim != 1:
        raise InputError.single("control_chart", "values",
                                f"a {kind} chart needs a 1-D series, got shape {array.shape}")
    if array.size < 2:
        raise InputError.single("control_chart", "values", "at least 2 points are needed")
    if not np.isfinite(array).all():
        raise InputError.single("control_chart", "values",
                                "missing or infinite values; drop them first")
    return array


def _sample_sizes(n: object, points: int, kind: str) -> np.ndarray:
    if n is None:
        raise InputError.single("control_chart", "n",
                                f"a {kind} chart needs the sample size n (a number, or one "
                                f"per point for p charts)")
    sizes = np.asarray(n, dtype=float)
    if sizes.ndim == 0:
        sizes = np.full(points, float(sizes))
    if sizes.shape != (points,):
        raise InputError.single("control_chart", "n",
                                f"{sizes.size} sample sizes for {points} points")
    if not (np.isfinite(sizes).all() and (sizes >= 1).all()):
        raise InputError.single("control_chart", "n", "sample sizes must be numbers >= 1")
    return sizes


def _counts(array: np.ndarray, field_name: str = "values") -> None:
    if (array < 0).any():
        raise InputError.single("control_chart", field_name, "counts cannot be negative")


def control_chart(values: Sequence[float] | Sequence[Sequence[float]] | np.ndarray,
                  kind: str, n: float | Sequence[float] | np.ndarray | None = None
                  ) -> ControlChart:
    """Build a control chart with its limits and Western Electric signals.

    Args:
        values: For ``xmr`` the individual values; for ``p`` the proportions (0 to 1); for
            ``np`` and ``c`` the counts; for ``xbar_r`` a 2-D array, one row per subgroup
            (subgroup size 2 to 25).
        kind: One of ``xmr``, ``p``, ``np``, ``c``, ``xbar_r``.
        n: Sample size behind each point: required for ``p`` (a number or one per point)
            and ``np`` (a number); not used by the other kinds.

    Returns:
        The chart; for ``xmr`` and ``xbar_r`` the range chart is in ``.secondary``.

    Raises:
        InputError: (a ``ValueError``) if the kind is unknown (the message lists the
            allowed kinds), values are not finite numbers, proportions fall outside
            [0, 1], counts are negative, or ``n`` is missing or misshapen.
    """
    if kind not in CHART_KINDS:
        raise InputError.single("control_chart", "kind",
                                f"{kind!r} is not a chart kind; allowed: {', '.join(CHART_KINDS)}")
    if n is not None and kind not in ("p", "np"):
        raise InputError.single("control_chart", "n",
                                f"n is used only by p and np charts, not {kind}")
    if kind == "xbar_r":
        return _xbar_r(values)
    array = _one_dimensional(values, kind)
    if kind == "xmr":
        d2_2 = chart_constants(2)
        moving = np.concatenate([[math.nan], np.abs(np.diff(array))])
        mr_bar = float(np.nanmean(moving))
        range_chart = _build("mr", "mR", moving, mr_bar, d2_2.d3 / d2_2.d2 * mr_bar, 0.0,
                             None, rules=("beyond_limits",),
                             limits=(d2_2.D3 * mr_bar, d2_2.D4 * mr_bar))
        return _build("xmr", "X", array, float(array.mean()), mr_bar / d2_2.d2, None, None,
                      secondary=range_chart)
    if kind == "p":
        if ((array < 0) | (array > 1)).any():
            raise InputError.single("control_chart", "values",
                                    "p-chart values are proportions and must lie in [0, 1]")
        sizes = _sample_sizes(n, array.size, kind)
        p_bar = float(np.sum(array * sizes) / np.sum(sizes))
        sigma = np.sqrt(p_bar * (1 - p_bar) / sizes)
        return _build("p", "p", array, p_bar, sigma, 0.0, 1.0)
    _counts(array)
    if kind == "np":
        sizes = _sample_sizes(n, array.size, kind)
        if not np.all(sizes == sizes[0]):
            raise InputError.single("control_chart", "n",
                                    "an np chart needs one sample size; use a p chart when "
                                    "sizes vary")
        size = float(sizes[0])
        if (array > size).any():
            raise InputError.single("control_chart", "values",
                                    f"counts cannot exceed the sample size n={size:g}")
        p_bar = float(array.mean()) / size
        return _build("np", "np", array, size * p_bar, math.sqrt(size * p_bar * (1 - p_bar)),
                      0.0, size)
    c_bar = float(array.mean())
    return _build("c", "c", array, c_bar, math.sqrt(c_bar), 0.0, None)


def _xbar_r(values: object) -> ControlChart:
    try:
        groups = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError.single("control_chart", "values",
                                f"an xbar_r chart needs a rectangular 2-D array of numbers: "
                                f"{exc}") from exc
    if groups.ndim != 2 or groups.shape[0] < 2:
        raise InputError.single("control_chart", "values",
                                f"an xbar_r chart needs a 2-D array with one row per subgroup"
                                f" and at least 2 rows, got shape {groups.shape}")
    if not np.isfinite(groups).all():
        raise InputError.single("control_chart", "values",
                                "missing or infinite values; drop them first")
    size = groups.shape[1]
    if not 2 <= size <= 25:
        raise InputError.single("control_chart", "values",
                                f"subgroup size {size} not supported; allowed: 2 to 25")
    constants = chart_constants(size)
    means = groups.mean(axis=1)
    ranges = groups.max(axis=1) - groups.min(axis=1)
    r_bar = float(ranges.mean())
    range_chart = _build("r", "R", ranges, r_bar, constants.d3 / constants.d2 * r_bar, 0.0,
                         None, rules=("beyond_limits",),
                         limits=(constants.D3 * r_bar, constants.D4 * r_bar))
    return _build("xbar_r", "x-bar", means, float(means.mean()), constants.A2 * r_bar / 3.0,
                  None, None, secondary=range_chart)
