"""Variance components: how much of the spread in an agent metric is people, how much system.

One-way random-effects analysis of variance with agents as groups and review periods as
repeated measurements: ``value = mean + agent effect + everything else``, where
"everything else" is the system's variation (the calls drawn, the month's defects, the QA
sample). The intraclass correlation ICC(1) is the share of one period's variance that is
between agents: the people share (Deming's "people vs system" question, source 000).

Estimation for unbalanced panels (agents measured in different numbers of periods) uses
the ANOVA (method-of-moments) estimators with Searle's effective group size
``n0 = (N - sum(n_i**2) / N) / (a - 1)`` (Searle, *Linear Models*, 1971, section 9.8;
Searle, Casella & McCulloch, *Variance Components*, 1992, chapter 3). The confidence
interval is the F-based interval of Searle (1971): with ``F = MSB / MSW``,

    low  = (F / F_hi - 1) / (F / F_hi + n0 - 1),  high = (F / F_lo - 1) / (F / F_lo + n0 - 1)

where ``F_hi`` and ``F_lo`` are the upper and lower ``(1 - confidence) / 2`` quantiles
of F(a - 1, N - a). It is exact for balanced panels and, with ``n0``, a good
approximation unless group sizes are very uneven (Donner & Wells 1986, *Biometrics* 42,
401-412). Estimates below zero (sampling noise when people hardly differ) are reported as
zero; the bounds are clipped to [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from incentsim.errors import InputError
from incentsim.stats.panel import check_panel

__all__ = ["VarianceComponents", "variance_components"]


@dataclass(frozen=True)
class VarianceComponents:
    """Result of :func:`variance_components`.

    Attributes:
        metric: The metric analysed.
        icc: ICC(1), the people share of one period's variance, in [0, 1]; ``nan`` when
            no value varies at all (the share is undefined).
        icc_ci: ``(low, high)`` confidence bounds for the ICC, within [0, 1]; ``(0, 1)``
            when no value varies (the data say nothing about the shares).
        between_var: Variance of the agent effects (people), at least 0.
        within_var: Variance within an agent across periods (system).
        grand_mean: Mean of all measured values.
        agents: Number of agents with at least one value.
        observations: Number of measured agent-periods.
        n0: Effective number of periods per agent (equals the count when balanced).
        f_statistic: ``MSB / MSW``.
        p_value: Probability of an F statistic at least this large if people did not
            differ at all (the one-way ANOVA F test).
        confidence: Confidence level of ``icc_ci``.
    """

    metric: str
    icc: float
    icc_ci: tuple[float, float]
    between_var: float
    within_var: float
    grand_mean: float
    agents: int
    observations: int
    n0: float
    f_statistic: float
    p_value: float
    confidence: float = 0.95

    @property
    def people_share(self) -> float:
        """Alias of :attr:`icc`: the share of variance due to differences between agents."""
        return self.icc

    @property
    def system_share(self) -> float:
        """``1 - icc``: the share of variance due to the system (within an agent)."""
        return 1.0 - self.icc

    def reliability(self, periods: float) -> float:
        """Reliability of a league table ranked on the mean of ``periods`` periods.

        The Spearman-Brown formula ``k * icc / (1 + (k - 1) * icc)``: the correlation
        one would expect between two such tables drawn from independent stretches of
        time is about this value.

        Args:
            periods: Number of periods averaged (at least 1).

        Returns:
            The reliability in [0, 1].

        Raises:
            ValueError: If ``periods`` is below 1.
        """
        if periods < 1:
            raise ValueError(f"periods must be at least 1, got {periods!r}")
        icc = self.icc
        return float(periods * icc / (1.0 + (periods - 1.0) * icc)) if icc > 0 else 0.0

    def summary(self, periods: float | None = None) -> str:
        """Plain-language summary of the people and system shares.

        Args:
            periods: Periods a league table averages over; defaults to ``n0`` rounded.
        """
        k = max(1, round(self.n0 if periods is None else periods))
        low, high = self.icc_ci
        return (f"On {self.metric}: differences between agents explain {self.icc:.0%} of the "
                f"period-to-period variance ({self.confidence:.0%} CI {low:.0%} to {high:.0%});"
                f" the system explains the other {self.system_share:.0%}. A league table of one"
                f" period has reliability {self.reliability(1):.2f}; ranked on the mean of {k}"
                f" periods, {self.reliability(k):.2f}.")


def variance_components(df: pd.DataFrame, agent: str, period: str, metric: str,
                        confidence: float = 0.95) -> VarianceComponents:
    """One-way random-effects ANOVA of a panel: the people and system shares of variance.

    Rows with a missing metric value are dropped; agents may have different numbers of
    periods (see the module documentation for the unbalanced estimators and interval).

    Args:
        df: Panel with one row per agent per period (e.g. ``run.agents``).
        agent: Column identifying the agent.
        period: Column identifying the review period.
        metric: Metric column.
        confidence: Confidence level of the ICC interval, strictly between 0 and 1.

    Returns:
        The components, ICC(1) and its interval; see :class:`VarianceComponents`.

    Raises:
        InputError: If columns are missing or not numeric, an agent appears twice in a
            period, there are fewer than two periods, fewer than two agents have values,
            or no agent has two values.
    """
    if not (0.0 < confidence < 1.0):
        raise InputError.single("variance_components arguments", "confidence",
                                f"{confidence!r} is not strictly between 0 and 1")
    clean = check_panel(df, agent, period, [metric])
    measured = clean.loc[clean[metric].notna(), [agent, metric]]
    # Work in units of the largest value so that sums of huge metrics cannot overflow;
    # the shares are scale-free and the variances are scaled back at the end.
    scale = float(np.max(np.abs(measured[metric].to_numpy(dtype=float)), initial=0.0)) or 1.0
    measured = measured.assign(**{metric: measured[metric] / scale})
    groups = measured.groupby(agent, sort=False)[metric]
    sizes = groups.size().to_numpy(dtype=float)
    means = groups.mean().to_numpy(dtype=float)
    n_agents, n_obs = len(sizes), int(sizes.sum())
    if n_agents < 2 or n_obs - n_agents < 1:
        raise InputError.single(
            "variance_components", metric,
            f"{n_agents} agent(s) with {n_obs} value(s): at least 2 agents and one agent "
            f"with 2 or more periods are needed")
    values = measured[metric].to_numpy(dtype=float)
    grand_scaled = float(np.mean(values))
    grand = grand_scaled * scale
    deviations = values - groups.transform("mean").to_numpy()
    ss_within = float(np.sum(deviations**2))
    ss_between = float(np.sum(sizes * (means - grand_scaled) ** 2))
    df_between, df_within = n_agents - 1, n_obs - n_agents
    ms_between, ms_within = ss_between / df_between, ss_within / df_within
    n0 = (n_obs - float(np.sum(sizes**2)) / n_obs) / df_between
    between = max(0.0, (ms_between - ms_within) / n0)
    total = between + ms_within
    icc = between / total if total > 0 else math.nan
    if ms_within > 0:
        f_stat = ms_between / ms_within
        p_value = float(sps.f.sf(f_stat, df_between, df_within))
        tail = (1.0 - confidence) / 2.0
        f_hi = float(sps.f.ppf(1.0 - tail, df_between, df_within))
        f_lo = float(sps.f.ppf(tail, df_between, df_within))
        bounds = []
        for quantile in (f_hi, f_lo):
            ratio = f_stat / quantile
            bounds.append(min(1.0, max(0.0, (ratio - 1.0) / (ratio + n0 - 1.0))))
        icc_ci = (bounds[0], bounds[1])
    elif ms_between > 0:  # every agent constant over time: all variance is between agents
        f_stat, p_value = math.inf, 0.0
        icc_ci = (icc, icc)
    else:  # no value varies: the shares are undefined, and any ICC is consistent with the data
        f_stat = p_value = math.nan
        icc_ci = (0.0, 1.0)
    between_var, within_var = between * scale * scale, ms_within * scale * scale
    if not (math.isfinite(between_var) and math.isfinite(within_var)):
        raise InputError.single(
            "variance_components arguments", metric,
            f"values up to {scale:.3g} in size: their variance does not fit in a float; rescale the "
            "column (e.g. to other units) or drop the extreme rows")
    return VarianceComponents(
        metric=metric, icc=icc, icc_ci=icc_ci, between_var=between_var, within_var=within_var,
        grand_mean=grand, agents=n_agents, observations=n_obs, n0=n0, f_statistic=f_stat,
        p_value=p_value, confidence=confidence)
