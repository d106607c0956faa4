"""Reading the engine's call table: one row per call, truth and measurement side by side.

The engine may store codes (``transfer`` 0/1/2, ``agent`` -2 for none,
``repeat_of`` -2 for none) or labels and missing values (``transfer`` as
``"none" | "escalation" | "dump"``, ``agent`` NaN). These helpers accept both,
so the truth and measurement functions work on the engine's frame and on
``run.calls`` alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Transfer labels in code order: 0 none, 1 escalation, 2 dump.
TRANSFER_LABELS: tuple[str, ...] = ("none", "escalation", "dump")
#: ``survey_agent`` of a survey that lands on the tier-2 team.
TIER2_TEAM: int = -1


def transfer_codes(calls: pd.DataFrame) -> np.ndarray:
    """Transfer per call as codes 0 none, 1 escalation, 2 dump.

    Raises:
        ValueError: For a label other than ``none``, ``escalation`` or ``dump``.
    """
    col = calls["transfer"]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return np.nan_to_num(col.to_numpy(dtype=float), nan=0.0).astype(np.int64)
    # factorize hashes the few distinct labels once; comparing strings per row is slower
    positions, uniques = pd.factorize(col, use_na_sentinel=True)
    known = {label: code for code, label in enumerate(TRANSFER_LABELS)}
    bad = sorted(str(u) for u in uniques if u not in known)
    if bad:
        raise ValueError(f"transfer: unknown labels {bad}; allowed: {', '.join(TRANSFER_LABELS)}")
    lookup = np.array([known[u] for u in uniques] + [0], dtype=np.int64)  # last: missing
    return lookup[positions]


def survey_owner(calls: pd.DataFrame) -> np.ndarray:
    """Who each survey is attributed to: the agent's id, :data:`TIER2_TEAM`, or -2 for nobody.

    Reads the engine's codes in ``survey_agent``, or ``survey_to`` labels
    (``agent``, ``tier2``, ``none``) beside a ``survey_agent`` with missing values.
    """
    owner = id_column(calls, "survey_agent")
    if "survey_to" in calls:
        to = calls["survey_to"].astype(str).to_numpy()
        owner = np.where(to == "tier2", TIER2_TEAM, np.where(to == "agent", owner, -2))
    return owner


def id_column(calls: pd.DataFrame, name: str) -> np.ndarray:
    """An id column as int64, missing values (NaN) as -2; stored codes pass through."""
    values = calls[name].to_numpy(dtype=float, na_value=np.nan)
    return np.nan_to_num(values, nan=-2.0).astype(np.int64)


def flag(calls: pd.DataFrame, name: str) -> np.ndarray:
    """A boolean column as a numpy bool array (missing counts as False)."""
    return calls[name].fillna(False).to_numpy(dtype=bool)


def number(calls: pd.DataFrame, name: str, fill: float = 0.0) -> np.ndarray:
    """A numeric column as float with missing values replaced by ``fill``."""
    return np.nan_to_num(calls[name].to_numpy(dtype=float, na_value=np.nan), nan=fill)


def answered(calls: pd.DataFrame) -> np.ndarray:
    """Calls a tier-1 agent answered: not abandoned, with an agent id >= 0."""
    return ~flag(calls, "abandoned") & (id_column(calls, "agent") >= 0)
