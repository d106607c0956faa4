"""Callers' patience from the waits of abandoned and answered calls (censored data).

Patience is not observed directly. A caller who hung up after waiting ``w`` had patience
``w``; a caller answered after waiting ``w`` had patience *longer* than ``w``: their
patience is right-censored at ``w`` (a caller answered at once tells nothing). Averaging the
abandoned callers' waits would describe the impatient ones only. Three estimators use
both kinds of caller:

* **exponential, maximum likelihood**: mean patience = the total waiting time of all
  callers divided by the number who abandoned (the classical censored-data estimate;
  Lawless, *Statistical Models and Methods for Lifetime Data*, 2003, section 2.2);
* **lognormal, maximum likelihood** with censoring: abandoned callers contribute the
  density at their wait, answered callers the survival function at theirs;
* **Kaplan-Meier** (Kaplan & Meier 1958, JASA 53, 457-481; :func:`scipy.stats.ecdf`): the
  share still waiting after 30, 60, 120 and 300 seconds without any law, to check the
  two laws against. Brown et al. (2005) used it on a bank's call centre.

The scenario gets the law with the lower AIC (Akaike's criterion: two per parameter minus
twice the log-likelihood). Beyond the longest observed wait the law is extrapolation: the
report says what share of callers the data see that far.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as sps

__all__ = ["CHECK_SECONDS", "PatienceFit", "fit_patience"]

#: Waits (seconds) at which the survival curves are compared.
CHECK_SECONDS = (30.0, 60.0, 120.0, 300.0)


@dataclass(frozen=True)
class PatienceFit:
    """Patience estimates (seconds).

    Attributes:
        law: ``exponential``, ``lognormal``, or ``none`` when nobody abandoned.
        mean: Mean patience of the chosen law.
        cv: Its coefficient of variation (1 for the exponential).
        abandoned: Callers who abandoned (uncensored).
        censored: Answered callers who waited (censored at their wait).
        exponential_mean: The exponential estimate.
        lognormal_mean, lognormal_cv: The lognormal estimate.
        aic_exponential, aic_lognormal: Their AIC.
        longest_wait: The longest wait in the log.
        survival: Share still waiting at :data:`CHECK_SECONDS`: rows ``kaplan_meier``,
            ``exponential``, ``lognormal``.
    """

    law: str
    mean: float
    cv: float
    abandoned: int
    censored: int
    exponential_mean: float
    lognormal_mean: float
    lognormal_cv: float
    aic_exponential: float
    aic_lognormal: float
    longest_wait: float
    survival: pd.DataFrame


def _lognormal_mle(events: np.ndarray, censored: np.ndarray, start_mean: float) -> tuple[float, float, float]:
    """``(mu, sigma, log-likelihood)`` of a lognormal with right-censored data."""
    log_events, log_censored = np.log(events), np.log(censored)

    def negative(params: np.ndarray) -> float:
        mu, log_sigma = float(params[0]), float(params[1])
        sigma = math.exp(log_sigma)
        z_events = (log_events - mu) / sigma
        z_censored = (log_censored - mu) / sigma
        value = (sps.norm.logpdf(z_events).sum() - log_events.sum() - events.size * log_sigma
                 + sps.norm.logsf(z_censored).sum())
        return -float(value)

    start = np.array([math.log(max(start_mean, 1e-3)) - 0.5, math.log(1.0)])
    result = optimize.minimize(negative, start, method="Nelder-Mead",
                               options={"xatol": 1e-6, "fatol": 1e-6, "maxiter": 2000})
    mu, sigma = float(result.x[0]), math.exp(float(result.x[1]))
    return mu, sigma, -float(result.fun)


def fit_patience(log: pd.DataFrame) -> PatienceFit:
    """Fit patience from a checked call log (see the module documentation)."""
    wait = log["wait_seconds"].to_numpy(dtype=float)
    abandoned = ~log["answered"].to_numpy(dtype=bool)
    events = wait[abandoned & (wait > 0)]
    censored = wait[~abandoned & (wait > 0)]
    n_events = int(events.size)
    longest = float(wait.max()) if wait.size else 0.0
    empty = pd.DataFrame(index=["kaplan_meier", "exponential", "lognormal"],
                         columns=[f"{s:g}s" for s in CHECK_SECONDS], dtype=float)
    if n_events == 0:
        return PatienceFit("none", math.inf, math.nan, 0, int(censored.size), math.inf, math.nan, math.nan,
                           math.nan, math.nan, longest, empty)
    total = float(events.sum() + censored.sum())
    exp_mean = total / n_events
    loglik_exp = -n_events * math.log(exp_mean) - total / exp_mean
    mu, sigma, loglik_log = _lognormal_mle(events, censored, exp_mean)
    log_mean = math.exp(mu + sigma**2 / 2.0)
    log_cv = math.sqrt(math.expm1(sigma**2))
    aic_exp, aic_log = 2.0 - 2.0 * loglik_exp, 4.0 - 2.0 * loglik_log
    data = sps.CensoredData(uncensored=events, right=censored)
    km = sps.ecdf(data).sf
    checks = np.asarray(CHECK_SECONDS)
    survival = pd.DataFrame(
        [km.evaluate(checks), np.exp(-checks / exp_mean), sps.lognorm(sigma, scale=math.exp(mu)).sf(checks)],
        index=["kaplan_meier", "exponential", "lognormal"], columns=[f"{s:g}s" for s in CHECK_SECONDS])
    lognormal = aic_log < aic_exp and math.isfinite(log_mean)
    return PatienceFit(
        law="lognormal" if lognormal else "exponential",
        mean=log_mean if lognormal else exp_mean, cv=log_cv if lognormal else 1.0,
        abandoned=n_events, censored=int(censored.size), exponential_mean=exp_mean,
        lognormal_mean=log_mean, lognormal_cv=log_cv, aic_exponential=aic_exp, aic_lognormal=aic_log,
        longest_wait=longest, survival=survival)
