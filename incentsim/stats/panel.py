"""Agent-by-period panels: reading and checking a manager's file of agent metrics.

A panel has one row per agent per review period and one numeric column per metric
(average handle time, QA score, ...), the shape of ``run.agents`` and of the spreadsheet
a contact-centre manager keeps (source 000 analysed such a panel: 55 agents, several
months of AHT and QA). Every check here reports all problems at once through
:class:`~incentsim.errors.InputError`, naming the column or option and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from incentsim.errors import InputError, Problem
from incentsim.stats.table_file import TABLE_FORMATS, describe_rows, number_hint, plain, read_table, separator_hint

__all__ = ["MetricSpec", "check_panel", "load_panel", "parse_metric_spec"]

#: File name endings :func:`load_panel` reads, and the reader used for each.
PANEL_FORMATS: dict[str, str] = TABLE_FORMATS

_DIRECTIONS: dict[str, bool] = {"higher": True, "lower": False}
_SPEC = re.compile(r"^(?P<name>.+):(?P<direction>[^:]+)$")


@dataclass(frozen=True)
class MetricSpec:
    """A metric column and which direction is better.

    Attributes:
        name: Column name.
        higher_is_better: True when a larger value is better (QA score), False when a
            smaller one is (average handle time).
    """

    name: str
    higher_is_better: bool

    def __str__(self) -> str:
        return f"{self.name}:{'higher' if self.higher_is_better else 'lower'}"


def parse_metric_spec(text: str) -> MetricSpec:
    """Parse ``NAME:higher`` or ``NAME:lower`` into a :class:`MetricSpec`.

    Args:
        text: The spec; the direction is case-insensitive, the name is taken as written
            (it may itself contain colons: only the last one separates the direction).

    Returns:
        The parsed spec.

    Raises:
        InputError: If the text is not ``NAME:higher`` or ``NAME:lower``.
    """
    match = _SPEC.match(text.strip())
    if match is None or match["direction"].strip().lower() not in _DIRECTIONS:
        raise InputError.single(
            "option", "--metric",
            f"{text!r} is not NAME:lower or NAME:higher (e.g. aht:lower, qa:higher)")
    name = match["name"].strip()
    if not name:
        raise InputError.single("option", "--metric", f"{text!r} has an empty column name")
    return MetricSpec(name, _DIRECTIONS[match["direction"].strip().lower()])


def _columns_listing(frame: pd.DataFrame) -> str:
    return ", ".join(repr(str(c)) for c in frame.columns)


def _metric_problems(clean: pd.DataFrame, column: str, require_spread: bool) -> list[Problem]:
    """Non-numeric, non-finite and (optionally) constant values of one metric column."""
    original = clean[column]
    numeric = pd.to_numeric(original, errors="coerce")
    bad = (numeric.isna() & original.notna()).to_numpy()
    if bad.any():
        examples = list(dict.fromkeys(plain(v) for v in original[bad].head(50)))[:3]
        return [Problem(column, f"{int(bad.sum())} non-numeric value(s), e.g. "
                                f"{', '.join(repr(v) for v in examples)}, in {describe_rows(bad)}; "
                                f"numbers expected (leave a cell empty if not measured)"
                                f"{number_hint(examples)}")]
    values = numeric.astype(float)
    infinite = np.isinf(values.to_numpy())
    if infinite.any():
        return [Problem(column, f"{int(infinite.sum())} infinite value(s) in "
                                f"{describe_rows(infinite)}; finite numbers expected")]
    clean[column] = values
    measured = values.dropna()
    if require_spread and measured.nunique() < 2:
        what = ("has no values" if measured.empty
                else f"has the same value ({plain(measured.iloc[0])!r}) in every measured row")
        return [Problem(column, f"{what}: a metric that does not vary cannot tell agents apart")]
    return []


def check_panel(frame: pd.DataFrame, agent: str, period: str, metrics: Sequence[str],
                source: str = "data", min_periods: int = 2, *,
                require_spread: bool = False, sep: str = ",") -> pd.DataFrame:
    """Check a panel and return a clean copy with numeric metric columns.

    Checks, all reported together: the agent, period and metric columns exist; agent
    and period have no missing values; metric values are finite numbers (empty cells are
    allowed and mean "not measured"; text such as ``n/a`` is an error); each agent
    appears at most once per period; there are at least ``min_periods`` distinct
    periods; and, with ``require_spread``, each metric takes at least two values.
    Messages name the column and the first offending data rows (numbered from 1, not
    counting a header line).

    Args:
        frame: The panel, one row per agent per period.
        agent: Column identifying the agent.
        period: Column identifying the review period (sortable: a number, a date or a
            text label such as ``2024-03``).
        metrics: Metric columns to use.
        source: What the panel came from, for error messages (e.g. the file name).
        min_periods: Fewest distinct periods accepted.
        require_spread: Also refuse a metric with fewer than two distinct values.
        sep: The separator the file was read with (for the hint when it seems wrong).

    Returns:
        A copy holding the agent, period and metric columns, metrics as floats.

    Raises:
        InputError: Listing every problem found.
    """
    problems: list[Problem] = []
    if len(set(metrics)) != len(metrics):
        problems.append(Problem("--metric", f"a metric is named twice: {list(metrics)}"))
    wanted = {"--agent": agent, "--period": period} | {f"--metric {m}": m for m in metrics}
    missing = [(opt, col) for opt, col in wanted.items() if col not in frame.columns]
    hint = separator_hint(frame, sep)
    for option, column in missing:
        problems.append(Problem(
            column, f"column not found (from {option.split()[0]}); columns present: "
                    f"{_columns_listing(frame)}{hint}"))
    if problems:
        raise InputError(source, problems)
    if {agent, period} & set(metrics) or agent == period:
        raise InputError.single(source, "--metric",
                                "agent, period and metric columns must all be different")
    clean = frame[[agent, period, *metrics]].copy().reset_index(drop=True)
    if clean.empty:
        raise InputError.single(source, agent, "the panel has no rows")
    for column in (agent, period):
        blank = clean[column].isna().to_numpy()
        if blank.any():
            problems.append(Problem(column, f"{int(blank.sum())} missing value(s), in "
                                            f"{describe_rows(blank)}; every row needs one"))
    for column in metrics:
        problems += _metric_problems(clean, column, require_spread)
    if not problems:
        dupes = clean.duplicated([agent, period], keep=False).to_numpy()
        if dupes.any():
            first = clean.loc[dupes].iloc[0]
            problems.append(Problem(
                f"{agent}, {period}",
                f"{int(dupes.sum())} rows repeat an agent within a period, e.g. agent "
                f"{plain(first[agent])!r} in period {plain(first[period])!r} ({describe_rows(dupes)}); "
                f"one row per agent per period expected (aggregate first)"))
        n_periods = clean[period].nunique()
        if n_periods < min_periods:
            problems.append(Problem(
                period, f"only {n_periods} distinct period(s) found; at least {min_periods} "
                        f"needed to judge whether ranks repeat"))
    if problems:
        raise InputError(source, problems)
    return clean


def load_panel(path: str | Path, agent: str, period: str,
               metrics: Sequence[str | MetricSpec], min_periods: int = 2, *,
               require_spread: bool = False, sep: str = ",", decimal: str = ".") -> pd.DataFrame:
    """Read a CSV or Parquet panel of agent metrics and check it with :func:`check_panel`.

    Only empty cells are missing values (see :mod:`incentsim.stats.table_file`).

    Args:
        path: File ending in ``.csv``, ``.parquet`` or ``.pq``.
        agent: Column identifying the agent.
        period: Column identifying the review period.
        metrics: Metric columns, as names or :class:`MetricSpec`.
        min_periods: Fewest distinct periods accepted.
        require_spread: Also refuse a metric with fewer than two distinct values.
        sep: Column separator of a CSV file.
        decimal: Decimal mark of a CSV file.

    Returns:
        The checked panel (agent, period and metric columns; metrics as floats).

    Raises:
        InputError: If the file is missing, has another format or cannot be parsed, or
            the panel fails a check.
    """
    frame = read_table(path, sep=sep, decimal=decimal)
    names = [m.name if isinstance(m, MetricSpec) else m for m in metrics]
    return check_panel(frame, agent, period, names, source=str(Path(path)), min_periods=min_periods,
                       require_spread=require_spread, sep=sep)
