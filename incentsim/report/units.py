"""Units of the outcome measures, and how a manager reads them.

Each summary key of :data:`incentsim.engine.summary.SUMMARY_KEYS` is a share, a
time in minutes, a 0-1 index, a count or an amount of money. Reports show shares
as percentages and their differences in percentage points ("4.3 points higher"),
so one number never means two things. The plain-language names and the direction
of "better" come from :data:`incentsim.experiment.table.OUTCOMES`, so the report
and ``incentsim run`` use the same words. (Assumption: money is shown without a
currency sign; the scenario's wages and bonuses are in whatever currency it uses.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from incentsim.experiment.table import OUTCOMES

#: Outcomes that are shares (0 to 1) and are shown as percentages.
SHARE_OUTCOMES: frozenset[str] = frozenset({
    "p_wait", "service_level", "abandon_rate", "measured_csat", "true_csat", "csat_gap", "fcr",
    "repeat_rate", "beg_rate", "dump_rate", "rush_rate", "churn_rate",
})
#: Outcomes in minutes.
MINUTE_OUTCOMES: frozenset[str] = frozenset({"mean_wait"})
#: Outcomes that are amounts of money.
MONEY_OUTCOMES: frozenset[str] = frozenset({"bonus_paid", "cost_per_resolved_call"})
#: Outcomes that are counts per run.
COUNT_OUTCOMES: frozenset[str] = frozenset({"calls", "quits", "fired"})
#: Outcomes on a 0-1 index scale (the people state of the model).
INDEX_OUTCOMES: frozenset[str] = frozenset({"mean_intrinsic_motivation", "mean_stress"})


@dataclass(frozen=True)
class Unit:
    """How an outcome is scaled, named and printed.

    Attributes:
        scale: Factor from the stored value to the shown value (100 for shares).
        axis: Axis-label suffix, e.g. ``"%"`` or ``"minutes"``.
        difference: Word for a difference, e.g. ``"points"`` for shares.
        digits: Decimal places shown.
    """

    scale: float
    axis: str
    difference: str
    digits: int


def unit(outcome: str) -> Unit:
    """The :class:`Unit` of an outcome (unknown outcomes are plain numbers)."""
    if outcome in SHARE_OUTCOMES:
        return Unit(100.0, "%", "points", 1)
    if outcome in MINUTE_OUTCOMES:
        return Unit(1.0, "minutes", "minutes", 2)
    if outcome in MONEY_OUTCOMES:
        return Unit(1.0, "money", "", 2)
    if outcome in COUNT_OUTCOMES:
        return Unit(1.0, "count per run", "", 1)
    if outcome in INDEX_OUTCOMES:
        return Unit(1.0, "index 0-1", "", 3)
    return Unit(1.0, "", "", 3)


def label(outcome: str) -> str:
    """Plain-language name of an outcome, e.g. ``"true satisfaction"``."""
    return OUTCOMES.get(outcome, (outcome.replace("_", " "), None))[0]


def higher_is_better(outcome: str) -> bool | None:
    """True if higher is better, False if lower is, None if neither is said."""
    return OUTCOMES.get(outcome, ("", None))[1]


def axis_label(outcome: str) -> str:
    """Axis label with unit and direction, e.g. ``"true satisfaction (%, higher is better)"``."""
    name = label(outcome)
    shown_unit = unit(outcome).axis
    parts = [shown_unit] if shown_unit and f"({shown_unit})" not in name else []
    direction = higher_is_better(outcome)
    if direction is not None:
        parts.append("higher is better" if direction else "lower is better")
    if not parts:
        return name
    if f"({shown_unit})" in name and name.endswith(")"):  # "mean wait (minutes)" -> "(minutes, lower ...)"
        return f"{name[:-1]}, {', '.join(parts)})"
    return f"{name} ({', '.join(parts)})"


def axis_unit(outcome: str) -> str:
    """Unit and direction alone, for an axis under a panel titled by the outcome: ``"%, higher is better"``."""
    parts = [unit(outcome).axis] if unit(outcome).axis else []
    direction = higher_is_better(outcome)
    if direction is not None:
        parts.append("higher is better" if direction else "lower is better")
    return ", ".join(parts)


def show(outcome: str, value: float | None) -> str:
    """A value as a manager reads it: ``"76.0%"``, ``"0.70 minutes"``, ``"6.39"``; ``"-"`` if missing."""
    if value is None or math.isnan(value):
        return "-"
    u = unit(outcome)
    number = f"{value * u.scale:,.{u.digits}f}"
    if u.axis == "%":
        return number + "%"
    if u.axis == "minutes":
        return number + " minutes"
    return number


def show_difference(outcome: str, value: float | None) -> str:
    """The size of a difference with its unit, no sign: ``"4.3 points"``, ``"0.12 minutes"``."""
    if value is None or math.isnan(value):
        return "-"
    u = unit(outcome)
    number = f"{abs(value) * u.scale:,.{u.digits}f}"
    return f"{number} {u.difference}" if u.difference else number


def signed(outcome: str, value: float) -> str:
    """A difference in shown units with its sign, ``"+4.3"``; a value that rounds to zero is ``"+0.0"``."""
    u = unit(outcome)
    scaled = value * u.scale
    if round(scaled, u.digits) == 0:
        scaled = 0.0
    return f"{scaled:+,.{u.digits}f}"


def show_interval(outcome: str, low: float | None, high: float | None) -> str:
    """A difference's interval in shown units, signed: ``"-6.8 to +16.6"``; ``"-"`` if missing."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "-"
    return f"{signed(outcome, low)} to {signed(outcome, high)}"


