"""Focus on the measured metric rather than on the customer.

Source 001: a bonus "diverted attention away from customer service"; whenever
service and the bonus conflicted, agents went for the bonus. Focus moves
``focus_rate`` of the way each period to the focus salience of the incentive in
force (individual stakes, ranking, threat, target; team stakes at
``team_focus_share``). With no incentive focus decays to 0. Rates are assumptions.
"""

from __future__ import annotations

import numpy as np

from incentsim.behaviour.salience import Salience
from incentsim.scenario.behaviour import Motivation


def focus_step(focus: np.ndarray, sal: Salience, params: Motivation) -> np.ndarray:
    """Focus after one review period."""
    return np.clip(focus + params.focus_rate * (sal.focus - focus), 0.0, 1.0)
