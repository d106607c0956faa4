"""Quitting: a baseline monthly rate that rises with stress and unfairness.

Source 002: punishments and resented rewards bring hostility and anxiety;
DESIGN.md: quitting rises with stress and unfairness. The form is logistic:
``logit(p) = logit(monthly_quit_rate) + stress * (s - s_ref) + unfairness * (f_ref - f)``,
so it is monotone in stress and in fairness. The baseline of 2.5% a month is
an assumption (no figure in the sources), as are the slopes.
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.state import MotivationState
from incentsim.scenario.behaviour import Attrition


def quit_probability(state: MotivationState, params: Attrition,
                     months_per_period: float = 1.0) -> np.ndarray:
    """Chance each agent quits during one review period.

    Args:
        state: Motivation state at the end of the period.
        params: Attrition parameters.
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
    logit = (base + params.stress * (state.stress - params.reference_stress)
             + params.unfairness * (params.reference_fairness - state.fairness))
    monthly = 1.0 / (1.0 + np.exp(-logit))
    return 1.0 - (1.0 - monthly) ** months_per_period
