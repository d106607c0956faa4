"""Size limits of a scenario, and the estimate of its size they are checked against.

A scenario can be valid field by field and still ask for more than a machine
can give: 10 million calls an hour for six months, or 5,000 agents for ten
years. Such a scenario is refused when it is loaded, with the estimate and the
limit, instead of running for hours or failing with an out-of-memory error.

The estimate (:func:`estimate`) is the expected number of calls in one
replication: new calls (rate x opening hours x days x periods, raised on defect
days) plus the repeat calls they cause. An unresolved call comes back with
chance ``repeat_chance``; with first-contact resolution ``p`` (the call mix's
average) a new call brings ``1 / (1 - r)`` calls in all,
``r = repeat_chance * (1 - p)``, the chain cut at the horizon. The estimate ignores
abandonment, tier 2 and behaviour, so it is a guide (for the baseline it
gives 291,000 calls against 297,563 simulated), not a bound.

The limits, and why each is where it is, are in ``docs/reference/limits.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from incentsim.errors import Problem

#: Largest scenario file read (bytes); a scenario file is a few kilobytes.
MAX_FILE_BYTES: int = 1_000_000

#: Most expected calls (new and repeat) in one replication: about 35 times the
#: baseline's 290,000 (500 agents for 12 months fit), two and a half minutes of one
#: CPU at the engine's speed.
MAX_CALLS_PER_REPLICATION: int = 10_000_000

#: Most expected calls in one review period: about 20 times the baseline's
#: 48,500. Calls are held in memory until their period's review (about 2 KB a
#: call while it runs), so this bounds a worker's memory near 2 GB.
MAX_CALLS_PER_PERIOD: int = 1_000_000

#: Most agent-periods (tier-1 plus tier-2 agents x review periods) in one
#: replication: one row each in ``run.agents``, and every review reads all
#: periods so far; 100,000 (1,000 agents for 100 months) takes about five seconds.
MAX_AGENT_PERIODS: int = 100_000

#: Fewest expected new calls in one replication: with none, every rate is undefined.
MIN_CALLS_PER_REPLICATION: float = 1.0


@dataclass(frozen=True)
class Size:
    """The expected size of one replication.

    Attributes:
        new_calls: Expected new calls.
        calls: Expected calls with the repeat calls they cause.
        calls_per_period: Expected calls in one review period.
        agent_periods: Agents (tier 1 and tier 2) x review periods.
    """

    new_calls: float
    calls: float
    calls_per_period: float
    agent_periods: int


#: How the call estimate is made, as messages say it.
CALL_ESTIMATE = ("demand.calls_per_hour x center.hours_per_day x center.days_per_month x "
                 "center.months, raised by defect days (system.defect_day_probability, "
                 "system.defect_volume) and repeat calls (customers.repeat_chance, "
                 "customers.repeat_delay_hours, demand.call_types.N.resolution)")


def estimate(data: Mapping[str, Any]) -> Size | None:
    """Estimate a scenario's size from its (possibly not yet valid) nested dict.

    Keys left out take the block defaults. Returns ``None`` when a value the
    estimate needs is missing or not a usable number: the field checks report it.

    Args:
        data: The scenario as a nested dict (as parsed from TOML, or ``to_dict()``).
    """
    read = _Reader(data)
    rate, hours = read.number("demand.calls_per_hour"), read.number("center.hours_per_day")
    days, months = read.number("center.days_per_month"), read.number("center.months")
    tier1, tier2 = read.number("center.tier1_agents"), read.number("center.tier2_agents")
    defect_p, defect_volume = (read.number("system.defect_day_probability"),
                               read.number("system.defect_volume"))
    values = (rate, hours, days, months, tier1, tier2, defect_p, defect_volume)
    if any(v is None or v < 0 for v in values):
        return None
    assert rate is not None and hours is not None and days is not None and months is not None
    assert tier1 is not None and tier2 is not None and defect_p is not None and defect_volume is not None
    periods = max(1.0, months)
    new_calls = rate * hours * days * months * (1.0 + min(defect_p, 1.0) * defect_volume)
    factor = _repeat_factor(read, horizon_hours=hours * days * months)
    calls = new_calls * factor
    return Size(new_calls=new_calls, calls=calls, calls_per_period=calls / periods,
                agent_periods=int(min((tier1 + tier2) * months, 2**62)))


def size_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Problems with a scenario's size: each with the estimate and the limit."""
    size = estimate(data)
    if size is None:
        return []
    out = []
    over = []
    if size.calls > MAX_CALLS_PER_REPLICATION:
        over.append(f"about {_count(size.calls)} calls in one replication (the limit is "
                    f"{MAX_CALLS_PER_REPLICATION:,})")
    if size.calls_per_period > MAX_CALLS_PER_PERIOD:
        over.append(f"about {_count(size.calls_per_period)} calls in one review period (the limit "
                    f"is {MAX_CALLS_PER_PERIOD:,}: a period's calls are held in memory until its "
                    "review)")
    if over:
        out.append(Problem("size", f"the scenario expects {' and '.join(over)}; the estimate is "
                           f"{CALL_ESTIMATE}: lower the rate or shorten the horizon (see the limits "
                           "reference)"))
    if size.agent_periods > MAX_AGENT_PERIODS:
        out.append(Problem("size", f"the scenario has {size.agent_periods:,} agent-periods "
                           "((center.tier1_agents + center.tier2_agents) x center.months); the "
                           f"limit is {MAX_AGENT_PERIODS:,}: fewer agents or fewer periods"))
    if size.new_calls < MIN_CALLS_PER_REPLICATION:
        out.append(Problem("size", f"the scenario expects {size.new_calls:.3g} new calls in a "
                           "replication (demand.calls_per_hour x center.hours_per_day x "
                           "center.days_per_month x center.months); at least "
                           f"{MIN_CALLS_PER_REPLICATION:g} is needed for any outcome to be defined"))
    return out


