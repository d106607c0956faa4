"""What a report figure or verdict reads: an Experiment, or the tidy frames it holds.

Every report function accepts either an :class:`~incentsim.experiment.Experiment`
(anything with ``summaries`` / ``agents`` frames and, optionally, ``policies`` and
``baseline``) or a tidy DataFrame with the documented columns: summaries have
``policy``, ``replication`` and the summary keys; agent-periods have ``policy``,
``replication``, ``agent``, ``period`` and the agent columns. A ``point`` column
(sweep point or scenario) selects one comparison; results with several points
must name the one to draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from incentsim.errors import InputError

#: Columns every summaries frame needs.
SUMMARY_LABELS: tuple[str, ...] = ("policy", "replication")
#: Columns every agent-periods frame needs.
AGENT_LABELS: tuple[str, ...] = ("policy", "replication", "agent", "period")


def _frame(source: Any, attribute: str) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    frame = getattr(source, attribute, None)
    if not isinstance(frame, pd.DataFrame):
        raise InputError.single("report", attribute, f"expected an Experiment or a DataFrame of "
                                f"{attribute}, got {type(source).__name__}")
    return frame


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError.single("report", what, f"missing column(s) {missing}; columns present: "
                                f"{', '.join(map(str, frame.columns))}")


def select_point(frame: pd.DataFrame, point: int | None, what: str) -> pd.DataFrame:
    """Rows of one sweep point / scenario (all rows when the frame has no ``point`` column).

    Raises:
        InputError: If the frame holds several points and none is named, or the
            named one is absent (the message lists those present).
    """
    if "point" not in frame.columns:
        return frame
    present = sorted(pd.unique(frame["point"]).tolist())
    if point is None:
        if len(present) > 1:
            raise InputError.single("report", "point", f"the {what} hold several sweep points or "
                                    f"scenarios; name one of {present}")
        return frame
    if point not in present:
        raise InputError.single("report", "point", f"{point!r} not found; allowed: {present}")
    return frame[frame["point"] == point]


def summaries_of(source: Any, point: int | None = None) -> pd.DataFrame:
    """The summaries (one row per policy x replication) of ``source``, one point of them."""
    frame = _frame(source, "summaries")
    _require(frame, SUMMARY_LABELS, "summaries")
    return select_point(frame, point, "summaries")


def agents_of(source: Any, point: int | None = None) -> pd.DataFrame:
    """The agent-periods of ``source``, one point of them."""
    frame = _frame(source, "agents")
    _require(frame, AGENT_LABELS, "agents")
    return select_point(frame, point, "agents")


def policies_of(source: Any, frame: pd.DataFrame) -> list[str]:
    """Policies in the source's own order (plan order), else in order of appearance."""
    present = list(dict.fromkeys(frame["policy"].astype(str)))
    declared = getattr(source, "policies", None)
    if isinstance(declared, Sequence) and not isinstance(declared, str):
        ordered = [str(p) for p in declared if str(p) in present]
        return ordered + [p for p in present if p not in ordered]
    return present


def baseline_of(source: Any, policies: Sequence[str], baseline: str | None = None) -> str:
    """The policy to compare against: as given, else the source's, else the first.

    Raises:
        InputError: If the named baseline is not one of ``policies``.
    """
    chosen = baseline if baseline is not None else getattr(source, "baseline", None)
    if chosen is None or (baseline is None and chosen not in policies):
        chosen = policies[0] if policies else None
    if chosen not in policies:
        raise InputError.single("report", "baseline", f"{chosen!r} is not a policy; allowed: "
                                f"{', '.join(policies)}")
    return str(chosen)


def policy_rows(frame: pd.DataFrame, policy: str) -> pd.DataFrame:
    """Rows of one policy.

    Raises:
        InputError: If the policy is absent (the message lists those present).
    """
    rows = frame[frame["policy"].astype(str) == policy]
    if rows.empty:
        present = list(dict.fromkeys(frame["policy"].astype(str)))
        raise InputError.single("report", "policy", f"{policy!r} not found; allowed: "
                                f"{', '.join(present)}")
    return rows
