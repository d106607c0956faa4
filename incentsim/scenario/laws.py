"""Probability laws for durations (handle time, patience, repeat delay).

Handle times default to lognormal: Brown et al. (2005, JASA, "Statistical
analysis of a telephone call center") found a bank call centre's service times
close to lognormal. The exponential law exists for the queueing special case
(:meth:`incentsim.Scenario.erlang`), where theory gives exact answers.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field
from scipy.special import ndtri

from incentsim.scenario.base import Block


class Duration(Block):
    """A positive duration law in minutes, parameterised by mean and coefficient of variation.

    Attributes:
        law: ``lognormal`` or ``exponential`` (an exponential has CV 1; ``cv`` is ignored).
        mean: Mean in minutes (> 0).
        cv: Coefficient of variation (standard deviation / mean, > 0) for ``lognormal``.
    """

    law: Literal["lognormal", "exponential"] = "lognormal"
    mean: float = Field(gt=0, le=100_000, description="mean duration in minutes")
    cv: float = Field(default=1.0, gt=0, le=10, description="coefficient of variation (lognormal)")

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        """Map uniforms in (0, 1) to durations by the inverse CDF.

        Inversion keeps common random numbers: the same uniform gives the same
        quantile whatever the law's parameters.
        """
        if self.law == "exponential":
            return -self.mean * np.log1p(-u)
        sigma2 = math.log1p(self.cv * self.cv)
        mu = math.log(self.mean) - sigma2 / 2.0
        return np.exp(mu + math.sqrt(sigma2) * ndtri(u))


class Patience(Block):
    """How long a caller waits in queue before hanging up.

    Attributes:
        law: ``none`` (callers never abandon), ``exponential`` or ``lognormal``.
        mean: Mean patience in minutes (> 0; ignored for ``none``).
        cv: Coefficient of variation for ``lognormal``.
    """

    law: Literal["none", "exponential", "lognormal"] = "exponential"
    mean: float = Field(default=4.0, gt=0, le=100_000)
    cv: float = Field(default=1.0, gt=0, le=10)


    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        """Patience in minutes for each uniform; ``inf`` when the law is ``none``."""
        if self.law == "none":
            return np.full(np.shape(u), np.inf)
        return Duration(law=self.law, mean=self.mean, cv=self.cv).from_uniform(u)
