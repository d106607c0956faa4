"""Reading a manager's table file (CSV or Parquet) and describing what is wrong with it.

Shared by ``incentsim analyze`` (an agent-by-period panel) and ``incentsim calibrate`` (a
call log). Only an empty cell means "missing": text such as ``n/a`` or ``NA`` is kept as
text, so a metric holding it is reported as non-numeric (naming the value and the rows)
and an agent called ``NA`` stays an agent. The two usual snags of spreadsheet exports in
many countries, a ``;`` separator and a decimal comma, get a hint naming the option that
reads them (``--sep``, ``--decimal``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incentsim.errors import InputError

__all__ = ["TABLE_FORMATS", "describe_rows", "number_hint", "plain", "read_table", "separator_hint"]

#: File name endings :func:`read_table` reads, and the reader used for each.
TABLE_FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}

_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d{1,3}(?:\.\d{3})*,\d+\s*$|^\s*[-+]?\d+,\d+\s*$")


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (so messages show ``1``, not ``np.int64(1)``)."""
    return value.item() if isinstance(value, np.generic) else value


def describe_rows(mask: np.ndarray | pd.Series, limit: int = 5) -> str:
    """``data row 3`` or ``data rows 3, 17, 40 and 12 more``: the first rows where ``mask`` holds.

    Rows are numbered from 1 in the order of the file, not counting the header line.
    """
    rows = np.flatnonzero(np.asarray(mask, dtype=bool)) + 1
    if rows.size == 0:
        return "no rows"
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    more = f" and {rows.size - limit} more" if rows.size > limit else ""
    return f"data row{'s' if rows.size > 1 else ''} {shown}{more}"


def number_hint(values: Sequence[Any]) -> str:
    """A hint when text values look like numbers written with a decimal comma, else ``""``."""
    texts = [v for v in values if isinstance(v, str)]
    if texts and all(_DECIMAL_COMMA.match(v) for v in texts[:20]):
        return (" (these look like numbers with a decimal comma: pass --decimal ',' or export "
                "with a decimal point)")
    return ""


def separator_hint(frame: pd.DataFrame, sep: str) -> str:
    """A hint when a CSV was read with the wrong separator (one column whose name holds another)."""
    if frame.shape[1] != 1:
        return ""
    header = str(frame.columns[0])
    for other, name in ((";", "';'"), ("\t", "tab"), ("|", "'|'"), (",", "','")):
        if other != sep and other in header:
            option = "\\t" if other == "\t" else other
            return (f" (the file seems to be separated by {name}, not {sep!r}: pass --sep "
                    f"'{option}' or export it comma-separated)")
    return ""


def read_table(path: str | Path, *, sep: str = ",", decimal: str = ".",
               option: str = "DATA") -> pd.DataFrame:
    """Read a CSV or Parquet file; only empty cells are missing values.

    Args:
        path: File ending in ``.csv``, ``.parquet`` or ``.pq``.
        sep: Column separator of a CSV file.
        decimal: Decimal mark of a CSV file.
        option: The argument the path came from, for error messages.

    Returns:
        The table as read (column types inferred; text stays text).

    Raises:
        InputError: If the file is missing, has another format or cannot be parsed.
    """
    path = Path(path)
    kind = TABLE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError.single(
            str(path), option,
            f"unsupported file type {path.suffix or '(none)'!r}; allowed: {', '.join(TABLE_FORMATS)}")
    if not path.is_file():
        raise InputError.single(str(path), option,
                                "file not found" if not path.exists() else "not a file")
    if kind == "csv" and (len(sep) != 1 or len(decimal) != 1 or sep == decimal):
        raise InputError.single(str(path), "--sep/--decimal",
                                f"need two different single characters, got {sep!r} and {decimal!r}")
    try:
        if kind == "csv":
            return pd.read_csv(path, sep=sep, decimal=decimal, keep_default_na=False,
                               na_values=[""], skipinitialspace=False, low_memory=False)
        return pd.read_parquet(path)
    except UnicodeDecodeError:
        raise InputError.single(str(path), option,
                                "not UTF-8 text: save the file as CSV UTF-8 (Excel: 'CSV UTF-8')") from None
    except pd.errors.EmptyDataError:
        raise InputError.single(str(path), option, "the file is empty") from None
    except (ValueError, OSError, pd.errors.ParserError, ImportError, MemoryError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = _header_hint(path, sep) if kind == "csv" else ""
        raise InputError.single(str(path), option, f"could not be read as {kind}: {message}{hint}") from None


def _header_hint(path: Path, sep: str) -> str:
    """The separator hint from a CSV file's first line, for files the parser could not split."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            header = handle.readline(65536)
    except OSError:
        return ""
    return separator_hint(pd.DataFrame(columns=[header.strip()]), sep) if sep not in header else ""
