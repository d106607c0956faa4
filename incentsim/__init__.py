"""incentsim: simulate a customer-service operation to compare reward and management schemes.

The public face is flat::

    import incentsim as isim
    sc = isim.Scenario.load("scenarios/baseline.toml")
    run = isim.simulate(sc, policy=isim.policies.IndividualBonus(metric="csat",
                        threshold=0.95, amount=100), seed=7)
    exp = isim.compare(sc, policies={...}, replications=30, seed=1)
    rob = isim.robustness(sc)      # which conclusions survive the model's assumptions

Submodules load on first use, so importing the package does no work.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "Scenario": "incentsim.scenario",
    "simulate": "incentsim.engine.simulate",
    "Run": "incentsim.engine.run",
    "compare": "incentsim.experiment.compare",
    "Experiment": "incentsim.experiment.experiment",
    "load": "incentsim.experiment.storage",
    "InputError": "incentsim.errors",
    "Streams": "incentsim.random",
    "calibrate": "incentsim.calibration",
}
_SUBMODULES = ("policies", "stats", "demos", "report", "behaviour", "measurement", "scenario",
               "engine", "experiment", "random", "errors", "calibration", "robustness")

if TYPE_CHECKING:
    from incentsim import behaviour, calibration, demos, measurement, policies, report, robustness, stats
    from incentsim.calibration import calibrate
    from incentsim.engine.run import Run
    from incentsim.engine.simulate import simulate
    from incentsim.errors import InputError
    from incentsim.experiment.compare import compare
    from incentsim.experiment.experiment import Experiment
    from incentsim.experiment.storage import load
    from incentsim.random import Streams
    from incentsim.scenario import Scenario

__all__ = [
    "Experiment",
    "InputError",
    "Run",
    "Scenario",
    "Streams",
    "behaviour",
    "calibrate",
    "calibration",
    "compare",
    "demos",
    "load",
    "measurement",
    "policies",
    "report",
    "robustness",
    "simulate",
    "stats",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"incentsim.{name}")
    else:
        raise AttributeError(f"module 'incentsim' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
