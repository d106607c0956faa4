"""Verdicts: for each pair of policies and outcome, how much of the plausible space keeps the sign.

A *conclusion* is the sign of a paired difference at the scenario as written
(the nominal point, run with several common-random-number replications). Its
*verdict* is the share of sampled assumption points where the difference has
the same sign, with a 95% interval, and a reading in plain words.

The interval is a Wilson score interval on an effective sample size: points of
one design cluster (a Morris trajectory, a Sobol base row with its cross rows)
share coordinates, so they count for less than independent draws. The design
effect is Kish's ``1 + (m - 1) rho`` with ``rho`` the intra-cluster correlation
of the "sign kept" indicator (0 when every point agrees).

Replication noise is reported apart: ``within_noise`` is the share of points
whose difference is smaller than the 95% half-width of one point's replication
noise, so a user can tell "the conclusion flips because the assumptions change
it" from "the difference is too small to see at this many replications".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from incentsim.experiment.table import OUTCOMES, label

#: Shares at or above which a conclusion "survives" / "mostly survives"; below 0.5 it "reverses".
SURVIVES = 0.95
MOSTLY = 0.80
#: z of a 95% interval.
Z95 = 1.959963984540054

#: Columns of the verdict table.
VERDICT_COLUMNS: tuple[str, ...] = (
    "policy", "against", "outcome", "nominal_diff", "nominal_low", "nominal_high", "points", "share",
    "share_low", "share_high", "within_noise", "status", "reading",
)


def sign(values: np.ndarray, scale: float) -> np.ndarray:
    """-1, 0 or +1, treating differences within rounding of ``scale`` as 0."""
    tol = 1e-9 * max(1.0, abs(scale))
    v = np.asarray(values, dtype=float)
    return np.where(v > tol, 1, np.where(v < -tol, -1, 0))


def effective_size(kept: np.ndarray, clusters: np.ndarray) -> float:
    """Kish's effective sample size ``n / (1 + (m - 1) rho)`` of a clustered 0/1 sample.

    ``rho`` is the one-way ANOVA estimate of the intra-cluster correlation,
    clipped to [0, 1]; ``m`` the mean cluster size.
    """
    n = len(kept)
    if n == 0:
        return 0.0
    frame = pd.DataFrame({"k": np.asarray(kept, dtype=float), "c": np.asarray(clusters)})
    groups = frame.groupby("c")["k"]
    sizes, means = groups.size(), groups.mean()
    count = len(sizes)
    m = n / count
    if count < 2 or m <= 1 or float(frame["k"].var(ddof=0)) == 0.0:
        return float(n)
    grand = float(frame["k"].mean())
    msb = float((sizes * (means - grand) ** 2).sum()) / (count - 1)
    msw = float(((frame["k"] - frame["c"].map(means)) ** 2).sum()) / max(n - count, 1)
    denominator = msb + (m - 1) * msw
    rho = 0.0 if denominator <= 0 else min(1.0, max(0.0, (msb - msw) / denominator))
    return float(n / (1.0 + (m - 1.0) * rho))


def wilson(share: float, n: float) -> tuple[float, float]:
    """Wilson score 95% interval of a share observed on ``n`` (possibly effective) draws."""
    if n <= 0 or math.isnan(share):
        return math.nan, math.nan
    z2 = Z95 * Z95
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def status(share: float) -> str:
    """A word for how well a conclusion survives."""
    if math.isnan(share):
        return "not measured"
    if share >= SURVIVES:
        return "survives"
    if share >= MOSTLY:
        return "mostly survives"
    if share >= 0.5:
        return "fragile"
    return "reverses"


def verdict(policy: str, against: str, outcome: str, nominal: np.ndarray, points: np.ndarray,
            clusters: np.ndarray, noise_sd: float, replications: int, where: str = "") -> dict[str, object]:
    """One row of the verdict table.

    Args:
        policy: The policy whose difference is taken (``policy - against``).
        against: The other policy.
        outcome: Summary outcome.
        nominal: Paired differences of the nominal replications.
        points: Difference at each sampled point (mean over its replications).
        clusters: Design cluster of each point.
        noise_sd: Standard deviation of one replication's paired difference.
        replications: Replications behind each point's difference.
        where: Words placed after "plausible assumptions" (e.g. the screening world).
    """
    nominal = np.asarray(nominal, dtype=float)
    nominal = nominal[np.isfinite(nominal)]
    points = np.asarray(points, dtype=float)
    ok = np.isfinite(points)
    d, c = points[ok], np.asarray(clusters)[ok]
    row: dict[str, object] = {"policy": policy, "against": against, "outcome": outcome, "points": int(d.size)}
    if nominal.size == 0 or d.size == 0:
        return row | {"nominal_diff": math.nan, "nominal_low": math.nan, "nominal_high": math.nan,
                      "share": math.nan, "share_low": math.nan, "share_high": math.nan,
                      "within_noise": math.nan, "status": "not measured",
                      "reading": f"{label(outcome)}: not measured"}
    mean = float(nominal.mean())
    half = Z95 * float(nominal.std(ddof=1)) / math.sqrt(nominal.size) if nominal.size > 1 else math.nan
    scale = float(np.nanmax(np.abs(np.concatenate([d, nominal])))) if d.size else 1.0
    direction = int(sign(np.array([mean]), scale)[0])
    kept = sign(d, scale) == direction
    share = float(kept.mean())
    low, high = wilson(share, effective_size(kept, c))
    band = Z95 * noise_sd / math.sqrt(max(replications, 1)) if math.isfinite(noise_sd) else math.nan
    within = float(np.mean(np.abs(d) < band)) if math.isfinite(band) else math.nan
    unclear = math.isfinite(half) and abs(mean) <= half
    row |= {"nominal_diff": mean, "nominal_low": mean - half, "nominal_high": mean + half, "share": share,
            "share_low": low, "share_high": high, "within_noise": within, "status": status(share),
            "reading": reading(policy, against, outcome, direction, share, low, high, unclear, where)}
    return row


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def reading(policy: str, against: str, outcome: str, direction: int, share: float, low: float,
            high: float, unclear: bool, where: str = "") -> str:
    """The plain-language verdict, e.g. "team_goal beats flat on true satisfaction across 94% ...".

    ``direction`` is the sign of ``policy - against`` at the scenario as written.
    """
    span = f"across {_pct(share)} of plausible assumptions{where} (95% interval {_pct(low)} to {_pct(high)})"
    name = label(outcome)
    if direction == 0:
        text = f"{policy} and {against} give the same {name} as written, and {span}"
    else:
        higher, lower = (policy, against) if direction > 0 else (against, policy)
        better = OUTCOMES.get(outcome, ("", None))[1]
        if better is None:
            text = f"{higher} gives higher {name} than {lower} {span}"
        else:
            winner, loser = (higher, lower) if better else (lower, higher)
            text = f"{winner} beats {loser} on {name} {span}"
    if unclear:
        text += "; as written the difference is within replication noise"
    return text


def verdict_table(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """The verdict rows as a frame with :data:`VERDICT_COLUMNS`."""
    return pd.DataFrame(list(rows), columns=list(VERDICT_COLUMNS))
