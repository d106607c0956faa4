"""Assumptions: scenario parameters no source pins down, each with a plausible range and its reason.

The registry is data (``assumptions.toml`` beside this module), the one place
the parameter-specific part of the robustness analysis lives: when the model's
parameters change, only that file changes. :func:`registry` reads it;
:func:`assumptions_for` applies a scenario's ``[robustness]`` table (narrowed,
widened, added or excluded ranges, :mod:`incentsim.robustness.settings`) and
makes sure the scenario's own value lies inside every range, so the analysis is
always centred on the scenario the user wrote.

Each assumption maps the unit interval onto its range (uniformly, or uniformly
on the logarithm for ``scale = "log"``; whole numbers for integer fields); the
sampling designs work on the unit cube and this mapping turns a row of it into
scenario values.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import numpy as np

from incentsim.errors import InputError, Problem
from incentsim.robustness.schema import FieldFacts, field_facts, value_at
from incentsim.robustness.settings import RangeSpec

#: The registry's file name inside the package.
REGISTRY_FILE = "assumptions.toml"


@dataclass(frozen=True)
class Assumption:
    """One assumption: a scenario key, its plausible range and why.

    Attributes:
        key: Dotted scenario key (``Scenario.replace`` convention).
        low: Lowest plausible value.
        high: Highest plausible value.
        reason: Where the range comes from (a source, a paper, or "assumption").
        scale: ``linear`` or ``log`` (uniform on the logarithm).
        integer: Whether the field takes whole numbers.
        origin: ``registry``, ``scenario`` (its ``[robustness]`` table) or ``argument``.
    """

    key: str
    low: float
    high: float
    reason: str = ""
    scale: str = "linear"
    integer: bool = False
    origin: str = "registry"

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Values for points of the unit interval (0 maps to ``low``, 1 to ``high``)."""
        u = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
        if self.integer:
            low, high = math.ceil(self.low), math.floor(self.high)
            return np.minimum(np.floor(low + u * (high - low + 1)), high)
        if self.scale == "log":
            return np.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        return self.low + u * (self.high - self.low)

    def to_unit(self, value: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`from_unit` (integers map to the middle of their cell)."""
        v = np.asarray(value, dtype=float)
        if self.integer:
            low, high = math.ceil(self.low), math.floor(self.high)
            return (v - low + 0.5) / (high - low + 1)
        if self.scale == "log":
            return (np.log(v) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return (v - self.low) / (self.high - self.low)

    @property
    def block(self) -> str:
        """The scenario block the key belongs to (``behaviour.decisions``, ``tier2``, ...)."""
        parts = self.key.split(".")
        return ".".join(parts[:2]) if parts[0] in ("behaviour", "measurement") else parts[0]


@functools.lru_cache(maxsize=1)
def _registry_text() -> str:
    return resources.files("incentsim.robustness").joinpath(REGISTRY_FILE).read_text(encoding="utf-8")


def registry() -> tuple[Assumption, ...]:
    """Every assumption of the registry, in file order, with its registry range.

    Raises:
        InputError: If an entry is malformed or names no numeric scenario field
            (the registry is out of step with the scenario schema).
    """
    data = tomllib.loads(_registry_text())
    out, problems = [], []
    for key, entry in data.items():
        try:
            spec = RangeSpec.model_validate(entry)
        except ValueError as exc:
            problems.append(Problem(f"assumptions.{key}", str(exc).splitlines()[-1]))
            continue
        facts = field_facts(key)
        if isinstance(facts, str):
            problems.append(Problem(f"assumptions.{key}", facts))
            continue
        out.append(_from_spec(key, spec, facts, "registry"))
    if problems:
        raise InputError(REGISTRY_FILE, problems)
    return tuple(out)


def _from_spec(key: str, spec: RangeSpec, facts: FieldFacts, origin: str) -> Assumption:
    return Assumption(key=key, low=float(spec.range[0]), high=float(spec.range[1]), reason=spec.reason,
                      scale=spec.scale, integer=facts.integer, origin=origin)


AssumptionInput = Mapping[str, Any] | Sequence[Assumption]


def assumptions_for(scenario: Any, given: AssumptionInput | None = None) -> tuple[list[Assumption], list[str]]:
    """The assumptions to vary for a scenario, and notes on how they were adjusted.

    Args:
        scenario: The scenario analysed.
        given: ``None`` for the registry with the scenario's ``[robustness]``
            table applied; otherwise exactly these assumptions: a sequence of
            :class:`Assumption`, or a mapping of dotted key to ``(low, high)`` or
            ``{"range": ..., "reason": ..., "scale": ...}``.

    Returns:
        ``(assumptions, notes)``. A range that does not hold the scenario's own
        value is widened to hold it (noted), so the scenario as written is a
        point of the space analysed.

    Raises:
        InputError: If a key names no numeric field, a range is empty or lies
            outside the field's bounds, or nothing is left to vary.
    """
    problems: list[Problem] = []
    if given is None:
        chosen = list(registry())
        settings = getattr(scenario, "robustness", None)
        if settings is not None and not settings.empty:
            excluded = set(settings.exclude)
            chosen = [a for a in chosen if a.key not in excluded]
            index = {a.key: i for i, a in enumerate(chosen)}
            for key in settings.ranges:
                facts = field_facts(key)
                if isinstance(facts, str):
                    problems.append(Problem(f"robustness.ranges.{key}", facts))
                    continue
                assumption = _from_spec(key, settings.spec(key), facts, "scenario")
                if key in index:
                    old = chosen[index[key]]
                    chosen[index[key]] = replace(assumption, reason=assumption.reason or old.reason)
                else:
                    chosen.append(assumption)
            if settings.only:
                wanted = set(settings.only)
                missing = wanted - {a.key for a in chosen}
                problems += [Problem(f"robustness.only.{key}", "is neither in the registry nor in "
                                     "robustness.ranges; give it a range there") for key in sorted(missing)]
                chosen = [a for a in chosen if a.key in wanted]
    else:
        chosen = _given(given, problems)
    notes: list[str] = []
    out = []
    for a in chosen:
        facts = field_facts(a.key)
        if isinstance(facts, str):
            problems.append(Problem(a.key, facts))
            continue
        a = replace(a, integer=facts.integer)
        for end in (a.low, a.high):
            if not facts.admits(end):
                problems.append(Problem(a.key, f"range [{a.low:g}, {a.high:g}] leaves the field's "
                                        f"bounds ({_bounds(facts)})"))
                break
        try:
            current = value_at(scenario, a.key)
        except (AttributeError, TypeError, ValueError):
            problems.append(Problem(a.key, "the scenario has no numeric value there"))
            continue
        if not a.low <= current <= a.high:
            widened = replace(a, low=min(a.low, current), high=max(a.high, current))
            if widened.scale == "log" and widened.low <= 0:
                widened = replace(widened, scale="linear")
            notes.append(f"{a.key}: range [{a.low:g}, {a.high:g}] widened to "
                         f"[{widened.low:g}, {widened.high:g}] to hold the scenario's value {current:g}")
            a = widened
        if a.integer and math.floor(a.high) - math.ceil(a.low) < 1:
            problems.append(Problem(a.key, f"integer range [{a.low:g}, {a.high:g}] holds fewer than two values"))
            continue
        out.append(a)
    if not out and not problems:
        problems.append(Problem("assumptions", "nothing left to vary; give at least one assumption"))
    if problems:
        raise InputError("robustness assumptions", problems)
    return out, notes


def _given(given: AssumptionInput, problems: list[Problem]) -> list[Assumption]:
    if isinstance(given, Mapping):
        out = []
        for key, value in given.items():
            try:
                spec = value if isinstance(value, RangeSpec) else (
                    RangeSpec.model_validate(value) if isinstance(value, Mapping)
                    else RangeSpec(range=tuple(value)))
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(key), str(exc).splitlines()[-1]))
                continue
            out.append(Assumption(key=str(key), low=spec.range[0], high=spec.range[1], reason=spec.reason,
                                  scale=spec.scale, origin="argument"))
        return out
    items = list(given)
    bad = [i for i, a in enumerate(items) if not isinstance(a, Assumption)]
    if bad:
        problems.append(Problem("assumptions", f"items {bad} are not Assumption objects; pass a list of "
                                "Assumption or a dict of key -> (low, high)"))
        return []
    keys = [a.key for a in items]
    if len(set(keys)) != len(keys):
        problems.append(Problem("assumptions", "a key appears twice"))
    return items


def _bounds(facts: FieldFacts) -> str:
    low = f"{'>' if facts.lower_open else '>='} {facts.lower:g}" if math.isfinite(facts.lower) else ""
    high = f"{'<' if facts.upper_open else '<='} {facts.upper:g}" if math.isfinite(facts.upper) else ""
    return ", ".join(b for b in (low, high) if b) or "unbounded"


def apply(scenario: Any, assumptions: Sequence[Assumption], values: Sequence[float], name: str) -> Any:
    """The scenario with each assumption set to its value, renamed ``name``."""
    changes: dict[str, Any] = {"name": name}
    for a, v in zip(assumptions, values, strict=True):
        changes[a.key] = int(v) if a.integer else float(v)
    return scenario.replace(**changes)
