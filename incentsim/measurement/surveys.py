"""Post-call surveys: who responds and what they rate.

* Response: a base rate (source 004: 20% is what most organisations accept),
  with U-shaped selection: callers at the extremes of satisfaction respond more
  (source 004 asks who is responding; the U shape and its size are an
  assumption). The response chance is
  ``base * (1 + extremity * ((2 s - 1)**2 - 1/3))``; since ``(2 s - 1)**2`` has
  mean 1/3 when ``s`` is uniform on 0..1, the mean response over a population
  with uniform true satisfaction (the *neutral population*) is exactly the base
  rate, whatever the extremity.
* Rating: ``1 + 4 s`` plus normal noise of sd ``rating_noise``, rounded and
  clipped to 1..5.
* Begging (source 001): multiplies the response chance of satisfied callers by
  ``beg_response`` and adds ``beg_rating`` points to their rating. It never
  touches true satisfaction (that lives in :mod:`incentsim.truth.satisfaction`).
* Abandoned callers never respond.

All randomness comes in as per-call uniforms and normals the engine draws from
the ``surveys`` stream by call index, so surveys are common random numbers
across policies.
"""

from __future__ import annotations

import numpy as np

from incentsim.scenario.measurement import Surveys


def response_probability(true_sat: np.ndarray, begged: np.ndarray, params: Surveys,
                         satisfied_at: float = 0.625) -> np.ndarray:
    """Chance each caller answers the survey (before excluding abandoned calls).

    Args:
        true_sat: True satisfaction, 0..1.
        begged: Whether the agent begged for a good rating.
        params: Survey parameters.
        satisfied_at: Satisfaction from which begging works on a caller.
    """
    s = np.clip(np.asarray(true_sat, dtype=float), 0.0, 1.0)
    shape = 1.0 + params.extremity * ((2.0 * s - 1.0) ** 2 - 1.0 / 3.0)
    boost = np.where(np.asarray(begged, dtype=bool) & (s >= satisfied_at), params.beg_response, 1.0)
    return np.clip(params.response_rate * shape * boost, 0.0, 1.0)


def survey(true_sat: np.ndarray, begged: np.ndarray, u_survey: np.ndarray, z_rating: np.ndarray,
           params: Surveys | None = None, *, abandoned: np.ndarray | None = None,
           satisfied_at: float = 0.625) -> tuple[np.ndarray, np.ndarray]:
    """Which callers respond to the survey and what they rate.

    Args:
        true_sat: True satisfaction per call, 0..1.
        begged: Whether the agent begged.
        u_survey: Uniform(0, 1) per call: responds if below the response chance.
        z_rating: Standard normal per call: rating noise.
        params: Survey parameters (default: scenario defaults).
        abandoned: Whether the caller abandoned (never responds); ``None``: none did.
        satisfied_at: Satisfaction from which begging works on a caller.

    Returns:
        ``(responded, rating)``: a bool array, and ratings 1..5 as floats with
        NaN where there was no response.

    Raises:
        ValueError: If the arrays differ in length.
    """
    params = params if params is not None else Surveys()
    s = np.asarray(true_sat, dtype=float)
    begged = np.asarray(begged, dtype=bool)
    u = np.asarray(u_survey, dtype=float)
    z = np.asarray(z_rating, dtype=float)
    if not (s.shape == begged.shape == u.shape == z.shape):
        raise ValueError("true_sat, begged, u_survey and z_rating must have the same length")
    responded = u < response_probability(s, begged, params, satisfied_at)
    if abandoned is not None:
        responded &= ~np.asarray(abandoned, dtype=bool)
    lift = np.where(begged & (s >= satisfied_at), params.beg_rating, 0.0)
    latent = 1.0 + 4.0 * np.clip(s, 0.0, 1.0) + params.rating_noise * z + lift
    rating = np.clip(np.rint(latent), 1.0, 5.0)
    return responded, np.where(responded, rating, np.nan)
