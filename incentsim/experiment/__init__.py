"""Experiments: scenarios x policies x replications x sweeps, executors, stored results.

The flat facade exposes :func:`~incentsim.experiment.compare.compare`,
:class:`~incentsim.experiment.experiment.Experiment` and
:func:`~incentsim.experiment.storage.load` as ``isim.compare``,
``isim.Experiment`` and ``isim.load``. Submodules load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incentsim.experiment.compare import compare
    from incentsim.experiment.executors import SerialExecutor, local_executor
    from incentsim.experiment.experiment import Experiment
    from incentsim.experiment.plan import Plan
    from incentsim.experiment.precision import Precision
    from incentsim.experiment.storage import load

_LAZY: dict[str, str] = {
    "compare": "incentsim.experiment.compare",
    "Experiment": "incentsim.experiment.experiment",
    "load": "incentsim.experiment.storage",
    "Plan": "incentsim.experiment.plan",
    "Precision": "incentsim.experiment.precision",
    "SerialExecutor": "incentsim.experiment.executors",
    "local_executor": "incentsim.experiment.executors",
}

__all__ = ["Experiment", "Plan", "Precision", "SerialExecutor", "compare", "load", "local_executor"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'incentsim.experiment' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
