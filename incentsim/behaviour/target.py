"""How hard a handle-time target bites: the share of calls that would overrun it.

Source 001: a six-minute talk-time goal, "regardless of the call's
complexity", was hardest on the long calls with upset customers. A target
bites in proportion to how many calls an average agent would take longer than
it: the exceedance probability of the scenario's handle-time mix, computed
exactly from each call type's law (lognormal or exponential). The bite is that
share divided by ``decisions.target_bite_share`` (0.4 by default), capped at 1:
a target that 40% or more of calls overrun bites fully, a generous one barely.
The scaling is an assumption.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy.special import ndtr

from incentsim.scenario.operation import CallType


def share_over_target(call_types: Sequence[CallType], target: float) -> float:
    """Share of new calls whose handle time, for an average agent, exceeds ``target`` minutes.

    Args:
        call_types: The scenario's call mix (shares are normalised).
        target: The handle-time target in minutes (> 0).

    Raises:
        ValueError: If ``target`` is not positive or the mix is empty.
    """
    if not target > 0:
        raise ValueError(f"handle_time_target must be > 0 minutes, got {target!r}")
    total = sum(c.share for c in call_types)
    if total <= 0:
        raise ValueError("call_types must have a positive total share")
    over = 0.0
    for c in call_types:
        law = c.handle_time
        if law.law == "exponential":
            p = math.exp(-target / law.mean)
        else:
            sigma2 = math.log1p(law.cv * law.cv)
            mu = math.log(law.mean) - sigma2 / 2.0
            p = float(1.0 - ndtr((math.log(target) - mu) / math.sqrt(sigma2)))
        over += c.share / total * p
    return over


def target_bite(share_over: float, bite_share: float) -> float:
    """Bite of a target, 0..1: ``share_over / bite_share`` capped at 1."""
    if bite_share <= 0:
        return 1.0
    return min(1.0, max(0.0, share_over / bite_share))
