"""Paired comparisons across replications, and how many replications a precision needs.

A simulation experiment runs each policy on the same replications: replication ``r`` gives
every policy the same arrivals, call types, handle-time and survey draws (common random
numbers). The policy effect is then best read from the *paired* difference, replication by
replication, whose spread excludes the shared luck. This module gives Student-t confidence
intervals for a mean and for a paired difference, and the number of replications needed
to reach a wanted half-width (the sequential t-iteration of Law, *Simulation Modeling and
Analysis*, 5th ed., section 9.4.1; standard textbook method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = [
    "ConfidenceInterval",
    "compare_policies",
    "mean_ci",
    "paired_difference",
    "replications_needed",
    "required_replications",
]

#: Upper bound on the replications :func:`replications_needed` will ever return.
MAX_REPLICATIONS = 1_000_000


@dataclass(frozen=True)
class ConfidenceInterval:
    """A mean with its two-sided Student-t confidence interval.

    Attributes:
        mean: Sample mean.
        low: Lower confidence bound (NaN when ``n < 2``).
        high: Upper confidence bound (NaN when ``n < 2``).
        sd: Sample standard deviation with ``n - 1`` in the denominator (NaN when ``n < 2``).
        n: Number of values the mean is over.
        confidence: Confidence level of the interval, e.g. 0.95.
    """

    mean: float
    low: float
    high: float
    sd: float
    n: int
    confidence: float = 0.95

    @property
    def half_width(self) -> float:
        """Half the interval's width (NaN when the bounds are)."""
        return (self.high - self.low) / 2.0

    def excludes_zero(self) -> bool:
        """Whether the whole interval lies on one side of zero (False when bounds are NaN)."""
        return bool(self.low > 0.0 or self.high < 0.0)

    def __str__(self) -> str:
        pct = f"{self.confidence:.0%}"
        return f"{self.mean:.4g} ({pct} CI {self.low:.4g} to {self.high:.4g}, n={self.n})"


def _check_confidence(confidence: float) -> None:
    if not (0.0 < confidence < 1.0) or math.isnan(confidence):
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")