def _repeat_factor(read: _Reader, horizon_hours: float) -> float:
    """Expected calls per new call, repeats included (1 when the inputs are unusable)."""
    chance, delay = read.number("customers.repeat_chance"), read.number("customers.repeat_delay_hours")
    resolution = read.mean_resolution()
    if chance is None or delay is None or resolution is None or delay <= 0:
        return 1.0
    r = min(max(chance, 0.0), 1.0) * (1.0 - min(max(resolution, 0.0), 1.0))
    chain = horizon_hours / delay  # most repeats a chain can hold within the horizon
    if r >= 1.0:
        return 1.0 + chain
    if r == 0.0:
        return 1.0
    # 1 + r + ... + r**chain, written so that r near 1 neither overflows nor cancels.
    return -math.expm1((chain + 1.0) * math.log(r)) / (1.0 - r)


def _count(value: float) -> str:
    return f"{value:,.0f}" if value < 1e15 else f"{value:.3g}"


class _Reader:
    """Reads numbers from a raw nested dict, falling back to the block defaults."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def number(self, dotted: str) -> float | None:
        node: Any = self.data
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node.get(part, {}) if isinstance(node, Mapping) else None
            if not isinstance(node, Mapping):
                return None
        if parts[-1] in node:
            return finite_number(node[parts[-1]])
        return _default(parts)

    def mean_resolution(self) -> float | None:
        """First-contact resolution averaged over the call mix, weighted by share."""
        demand = self.data.get("demand", {})
        if not isinstance(demand, Mapping):
            return None
        if "call_types" not in demand:
            from incentsim.scenario.operation import Demand

            types_ = [c.model_dump() for c in Demand().call_types]
        else:
            types_ = demand["call_types"]
        if not isinstance(types_, list | tuple) or not types_:
            return None
        from incentsim.scenario.operation import CallType

        default = CallType.model_fields["resolution"].default
        shares, resolutions = [], []
        for entry in types_:
            if not isinstance(entry, Mapping):
                return None
            share = finite_number(entry.get("share"))
            resolution = finite_number(entry.get("resolution", default))
            if share is None or resolution is None or share <= 0:
                return None
            shares.append(share)
            resolutions.append(resolution)
        total = sum(shares)
        return sum(s * r for s, r in zip(shares, resolutions, strict=True)) / total


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` if it is not a finite number (booleans are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _default(parts: list[str]) -> float | None:
    from incentsim.scenario.model import Scenario

    model: Any = Scenario
    for part in parts[:-1]:
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = field.annotation
    field = model.model_fields.get(parts[-1]) if hasattr(model, "model_fields") else None
    if field is None:
        return None
    return finite_number(field.default)
