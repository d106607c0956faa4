"""True satisfaction of each call: what the caller actually experienced.

DESIGN.md section 2 and issue 3: true satisfaction comes from resolution, the
total wait (queue plus tier-2 hold), transfers (source 001: customers dislike
being transferred and grow more frustrated on hold; a dump costs more than a
needed escalation), the agent's care, the caller's upset and rushing. Begging
for a rating never raises it (source 001, 004); it lowers it for the share of
begged callers annoyed by it (``u_annoy < annoyed_share``). A caller who hung up
in the queue gets a fixed low value. The logistic form and every weight are
assumptions (parameters in ``scenario.measurement.satisfaction``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.scenario.measurement import Satisfaction
from incentsim.truth.calls import flag, number, transfer_codes

#: Columns :func:`true_satisfaction` reads.
SATISFACTION_COLUMNS: tuple[str, ...] = (
    "abandoned", "resolved", "wait_time", "tier2_wait", "transfer", "care", "upset", "rushed",
    "begged", "u_annoy",
)


def annoyed(begged: np.ndarray, u_annoy: np.ndarray, params: Satisfaction) -> np.ndarray:
    """Whether a begged caller is annoyed by the begging."""
    return np.asarray(begged, dtype=bool) & (np.asarray(u_annoy, dtype=float) < params.annoyed_share)


def satisfaction_index(calls: pd.DataFrame, params: Satisfaction) -> np.ndarray:
    """The log-odds of true satisfaction per call (ignoring abandonment).

    Args:
        calls: Call table with the columns in :data:`SATISFACTION_COLUMNS`.
        params: Satisfaction parameters.
    """
    transfer = transfer_codes(calls)
    wait = number(calls, "wait_time") + number(calls, "tier2_wait")
    care = number(calls, "care", fill=1.0)
    return (
        params.intercept
        + params.resolved * flag(calls, "resolved")
        - params.wait_per_minute * wait
        - params.escalation * (transfer == 1)
        - params.dump * (transfer == 2)
        + params.care * (care - 1.0)
        - params.upset * number(calls, "upset")
        - params.rushed * flag(calls, "rushed")
        - params.annoyance * annoyed(flag(calls, "begged"), number(calls, "u_annoy", fill=1.0),
                                     params)
    )


def true_satisfaction(calls: pd.DataFrame, params: Satisfaction | None = None) -> np.ndarray:
    """True satisfaction of every call, 0..1.

    Args:
        calls: Call table (one row per call) with the columns in
            :data:`SATISFACTION_COLUMNS`; ``transfer`` as labels or codes.
        params: Satisfaction parameters (default: the scenario defaults).

    Returns:
        One value per row; abandoned calls get ``params.abandoned``.

    Raises:
        ValueError: If a required column is missing.
    """
    params = params if params is not None else Satisfaction()
    missing = [c for c in SATISFACTION_COLUMNS if c not in calls.columns]
    if missing:
        raise ValueError(f"calls: missing columns {missing}; needed: {', '.join(SATISFACTION_COLUMNS)}")
    eta = satisfaction_index(calls, params)
    sat = 1.0 / (1.0 + np.exp(-eta))
    return np.where(flag(calls, "abandoned"), params.abandoned, sat)
