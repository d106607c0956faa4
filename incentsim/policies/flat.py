"""Flat pay: salary only, the control condition every scheme is compared with.

Source: the "no incentive" arm implied by sources 000 and 001; Deming's
recommendation to drop individual pay on numbers (Out of the Crisis, 1982).
A flat-pay manager may still spend time improving the process with the team
(``process_improvement``), so that a comparison with
:class:`~incentsim.policies.DemingManagement` at the same process time isolates
what Deming's charts and coaching add.
"""

from __future__ import annotations

import pandas as pd

from incentsim.policies._checks import Checker
from incentsim.policies.base import Policy, Review


class Flat(Policy):
    """Salary only: no bonus, no ranking, no sanctions, no coaching.

    Args:
        process_improvement: Share of management time spent improving the process
            with the team, 0 to 1 (default 0: none).

    Example:
        >>> from incentsim.policies import Flat
        >>> Flat().review(None, 0).payouts
        {}
    """

    def __init__(self, process_improvement: float = 0.0) -> None:
        self.process_improvement = process_improvement

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        check.raise_if_any()

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Nothing happens to anyone at a review; management time goes where it is set."""
        self._validate()
        return Review(process_improvement=float(self.process_improvement))
