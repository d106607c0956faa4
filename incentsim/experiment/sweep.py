"""Parameter sweeps: a full factorial over dotted scenario keys.

A sweep maps dotted scenario keys (``"people.speed_sd"``) to lists of values;
every combination is one *sweep point*, a scenario made with
:meth:`~incentsim.scenario.Scenario.replace`. Sweep values become columns of the
results, named by their dotted key. Assumption: full factorial designs only;
Latin hypercubes and Sobol designs belong to SALib and can be fed in as a list
of scenarios instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incentsim.errors import InputError, Problem
from incentsim.experiment.provenance import json_safe
from incentsim.scenario import Scenario

#: Result columns a sweep key may not shadow.
RESERVED_COLUMNS: frozenset[str] = frozenset(
    {"scenario", "scenario_hash", "point", "policy", "replication"}
)


@dataclass(frozen=True)
class Point:
    """One scenario the experiment runs: a base scenario with sweep values applied.

    Attributes:
        index: Position in the experiment's list of points (0-based).
        scenario: The scenario actually simulated.
        sweep: Sweep key -> value applied to the base scenario (empty without a sweep).
    """

    index: int
    scenario: Scenario
    sweep: Mapping[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, Any]:
        """Columns that identify this point in every result row."""
        return {"scenario": self.scenario.name, "scenario_hash": self.scenario.hash,
                "point": self.index, **self.sweep}


def normalise_sweep(sweep: Mapping[str, Sequence[Any]] | None) -> dict[str, tuple[Any, ...]]:
    """Check the shape of a sweep and return it with tuple values.

    Raises:
        InputError: If ``sweep`` is not a mapping of dotted keys to non-empty
            lists, or a key shadows a result column.
    """
    if sweep is None:
        return {}
    if not isinstance(sweep, Mapping):
        raise InputError.single("sweep", "sweep", "must map dotted scenario keys to lists of values")
    problems = []
    out: dict[str, tuple[Any, ...]] = {}
    for key, values in sweep.items():
        if not isinstance(key, str) or not key:
            problems.append(Problem("sweep", f"keys must be dotted scenario keys, got {key!r}"))
            continue
        if key in RESERVED_COLUMNS:
            problems.append(Problem(f"sweep.{key}", "cannot sweep a result column; allowed: "
                                    "scenario fields such as 'center.tier1_agents'"))
            continue
        if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
            problems.append(Problem(f"sweep.{key}", "needs a non-empty list of values"))
            continue
        safe = tuple(json_safe(list(values)))
        if len(set(map(repr, safe))) != len(safe):
            problems.append(Problem(f"sweep.{key}", "values repeat; list each value once"))
            continue
        out[key] = safe
    if problems:
        raise InputError("sweep", problems)
    return out


def sweep_points(scenarios: Sequence[Scenario], sweep: Mapping[str, tuple[Any, ...]]) -> list[Point]:
    """Every base scenario crossed with every combination of sweep values.

    Args:
        scenarios: Base scenarios (usually one).
        sweep: As returned by :func:`normalise_sweep`.

    Returns:
        Points in a fixed order: base scenario, then sweep values in the order given.

    Raises:
        InputError: If a sweep value does not make a valid scenario; the field is
            ``sweep.<key>`` and the message is the scenario's own.
    """
    keys = list(sweep)
    points: list[Point] = []
    problems: list[Problem] = []
    for base in scenarios:
        for combo in itertools.product(*(sweep[k] for k in keys)):
            values = dict(zip(keys, combo, strict=True))
            try:
                scenario = base.replace(**values) if values else base
            except InputError as exc:
                for p in exc.problems:
                    key = next((k for k in keys if p.field.startswith(k) or k.startswith(p.field)),
                               None)
                    field_name = f"sweep.{key}" if key else f"sweep ({p.field})"
                    problems.append(Problem(field_name, f"{p.message} (at {values})"))
                continue
            points.append(Point(index=len(points), scenario=scenario, sweep=values))
    if problems:
        raise InputError("sweep", _unique(problems))
    return points


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(p.field, p)
    return list(seen.values())
