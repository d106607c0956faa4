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
_BOOL = ("abandoned", "answered", "rushed", "begged", "resolved", "defect_day")
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