def show_range(outcome: str, low: float | None, high: float | None) -> str:
    """A level's interval in shown units, unit once: ``"57.0% to 71.6%"``, ``"0.59 to 1.01"``; ``""`` if missing."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    u = unit(outcome)
    mark = "%" if u.axis == "%" else ""
    return f"{low * u.scale:,.{u.digits}f}{mark} to {high * u.scale:,.{u.digits}f}{mark}"


#: Agent-period metric -> (plain-language name, scale to shown unit, unit, True if higher is better).
AGENT_METRICS: dict[str, tuple[str, float, str, bool | None]] = {
    "calls": ("calls handled", 1.0, "calls", None),
    "aht": ("average handle time", 1.0, "minutes", False),
    "qa": ("QA score", 1.0, "0-100", True),
    "csat": ("measured satisfaction (surveys)", 100.0, "%", True),
    "transfer_rate": ("transfer rate", 100.0, "%", False),
    "true_csat": ("true satisfaction", 100.0, "%", True),
    "true_fcr": ("first-contact resolution", 100.0, "%", True),
    "repeat_rate": ("repeat-call rate", 100.0, "%", False),
    "dump_rate": ("dumped-caller rate", 100.0, "%", False),
    "beg_rate": ("survey begging rate", 100.0, "%", False),
    "rush_rate": ("rushed-call rate", 100.0, "%", False),
    "intrinsic_motivation": ("intrinsic motivation", 1.0, "index 0-1", True),
    "stress": ("stress", 1.0, "index 0-1", False),
    "fairness": ("felt fairness", 1.0, "index 0-1", True),
    "focus": ("focus on the measured metric", 1.0, "index 0-1", None),
    "occupancy": ("occupancy", 100.0, "%", None),
    "bonus": ("bonus", 1.0, "money", None),
    "rank": ("rank given by the policy", 1.0, "1 = best", False),
}


def agent_metric(metric: str) -> tuple[str, float, str, bool | None]:
    """``(name, scale, unit, higher_is_better)`` of an agent-period column (plain numbers if unknown)."""
    return AGENT_METRICS.get(metric, (metric.replace("_", " "), 1.0, "", None))


def agent_axis_label(metric: str) -> str:
    """Axis label of an agent-period column, e.g. ``"average handle time (minutes)"``."""
    name, _, unit_name, _ = agent_metric(metric)
    return f"{name} ({unit_name})" if unit_name else name
