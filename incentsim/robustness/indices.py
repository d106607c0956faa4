"""Sensitivity indices from a design and its outputs, through SALib.

- :func:`morris_indices`: per assumption, mu* (mean absolute elementary effect:
  how much the output moves when the assumption crosses its plausible range, on
  average over the others' values), sigma (spread of the effects: interactions or
  curvature) and mu*'s bootstrap confidence half-width (Campolongo et al. 2007).
- :func:`sobol_indices`: per group, first-order S1 (the share of the output's
  variance the group explains alone) and total ST (alone and through every
  interaction), with bootstrap confidence half-widths (Saltelli et al. 2010;
  Jansen's estimator for ST).

Design coordinates are the unit cube, so an elementary effect is in output
units per whole plausible range, comparable across assumptions. An output with
missing values (an outcome a tiny run cannot measure) gets NaN indices rather
than an error. Both functions are plain wrappers, tested on the Ishigami
function whose indices are known exactly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from incentsim.robustness.design import MORRIS_LEVELS, Design

#: Bootstrap resamples for the confidence intervals of the indices.
RESAMPLES = 200
#: Confidence level of the indices' intervals.
CONFIDENCE = 0.95


def morris_indices(design: Design, outputs: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Morris mu*, mu, sigma and mu*'s confidence half-width per assumption.

    Args:
        design: The Morris design the outputs come from.
        outputs: One output per design point, in design order.
        seed: Seed of the bootstrap.

    Returns:
        Columns ``assumption``, ``mu``, ``mu_star``, ``sigma``, ``mu_star_conf``.
    """
    from SALib.analyze import morris

    y = np.asarray(outputs, dtype=float)
    keys = design.keys
    if y.shape != (len(design.unit),) or not np.isfinite(y).all():
        nan = np.full(len(keys), np.nan)
        return pd.DataFrame({"assumption": keys, "mu": nan, "mu_star": nan, "sigma": nan,
                             "mu_star_conf": nan})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = morris.analyze(design.problem(), design.unit, y, num_levels=MORRIS_LEVELS,
                                num_resamples=RESAMPLES, conf_level=CONFIDENCE, seed=seed)
    return pd.DataFrame({"assumption": keys, "mu": np.asarray(result["mu"], dtype=float),
                         "mu_star": np.asarray(result["mu_star"], dtype=float),
                         "sigma": np.asarray(result["sigma"], dtype=float),
                         "mu_star_conf": np.asarray(result["mu_star_conf"], dtype=float)})


def sobol_indices(design: Design, outputs: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices per group of a Sobol design.

    A constant output (no variance to share out) gets indices of 0: nothing
    moves it.

    Args:
        design: The Sobol design the outputs come from.
        outputs: One output per design point, in design order.
        seed: Seed of the bootstrap.

    Returns:
        Columns ``assumption`` (a key, or ``other assumptions``), ``S1``,
        ``S1_conf``, ``ST``, ``ST_conf``.
    """
    from SALib.analyze import sobol

    if design.groups is None:
        raise ValueError("sobol_indices needs a Sobol design")
    names = list(dict.fromkeys(design.groups))
    y = np.asarray(outputs, dtype=float)
    if y.shape != (len(design.unit),) or not np.isfinite(y).all():
        nan = np.full(len(names), np.nan)
        return pd.DataFrame({"assumption": names, "S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan})
    if np.ptp(y) <= 1e-12 * max(1.0, float(np.abs(y).max())):
        zero = np.zeros(len(names))
        return pd.DataFrame({"assumption": names, "S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sobol.analyze(design.problem(), y, calc_second_order=False, num_resamples=RESAMPLES,
                               conf_level=CONFIDENCE, seed=seed)
    return pd.DataFrame({"assumption": names,
                         **{k: np.asarray(result[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}})
