"""Opening hours per weekday, and who is on duty when with which skills.

Two optional settings of ``[center]`` describe how a real centre staffs and routes
(issue 13): leave both out and every working day is alike and every seat is filled
whenever the centre is open, as in the single-group world.

* ``[center.opening]``: the opening span of each weekday in clock hours,
  ``Mon = [8, 20]``; a weekday left out is closed. Working days then follow the
  weekdays the centre opens (Monday first), each as long as that weekday's span,
  and ``demand.intraday_profile`` (24 entries, by clock hour) and
  ``demand.weekday_profile`` (7 entries, Monday first) shape the demand. Without
  it every working day opens ``hours_per_day`` hours, counted from 00:00 of the
  day's own clock (so a clock hour is an hour since opening).
* ``[[center.staff]]``: lines of the staffing plan. Each line is ``agents``
  agents holding the same ``skills`` (call types they take; empty: every type)
  and working the same pattern: the weekdays in ``days`` (empty: every day the
  centre opens), from ``start`` (a clock hour; empty: opening) for ``hours``
  (empty: until closing), within opening hours. The agents of all lines add up to
  ``tier1_agents``; seats are numbered line by line. The agents holding the same
  skills are one *skill group*; teams (``team_size``) are formed within each skill
  group, in seat order, so that a team shares one mix of calls.

Routing (:mod:`incentsim.engine.switchboard`): one first-in-first-out queue per call
type; an arriving call goes to the agent idle longest among those on duty holding its
type; an agent who comes free takes the call waiting longest among the types it
holds. Within a skill group, which calls an agent gets is still chance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field, field_validator

from incentsim.errors import Problem
from incentsim.scenario.base import Block
from incentsim.scenario.limits import finite_number

#: Weekday names, Monday first (the order of ``demand.weekday_profile``).
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Opening(Block):
    """Opening hours per weekday, ``[open, close]`` in clock hours (``[8, 20]``; ``[]``: closed).

    All empty (the default) means not given: every working day opens
    ``center.hours_per_day`` hours. Spans lie within one day, ``0 <= open < close <= 24``.

    Attributes:
        Mon: Monday's opening span ``[open, close]`` in clock hours; ``[]``: closed.
        Tue: Tuesday's, the same way.
        Wed: Wednesday's, the same way.
        Thu: Thursday's, the same way.
        Fri: Friday's, the same way.
        Sat: Saturday's, the same way.
        Sun: Sunday's, the same way.
    """

    Mon: tuple[float, ...] = ()
    Tue: tuple[float, ...] = ()
    Wed: tuple[float, ...] = ()
    Thu: tuple[float, ...] = ()
    Fri: tuple[float, ...] = ()
    Sat: tuple[float, ...] = ()
    Sun: tuple[float, ...] = ()

    @field_validator("*")
    @classmethod
    def _span(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not v:
            return v
        if len(v) != 2:
            raise ValueError(f"must be [open, close] in clock hours, or [] for closed; got {len(v)} numbers")
        if not 0 <= v[0] < v[1] <= 24:
            raise ValueError(f"must satisfy 0 <= open < close <= 24 (clock hours), got [{v[0]:g}, {v[1]:g}]")
        return v

    @property
    def given(self) -> bool:
        """Whether any weekday has opening hours."""
        return any(self.span(day) for day in WEEKDAYS)

    def span(self, day: str) -> tuple[float, float] | None:
        """``(open, close)`` of a weekday, ``None`` when closed."""
        v = getattr(self, day)
        return (float(v[0]), float(v[1])) if v else None

    @property
    def open_days(self) -> tuple[str, ...]:
        """Weekdays the centre opens, Monday first."""
        return tuple(day for day in WEEKDAYS if self.span(day))


class Staff(Block):
    """One line of the staffing plan: agents with the same skills and shift pattern.

    Attributes:
        name: A label for reports (optional).
        agents: Agents on this line (seats).
        skills: Call types they take, by name; empty: every type.
        days: Weekdays they work (needs ``center.opening``); empty: every working day.
        start: Clock hour the shift starts; empty: when the centre opens.
        hours: Length of the shift; empty: until the centre closes. A shift counts only
            within opening hours.
    """

    name: str = Field(default="", max_length=40)
    agents: int = Field(ge=1, le=5000)
    skills: tuple[str, ...] = Field(default=(), max_length=100)
    days: tuple[Weekday, ...] = Field(default=(), max_length=7)
    start: float | None = Field(default=None, ge=0, lt=24)
    hours: float | None = Field(default=None, gt=0, le=24)

    @field_validator("skills", "days")
    @classmethod
    def _unique(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(v)) != len(v):
            raise ValueError(f"lists a name twice: {list(v)}")
        return v


def opening_spans(opening: Any) -> dict[str, tuple[float, float]] | None:
    """Usable ``{weekday: (open, close)}`` from a raw ``center.opening`` table (``None``: unusable).

    An empty dict means not given.
    """
    if opening is None:
        return {}
    if not isinstance(opening, Mapping):
        return None
    out = {}
    for day, span in opening.items():
        if day not in WEEKDAYS or not isinstance(span, list | tuple):
            return None
        if not span:
            continue
        if len(span) != 2:
            return None
        lo, hi = finite_number(span[0]), finite_number(span[1])
        if lo is None or hi is None or not 0 <= lo < hi <= 24:
            return None
        out[day] = (lo, hi)
    return out


def staffing_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Cross-field checks of opening hours, the weekday profile and the staffing plan.

    Reads the raw nested scenario dict; inputs the field checks will report are skipped.
    """
    center = data.get("center", {})
    demand = data.get("demand", {})
    if not isinstance(center, Mapping) or not isinstance(demand, Mapping):
        return []
    out: list[Problem] = []
    spans = opening_spans(center.get("opening"))
    weekday = demand.get("weekday_profile", ())
    if isinstance(weekday, list | tuple) and weekday and spans is not None:
        if not spans:
            out.append(Problem("demand.weekday_profile", "needs center.opening (which weekdays the "
                               "centre opens); without it working days are not weekdays"))
        elif len(weekday) != 7:
            out.append(Problem("demand.weekday_profile", f"has {len(weekday)} entries; it needs 7, "
                               "one per weekday, Monday first"))
        else:
            values = [finite_number(v) for v in weekday]
            if all(v is not None for v in values):
                open_sum = sum(v for v, day in zip(values, WEEKDAYS, strict=True)
                               if day in spans and v is not None)
                if open_sum <= 0:
                    out.append(Problem("demand.weekday_profile", "must be positive on at least one "
                                       f"weekday the centre opens ({', '.join(spans)})"))
    profile = demand.get("intraday_profile", ())
    if spans and isinstance(profile, list | tuple) and len(profile) in (0, 24) and not out:
        hourly = [finite_number(v) for v in profile] or [1.0] * 24
        daily = [finite_number(v) for v in weekday] if isinstance(weekday, list | tuple) and len(weekday) == 7 \
            else [1.0] * 7
        if all(v is not None and v >= 0 for v in hourly + daily):
            week, _ = week_demand(spans, [v or 0.0 for v in hourly], [v or 0.0 for v in daily])
            if week <= 0:
                out.append(Problem("demand.intraday_profile", "with demand.weekday_profile leaves no demand in "
                                   "any hour the centre opens (center.opening); no call would ever arrive"))
    staff = center.get("staff", ())
    if not isinstance(staff, list | tuple) or not staff or spans is None:
        return out
    out += _staff_problems(center, demand, staff, spans)
    return out


