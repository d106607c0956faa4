"""Repeat calls (failure demand) from customer ids: how often a call comes back, and when.

The model, the engine's own: a call that was not resolved comes back with chance
``repeat_chance`` after an exponential delay (mean ``repeat_delay_hours`` working hours,
counted from the end of the call); an abandoned call was not resolved; an answered call
of a type was unresolved with chance ``1 - resolution``. Separately, every customer makes
new calls at a low background rate ``lambda`` (new calls pick customers at random).

So after a call of group ``g`` (abandoned, or answered of a type) the customer's next
call comes, with chance ``q_g``, at the earlier of the repeat and the next background
call, and otherwise at the next background call: its gap ``x`` (working hours from the end
of the call to the next arrival) has density
``q (r + lambda) exp(-(r + lambda) x) + (1 - q) lambda exp(-lambda x)``, with ``r`` the
repeat rate. A call with no next call before the log ends is censored there. The
parameters (one ``q`` per group, ``r`` and ``lambda``) are the maximum-likelihood
estimates of this competing-risks mixture (an assumption stated here, not a published
method). One simplification: a customer's new call that falls between a call and its
repeat takes the repeat as its own next call, which moves a little of the repeat chance
to the group of the call in between; the share affected is about ``lambda / (lambda + r)``,
a few percent when customers call rarely. Then:

* no repeat calls at all when the mixture does not beat customers' new calls alone (a
  likelihood-ratio statistic under 10.83, the chi-square 0.1% point), or its repeats do
  not come at least ten times sooner than new calls, or later than a quarter of the log;
* ``repeat_chance = q`` of abandoned calls (a probability by construction);
* each type's ``resolution = 1 - q_type / repeat_chance`` (clipped to [0, 1]);
* ``repeat_delay_hours = 1 / r``; ``customers.population = new-call rate / lambda``;
* a call whose gap after the same customer's previous call is ``x`` is that call's repeat
  with chance ``q r exp(-(r + lambda) x)`` over the density above; one minus this is the
  call's weight as a *new* call, used for the arrival rate and the call mix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import expit, logit

from incentsim.calibration.calendar import Calendar

__all__ = ["ABANDONED", "MIN_ABANDONED_WITH_ID", "RepeatFit", "fit_repeats"]

#: Group name of abandoned calls.
ABANDONED = "(abandoned)"
#: Fewest abandoned calls with a customer id for ``repeat_chance`` to come from them.
MIN_ABANDONED_WITH_ID = 30
#: Likelihood-ratio statistic a repeat pattern must exceed (chi-square, 1 df, 0.1%).
_LR_THRESHOLD = 10.83
#: Largest population written (customers).
MAX_POPULATION = 10_000_000


@dataclass(frozen=True)
class RepeatFit:
    """Repeat-call estimates.

    Attributes:
        available: Whether the log had customer ids to estimate from.
        chance_by_group: ``q`` per group (:data:`ABANDONED` and each call type).
        calls_by_group: Calls with a customer id per group.
        repeat_chance: Chance an unresolved call comes back.
        resolution: Per call type, the chance it was resolved.
        delay_hours: Mean working hours from the end of a call to its repeat.
        background_per_hour: Background rate of new calls per customer per working hour.
        repeats: Expected number of calls in the log that are repeats.
        new_weight: Per log row, the chance the call is a new call (not a repeat).
        from_abandoned: Whether ``repeat_chance`` came from the abandoned calls.
        found: Whether the log shows repeat calls at all (see :func:`fit_repeats`).
    """

    available: bool
    chance_by_group: dict[str, float] = field(default_factory=dict)
    calls_by_group: dict[str, int] = field(default_factory=dict)
    repeat_chance: float = 0.0
    resolution: dict[str, float] = field(default_factory=dict)
    delay_hours: float = math.nan
    background_per_hour: float = math.nan
    repeats: float = 0.0
    new_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    from_abandoned: bool = False
    found: bool = True

    def population(self, new_calls_per_hour: float) -> int:
        """Customers implied by the background rate (at most :data:`MAX_POPULATION`)."""
        rate = self.background_per_hour
        if not (rate == rate and rate > 0):
            return MAX_POPULATION
        return int(min(MAX_POPULATION, max(1, round(new_calls_per_hour / rate))))


def _negative_loglik(params: np.ndarray, group: np.ndarray, gap: np.ndarray, observed: np.ndarray,
                     n_groups: int) -> tuple[float, np.ndarray]:
    q = expit(params[:n_groups])[group]
    r, lam = math.exp(params[n_groups]), math.exp(params[n_groups + 1])
    both = r + lam
    a = np.log(q) - both * gap
    b = np.log1p(-q) - lam * gap
    a = np.where(observed, a + math.log(both), a)
    b = np.where(observed, b + math.log(lam), b)
    total = np.logaddexp(a, b)
    w = np.exp(a - total)
    grad = np.zeros(n_groups + 2)
    grad[:n_groups] = np.bincount(group, weights=w - q, minlength=n_groups)
    d_r_a = np.where(observed, r / both, 0.0) - r * gap
    d_l_a = np.where(observed, lam / both, 0.0) - lam * gap
    d_l_b = np.where(observed, 1.0, 0.0) - lam * gap
    grad[n_groups] = float((w * d_r_a).sum())
    grad[n_groups + 1] = float((w * d_l_a + (1.0 - w) * d_l_b).sum())
    return -float(total.sum()), -grad


def fit_repeats(log: pd.DataFrame, calendar: Calendar) -> RepeatFit:
    """Estimate repeat calls from a checked call log (see the module documentation)."""
    n_rows = len(log)
    if "customer_id" not in log.columns or log["customer_id"].notna().sum() < 2:
        return RepeatFit(available=False, new_weight=np.ones(n_rows))
    types = sorted(log["call_type"].unique())
    names = [ABANDONED, *types]
    code = {name: k for k, name in enumerate(names)}
    answered = log["answered"].to_numpy(dtype=bool)
    group = np.where(answered, log["call_type"].map(code).to_numpy(dtype=np.int64), 0)
    start = calendar.working_minutes(log["arrival"]) / 60.0
    duration = (log["wait_seconds"].to_numpy(dtype=float)
                + np.nan_to_num(log["handle_seconds"].to_numpy(dtype=float))) / 3600.0
    end = start + duration
    frame = pd.DataFrame({"customer": log["customer_id"].to_numpy(dtype=object), "start": start, "end": end,
                          "group": group, "row": np.arange(n_rows)})
    frame = frame.loc[log["customer_id"].notna().to_numpy()].sort_values(["customer", "start"], kind="stable")
    same_next = frame["customer"].to_numpy()[1:] == frame["customer"].to_numpy()[:-1]
    next_start = np.append(frame["start"].to_numpy()[1:], np.nan)
    observed = np.append(same_next, False)
    horizon = calendar.end_minutes / 60.0
    gap = np.where(observed, next_start - frame["end"].to_numpy(), horizon - frame["end"].to_numpy())
    gap = np.maximum(gap, 0.0)
    groups = frame["group"].to_numpy()
    present = np.flatnonzero(np.bincount(groups, minlength=len(names)))
    remap = np.full(len(names), -1)
    remap[present] = np.arange(present.size)
    fitted_groups = remap[groups]
    n_groups = present.size
    customers = frame["customer"].nunique()
    lam0 = max(len(frame) / max(customers, 1) / max(horizon, 1e-9), 1e-9)
    start_params = np.concatenate([np.full(n_groups, logit(0.2)), [math.log(1.0 / 16.0), math.log(lam0)]])
    result = optimize.minimize(_negative_loglik, start_params, jac=True, method="L-BFGS-B",
                               args=(fitted_groups, gap, observed, n_groups),
                               bounds=[(-12.0, 12.0)] * n_groups + [(-12.0, 8.0), (-30.0, 5.0)])
    params = result.x
    q_present = expit(params[:n_groups])
    r, lam = math.exp(params[n_groups]), math.exp(params[n_groups + 1])
    counts = np.bincount(groups, minlength=len(names))
    # Is there a repeat pattern at all? Against customers' new calls alone (one rate), the
    # mixture must win clearly (likelihood ratio over the chi-square 0.1% point) and its
    # repeats must come much sooner than new calls do.
    rate0 = observed.sum() / max(gap.sum(), 1e-12)
    loglik0 = float(observed.sum() * math.log(max(rate0, 1e-300)) - rate0 * gap.sum())
    if 2.0 * (-float(result.fun) - loglik0) < _LR_THRESHOLD or r < 10.0 * lam or 1.0 / r > horizon / 4.0:
        return RepeatFit(available=True, chance_by_group={names[g]: 0.0 for g in present},
                         calls_by_group={names[g]: int(counts[g]) for g in range(len(names))},
                         resolution={}, background_per_hour=rate0, new_weight=np.ones(n_rows),
                         found=False)
    chance = {names[g]: float(q_present[remap[g]]) for g in present}
    calls = {names[g]: int(counts[g]) for g in range(len(names))}

    # Weight of each call as a new call: one minus the chance it is its predecessor's repeat.
    q_call = q_present[fitted_groups]
    observed_x = gap[observed]
    q_prev = q_call[observed]
    log_repeat = np.log(q_prev) + math.log(r) - (r + lam) * observed_x
    log_density = np.logaddexp(np.log(q_prev) + math.log(r + lam) - (r + lam) * observed_x,
                               np.log1p(-q_prev) + math.log(lam) - lam * observed_x)
    p_repeat = np.exp(log_repeat - log_density)
    successor_rows = np.append(frame["row"].to_numpy()[1:], -1)[observed]
    new_weight = np.ones(n_rows)
    new_weight[successor_rows] = 1.0 - p_repeat

    from_abandoned = calls[ABANDONED] >= MIN_ABANDONED_WITH_ID and ABANDONED in chance
    if from_abandoned:
        repeat_chance = chance[ABANDONED]
    else:  # too few abandoned calls: the most repeat-prone type sets the chance (so resolution >= 0)
        repeat_chance = max([chance.get(t, 0.0) for t in types] + [chance.get(ABANDONED, 0.0)])
    resolution = {t: float(min(1.0, max(0.0, 1.0 - chance[t] / repeat_chance)))
                  if repeat_chance > 0 and t in chance else 1.0 for t in types}
    return RepeatFit(available=True, chance_by_group=chance, calls_by_group=calls, repeat_chance=repeat_chance,
                     resolution=resolution, delay_hours=1.0 / r, background_per_hour=lam,
                     repeats=float(p_repeat.sum()), new_weight=new_weight, from_abandoned=from_abandoned)
