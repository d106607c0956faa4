"""Focus on the measured numbers rather than on the customer.

Source 001: a bonus "diverted attention away from customer service"; whenever
service and the bonus conflicted, agents went for the bonus. Focus moves
``focus_rate`` of the way each period to the controlling salience of what
the agent's numbers decide for them (money at stake, being ranked, the threat
of sanctions). With nothing riding on the numbers focus decays to 0. Rates are
assumptions.
"""

from __future__ import annotations

import numpy as np

from incentsim.scenario.behaviour import Motivation


def combine(*saliences: np.ndarray | float) -> np.ndarray:
    """Combine independent salience sources: ``1 - prod(1 - s)``."""
    remaining: np.ndarray | float = 1.0
    for s in saliences:
        remaining = remaining * (1.0 - np.clip(s, 0.0, 1.0))
    return 1.0 - np.asarray(remaining, dtype=float)


def focus_step(focus: np.ndarray, controlling: np.ndarray, params: Motivation) -> np.ndarray:
    """Focus after one review period, moving toward the controlling salience."""
    return np.clip(focus + params.focus_rate * (controlling - focus), 0.0, 1.0)