def week_demand(spans: Mapping[str, tuple[float, float]], hourly: Sequence[float],
                daily: Sequence[float]) -> tuple[float, float]:
    """Demand weight over one week of opening hours, and the hours open (each open weekday once).

    Args:
        spans: ``{weekday: (open, close)}`` in clock hours, summed in the order given.
        hourly: The 24-hour intraday profile (empty: the same every hour).
        daily: The weekday profile, Monday first.

    Returns:
        ``(sum of hours x hourly x daily weight, hours open)``; their ratio is the
        mean weight per open hour.
    """
    total = hours = 0.0
    for day, (lo, hi) in spans.items():
        for h in range(math.floor(lo), math.ceil(hi)):
            part = min(hi, h + 1.0) - max(lo, float(h))
            total += part * (hourly[h] if len(hourly) else 1.0) * daily[WEEKDAYS.index(day)]
            hours += part
    return total, hours


def _staff_problems(center: Mapping[str, Any], demand: Mapping[str, Any], staff: list[Any] | tuple[Any, ...],
                    spans: dict[str, tuple[float, float]]) -> list[Problem]:
    out: list[Problem] = []
    types = demand.get("call_types")
    if types is None:
        from incentsim.scenario.operation import Demand

        names: list[str] | None = [c.name for c in Demand().call_types]
    elif isinstance(types, list | tuple) and all(isinstance(t, Mapping) for t in types):
        names = [str(t.get("name")) for t in types]
    else:
        names = None
    if not spans:
        hours = finite_number(center.get("hours_per_day", 8.0))
        day_spans = {"": (0.0, hours)} if hours is not None and hours > 0 else None
    else:
        day_spans = dict(spans)
    held: set[str] = set()
    total = 0
    usable_total = True
    for index, line in enumerate(staff):
        where = f"center.staff.{index}"
        if not isinstance(line, Mapping):
            usable_total = False
            continue
        agents = line.get("agents")
        if isinstance(agents, int) and not isinstance(agents, bool):
            total += agents
        else:
            usable_total = False
        skills = line.get("skills", ())
        if isinstance(skills, list | tuple):
            unknown = [s for s in skills if names is not None and s not in names]
            if unknown:
                allowed = ", ".join(names or [])
                out.append(Problem(f"{where}.skills", f"{unknown} are not call types; allowed: {allowed}"))
            held |= set(map(str, skills)) if skills else set(names or [])
        days = line.get("days", ())
        if isinstance(days, list | tuple) and days:
            if not spans:
                out.append(Problem(f"{where}.days", "needs center.opening (which weekdays the centre "
                                   "opens); without it working days are not weekdays"))
            else:
                closed = [d for d in days if d in WEEKDAYS and d not in spans]
                if closed:
                    out.append(Problem(f"{where}.days", f"{closed}: the centre is closed then "
                                       f"(center.opening opens {', '.join(spans)})"))
        if day_spans is None:
            continue
        start, hours = line.get("start"), line.get("hours")
        start_n = None if start is None else finite_number(start)
        hours_n = None if hours is None else finite_number(hours)
        if (start is not None and start_n is None) or (hours is not None and hours_n is None):
            continue
        if start_n is not None and hours_n is not None and start_n + hours_n > 24:
            out.append(Problem(f"{where}.hours", f"start {start_n:g} + hours {hours_n:g} goes past "
                               "midnight; a shift lies within one day"))
            continue
        worked = [d for d in (days if isinstance(days, list | tuple) and days and spans else day_spans)
                  if d in day_spans]
        if worked and not any(_duty(day_spans[d], start_n, hours_n) > 0 for d in worked):
            out.append(Problem(where, "is never on duty: its shift lies outside the opening hours"))
    if usable_total:
        tier1 = center.get("tier1_agents", 55)
        if isinstance(tier1, int) and not isinstance(tier1, bool) and tier1 != total:
            out.append(Problem("center.tier1_agents", f"is {tier1} but the lines of center.staff add up "
                               f"to {total} agents; they must agree"))
    if names is not None:
        missing = [n for n in names if n not in held]
        if missing:
            out.append(Problem("center.staff", f"no line takes call type(s) {missing}: their calls "
                               "would never be answered"))
    return out


def _duty(span: tuple[float, float], start: float | None, hours: float | None) -> float:
    """Hours of a shift within a day's opening span."""
    lo, hi = span
    begin = lo if start is None else max(lo, start)
    end = hi if hours is None else min(hi, (lo if start is None else start) + hours)
    return max(0.0, end - begin)


__all__ = ["WEEKDAYS", "Opening", "Staff", "opening_spans", "staffing_problems", "week_demand"]
