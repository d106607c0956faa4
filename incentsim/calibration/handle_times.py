"""Handle-time laws per call type, with their goodness of fit.

For each call type, the answered calls' handle times are fitted by maximum likelihood
with a lognormal law (the mean and standard deviation of the log handle times; Brown et
al. 2005, JASA 100, 36-50, found a bank's service times close to lognormal) and with an
exponential law (the mean). The law with the smaller Kolmogorov-Smirnov distance ``D``
(the largest gap between the data's and the law's cumulative distribution) is the
type's law. ``D`` is reported, not its p-value: the parameters are estimated from the same
data (Lilliefors 1967), and with thousands of calls any real law is "rejected". A QQ
summary reports the data's 10th, 50th, 90th and 99th percentiles over the fitted law's:
1.0 is a perfect fit at that point, above 1.0 a heavier tail than the law.

What the scenario gets is the law of an *average agent's* handle time: the observed
spread includes differences between agents, which the engine adds back with
``people.speed_sd`` (see :mod:`~incentsim.calibration.agents`), so the agents' share is
taken out of the log-variance before the law is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = ["QUANTILES", "HandleTimeFit", "fit_handle_times", "lognormal_cv"]

#: Percentiles of the QQ summary.
QUANTILES = (0.10, 0.50, 0.90, 0.99)


def lognormal_cv(log_variance: float) -> float:
    """Coefficient of variation of a lognormal law with this variance of the log."""
    return math.sqrt(math.expm1(max(log_variance, 1e-6)))


@dataclass(frozen=True)
class HandleTimeFit:
    """The fit of one call type's handle times (seconds).

    Attributes:
        call_type: The type.
        calls: Answered calls of the type.
        mean: Mean handle time.
        cv: Coefficient of variation (standard deviation over mean).
        log_mean: Mean of the log handle times (the lognormal's ``mu``).
        log_var: Variance of the log handle times (the lognormal's ``sigma**2``).
        law: ``lognormal`` or ``exponential``: the law with the smaller KS distance.
        ks_lognormal: KS distance of the lognormal fit.
        ks_exponential: KS distance of the exponential fit.
        qq: Data percentile over fitted-law percentile at :data:`QUANTILES`, for ``law``.
    """

    call_type: str
    calls: int
    mean: float
    cv: float
    log_mean: float
    log_var: float
    law: str
    ks_lognormal: float
    ks_exponential: float
    qq: tuple[float, ...]

    def as_row(self) -> dict[str, object]:
        """A flat row for a table."""
        return {"call_type": self.call_type, "calls": self.calls, "aht_seconds": self.mean, "cv": self.cv,
                "law": self.law, "ks_lognormal": self.ks_lognormal, "ks_exponential": self.ks_exponential,
                **{f"qq_{round(q * 100)}": r for q, r in zip(QUANTILES, self.qq, strict=True)}}


def _fit_one(call_type: str, seconds: np.ndarray) -> HandleTimeFit:
    n = seconds.size
    mean = float(seconds.mean())
    cv = float(seconds.std(ddof=1) / mean) if n > 1 else 0.0
    logs = np.log(seconds)
    mu = float(logs.mean())
    var = float(logs.var()) if n > 1 else 0.0
    if n < 2 or var <= 0:
        return HandleTimeFit(call_type, n, mean, cv, mu, 0.0, "exponential", math.nan, math.nan,
                             tuple(math.nan for _ in QUANTILES))
    sigma = math.sqrt(var)
    lognormal = sps.lognorm(sigma, scale=math.exp(mu))
    exponential = sps.expon(scale=mean)
    ks_log = float(sps.kstest(seconds, lognormal.cdf).statistic)
    ks_exp = float(sps.kstest(seconds, exponential.cdf).statistic)
    law = "exponential" if ks_exp < ks_log else "lognormal"
    chosen = exponential if law == "exponential" else lognormal
    observed = np.quantile(seconds, QUANTILES)
    qq = tuple(float(o / chosen.ppf(q)) for o, q in zip(observed, QUANTILES, strict=True))
    return HandleTimeFit(call_type, n, mean, cv, mu, var, law, ks_log, ks_exp, qq)


def fit_handle_times(log: pd.DataFrame) -> dict[str, HandleTimeFit]:
    """Fit every call type's answered handle times (see the module documentation).

    Args:
        log: A checked call log (:func:`~incentsim.calibration.check_call_log`).

    Returns:
        The fit per call type, in order of the type labels; a type with no answered call
        is left out.
    """
    answered = log.loc[log["answered"]]
    return {str(kind): _fit_one(str(kind), group.to_numpy(dtype=float))
            for kind, group in answered.groupby("call_type", sort=True)["handle_seconds"]}
