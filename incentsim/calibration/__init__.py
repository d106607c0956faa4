"""Calibration: a manager's call log in, a scenario of their own centre out, with a fit report.

``isim.calibrate(log)`` returns the scenario; :func:`fit` returns the
:class:`CallLogFit` report that holds it with every estimate, the goodness of fit and a
side-by-side check against a simulation. The call-log format is in
:mod:`incentsim.calibration.calllog`; :func:`to_call_log` writes a simulated run in that
format (how calibration is tested). The package is named ``calibration`` so that
``isim.calibrate`` can be the function.
"""

from __future__ import annotations

from incentsim.calibration.calllog import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    check_call_log,
    read_call_log,
)
from incentsim.calibration.export import engine_calls, to_call_log
from incentsim.calibration.figures import log_figures
from incentsim.calibration.fit import calibrate, fit
from incentsim.calibration.report import CallLogFit

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "CallLogFit",
    "calibrate",
    "check_call_log",
    "engine_calls",
    "fit",
    "log_figures",
    "read_call_log",
    "to_call_log",
]
