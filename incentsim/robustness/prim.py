"""PRIM: the Patient Rule Induction Method, for finding where a conclusion flips.

Friedman & Fisher (1999, *Statistics and Computing* 9, "Bump hunting in
high-dimensional data") find a box (a range per input) where a response is
high by *peeling*: starting from the box holding every point, repeatedly cut
off a small share ``alpha`` of the points at one face, choosing the cut that
raises the mean response inside most, until too few points are left. Scenario
discovery (Bryant & Lempert 2010, *Technological Forecasting and Social Change*
77) uses it on a 0/1 response ("the conclusion flips here") and reads a box by
its **coverage** (share of all flips inside it), **density** (share of points
inside that flip) and **mass** (share of all points inside).

This is a small implementation because the maintained Python one (``prim``,
from the EMA workbench) is GPL-licensed and the workbench itself brings a large
stack of dependencies. Choices, each documented:

- peeling removes the ``alpha`` quantile at one face (ties can take more);
- the box kept from the peeling trajectory maximises the harmonic mean of
  coverage and density (the F1 score of "inside the box" as a predictor of a
  flip), so a box neither covers everything nor holds a few points only;
- *pasting* then widens a face by ``alpha`` of the points while that raises F1,
  and a last pass moves single faces in by one point while that raises F1
  (peeling steps are coarse);
- finally a restriction is dropped when dropping it does not lower F1, so every
  limit reported changes the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: Share of the points in the box removed by one peel (Friedman & Fisher suggest 0.05-0.1).
PEEL_ALPHA = 0.05
#: Share of all points a box must keep while peeling.
MIN_MASS = 0.05


@dataclass(frozen=True)
class Box:
    """A box found by :func:`prim`.

    Attributes:
        limits: Input index -> ``(low, high)``, for restricted inputs only.
        coverage: Share of all cases of interest inside the box.
        density: Share of the points inside the box that are cases of interest.
        mass: Share of all points inside the box.
        trajectory: ``(coverage, density, mass)`` of every box peeled, in order.
    """

    limits: dict[int, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    trajectory: list[tuple[float, float, float]] = field(default_factory=list)

    def contains(self, x: np.ndarray) -> np.ndarray:
        """Which rows of ``x`` lie inside the box."""
        inside = np.ones(len(x), dtype=bool)
        for j, (low, high) in self.limits.items():
            inside &= (x[:, j] >= low) & (x[:, j] <= high)
        return inside


def prim(x: np.ndarray, y: np.ndarray, alpha: float = PEEL_ALPHA, min_mass: float = MIN_MASS) -> Box | None:
    """Find one box where ``y`` is mostly true.

    Args:
        x: ``(n, d)`` inputs.
        y: ``(n,)`` booleans: the cases of interest.
        alpha: Share of the box's points peeled per step.
        min_mass: Smallest share of all points a box may hold.

    Returns:
        The box, or ``None`` when there is no case of interest (or every point is one).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=bool)
    n, d = x.shape
    total = int(y.sum())
    if total == 0 or total == n:
        return None
    lower = x.min(axis=0).copy()
    upper = x.max(axis=0).copy()
    inside = np.ones(n, dtype=bool)
    boxes = [(lower.copy(), upper.copy())]
    trajectory = [_stats(inside, y, total)]
    while inside.sum() > max(1, min_mass * n):
        best: tuple[float, int, str, np.ndarray] | None = None
        pts = x[inside]
        for j in range(d):
            column = pts[:, j]
            for side in ("low", "high"):
                keep = inside & _peel(x[:, j], column, side, alpha)
                kept = int(keep.sum())
                if kept == int(inside.sum()) or kept < max(1, min_mass * n):
                    continue
                mean = float(y[keep].mean())
                if best is None or mean > best[0]:
                    best = (mean, j, side, keep)
        if best is None:
            break
        _, j, side, keep = best
        if side == "low":
            lower[j] = float(x[keep, j].min())
        else:
            upper[j] = float(x[keep, j].max())
        inside = _within(x, lower, upper)
        boxes.append((lower.copy(), upper.copy()))
        trajectory.append(_stats(inside, y, total))
    scores = [_f1(c, dens) for c, dens, _ in trajectory]
    chosen = int(np.argmax(scores))
    lower, upper = (b.copy() for b in boxes[chosen])
    lower, upper = _paste(x, y, total, lower, upper, alpha)
    lower, upper = _refine(x, y, total, lower, upper)
    limits = _prune(x, y, total, lower, upper)
    inside = np.ones(n, dtype=bool)
    for j, (low, high) in limits.items():
        inside &= (x[:, j] >= low) & (x[:, j] <= high)
    coverage, density, mass = _stats(inside, y, total)
    return Box(limits=limits, coverage=coverage, density=density, mass=mass, trajectory=trajectory)


def _peel(values: np.ndarray, column: np.ndarray, side: str, alpha: float) -> np.ndarray:
    """Points kept by peeling ``alpha`` of the box's points at one face (ties go together)."""
    if side == "low":
        cut = float(np.quantile(column, alpha))
        return values > cut if cut <= column.min() else values >= cut
    cut = float(np.quantile(column, 1 - alpha))
    return values < cut if cut >= column.max() else values <= cut


