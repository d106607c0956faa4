"""Units of the outcome measures, and how a manager reads them.

Each summary key of :data:`incentsim.engine.summary.SUMMARY_KEYS` is a share, a
time in minutes, a 0-1 index, a count or an amount of money. Reports show shares
as percentages at one decimal and their differences in percentage points
("+4.3 points"), so one number never means two things; counts of calls are whole
numbers, people counts (means over replications of small numbers) keep one
decimal, money carries the currency sign, and every total says the period it
covers (the scenario's months). One thousands separator style (``1,234``)
throughout. The plain-language names and the direction of "better" come from
:data:`incentsim.experiment.table.OUTCOMES`, so the report, the terminal and the
page use the same words.

The currency and the period come from a :class:`Context` read off the scenario
(:func:`context_of`). The scenario has no currency setting yet, so the sign
defaults to ``$`` (assumption: the shipped scenarios' wages, bonuses and costs
are US-dollar figures from sources 001 and 002).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from incentsim.experiment.table import OUTCOMES

#: Outcomes that are shares (0 to 1) and are shown as percentages.
SHARE_OUTCOMES: frozenset[str] = frozenset({
    "p_wait", "service_level", "abandon_rate", "measured_csat", "true_csat", "csat_gap", "fcr",
    "repeat_rate", "beg_rate", "dump_rate", "rush_rate", "churn_rate", "gaming_rate",
})
#: Outcomes in minutes.
MINUTE_OUTCOMES: frozenset[str] = frozenset({"mean_wait"})
#: Outcomes that are amounts of money per unit of work.
MONEY_OUTCOMES: frozenset[str] = frozenset({"cost_per_resolved_call"})
#: Outcomes that are amounts of money over the whole run.
MONEY_TOTAL_OUTCOMES: frozenset[str] = frozenset({"bonus_paid", "management_cost"})
#: Outcomes that are counts of calls over the run (shown whole).
COUNT_OUTCOMES: frozenset[str] = frozenset({"calls"})
#: Outcomes that are counts of people over the run (means of small counts: one decimal).
PEOPLE_OUTCOMES: frozenset[str] = frozenset({"quits", "fired"})
#: Outcomes on a 0-1 index scale (the people state of the model).
INDEX_OUTCOMES: frozenset[str] = frozenset({"mean_intrinsic_motivation", "mean_stress"})

#: Currency sign used when the scenario names none.
DEFAULT_CURRENCY = "$"


@dataclass(frozen=True)
class Context:
    """What a number's unit depends on beyond the outcome: the scenario's currency and length.

    Attributes:
        currency: Currency sign or code (``"$"``, ``"EUR"``).
        months: Review periods (months) one run covers, or None if unknown.
    """

    currency: str = DEFAULT_CURRENCY
    months: int | None = None

    @property
    def run_span(self) -> str:
        """``"over 6 months"`` (or ``"over the run"`` when the length is unknown)."""
        if self.months is None:
            return "over the run"
        return f"over {self.months} month{'s' if self.months != 1 else ''}"

    def money(self, number: str) -> str:
        """A formatted amount with the currency: ``"$6.83"``, ``"-$1.20"``, ``"EUR 6.83"``."""
        sign, digits = (number[0], number[1:]) if number[:1] in "+-" else ("", number)
        if len(self.currency) == 1:
            return f"{sign}{self.currency}{digits}"
        return f"{sign}{self.currency} {digits}"


DEFAULT_CONTEXT = Context()


def context_of(source: Any) -> Context:
    """The :class:`Context` of an Experiment, a Scenario, or anything holding one; default otherwise."""
    from incentsim.scenario import Scenario

    scenario = source if isinstance(source, Scenario) else None
    if scenario is None:
        try:
            scenario = getattr(source, "scenario", None)
        except Exception:  # noqa: BLE001  (a manifest without a scenario: use the default)
            scenario = None
    if not isinstance(scenario, Scenario):
        return DEFAULT_CONTEXT
    currency = getattr(scenario, "currency", None) or getattr(scenario.costs, "currency", None)
    return Context(currency=str(currency) if currency else DEFAULT_CURRENCY, months=int(scenario.center.months))


@dataclass(frozen=True)
class Unit:
    """How an outcome is scaled, named and printed.

    Attributes:
        scale: Factor from the stored value to the shown value (100 for shares).
        axis: Axis-label suffix, e.g. ``"%"`` or ``"minutes"``.
        difference: Word for a difference, e.g. ``"points"`` for shares.
        digits: Decimal places shown.
        kind: ``share``, ``minutes``, ``money``, ``count``, ``index`` or ``number``.
    """

    scale: float
    axis: str
    difference: str
    digits: int
    kind: str = "number"


def unit(outcome: str, ctx: Context | None = None) -> Unit:
    """The :class:`Unit` of an outcome (unknown outcomes are plain numbers)."""
    ctx = ctx or DEFAULT_CONTEXT
    if outcome in SHARE_OUTCOMES:
        return Unit(100.0, "%", "points", 1, "share")
    if outcome in MINUTE_OUTCOMES:
        return Unit(1.0, "minutes", "minutes", 2, "minutes")
    if outcome in MONEY_OUTCOMES:
        return Unit(1.0, f"{ctx.currency} per resolved call", "", 2, "money")
    if outcome in MONEY_TOTAL_OUTCOMES:
        return Unit(1.0, f"{ctx.currency} {ctx.run_span}", "", 0, "money")
    if outcome in COUNT_OUTCOMES:
        return Unit(1.0, f"calls {ctx.run_span}", "", 0, "count")
    if outcome in PEOPLE_OUTCOMES:
        return Unit(1.0, f"people {ctx.run_span}", "", 1, "count")
    if outcome in INDEX_OUTCOMES:
        return Unit(1.0, "index 0-1", "", 3, "index")
    return Unit(1.0, "", "", 3)


def label(outcome: str) -> str:
    """Plain-language name of an outcome, e.g. ``"true satisfaction"``."""
    if outcome == "gaming_rate":
        return "gaming (begging + dumping + rushing)"
    return OUTCOMES.get(outcome, (outcome.replace("_", " "), None))[0]


def higher_is_better(outcome: str) -> bool | None:
    """True if higher is better, False if lower is, None if neither is said."""
    if outcome == "gaming_rate":
        return False
    return OUTCOMES.get(outcome, ("", None))[1]


def axis_label(outcome: str, ctx: Context | None = None) -> str:
    """Axis label with unit and direction, e.g. ``"true satisfaction (%, higher is better)"``."""
    name = label(outcome)
    shown_unit = unit(outcome, ctx).axis
    parts = [shown_unit] if shown_unit and f"({shown_unit})" not in name else []
    direction = higher_is_better(outcome)
    if direction is not None:
        parts.append("higher is better" if direction else "lower is better")
    if not parts:
        return name
    if f"({shown_unit})" in name and name.endswith(")"):  # "mean wait (minutes)" -> "(minutes, lower ...)"
        return f"{name[:-1]}, {', '.join(parts)})"
    return f"{name} ({', '.join(parts)})"


def axis_unit(outcome: str, ctx: Context | None = None) -> str:
    """Unit and direction alone, for an axis under a panel titled by the outcome: ``"%, higher is better"``."""
    shown = unit(outcome, ctx).axis
    parts = [shown] if shown else []
    direction = higher_is_better(outcome)
    if direction is not None:
        parts.append("higher is better" if direction else "lower is better")
    return ", ".join(parts)


def _number(outcome: str, value: float, ctx: Context | None, sign: bool = False) -> str:
    u = unit(outcome, ctx)
    scaled = value * u.scale
    if round(scaled, u.digits) == 0:
        scaled = 0.0  # no "-0.0"
    text = f"{scaled:{'+' if sign else ''},.{u.digits}f}"
    if u.kind == "money":
        return (ctx or DEFAULT_CONTEXT).money(text)
    return text


def show(outcome: str, value: float | None, ctx: Context | None = None) -> str:
    """A value as a manager reads it: ``"76.0%"``, ``"0.70 minutes"``, ``"$6.39"``; ``"-"`` if missing."""
    if value is None or math.isnan(value):
        return "-"
    number = _number(outcome, value, ctx)
    u = unit(outcome, ctx)
    if u.axis == "%":
        return number + "%"
    if u.axis == "minutes":
        return number + " minutes"
    return number


def show_difference(outcome: str, value: float | None, ctx: Context | None = None) -> str:
    """The size of a difference with its unit, no sign: ``"4.3 points"``, ``"0.12 minutes"``, ``"$0.06"``."""
    if value is None or math.isnan(value):
        return "-"
    number = _number(outcome, abs(value), ctx)
    u = unit(outcome, ctx)
    return f"{number} {u.difference}" if u.difference else number


def signed(outcome: str, value: float, ctx: Context | None = None) -> str:
    """A difference in shown units with its sign, ``"+4.3"``; a value that rounds to zero is ``"+0.0"``."""
    return _number(outcome, value, ctx, sign=True)


def show_signed(outcome: str, value: float | None, ctx: Context | None = None) -> str:
    """A difference with its sign and unit: ``"+4.3 points"``, ``"-0.25 minutes"``, ``"-$0.06"``."""
    if value is None or math.isnan(value):
        return "-"
    u = unit(outcome, ctx)
    return signed(outcome, value, ctx) + (f" {u.difference}" if u.difference else "")


def show_interval(outcome: str, low: float | None, high: float | None, ctx: Context | None = None) -> str:
    """A difference's interval in shown units, signed: ``"-6.8 to +16.6"``; ``"-"`` if missing."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "-"
    return f"{signed(outcome, low, ctx)} to {signed(outcome, high, ctx)}"


