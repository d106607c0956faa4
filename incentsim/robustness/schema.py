"""Dotted scenario keys: which numeric field a key names, its type and its bounds.

An assumption is keyed by the dotted path :meth:`incentsim.Scenario.replace`
takes (``"behaviour.decisions.dump_scale"``). This module reads the pydantic
models of the scenario to check a key names a number (an ``int`` or ``float``
field reached through nested blocks, not through a list) and to give its bounds,
so a range can be checked against what the scenario would accept.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class FieldFacts:
    """What the scenario schema says about one numeric field.

    Attributes:
        key: Dotted key.
        integer: Whether the field holds whole numbers.
        lower: Lower bound (``-inf`` if none).
        lower_open: Whether the lower bound itself is excluded (``gt``).
        upper: Upper bound (``inf`` if none).
        upper_open: Whether the upper bound itself is excluded (``lt``).
    """

    key: str
    integer: bool
    lower: float = -math.inf
    lower_open: bool = False
    upper: float = math.inf
    upper_open: bool = False

    def admits(self, value: float) -> bool:
        """Whether ``value`` lies within the field's bounds."""
        above = value > self.lower if self.lower_open else value >= self.lower
        below = value < self.upper if self.upper_open else value <= self.upper
        return above and below


def _root() -> type[BaseModel]:
    from incentsim.scenario.model import Scenario

    return Scenario


@functools.cache
def field_facts(key: str) -> FieldFacts | str:
    """Facts about the numeric field a dotted key names, or why the key names none.

    Args:
        key: Dotted scenario key.

    Returns:
        The :class:`FieldFacts`, or a message saying what is wrong with the key.
    """
    model: Any = _root()
    parts = key.split(".") if isinstance(key, str) and key else []
    if not parts:
        return "not a dotted scenario key"
    for i, part in enumerate(parts):
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            where = ".".join(parts[:i]) or "the scenario"
            return f"no field {part!r} in {where}"
        info = fields[part]
        annotation = info.annotation
        last = i == len(parts) - 1
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if last:
                return "names a block, not a number"
            model = annotation
            continue
        if not last:
            return f"{'.'.join(parts[:i + 1])} is not a block"
        if annotation not in (int, float):
            return "is not a number field (only int and float fields can vary)"
        facts: dict[str, Any] = {"key": key, "integer": annotation is int}
        for meta in info.metadata:
            for attr, bound, is_open in (("ge", "lower", False), ("gt", "lower", True),
                                         ("le", "upper", False), ("lt", "upper", True)):
                value = getattr(meta, attr, None)
                if value is not None:
                    facts[bound] = float(value)
                    facts[f"{bound}_open"] = is_open
        return FieldFacts(**facts)
    return "not a dotted scenario key"  # pragma: no cover - loop always returns


def numeric_field(key: str) -> str:
    """Empty when ``key`` names a numeric scenario field, else why it does not."""
    facts = field_facts(key)
    return facts if isinstance(facts, str) else ""


def value_at(scenario: Any, key: str) -> float:
    """The value of a dotted key in a scenario."""
    node = scenario
    for part in key.split("."):
        node = getattr(node, part)
    return float(node)
