"""Stress: threats, targets, bottom ranks, warnings and workload.

Source 002: punishments bring anxiety, and people do best "challenged but not
overwhelmed"; source 001: a six-minute talk-time goal caused stress. Each
period stress moves ``rate`` of the way to a settled level: the base plus the
pressures in force; workload adds stress only above a comfortable occupancy.
A handle-time target adds stress in proportion to how hard it bites
(:mod:`incentsim.behaviour.target`). The sizes of the effects are assumptions.
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.salience import Salience
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Stress


def overload(occupancy: np.ndarray, comfortable: float) -> np.ndarray:
    """Workload above comfort, 0 at or below ``comfortable`` rising to 1 at full occupancy."""
    occ = np.nan_to_num(np.asarray(occupancy, dtype=float), nan=0.0)
    return np.clip((occ - comfortable) / (1.0 - comfortable), 0.0, 1.0)


def bottom_ranked(rank_percentile: np.ndarray, bottom_share: float) -> np.ndarray:
    """Whether each agent ranks in the bottom ``bottom_share`` (NaN: unranked, False)."""
    pct = np.nan_to_num(np.asarray(rank_percentile, dtype=float), nan=-1.0)
    if bottom_share <= 0:
        return np.zeros(pct.shape, dtype=bool)
    return pct >= 1.0 - bottom_share


def settled_stress(signals: Signals, sal: Salience, rank_percentile: np.ndarray,
                   warned: np.ndarray, occupancy: np.ndarray, params: Stress) -> np.ndarray:
    """The stress level the period's pressures push each agent toward (0..1).

    Args:
        signals: The policy's signals.
        sal: Their salience.
        rank_percentile: Rank percentile, 0 best, 1 worst, NaN unranked.
        warned: Whether each agent was warned.
        occupancy: Share of available time spent handling calls.
        params: Stress parameters.
    """
    level = (
        params.base
        + params.threat * min(1.0, max(0.0, signals.threat))
        + params.target * sal.target_bite
        + params.stakes * sal.individual
        + params.bottom_rank * bottom_ranked(rank_percentile, params.bottom_share)
        + params.warning * np.asarray(warned, dtype=float)
        + params.overload * overload(occupancy, params.comfortable_occupancy)
    )
    return np.clip(level, 0.0, 1.0)


def stress_step(stress: np.ndarray, settled: np.ndarray, params: Stress) -> np.ndarray:
    """Stress after one review period: ``rate`` of the way to the settled level."""
    return np.clip(stress + params.rate * (settled - stress), 0.0, 1.0)