def _as_float_array(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        raise ValueError(f"{name} is empty: at least one value is needed")
    if np.isnan(array).any():
        raise ValueError(f"{name} contains missing values (NaN); drop or fill them first")
    return array


def mean_ci(values: Sequence[float] | np.ndarray | pd.Series, confidence: float = 0.95
            ) -> ConfidenceInterval:
    """Mean of independent replications with a two-sided Student-t confidence interval.

    Args:
        values: One outcome per replication.
        confidence: Confidence level, strictly between 0 and 1.

    Returns:
        The mean, bounds, standard deviation and count. With one value the bounds and
        the standard deviation are NaN: one replication says nothing about spread.

    Raises:
        ValueError: If ``values`` is empty or has NaN, or ``confidence`` is outside (0, 1).
    """
    _check_confidence(confidence)
    array = _as_float_array(values, "values")
    n = int(array.size)
    mean = float(array.mean())
    if n < 2:
        return ConfidenceInterval(mean, math.nan, math.nan, math.nan, n, confidence)
    sd = float(array.std(ddof=1))
    t = float(sps.t.ppf(0.5 + confidence / 2.0, df=n - 1))
    half = t * sd / math.sqrt(n)
    return ConfidenceInterval(mean, mean - half, mean + half, sd, n, confidence)


def paired_difference(a: Sequence[float] | np.ndarray | pd.Series,
                      b: Sequence[float] | np.ndarray | pd.Series,
                      confidence: float = 0.95) -> ConfidenceInterval:
    """Mean of ``a - b`` over paired (common-random-number) replications, with a t interval.

    Args:
        a: Outcome of the first policy, one value per replication.
        b: Outcome of the second policy on the same replications. When both are pandas
            Series they are paired by index label (the replication number), not by position.
        confidence: Confidence level, strictly between 0 and 1.

    Returns:
        The interval of the mean difference ``a - b``.

    Raises:
        ValueError: If the lengths differ, two Series do not share the same index labels,
            either input is empty or has NaN, or ``confidence`` is outside (0, 1).
    """
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if len(a) != len(b):
            raise ValueError(f"paired values differ in length: a has {len(a)}, b has {len(b)}")
        if not a.index.is_unique or not b.index.is_unique:
            raise ValueError("paired Series must have unique index labels (replication numbers)")
        if set(a.index) != set(b.index):
            missing = sorted(set(a.index) ^ set(b.index), key=str)[:5]
            raise ValueError(
                f"paired Series do not share replications; unmatched labels: {missing}")
        b = b.reindex(a.index)
    a_arr = _as_float_array(a, "a")
    b_arr = _as_float_array(b, "b")
    if a_arr.size != b_arr.size:
        raise ValueError(f"paired values differ in length: a has {a_arr.size}, b has {b_arr.size}")
    return mean_ci(a_arr - b_arr, confidence)


def replications_needed(sd: float, half_width: float, confidence: float = 0.95) -> int:
    """Smallest number of replications whose t interval has at most the wanted half-width.

    Solves ``t(1 - (1 - confidence)/2, n - 1) * sd / sqrt(n) <= half_width`` for the
    smallest ``n >= 2``, starting from the normal approximation and stepping with the
    t quantile (which is wider than z for small ``n``).

    Args:
        sd: Standard deviation of one replication's outcome (e.g. from a pilot run).
        half_width: Wanted half-width of the confidence interval, in the outcome's units.
        confidence: Confidence level, strictly between 0 and 1.

    Returns:
        The number of replications, at least 2 (a t interval needs two values).

    Raises:
        ValueError: If ``sd`` is negative or not finite, ``half_width`` is not positive,
            ``confidence`` is outside (0, 1), or more than ``MAX_REPLICATIONS`` are needed.
    """
    _check_confidence(confidence)
    if not math.isfinite(sd) or sd < 0:
        raise ValueError(f"sd must be a finite number >= 0, got {sd!r}")
    if not math.isfinite(half_width) or half_width <= 0:
        raise ValueError(f"half_width must be a finite number > 0, got {half_width!r}")
    if sd == 0:
        return 2
    upper = 0.5 + confidence / 2.0
    z = float(sps.norm.ppf(upper))
    n = max(2, math.ceil((z * sd / half_width) ** 2))
    # The t answer is never below the z one, so walk up from it; jump by doubling first
    # so that large answers do not take millions of steps.
    def fits(k: int) -> bool:
        return float(sps.t.ppf(upper, df=k - 1)) * sd / math.sqrt(k) <= half_width

    low = n - 1
    high = n
    while not fits(high):
        low = high
        high *= 2
        if high > 2 * MAX_REPLICATIONS:
            raise ValueError(
                f"more than {MAX_REPLICATIONS} replications needed for half_width={half_width!r}"
                f" with sd={sd!r}; ask for a wider interval")
    while high - low > 1:  # smallest k in (low, high] that fits
        mid = (low + high) // 2
        if fits(mid):
            high = mid
        else:
            low = mid
    if high > MAX_REPLICATIONS:
        raise ValueError(
            f"more than {MAX_REPLICATIONS} replications needed for half_width={half_width!r}"
            f" with sd={sd!r}; ask for a wider interval")
    return max(2, high)


def required_replications(pilot_values: Sequence[float] | np.ndarray | pd.Series,
                          half_width: float, confidence: float = 0.95) -> int:
    """Replications needed for a wanted half-width, judged from a pilot run's spread.

    Pass the outcome (or the paired difference) of a few pilot replications; their
    sample standard deviation goes into :func:`replications_needed`. The answer is
    the total, so if it is no more than the pilot's size the pilot is already enough.

    Args:
        pilot_values: Outcomes of at least two pilot replications.
        half_width: Wanted half-width of the confidence interval, in the outcome's units.
        confidence: Confidence level, strictly between 0 and 1.

    Returns:
        The total number of replications, at least 2.

    Raises:
        ValueError: If there are fewer than two pilot values, or the other arguments are
            invalid (see :func:`replications_needed`).
    """
    array = _as_float_array(pilot_values, "pilot_values")
    if array.size < 2:
        raise ValueError(f"pilot_values needs at least 2 replications, got {array.size}")
    return replications_needed(float(array.std(ddof=1)), half_width, confidence)


def compare_policies(summary: pd.DataFrame, policy_col: str, replication_col: str,
                     outcome: str | Sequence[str], baseline: str,
                     confidence: float = 0.95) -> pd.DataFrame:
    """Tidy table of each policy's mean and paired difference from a baseline policy.

    Args:
        summary: One row per policy per replication (e.g. stacked ``run.summary()`` rows).
        policy_col: Column naming the policy.
        replication_col: Column with the replication number; rows of different policies
            with the same number share common random numbers and are paired.
        outcome: Outcome column, or a list of them.
        baseline: The policy every other is compared with.
        confidence: Confidence level, strictly between 0 and 1.

    Returns:
        One row per policy and outcome, columns ``policy``, ``outcome``, ``n``, ``mean``,
        ``low``, ``high``, ``diff``, ``diff_low``, ``diff_high``, ``diff_significant``
        (the difference interval excludes zero). The baseline's difference columns are 0,
        its significance False.

    Raises:
        ValueError: If a column or the baseline is missing, a policy's replications are
            repeated, or a policy lacks some of the baseline's replications.
    """
    outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    missing = [c for c in [policy_col, replication_col, *outcomes] if c not in summary.columns]
    if missing:
        raise ValueError(f"columns {missing} not in summary; present: {list(summary.columns)}")
    policies = list(dict.fromkeys(summary[policy_col]))
    if baseline not in policies:
        raise ValueError(f"baseline {baseline!r} is not a policy in {policy_col!r}: {policies}")
    if summary.duplicated([policy_col, replication_col]).any():
        raise ValueError(f"some ({policy_col}, {replication_col}) pairs appear more than once")
    rows: list[dict[str, Any]] = []
    for name in outcomes:
        wide = summary.pivot(index=replication_col, columns=policy_col, values=name)
        base = wide[baseline]
        for policy in policies:
            values = wide[policy].dropna()
            level = mean_ci(values, confidence)
            row: dict[str, Any] = {"policy": policy, "outcome": name, "n": level.n,
                                   "mean": level.mean, "low": level.low, "high": level.high}
            if policy == baseline:
                row |= {"diff": 0.0, "diff_low": 0.0, "diff_high": 0.0,
                        "diff_significant": False}
            else:
                if wide[policy].isna().any() or base.isna().any():
                    raise ValueError(
                        f"policy {policy!r} and baseline {baseline!r} do not cover the same"
                        f" replications of {name!r}; paired comparison needs both on each")
                diff = paired_difference(wide[policy], base, confidence)
                row |= {"diff": diff.mean, "diff_low": diff.low, "diff_high": diff.high,
                        "diff_significant": diff.excludes_zero()}
            rows.append(row)
    return pd.DataFrame(rows)
