"""Robustness: which conclusions survive the uncertainty in the model's assumptions.

Global sensitivity analysis (SALib: Morris screening, Sobol indices) over the
plausible ranges of every assumption in the registry, with common-random-number
paired differences between policies, and scenario discovery (PRIM) where a
conclusion flips. Names load on first use:

- :func:`robustness` (``isim.robustness``) runs the analysis and returns a
  :class:`Robustness` (``.verdicts``, ``.importance``, ``.boxes``);
- :func:`registry` and :func:`assumptions_for` give the assumptions and ranges;
- :func:`load` reads a saved analysis.

The package itself is callable: ``isim.robustness(scenario, ...)`` is
:func:`incentsim.robustness.robustness`, so the flat facade and the package
(``isim.robustness.registry()``) share one name.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incentsim.robustness.assumptions import Assumption, assumptions_for, registry
    from incentsim.robustness.result import Robustness
    from incentsim.robustness.run import HEADLINE_OUTCOMES, estimated_runs, robustness

_LAZY: dict[str, tuple[str, str]] = {
    "robustness": ("incentsim.robustness.run", "robustness"),
    "estimated_runs": ("incentsim.robustness.run", "estimated_runs"),
    "HEADLINE_OUTCOMES": ("incentsim.robustness.run", "HEADLINE_OUTCOMES"),
    "Robustness": ("incentsim.robustness.result", "Robustness"),
    "Assumption": ("incentsim.robustness.assumptions", "Assumption"),
    "registry": ("incentsim.robustness.assumptions", "registry"),
    "assumptions_for": ("incentsim.robustness.assumptions", "assumptions_for"),
    "load": ("incentsim.robustness.result", "Robustness.load"),
}

__all__ = ["HEADLINE_OUTCOMES", "Assumption", "Robustness", "assumptions_for", "estimated_runs", "load",
           "registry", "robustness"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'incentsim.robustness' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value: Any = importlib.import_module(module)
    for part in attr.split("."):
        value = getattr(value, part)
    globals()[name] = value
    return value


class _CallablePackage(types.ModuleType):
    """The package, callable as :func:`incentsim.robustness.run.robustness`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from incentsim.robustness.run import robustness

        return robustness(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
