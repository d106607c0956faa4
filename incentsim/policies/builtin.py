"""Built-in policies (imported for registration)."""

from __future__ import annotations

import pandas as pd

from incentsim.policies.base import Policy, Review, Signals


class Flat(Policy):
    """Salary only: no bonus, no ranking, no sanctions; the control condition."""

    def __init__(self) -> None:
        pass

    def signals(self) -> Signals:
        """No incentive of any kind."""
        return Signals()

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Nothing happens at a review."""
        return Review()