def show_range(outcome: str, low: float | None, high: float | None, ctx: Context | None = None) -> str:
    """A level's interval in shown units, unit once: ``"57.0% to 71.6%"``, ``"0.59 to 1.01"``; ``""`` if missing."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    low, high = clip_level(outcome, low, high, ctx)
    mark = "%" if unit(outcome, ctx).axis == "%" else ""
    return f"{_number(outcome, low, ctx)}{mark} to {_number(outcome, high, ctx)}{mark}"


def clip_level(outcome: str, low: float, high: float, ctx: Context | None = None) -> tuple[float, float]:
    """A level's interval cut to the values the outcome can take (a share is 0-1; waits, counts, money >= 0).

    A Student-t interval over few replications can reach past those bounds; a reader
    should not see "102.6%". Differences are not clipped (they can be negative).
    """
    kind = unit(outcome, ctx).kind
    if kind in ("share", "index") and outcome != "csat_gap":
        return max(low, 0.0), min(high, 1.0)
    if kind in ("minutes", "money", "count"):
        return max(low, 0.0), high
    return low, high


def show_half_width(outcome: str, low: float | None, high: float | None, ctx: Context | None = None) -> str:
    """Half the interval's width with a plus-minus sign, ``"±3.0"``; ``""`` if missing."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    return "±" + _number(outcome, (high - low) / 2, ctx).lstrip("+")


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
    "bonus": ("bonus", 1.0, "currency", None),
    "rank": ("rank given by the policy", 1.0, "1 = best", False),
}


def agent_metric(metric: str) -> tuple[str, float, str, bool | None]:
    """``(name, scale, unit, higher_is_better)`` of an agent-period column (plain numbers if unknown)."""
    return AGENT_METRICS.get(metric, (metric.replace("_", " "), 1.0, "", None))


def agent_axis_label(metric: str) -> str:
    """Axis label of an agent-period column, e.g. ``"average handle time (minutes)"``."""
    name, _, unit_name, _ = agent_metric(metric)
    return f"{name} ({unit_name})" if unit_name else name
