"""Scenario discovery: where in the plausible space a conclusion flips.

For a verdict that does not fully survive, the sampled points where the
paired difference takes the other sign are the cases of interest; PRIM
(:mod:`incentsim.robustness.prim`) looks for a box of assumption ranges that
holds most of them and little else, over the assumptions that the screening
found most influential for that comparison (few inputs keep boxes readable
and guard against boxes fitted to noise with a few hundred points).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from incentsim.experiment.table import OUTCOMES, label
from incentsim.robustness.prim import describe_limits, prim

#: Fewest reversed points worth looking for a box in.
MIN_FLIPS = 3
#: Inputs PRIM searches over for one comparison (the most influential ones).
MAX_INPUTS = 5

#: Columns of the boxes table.
BOX_COLUMNS: tuple[str, ...] = ("policy", "against", "outcome", "conditions", "limits", "coverage",
                                "density", "mass", "reversals", "points", "reading")


def find_box(policy: str, against: str, outcome: str, direction: int, differences: np.ndarray,
             values: pd.DataFrame, inputs: Sequence[str]) -> dict[str, object] | None:
    """The box where ``policy - against`` on ``outcome`` takes the other sign, if there is one.

    Args:
        policy: Policy whose difference is taken.
        against: The other policy.
        outcome: Summary outcome.
        direction: Sign of the difference as written (+1 or -1).
        differences: Difference at each sampled point.
        values: Assumption values at each point (columns are keys).
        inputs: Keys PRIM may restrict, most influential first.

    Returns:
        A row of the boxes table, or ``None`` with too few reversals or no box.
    """
    d = np.asarray(differences, dtype=float)
    ok = np.isfinite(d)
    flipped = np.sign(d[ok]) == -direction
    if direction == 0 or int(flipped.sum()) < MIN_FLIPS or not inputs:
        return None
    names = list(inputs)[:MAX_INPUTS]
    x = values.loc[ok, names].to_numpy(dtype=float)
    box = prim(x, flipped)
    if box is None or not box.limits:
        return None
    conditions = describe_limits(box.limits, names, x.min(axis=0), x.max(axis=0))
    limits = {names[j]: [low, high] for j, (low, high) in sorted(box.limits.items())}
    higher, lower = (policy, against) if direction > 0 else (against, policy)
    better = OUTCOMES.get(outcome, ("", None))[1]
    # the policy that loses as written, and wins inside the box
    if better is None:
        text = f"{lower} gives higher {label(outcome)} than {higher} only when " + " and ".join(conditions)
    else:
        loser = lower if better else higher
        winner = higher if better else lower
        text = f"{loser} beats {winner} on {label(outcome)} only when " + " and ".join(conditions)
    text += (f" (there in {box.density:.0%} of sampled assumptions; the box holds {box.coverage:.0%} "
             f"of the reversals and {box.mass:.0%} of the plausible space)")
    return {"policy": policy, "against": against, "outcome": outcome, "conditions": conditions,
            "limits": limits, "coverage": box.coverage, "density": box.density, "mass": box.mass,
            "reversals": int(flipped.sum()), "points": int(ok.sum()), "reading": text}


def boxes_table(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """Rows as a frame with :data:`BOX_COLUMNS`."""
    return pd.DataFrame(list(rows), columns=list(BOX_COLUMNS))

