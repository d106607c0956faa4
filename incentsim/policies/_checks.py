"""Parameter checks shared by the built-in policies (private).

Constructors only store their arguments (scikit-learn style); each built-in's
``_validate`` collects every bad parameter with these helpers and raises one
:class:`~incentsim.errors.InputError` naming the parameters and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real
from typing import Any

from incentsim.errors import InputError, Problem
from incentsim.policies.base import METRICS


class Checker:
    """Collects problems with one policy's parameters.

    Args:
        policy_name: The policy's type name, used as the error's source.
    """

    def __init__(self, policy_name: str) -> None:
        self.policy_name = policy_name
        self.problems: list[Problem] = []

    def fail(self, name: str, message: str) -> None:
        """Record a problem with parameter ``name``."""
        self.problems.append(Problem(name, message))

    def metric(self, name: str, value: Any) -> None:
        """``value`` must be one of :data:`~incentsim.policies.METRICS`."""
        if not isinstance(value, str) or value not in METRICS:
            self.fail(name, f"must be one of {', '.join(METRICS)} (got {value!r})")

    def metrics(self, name: str, value: Any) -> None:
        """``value`` must be a non-empty list of distinct metrics."""
        if isinstance(value, str) or not isinstance(value, Iterable):
            self.fail(name, f"must be a list of metrics from {', '.join(METRICS)} (got {value!r})")
            return
        items = list(value)
        bad = [m for m in items if not isinstance(m, str) or m not in METRICS]
        if not items or bad:
            self.fail(name, f"must be a non-empty list of metrics from {', '.join(METRICS)}"
                            f" (got {value!r})")
        elif len(set(items)) != len(items):
            self.fail(name, f"metrics must be distinct (got {value!r})")

    def number(self, name: str, value: Any, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, optional: bool = False) -> None:
        """``value`` must be a finite real number in the given range (or ``None`` if optional)."""
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            self.fail(name, f"must be a finite number{_range_text(low, high, low_open)}"
                            f"{' or omitted' if optional else ''} (got {value!r})")
            return
        number = float(value)
        too_low = low is not None and (number <= low if low_open else number < low)
        too_high = high is not None and number > high
        if too_low or too_high:
            self.fail(name, f"must be{_range_text(low, high, low_open)} (got {value!r})")

    def integer(self, name: str, value: Any, *, low: int = 0, optional: bool = False) -> None:
        """``value`` must be an integer ``>= low`` (or ``None`` if optional)."""
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.fail(name, f"must be an integer >= {low}{' or omitted' if optional else ''}"
                            f" (got {value!r})")

    def choice(self, name: str, value: Any, allowed: Iterable[str]) -> None:
        """``value`` must be one of ``allowed``."""
        allowed = tuple(allowed)
        if value not in allowed:
            self.fail(name, f"must be one of {', '.join(repr(a) for a in allowed)} (got {value!r})")

    def raise_if_any(self) -> None:
        """Raise one :class:`~incentsim.errors.InputError` listing every problem found."""
        if self.problems:
            raise InputError(f"policy {self.policy_name}", self.problems)


def _range_text(low: float | None, high: float | None, low_open: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"<= {high:g}")
    return (" " + " and ".join(parts)) if parts else ""
