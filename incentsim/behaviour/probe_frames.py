"""The measured frames perception hands a policy's ``review``, one per probed run.

Every probed run of a reading shows the policy the same frame but for the
measured numbers of the period being anticipated: the earlier periods, the
agents, their teams, status and tenure are the same in all of them. The
first frame is built as a policy would see it (the history and the period's
rows, concatenated); the others reuse its columns and replace only those that
vary, which gives the same columns, dtypes, index and values at a fraction of
the cost. Where the varying columns could change dtype on concatenation (a
history with other dtypes), every frame is built in full instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from incentsim.contract import MEASURED_COLUMNS

if TYPE_CHECKING:
    from incentsim.behaviour.perception import Roster

#: Measured columns that differ between probed runs, and the dtype each run's values take.
VARYING: dict[str, type | None] = {
    "calls": np.int64, "aht": None, "qa": None, "qa_samples": np.int64, "csat": None,
    "survey_responses": np.int64, "survey_positive": np.int64, "transfer_rate": None,
}


def probe_rows(roster: Roster, period: int, measured: dict[str, np.ndarray]) -> pd.DataFrame:
    """The period's rows of one probed run: every seat active, with the run's measured numbers."""
    data = {
        "agent": roster.agent.astype(np.int64), "period": np.full(roster.n, period, dtype=np.int64),
        "team": roster.team.astype(np.int64), "status": np.full(roster.n, "active", dtype=object),
        "tenure_days": roster.tenure_days.astype(float),
        **{name: _run_values(measured, name) for name in VARYING},
    }
    return pd.DataFrame({c: data[c] for c in MEASURED_COLUMNS})


def _run_values(measured: dict[str, np.ndarray], name: str) -> np.ndarray:
    dtype = VARYING[name]
    return measured[name] if dtype is None else measured[name].astype(dtype)


class ProbeFrames:
    """Builds the frame of each probed run for one reading.

    Args:
        history: The measured frame of every earlier period (may be empty).
        roster: Who works the anticipated period.
        period: The anticipated period.
    """

    def __init__(self, history: pd.DataFrame, roster: Roster, period: int) -> None:
        self.base = history[list(MEASURED_COLUMNS)] if len(history) else None
        self.roster = roster
        self.period = period
        self.template: dict[str, object] | None = None
        self.history_values: dict[str, np.ndarray] = {}

    def frame(self, measured: dict[str, np.ndarray]) -> pd.DataFrame:
        """The frame the policy sees in a run whose period's numbers are ``measured``."""
        if self.template is not None:
            return self._varied(measured)
        rows = probe_rows(self.roster, self.period, measured)
        frame = rows if self.base is None else pd.concat([self.base, rows], ignore_index=True)
        if self._can_vary(rows, frame):
            # The columns' arrays; each frame built from them gets its own copy, so a policy
            # changing the frame it is given changes nothing the next run sees.
            self.template = {name: _array(frame[name]) for name in MEASURED_COLUMNS}
            if self.base is not None:
                self.history_values = {name: self.base[name].to_numpy() for name in VARYING}
        return frame

    def _can_vary(self, rows: pd.DataFrame, frame: pd.DataFrame) -> bool:
        """Whether replacing the varying columns reproduces the concatenated frame exactly."""
        if not frame.index.equals(pd.RangeIndex(len(frame))) or not isinstance(frame.index, pd.RangeIndex):
            return False
        rebuilt = pd.DataFrame({name: _array(frame[name]) for name in MEASURED_COLUMNS}, copy=False)
        if not rebuilt.dtypes.equals(frame.dtypes):
            return False
        for name in VARYING:
            dtype = frame[name].dtype
            if not isinstance(dtype, np.dtype) or rows[name].dtype != dtype:
                return False
            if self.base is not None and self.base[name].dtype != dtype:
                return False
        return True

    def _varied(self, measured: dict[str, np.ndarray]) -> pd.DataFrame:
        assert self.template is not None
        data = dict(self.template)
        offset = 0 if self.base is None else len(self.base)
        for name in VARYING:
            old = self.template[name]
            assert isinstance(old, np.ndarray)
            column = np.empty(old.size, dtype=old.dtype)
            if offset:
                column[:offset] = self.history_values[name]
            column[offset:] = _run_values(measured, name)
            data[name] = column
        return pd.DataFrame(data)                       # copies: no two frames share memory


def _array(column: pd.Series) -> object:
    """A copy of a column's values as the frame holds them (numpy array, or extension array)."""
    return column.to_numpy(copy=True) if isinstance(column.dtype, np.dtype) else column.array.copy()


__all__ = ["VARYING", "ProbeFrames", "probe_rows"]
