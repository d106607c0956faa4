"""The call-log format: one row per call, as a telephony (ACD) system exports it.

=================  ========  ==================================================================
column             required  content
=================  ========  ==================================================================
``arrival``        yes       when the caller joined the queue (or reached an agent when there
                             was no wait): an ISO 8601 timestamp, ``2024-03-05 09:14:07``; a
                             time-zone offset is dropped and the local clock time kept
``call_type``      yes       a label (at most 40 characters, at most 50 distinct labels)
``outcome``        yes       ``answered`` or ``abandoned`` (hung up while waiting)
``wait_seconds``   yes       seconds in the queue until answered or abandoned (>= 0)
``handle_seconds`` yes       talk plus wrap-up seconds (> 0) when answered; empty (or 0) when
                             abandoned
``agent``          yes       who answered; empty when abandoned
``customer_id``    no        the caller; repeat calls are found from it
``transferred``    no        ``true``/``false`` (also ``1``/``0``, ``yes``/``no``): passed on to
                             a second tier
``survey_rating``  no        1 to 5, empty when there was no survey answer
``qa_score``       no        a quality score, empty when the call was not scored
=================  ========  ==================================================================

Only an empty cell is a missing value (text such as ``n/a`` is an error in a number
column). Other columns are ignored. :func:`check_call_log` reports every problem at once,
each naming the column and the first offending data rows (numbered from 1, not counting
the header line), and returns the log in a canonical form sorted by arrival.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incentsim.errors import InputError, Problem
from incentsim.stats.table_file import describe_rows, number_hint, plain, read_table, separator_hint

__all__ = ["MAX_CALL_TYPES", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "check_call_log", "read_call_log"]

#: Columns every call log must have.
REQUIRED_COLUMNS = ("arrival", "call_type", "outcome", "wait_seconds", "handle_seconds", "agent")
#: Columns read when present.
OPTIONAL_COLUMNS = ("customer_id", "transferred", "survey_rating", "qa_score")
#: Most distinct call types a log may have (each becomes a call type of the scenario).
MAX_CALL_TYPES = 50
#: Longest call-type label (the scenario's limit).
MAX_TYPE_LENGTH = 40

_OUTCOMES = ("answered", "abandoned")
_TRUE = {"true", "1", "yes", "y", "t", "1.0"}
_FALSE = {"false", "0", "no", "n", "f", "0.0"}
_FIRST_YEAR, _LAST_YEAR = 1970, 2200
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def _examples(values: pd.Series, count: int = 3) -> str:
    shown = list(dict.fromkeys(plain(v) for v in values.head(50)))[:count]
    return ", ".join(repr(v) for v in shown)


def _numbers(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """The column as floats; text that is not a number and infinite values are problems."""
    original = frame[column]
    if original.dtype == bool:
        original = original.astype(float)
    numeric = pd.to_numeric(original, errors="coerce")
    bad = (numeric.isna() & original.notna()).to_numpy()
    if bad.any():
        examples = original[bad]
        problems.append(Problem(column, f"{int(bad.sum())} value(s) are not numbers, e.g. {_examples(examples)}, "
                                        f"in {describe_rows(bad)}; leave the cell empty when there is no value"
                                        f"{number_hint(list(examples.head(20)))}"))
    values = numeric.astype(float)
    infinite = np.isinf(values.to_numpy())
    if infinite.any():
        problems.append(Problem(column, f"{int(infinite.sum())} infinite value(s) in {describe_rows(infinite)}; "
                                        f"finite numbers expected"))
        values = values.where(~np.isinf(values))
    return values


def _timestamps(frame: pd.DataFrame, problems: list[Problem]) -> pd.Series:
    original = frame["arrival"]
    if pd.api.types.is_datetime64_any_dtype(original):
        stamps = original
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_localize(None)  # keep the local clock time
    else:
        text = original.astype("string").str.strip().str.replace(_OFFSET, "", regex=True)
        text = text.str.replace("T", " ", regex=False)
        try:
            stamps = pd.to_datetime(text, format="ISO8601", errors="coerce")
        except (ValueError, TypeError, OverflowError):
            stamps = pd.Series(pd.NaT, index=original.index)
    stamps = pd.Series(pd.to_datetime(stamps, errors="coerce"), index=original.index)
    years = stamps.dt.year
    far = (stamps.notna() & ((years < _FIRST_YEAR) | (years > _LAST_YEAR))).to_numpy()
    if far.any():
        problems.append(Problem("arrival", f"{int(far.sum())} timestamp(s) outside the years {_FIRST_YEAR} to "
                                           f"{_LAST_YEAR}, in {describe_rows(far)}"))
    stamps = stamps.where(~far).astype("datetime64[ns]")
    missing = original.isna().to_numpy()
    bad = stamps.isna().to_numpy() & ~missing & ~far
    if missing.any():
        problems.append(Problem("arrival", f"{int(missing.sum())} empty value(s) in {describe_rows(missing)}; "
                                           f"every call needs its arrival time"))
    if bad.any():
        problems.append(Problem("arrival", f"{int(bad.sum())} value(s) are not timestamps, e.g. "
                                           f"{_examples(original[bad])}, in {describe_rows(bad)}; write them as "
                                           f"ISO 8601, e.g. '2024-03-05 09:14:07'"))
    return stamps


def _labels(frame: pd.DataFrame, column: str) -> pd.Series:
    """Labels as text; numbers that are whole keep no '.0' (agent 7, not '7.0')."""
    values = frame[column]
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if len(whole) and bool((whole == np.round(whole)).all()):
            values = values.astype("Int64")
    return values.astype("string").str.strip().replace("", pd.NA)


def _booleans(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    values = frame[column]
    if values.dtype == bool:
        return values
    text = values.astype("string").str.strip().str.lower()
    known = text.isin(_TRUE | _FALSE) | text.isna()
    bad = (~known).to_numpy()
    if bad.any():
        problems.append(Problem(column, f"{int(bad.sum())} value(s) are not true/false, e.g. "
                                        f"{_examples(values[bad])}, in {describe_rows(bad)}; allowed: true, "
                                        f"false, 1, 0, yes, no (or empty)"))
    return text.isin(_TRUE).fillna(False).astype(bool)


def check_call_log(frame: pd.DataFrame, source: str = "call log", *, sep: str = ",") -> pd.DataFrame:
    """Check a call log and return it in canonical form, sorted by arrival.

    Args:
        frame: The log as read, one row per call (see the module documentation).
        source: What the log came from, for error messages (e.g. the file name).
        sep: The separator a CSV was read with (for the hint when it seems wrong).

    Returns:
        Columns ``arrival`` (datetime64), ``call_type`` (str), ``answered`` (bool),
        ``wait_seconds``, ``handle_seconds`` (NaN when abandoned), ``agent`` (str, missing
        when abandoned), and when present ``customer_id`` (str or missing),
        ``transferred`` (bool), ``survey_rating``, ``qa_score`` (floats or NaN); the index
        is the data row in the file, counted from 0.

    Raises:
        InputError: Listing every problem found.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        present = ", ".join(repr(str(c)) for c in frame.columns) or "(none)"
        hint = separator_hint(frame, sep)
        raise InputError(source, [Problem(c, f"required column not found; columns present: {present}{hint}")
                                  for c in missing])
    if frame.empty:
        raise InputError.single(source, "arrival", "the log has no rows")
    frame = frame.reset_index(drop=True)
    problems: list[Problem] = []
    arrival = _timestamps(frame, problems)

    outcome = frame["outcome"].astype("string").str.strip().str.lower()
    bad = (~outcome.isin(_OUTCOMES) | outcome.isna()).to_numpy()
    if bad.any():
        problems.append(Problem("outcome", f"{int(bad.sum())} value(s) are neither 'answered' nor 'abandoned', "
                                           f"e.g. {_examples(frame['outcome'][bad])}, in {describe_rows(bad)}"))
    answered = (outcome == "answered").fillna(False).to_numpy(dtype=bool)

    call_type = _labels(frame, "call_type")
    blank = call_type.isna().to_numpy()
    if blank.any():
        problems.append(Problem("call_type", f"{int(blank.sum())} empty value(s) in {describe_rows(blank)}; "
                                             f"every call needs a type (use one label such as 'all' if you "
                                             f"have none)"))
    long = (call_type.str.len() > MAX_TYPE_LENGTH).fillna(False).to_numpy(dtype=bool)
    if long.any():
        problems.append(Problem("call_type", f"{int(long.sum())} label(s) longer than {MAX_TYPE_LENGTH} "
                                             f"characters, in {describe_rows(long)}"))
    kinds = call_type.dropna().unique()
    if len(kinds) > MAX_CALL_TYPES:
        problems.append(Problem("call_type", f"{len(kinds)} distinct call types; at most {MAX_CALL_TYPES} are "
                                             f"allowed: merge rare types into broader ones"))

    wait = _numbers(frame, "wait_seconds", problems)
    empty = wait.isna().to_numpy() & frame["wait_seconds"].isna().to_numpy()
    if empty.any():
        problems.append(Problem("wait_seconds", f"{int(empty.sum())} empty value(s) in {describe_rows(empty)}; "
                                                f"write 0 for a call answered at once"))
    negative = (wait < 0).to_numpy()
    if negative.any():
        problems.append(Problem("wait_seconds", f"{int(negative.sum())} negative value(s) in "
                                                f"{describe_rows(negative)}; waits are 0 or more"))

    handle = _numbers(frame, "handle_seconds", problems)
    no_handle = answered & handle.isna().to_numpy() & frame["handle_seconds"].isna().to_numpy()
    if no_handle.any():
        problems.append(Problem("handle_seconds", f"{int(no_handle.sum())} answered call(s) without a handle "
                                                  f"time, in {describe_rows(no_handle)}"))
    not_positive = answered & (handle <= 0).to_numpy()
    if not_positive.any():
        problems.append(Problem("handle_seconds", f"{int(not_positive.sum())} answered call(s) with a handle "
                                                  f"time of 0 or less, in {describe_rows(not_positive)}"))

    agent = _labels(frame, "agent")
    no_agent = answered & agent.isna().to_numpy()
    if no_agent.any():
        problems.append(Problem("agent", f"{int(no_agent.sum())} answered call(s) without an agent, in "
                                         f"{describe_rows(no_agent)}"))

    out: dict[str, Any] = {"arrival": arrival, "call_type": call_type, "answered": answered,
                           "wait_seconds": wait, "handle_seconds": handle.where(answered),
                           "agent": agent.where(answered)}
    if "customer_id" in frame.columns:
        out["customer_id"] = _labels(frame, "customer_id")
    if "transferred" in frame.columns:
        out["transferred"] = _booleans(frame, "transferred", problems) & answered
    if "survey_rating" in frame.columns:
        rating = _numbers(frame, "survey_rating", problems)
        outside = rating.notna().to_numpy() & ~rating.between(1, 5).to_numpy()
        if outside.any():
            problems.append(Problem("survey_rating", f"{int(outside.sum())} value(s) outside 1 to 5, in "
                                                     f"{describe_rows(outside)}"))
        out["survey_rating"] = rating
    if "qa_score" in frame.columns:
        out["qa_score"] = _numbers(frame, "qa_score", problems)
    if not problems and not answered.any():
        problems.append(Problem("outcome", "no answered call: handle times and agents cannot be estimated"))
    if problems:
        raise InputError(source, problems)
    log = pd.DataFrame(out)
    log["call_type"] = log["call_type"].astype(str)
    return log.sort_values("arrival", kind="stable")


def read_call_log(path: str | Path, *, sep: str = ",", decimal: str = ".") -> pd.DataFrame:
    """Read a call log from CSV or Parquet and check it (see :func:`check_call_log`).

    Args:
        path: File ending in ``.csv``, ``.parquet`` or ``.pq``.
        sep: Column separator of a CSV file.
        decimal: Decimal mark of a CSV file.

    Returns:
        The checked log, canonical form.

    Raises:
        InputError: If the file cannot be read or the log fails a check.
    """
    frame = read_table(path, sep=sep, decimal=decimal, option="CALLS")
    return check_call_log(frame, source=str(Path(path)), sep=sep)
