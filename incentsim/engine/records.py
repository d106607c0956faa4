"""Columnar call records: one Python list per column, indexed by call number.

The hot loop writes single items, where lists are several times faster than
numpy arrays; :meth:`CallRecords.frame` turns the calls that arrived into one
DataFrame at the end (or per review period).
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

#: Transfer codes stored while running; ``frame`` turns them into labels.
TRANSFER_NONE, TRANSFER_ESCALATION, TRANSFER_DUMP = 0, 1, 2
TRANSFER_LABELS = ("none", "escalation", "dump")
#: ``survey_agent`` of a call whose survey lands on the tier-2 team.
TIER2 = -1
NO_AGENT = -2

_FLOAT = ("arrival_time", "wait_time", "answer_time", "handle_time", "care", "upset",
          "tier2_wait", "tier2_handle_time", "end_time")
_INT = ("customer_id", "call_type", "period", "day", "agent", "transfer", "repeat_of",
        "survey_agent", "seat")
_BOOL = ("abandoned", "answered", "rushed", "begged", "resolved", "defect_day", "came_back")
_DEFAULTS = {**dict.fromkeys(_FLOAT, math.nan), **dict.fromkeys(_INT, -2),
             **dict.fromkeys(_BOOL, False)}


class CallRecords:
    """Per-call columns, grown in step with the call draws."""

    def __init__(self, capacity: int) -> None:
        self.capacity = 0
        self.columns: dict[str, list[Any]] = {
            name: [] for name in _DEFAULTS
        }
        self.arrived: list[int] = []
        self.grow(capacity)

    def grow(self, capacity: int) -> None:
        """Extend every column to ``capacity`` rows."""
        extra = capacity - self.capacity
        if extra <= 0:
            return
        for name, col in self.columns.items():
            col.extend([_DEFAULTS[name]] * extra)
        self.capacity = capacity

    def frame(self, index: np.ndarray | None = None) -> pd.DataFrame:
        """The calls that arrived (or those in ``index``) as a DataFrame, in arrival order."""
        idx = np.asarray(self.arrived if index is None else index, dtype=np.int64)
        data: dict[str, np.ndarray] = {"call_id": idx}
        for names, dtype in ((_FLOAT, float), (_INT, np.int64), (_BOOL, bool)):
            for name in names:
                data[name] = _take(self.columns[name], idx, dtype)
        code = np.maximum(data["transfer"], TRANSFER_NONE)  # never answered (-2) -> "none"
        data["transfer"] = pd.Categorical(np.array(TRANSFER_LABELS)[code], categories=list(TRANSFER_LABELS))
        return pd.DataFrame(data)


def _take(column: list[Any], idx: np.ndarray, dtype: type) -> np.ndarray:
    """Items ``idx`` of a list as an array, without converting the whole list."""
    if idx.size == 0:
        return np.empty(0, dtype=dtype)
    if idx.size == 1:
        return np.asarray([column[int(idx[0])]], dtype=dtype)
    return np.fromiter(itemgetter(*idx.tolist())(column), dtype=dtype, count=idx.size)


#: Who a survey is attributed to, in :func:`readable` call tables.
SURVEY_TO = ("agent", "tier2", "none")


def readable(calls: pd.DataFrame, call_types: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The engine's call table with labels and missing values instead of codes (``run.calls``).

    ``call_type`` becomes a categorical of the scenario's call-type names;
    ``agent``, ``seat``, ``repeat_of`` and ``survey_agent`` become nullable
    integers, missing where there is no such agent or call (instead of the
    engine's -2); ``survey_to`` says who the survey is attributed to: ``agent``
    (``survey_agent``), ``tier2`` (a transferred caller's survey) or ``none``
    (the caller hung up in the queue). The call-column reference documents every column.

    Args:
        calls: A call table with the engine's codes.
        call_types: Call-type names in code order.
    """
    out = calls.copy()
    names = list(call_types)
    codes = out["call_type"].to_numpy(dtype=np.int64)
    out["call_type"] = pd.Categorical.from_codes(codes, categories=names)
    survey = out["survey_agent"].to_numpy(dtype=np.int64)
    to = np.where(survey >= 0, 0, np.where(survey == TIER2, 1, 2))
    for name in ("agent", "seat", "repeat_of", "survey_agent"):
        values = out[name].to_numpy(dtype=np.int64)
        out[name] = pd.array(np.where(values >= 0, values, 0), dtype="Int64")
        out.loc[values < 0, name] = pd.NA
    position = out.columns.get_loc("survey_agent") + 1
    out.insert(int(position), "survey_to", pd.Categorical.from_codes(to, categories=list(SURVEY_TO)))
    return out