def _within(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    return np.all((x >= lower) & (x <= upper), axis=1)


def _stats(inside: np.ndarray, y: np.ndarray, total: int) -> tuple[float, float, float]:
    hits = int((inside & y).sum())
    count = int(inside.sum())
    return hits / total, (hits / count if count else 0.0), count / len(y)


def _f1(coverage: float, density: float) -> float:
    return 0.0 if coverage + density == 0 else 2 * coverage * density / (coverage + density)


def _score(x: np.ndarray, y: np.ndarray, total: int, lower: np.ndarray, upper: np.ndarray) -> float:
    coverage, density, _ = _stats(_within(x, lower, upper), y, total)
    return _f1(coverage, density)


def _paste(x: np.ndarray, y: np.ndarray, total: int, lower: np.ndarray, upper: np.ndarray,
           alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Widen faces by about ``alpha`` of the box's points while that raises F1."""
    full_low, full_high = x.min(axis=0), x.max(axis=0)
    current = _score(x, y, total, lower, upper)
    step = max(1, int(round(alpha * _within(x, lower, upper).sum())))
    improved = True
    while improved:
        improved = False
        best: tuple[float, np.ndarray, np.ndarray] | None = None
        for j in range(x.shape[1]):
            for side in ("low", "high"):
                lo, hi = lower.copy(), upper.copy()
                others = _within(np.delete(x, j, axis=1), np.delete(lo, j), np.delete(hi, j))
                if side == "low" and lo[j] > full_low[j]:
                    outside = np.sort(x[others & (x[:, j] < lo[j]), j])[::-1]
                    if outside.size == 0:
                        continue
                    lo[j] = outside[min(step, outside.size) - 1]
                elif side == "high" and hi[j] < full_high[j]:
                    outside = np.sort(x[others & (x[:, j] > hi[j]), j])
                    if outside.size == 0:
                        continue
                    hi[j] = outside[min(step, outside.size) - 1]
                else:
                    continue
                score = _score(x, y, total, lo, hi)
                if score > current + 1e-12 and (best is None or score > best[0]):
                    best = (score, lo, hi)
        if best is not None:
            current, lower, upper = best
            improved = True
    return lower, upper


def _refine(x: np.ndarray, y: np.ndarray, total: int, lower: np.ndarray,
            upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Move single faces in by one distinct value while that raises F1 (peeling is coarse)."""
    current = _score(x, y, total, lower, upper)
    while True:
        inside = _within(x, lower, upper)
        best: tuple[float, np.ndarray, np.ndarray] | None = None
        for j in range(x.shape[1]):
            values = np.unique(x[inside, j])
            if values.size < 2:
                continue
            for side in ("low", "high"):
                lo, hi = lower.copy(), upper.copy()
                if side == "low":
                    lo[j] = values[1]
                else:
                    hi[j] = values[-2]
                score = _score(x, y, total, lo, hi)
                if score > current + 1e-12 and (best is None or score > best[0]):
                    best = (score, lo, hi)
        if best is None:
            return lower, upper
        current, lower, upper = best


def _prune(x: np.ndarray, y: np.ndarray, total: int, lower: np.ndarray,
           upper: np.ndarray) -> dict[int, tuple[float, float]]:
    """Drop restrictions that do not help; keep only limits that change the answer."""
    full_low, full_high = x.min(axis=0), x.max(axis=0)
    lower, upper = lower.copy(), upper.copy()
    restricted = [j for j in range(x.shape[1]) if lower[j] > full_low[j] or upper[j] < full_high[j]]
    changed = True
    while changed and restricted:
        changed = False
        current = _score(x, y, total, lower, upper)
        trials = []
        for j in restricted:
            lo, hi = lower.copy(), upper.copy()
            lo[j], hi[j] = full_low[j], full_high[j]
            trials.append((_score(x, y, total, lo, hi), j, lo, hi))
        score, j, lo, hi = max(trials, key=lambda t: t[0])
        if score >= current - 1e-12:
            lower, upper = lo, hi
            restricted.remove(j)
            changed = True
    return {j: (float(lower[j]), float(upper[j])) for j in restricted}


def describe_limits(limits: dict[int, tuple[float, float]], names: Sequence[str],
                    full_low: Sequence[float], full_high: Sequence[float]) -> list[str]:
    """Plain conditions such as ``dump_scale > 0.21`` for each restricted input."""
    parts = []
    for j, (low, high) in sorted(limits.items()):
        name = names[j]
        lo_cut = low > full_low[j]
        hi_cut = high < full_high[j]
        if lo_cut and hi_cut:
            parts.append(f"{name} between {low:.3g} and {high:.3g}")
        elif lo_cut:
            parts.append(f"{name} >= {low:.3g}")
        elif hi_cut:
            parts.append(f"{name} <= {high:.3g}")
    return parts
