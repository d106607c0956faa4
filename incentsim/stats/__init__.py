"""Statistics for managers and researchers.

Rank consistency (is an agent's place in the league table more than a coin flip?),
variance components (how much of the spread is people, how much the system), control
charts with Western Electric rules, and paired comparisons of policies across
common-random-number replications. Names load on first use, so importing this package
does no work.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "ConfidenceInterval": "incentsim.stats.comparison",
    "mean_ci": "incentsim.stats.comparison",
    "paired_difference": "incentsim.stats.comparison",
    "replications_needed": "incentsim.stats.comparison",
    "required_replications": "incentsim.stats.comparison",
    "compare_policies": "incentsim.stats.comparison",
}

if TYPE_CHECKING:
    from incentsim.stats.comparison import (
        ConfidenceInterval,
        compare_policies,
        mean_ci,
        paired_difference,
        replications_needed,
        required_replications,
    )

__all__ = [
    "ConfidenceInterval",
    "compare_policies",
    "mean_ci",
    "paired_difference",
    "replications_needed",
    "required_replications",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'incentsim.stats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
