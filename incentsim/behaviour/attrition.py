"""Quitting: a baseline monthly rate that rises with stress, unfairness and pay below market value.

Source 002: punishments and resented rewards bring hostility and anxiety;
DESIGN.md: quitting rises with stress and unfairness. Sorting (Lazear 2000,
Safelite: about half of the gain from piece rates came from who stayed and who
joined): an agent whose true productivity the job market would pay for, but
whose pay here does not reflect it, is more likely to leave. The form is logistic:

``logit(p) = logit(monthly_quit_rate) + stress * (s - s_ref) + unfairness * (f_ref - f)
+ pay_gap * (market_premium * productivity - bonus / wage)``

where ``productivity`` is in standard deviations of the centre's spread of
skill and ``bonus`` the bonus the agent has come to expect. Under flat pay the
best agents are the likeliest to leave; pay that tracks true productivity keeps
them. The baseline of 2.5% a month is an assumption (about 26% a year; 30% is
a common call-centre figure, Adsit et al. 2018), as are the slopes.
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.state import MotivationState
from incentsim.scenario.behaviour import Attrition


def quit_probability(state: MotivationState, params: Attrition, *, productivity: np.ndarray | float = 0.0,
                     wage: float = 1.0, months_per_period: float = 1.0) -> np.ndarray:
    """Chance each agent quits during one review period.

    Args:
        state: Motivation state at the end of the period (``reference`` is the
            bonus each agent has come to expect).
        params: Attrition parameters.
        productivity: True productivity per seat, in standard deviations (0: average).
        wage: Pay per period before bonuses (the scale of the pay gap).
        months_per_period: Length of a review period in months (the monthly
            chance is compounded: ``1 - (1 - p) ** months``).

    Returns:
        One probability per seat, in 0..1.
    """
    if months_per_period < 0:
        raise ValueError("months_per_period must be >= 0")
    n = state.n
    if params.monthly_quit_rate <= 0:
        return np.zeros(n)
    base = np.log(params.monthly_quit_rate / (1.0 - params.monthly_quit_rate))
    pay_gap = (params.market_premium * np.asarray(productivity, dtype=float)
               - np.asarray(state.reference, dtype=float) / wage if wage > 0 else 0.0)
    logit = (base + params.stress * (state.stress - params.reference_stress)
             + params.unfairness * (params.reference_fairness - state.fairness)
             + params.pay_gap * pay_gap)
    monthly = 1.0 / (1.0 + np.exp(-logit))
    return 1.0 - (1.0 - monthly) ** months_per_period
