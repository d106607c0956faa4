"""Felt fairness with an adaptive reward reference point.

Source 002: rewards become expected and their absence resented. The reference
point is the bonus an agent has come to expect; it moves ``reference_rate`` of
the way to each period's bonus (adaptive expectations, assumption). A bonus
above the reference is felt as a gain, below it as a loss, and losses weigh
twice as much as gains (loss aversion, Tversky & Kahneman 1992). So a bonus
paid for months and then stopped leaves fairness *below* where it was before
the bonus began. Being ranked on numbers that are mostly chance (source 000),
a bottom rank and a warning also lower it. Each period fairness moves ``rate``
of the way to its settled level. Effect sizes are assumptions.
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.stress import bottom_ranked
from incentsim.scenario.behaviour import Fairness


def felt_money(amount: np.ndarray, scale: float) -> np.ndarray:
    """Saturating felt size of a money gain or loss: ``x / (x + scale)`` for ``x >= 0``."""
    x = np.maximum(np.asarray(amount, dtype=float), 0.0)
    return x / (x + scale)


def fairness_step(fairness: np.ndarray, reference: np.ndarray, bonus: np.ndarray,
                  ranked: np.ndarray, rank_percentile: np.ndarray, warned: np.ndarray,
                  bottom_share: float, params: Fairness) -> tuple[np.ndarray, np.ndarray]:
    """Fairness and reference point after one review period.

    Args:
        fairness: Felt fairness now.
        reference: Reward reference point now (money per period).
        bonus: Bonus received this period (NaN counts as none).
        ranked: Whether (or how surely) each agent is ranked against colleagues, 0..1.
        rank_percentile: Rank percentile, 0 best, 1 worst, NaN unranked.
        warned: Whether each agent was warned.
        bottom_share: Rank percentile share counted as the bottom.
        params: Fairness parameters.

    Returns:
        ``(fairness, reference)`` after the period.
    """
    bonus = np.nan_to_num(np.asarray(bonus, dtype=float), nan=0.0)
    surprise = bonus - reference
    settled = (
        params.base
        + params.gain * felt_money(surprise, params.money_scale)
        - params.loss * felt_money(-surprise, params.money_scale)
        - params.ranking * np.asarray(ranked, dtype=float)
        - params.bottom_rank * bottom_ranked(rank_percentile, bottom_share)
        - params.warning * np.asarray(warned, dtype=float)
    )
    settled = np.clip(settled, 0.0, 1.0)
    new_fairness = np.clip(fairness + params.rate * (settled - fairness), 0.0, 1.0)
    new_reference = reference + params.reference_rate * (bonus - reference)
    return new_fairness, new_reference
