"""Flat pay: salary only, the control condition every scheme is compared with.

Source: the "no incentive" arm implied by sources 000 and 001; Deming's
recommendation to drop individual pay on numbers (Out of the Crisis, 1982).
"""

from __future__ import annotations

import pandas as pd

from incentsim.policies.base import Policy, Review, Signals


class Flat(Policy):
    """Salary only: no bonus, no ranking, no sanctions, no coaching.

    Example:
        >>> from incentsim.policies import Flat
        >>> Flat().signals().individual_stakes
        0.0
    """

    def __init__(self) -> None:
        pass

    def signals(self) -> Signals:
        """No incentive of any kind."""
        return Signals()

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Nothing happens at a review."""
        return Review()
