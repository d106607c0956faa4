"""Stress: the threat of sanctions, money at stake, effort, bottom ranks, warnings and workload.

Source 002: punishments bring anxiety, and people do best "challenged but not
overwhelmed"; source 001: a six-minute talk-time goal caused stress. Each
period stress moves ``rate`` of the way to a settled level: the base plus the
pressures each agent actually meets: the threat they feel (their own sanction
risk as read from the policy's review, and colleagues sanctioned), the money
that depends on their numbers, the effort they put into working faster, a bottom
rank or a warning dealt to them, and workload above a comfortable occupancy.
The sizes of the effects are assumptions.
"""

from __future__ import annotations

import numpy as np

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


def settled_stress(threat: np.ndarray, stakes: np.ndarray, effort: np.ndarray,
                   rank_percentile: np.ndarray, warned: np.ndarray, occupancy: np.ndarray,
                   params: Stress) -> np.ndarray:
    """The stress level the period's pressures push each agent toward (0..1).

    Args:
        threat: Threat each agent feels, 0..1.
        stakes: Felt money at stake, 0..1.
        effort: Effort to work faster, 0..1.
        rank_percentile: Rank percentile, 0 best, 1 worst, NaN unranked.
        warned: Whether each agent was warned.
        occupancy: Share of available time spent handling calls.
        params: Stress parameters.
    """
    level = (
        params.base
        + params.threat * np.asarray(threat, dtype=float)
        + params.stakes * np.asarray(stakes, dtype=float)
        + params.effort * np.asarray(effort, dtype=float)
        + params.bottom_rank * bottom_ranked(rank_percentile, params.bottom_share)
        + params.warning * np.asarray(warned, dtype=float)
        + params.overload * overload(occupancy, params.comfortable_occupancy)
    )
    return np.clip(level, 0.0, 1.0)


def stress_step(stress: np.ndarray, settled: np.ndarray, params: Stress) -> np.ndarray:
    """Stress after one review period: ``rate`` of the way to the settled level."""
    return np.clip(stress + params.rate * (settled - stress), 0.0, 1.0)
