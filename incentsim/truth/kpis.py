"""What really happened per agent and period: the truth beside the manager's numbers.

Over the calls each tier-1 agent answered (calls are counted in the period in
which they were measured, see :mod:`incentsim.engine.review`):

* ``true_csat``: share of calls whose true satisfaction is at least
  ``satisfied_at`` (default 0.625, where the noiseless expected rating reaches
  the 4-or-5 boundary of 3.5, so an unbiased full-response survey would agree);
* ``true_fcr``: share resolved on that call without a transfer;
* ``repeat_rate``: share that came back as a repeat call;
* ``dump_rate``, ``beg_rate``, ``rush_rate``: shares of calls dumped, begged, rushed.

A policy never sees these (:data:`~incentsim.contract.MEASURED_COLUMNS`).
"""

from __future__ import annotations

import pandas as pd

from incentsim.truth.facts import answered_means, call_facts

#: Columns of :func:`agent_truth`.
TRUTH_KPI_COLUMNS: tuple[str, ...] = (
    "agent", "period", "true_csat", "true_fcr", "repeat_rate", "dump_rate", "beg_rate", "rush_rate",
)

#: Columns :func:`agent_truth` reads from the call table.
TRUTH_CALL_COLUMNS: tuple[str, ...] = (
    "call_id", "agent", "period", "abandoned", "wait_time", "handle_time", "transfer", "resolved",
    "true_satisfaction", "survey_responded", "survey_rating", "survey_agent", "rushed", "begged",
    "repeat_of",
)


def agent_truth(calls: pd.DataFrame, *, satisfied_at: float = 0.625) -> pd.DataFrame:
    """True KPIs per tier-1 agent per period.

    Args:
        calls: Call table (after :func:`incentsim.truth.true_satisfaction`).
        satisfied_at: True satisfaction counted as satisfied in ``true_csat``.

    Returns:
        One row per (agent, period) for agents who answered calls, sorted by agent
        and period, columns :data:`TRUTH_KPI_COLUMNS`.
    """
    missing = [c for c in TRUTH_CALL_COLUMNS if c not in calls.columns]
    if missing:
        raise ValueError(f"calls: missing columns {missing}; needed: {', '.join(TRUTH_CALL_COLUMNS)}")
    facts = call_facts(calls, satisfied_at)
    (agent, period), _, means = answered_means(facts, ["agent", "period"])
    out = pd.DataFrame({"agent": agent, "period": period,
                        **{k: means[k] for k in TRUTH_KPI_COLUMNS[2:]}})
    return out[list(TRUTH_KPI_COLUMNS)]
