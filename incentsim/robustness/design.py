"""Sampling designs over the assumptions, drawn with SALib on the unit cube.

Two designs, one per stage of the analysis:

- **Morris** (elementary effects, Morris 1991, with Campolongo et al. 2007's
  mu*): ``trajectories`` one-at-a-time paths through a grid of ``levels`` levels,
  each moving every assumption once. ``trajectories * (k + 1)`` points for ``k``
  assumptions; cheap enough to screen all of them.
- **Sobol** (variance-based indices, Saltelli et al. 2010 sampling): ``N`` base
  rows; the chosen assumptions each form a group of their own and every other
  assumption one group "other assumptions", so every assumption varies over its
  whole range while indices are estimated for the chosen few (and for the rest
  together, a check on the screening). ``N * (G + 2)`` points for ``G`` groups.

Both designs work on ``[0, 1]^k``; :meth:`Assumption.from_unit` maps to values.
Points are grouped into *clusters* (a trajectory; a Sobol base row with its
cross rows), the unit the verdicts' uncertainty is resampled by.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from incentsim.robustness.assumptions import Assumption

#: Name of the Sobol group holding every assumption not chosen from the screening.
OTHERS = "other assumptions"
#: Levels of the Morris grid (4 is the common choice: Saltelli et al. 2008, ch. 3).
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Design:
    """Points of one stage in the unit cube and in assumption values.

    Attributes:
        stage: ``screening`` (Morris) or ``sobol``.
        assumptions: The assumptions, in column order.
        unit: ``(points, k)`` coordinates in the unit cube.
        clusters: ``(points,)`` trajectory or Sobol base row of each point.
        groups: Sobol group names in SALib order (``None`` for Morris).
        size: Trajectories (Morris) or base rows ``N`` (Sobol).
    """

    stage: str
    assumptions: tuple[Assumption, ...]
    unit: np.ndarray
    clusters: np.ndarray
    groups: tuple[str, ...] | None
    size: int

    @property
    def keys(self) -> list[str]:
        """Assumption keys, in column order."""
        return [a.key for a in self.assumptions]

    @property
    def values(self) -> np.ndarray:
        """``(points, k)`` assumption values."""
        return np.column_stack([a.from_unit(self.unit[:, j]) for j, a in enumerate(self.assumptions)])

    def problem(self) -> dict[str, Any]:
        """The SALib problem dict (unit bounds; groups for Sobol)."""
        return problem(self.assumptions, self.groups)

    def frame(self) -> pd.DataFrame:
        """One row per point: ``point``, ``cluster``, then each assumption's value."""
        head = pd.DataFrame({"point": np.arange(len(self.unit)), "cluster": self.clusters})
        return pd.concat([head, pd.DataFrame(self.values, columns=self.keys)], axis=1)


def problem(assumptions: Sequence[Assumption], groups: Sequence[str] | None = None) -> dict[str, Any]:
    """A SALib problem on the unit cube over the assumptions."""
    out: dict[str, Any] = {"num_vars": len(assumptions), "names": [a.key for a in assumptions],
                           "bounds": [[0.0, 1.0]] * len(assumptions)}
    if groups is not None:
        out["groups"] = list(groups)
    return out


def morris_design(assumptions: Sequence[Assumption], trajectories: int, seed: int) -> Design:
    """A Morris design: ``trajectories`` one-at-a-time paths on a 4-level grid."""
    from SALib.sample import morris

    unit = morris.sample(problem(assumptions), N=trajectories, num_levels=MORRIS_LEVELS,
                         seed=_salib_seed(seed, 1))
    per = len(assumptions) + 1
    return Design("screening", tuple(assumptions), np.asarray(unit, dtype=float),
                  np.arange(len(unit)) // per, None, trajectories)


def sobol_design(assumptions: Sequence[Assumption], chosen: Sequence[str], samples: int,
                 seed: int) -> Design:
    """A Saltelli design with one group per chosen assumption and one for all the others.

    Args:
        assumptions: Every assumption varied.
        chosen: Keys that get indices of their own (the rest form :data:`OTHERS`).
        samples: Base rows ``N`` (a power of two keeps the Sobol sequence balanced).
        seed: Seed of the scrambled sequence.
    """
    from SALib.sample import sobol

    keep = set(chosen)
    groups = tuple(a.key if a.key in keep else OTHERS for a in assumptions)
    with warnings.catch_warnings():  # SALib warns about non-powers of two; the caller chose N
        warnings.simplefilter("ignore")
        unit = sobol.sample(problem(assumptions, groups), samples, calc_second_order=False,
                            scramble=True, seed=_salib_seed(seed, 2))
    per = len(set(groups)) + 2
    return Design("sobol", tuple(assumptions), np.asarray(unit, dtype=float), np.arange(len(unit)) // per,
                  groups, samples)


def _salib_seed(seed: int, stage: int) -> int:
    # A stage-specific seed derived from the experiment's, within numpy's 32-bit range.
    return int(np.random.SeedSequence([seed, 15, stage]).generate_state(1)[0])


def screening_world(scenario: Any, scale: float = 1.0, months: int | None = None) -> Any:
    """A cheaper version of a scenario for the screening stage.

    The centre is scaled by ``scale`` (tier-1 and tier-2 seats, calls per hour
    and the customer base together, so occupancy and calls per agent stay about
    the same) and the horizon cut to ``months`` review periods.

    Args:
        scenario: The scenario.
        scale: Share of the centre kept (1 keeps it whole); at least 8 tier-1 agents remain.
        months: Review periods kept (``None`` keeps them all).
    """
    c = scenario.center
    changes: dict[str, Any] = {}
    if months is not None and months < c.months:
        changes["center.months"] = int(months)
    if scale < 1.0:
        agents = max(min(8, c.tier1_agents), round(c.tier1_agents * scale))
        ratio = agents / c.tier1_agents
        changes |= {
            "center.tier1_agents": agents,
            "center.tier2_agents": max(1 if c.tier2_agents else 0, round(c.tier2_agents * ratio)),
            "demand.calls_per_hour": scenario.demand.calls_per_hour * ratio,
            "customers.population": max(1, math.floor(scenario.customers.population * ratio)),
        }
    if not changes:
        return scenario
    return scenario.replace(**changes)
