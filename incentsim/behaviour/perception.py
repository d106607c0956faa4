"""Experienced incentives: what a policy's review would do to each agent, read by asking it.

Agents respond to what a policy *does*, not to what it says. At each review
(and once before the first period) the engine asks the policy's own
``review`` what it would do at the next review to measured numbers that each
agent might produce next period. The numbers come from the agent's expected
KPIs under different conduct (:mod:`incentsim.behaviour.expectations`) plus the
noise of measurement: the call mix, the survey sample and the QA sample and
rater. So a threshold nobody can reach shows no return to anyone, one near an
agent's level shows that agent the largest return, a team bonus shows each
member only their diluted share of the team's number, a ranking shows that
helping colleagues costs rank, and more QA samples make begging and dumping
show up on the QA score more surely.

Design: for each kind of conduct (effort, care, rushing, begging, dumping,
helping) and each agent, pairs of runs set that one lever a step above and a
step below the agent's current conduct while everything else stays as it is
(a central difference, one factor at a time: a threshold's return depends on
where the rest of the agent's conduct puts them, so levers are not varied
together). Steps span the full range of the decision they inform: effort,
care and helping by real steps either way; rushing, begging and dumping by
half their range either way, the side below zero taken by extending the
expected numbers linearly. Each agent meets its runs in an order of its own,
so at any run colleagues are probing other things in both directions and a
team's number or a league table stays, on average, where current conduct
puts it. The two runs of a pair share their noise draws (common random
numbers), so their difference is the lever's effect on that draw; four more
runs hold everyone at current conduct. Values are money: payouts as paid,
ranks and sanctions at the money-equivalents of
``scenario.behaviour.perception`` (assumptions).

A few pairs read a lumpy consequence (a bonus paid or not) with noise, so each
agent also learns from colleagues like them: an agent's return is the
kernel-weighted mean of the readings of colleagues whose expected numbers (and
whose teams' numbers) lie close to theirs, distance measured in units of
measurement noise (Nadaraya-Watson smoothing, bandwidth one noise standard
deviation: an assumption). Where people do not differ everyone learns from
everyone; where they differ widely each agent reads mostly their own
consequences, so a threshold near an agent's own level moves that agent most.
A consequence nobody ever meets reads exactly zero for everyone.

The policy is treated as a black box: ``review`` must be a pure function of
the frame it is given (:func:`~incentsim.policies.check_policy` checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from incentsim.behaviour.expectations import (
    CallSample,
    ExpectedKPIs,
    expected_kpis,
    measured_draw,
    slope,
    tabulate,
)
from incentsim.behaviour.probe_frames import VARYING, ProbeFrames
from incentsim.contract import Review
from incentsim.scenario import Scenario

#: The kinds of conduct whose returns agents read, in design-column order.
LEVERS: tuple[str, ...] = ("effort", "care", "rush", "beg", "dump", "help")
#: Pairs of runs per lever, and runs at current conduct (review calls: 2 * 6 * PAIRS + CURRENT_RUNS).
PAIRS, CURRENT_RUNS = 2, 4
#: Noise draws per agent and run.
NOISE: tuple[str, ...] = ("calls", "aht", "responses", "positive", "qa", "transfer")


@dataclass(frozen=True)
class Roster:
    """The agents who will work next period (one entry per seat).

    Attributes:
        agent: Agent id in each seat.
        team: Team of each seat.
        tenure_days: Working days each agent will have at the end of next period.
        available: Share of next period each agent will be on the phones.
        ht_mult: Handle-time multiplier from skill and learning.
        res_shift: Resolution-chance shift from skill and learning (help not included).
    """

    agent: np.ndarray
    team: np.ndarray
    tenure_days: np.ndarray
    available: np.ndarray
    ht_mult: np.ndarray
    res_shift: np.ndarray

    @property
    def n(self) -> int:
        """Seats."""
        return int(self.agent.size)


@dataclass(frozen=True)
class ConductLevels:
    """Each agent's conduct now (arrays over seats), around which returns are read."""

    care: np.ndarray
    speed: np.ndarray
    rush: np.ndarray
    beg: np.ndarray
    dump: np.ndarray
    helping: np.ndarray


@dataclass(frozen=True)
class Reading:
    """What the probed reviews show each agent (arrays over seats).

    Attributes:
        returns: Money-equivalent return of each lever in :data:`LEVERS`, shape ``(n, 6)``:
            the mean value of the consequences with the lever a step up minus a step down.
        stakes: Standard deviation of the agent's payout across the probed runs:
            the money that depends on their measured numbers.
        completion: Share of that contingent pay tied to the number of calls
            (completion-contingent) rather than to how they went.
        p_warning: Chance of a warning at the next review.
        p_fire: Chance of being fired at the next review.
        ranked: Share of runs in which the agent is ranked.
        expected_pay: Mean payout.
    """

    returns: np.ndarray
    stakes: np.ndarray
    completion: np.ndarray
    p_warning: np.ndarray
    p_fire: np.ndarray
    ranked: np.ndarray
    expected_pay: np.ndarray

    @classmethod
    def none(cls, n: int) -> Reading:
        """No consequence of any kind (what a review that does nothing shows)."""
        zero = np.zeros(n)
        return cls(returns=np.zeros((n, len(LEVERS))), stakes=zero, completion=zero.copy(),
                   p_warning=zero.copy(), p_fire=zero.copy(), ranked=zero.copy(),
                   expected_pay=zero.copy())


def _values(review: Review, agents: np.ndarray, sc: Scenario) -> tuple[np.ndarray, ...]:
    """Payout, rank score (1 best, 0 worst), warned and fired per agent, from one review."""
    per = sc.behaviour.perception
    pos = {int(a): k for k, a in enumerate(agents.tolist())}
    n = agents.size
    pay, score, ranked = np.zeros(n), np.zeros(n), np.zeros(n)
    warned, fired = np.zeros(n), np.zeros(n)
    for agent, money in review.payouts.items():
        k = pos.get(int(agent))
        if k is not None:
            pay[k] = float(money)
    n_ranked = len(review.ranks)
    for agent, rank in review.ranks.items():
        k = pos.get(int(agent))
        if k is not None:
            ranked[k] = 1.0
            score[k] = 1.0 - (float(rank) - 1.0) / (n_ranked - 1) if n_ranked > 1 else 0.5
    for agent, sanction in review.sanctions.items():
        k = pos.get(int(agent))
        if k is not None:
            (fired if sanction == "fire" else warned)[k] = 1.0
    value = pay + per.rank_value * score - per.warning_cost * warned - per.fire_cost * fired
    return value, pay, ranked, warned, fired


def perceive(review: Callable[[pd.DataFrame, int], Review], history: pd.DataFrame, period: int,
             roster: Roster, conduct: ConductLevels, sample: CallSample, sc: Scenario,
             rng: np.random.Generator, groups: Sequence[tuple[np.ndarray, CallSample]] | None = None) -> Reading:
    """Read what the review at the end of ``period`` would do to each agent.

    Args:
        review: The policy's ``review``.
        history: The measured frame of every earlier period (columns
            :data:`~incentsim.contract.MEASURED_COLUMNS`; may be empty).
        period: The period whose review is anticipated.
        roster: Who works that period.
        conduct: Their conduct now.
        sample: Calls standing for that period's calls.
        sc: The scenario.
        rng: The ``perception`` stream of this review (common random numbers).
        groups: With skill groups, ``(seats, sample)`` per group: the calls each
            group's agents take, so that an agent's expected numbers follow the call
            mix (and volume) of their own group; ``None``: every seat takes ``sample``.

    Returns:
        The :class:`Reading` of every seat.
    """
    n = roster.n
    if n == 0:
        return Reading.none(0)
    cd = sc.behaviour.conduct
    dec = sc.behaviour.decisions
    per = sc.behaviour.perception
    slots = 2 * len(LEVERS) * PAIRS                                       # (lever, pair, sign)
    runs = slots + CURRENT_RUNS
    slot = np.argsort(rng.random((n, slots)), axis=1).T                   # (slots, n): slot per run
    probed = np.full((runs, n), -1, dtype=np.int64)
    probed[:slots] = slot // (2 * PAIRS)                                  # lever probed, -1: none
    sign = np.zeros((runs, n))
    sign[:slots] = np.where(slot % 2 == 0, 1.0, -1.0)
    noise_draw = rng.standard_normal((len(NOISE), len(LEVERS) * PAIRS + CURRENT_RUNS, n))
    noise_row = np.concatenate([slot // 2, len(LEVERS) * PAIRS + np.broadcast_to(
        np.arange(CURRENT_RUNS)[:, None], (CURRENT_RUNS, n))])            # the two signs share noise
    seat = np.arange(n)
    noise = {name: noise_draw[j][noise_row, seat] for j, name in enumerate(NOISE)}

    def lever(name: str, low: np.ndarray | float, high_value: np.ndarray | float,
              now: np.ndarray) -> np.ndarray:
        on = probed == LEVERS.index(name)
        return np.where(on, np.where(sign > 0, high_value, low), now)

    care_low = conduct.care - per.care_step
    care_high = conduct.care + per.care_step
    level = lever("care", 1, 2, np.zeros(n)).astype(np.int64)
    effort = 0.5 * (1.0 - dec.speed_min)
    effort_speed = lever("effort", conduct.speed + effort, conduct.speed - effort, conduct.speed)
    helping = lever("help", conduct.helping - 0.5, conduct.helping + 0.5, conduct.helping)
    time_mult = effort_speed * (1.0 + cd.help_time * helping)
    half = 0.5 * dec.max_propensity
    rush = lever("rush", conduct.rush - half, conduct.rush + half, conduct.rush)
    beg = lever("beg", conduct.beg - half, conduct.beg + half, conduct.beg)
    dump = lever("dump", conduct.dump - half, conduct.dump + half, conduct.dump)

    help_now = _team_help(conduct.helping[None, :], roster.team, cd.help_resolution)[0]
    res_delta = _team_help(helping, roster.team, cd.help_resolution) - help_now
    probe = _Probe(care=(conduct.care, care_low, care_high), level=level, time_mult=time_mult, rush=rush, beg=beg,
                   dump=dump, res_delta=res_delta)
    if groups is None:
        expected = _expected(sample, np.arange(n), roster, conduct, help_now, probe, sc)
    else:
        parts = [(seats, _expected(group_sample, seats, roster, conduct, help_now, probe, sc))
                 for seats, group_sample in groups if len(seats)]
        expected = ExpectedKPIs(**{name: _stitch([(seats, getattr(part, name)) for seats, part in parts], n)
                                   for name in ExpectedKPIs.__dataclass_fields__})
    measured = measured_draw(expected, noise, sc.measurement.qa.samples)

    value = np.zeros((runs, n))
    pay = np.zeros((runs, n))
    ranked = np.zeros((runs, n))
    warned = np.zeros((runs, n))
    fired = np.zeros((runs, n))
    frames = ProbeFrames(history, roster, period)
    for r in range(runs):
        frame = frames.frame({k: getattr(measured, k)[r] for k in VARYING})
        value[r], pay[r], ranked[r], warned[r], fired[r] = _values(review(frame, period), roster.agent, sc)

    flat = np.empty((n, slots))
    flat[seat[None, :], slot] = value[:slots]
    by_slot = flat.T.reshape(len(LEVERS), PAIRS, 2, n)                      # lever, pair, (+, -), agent
    raw = (by_slot[:, :, 0] - by_slot[:, :, 1]).mean(axis=1).T              # (n, levers)
    similar = _similarity(expected, slots, roster.team, sc.measurement.qa.samples)
    return Reading(returns=similar @ raw, stakes=pay.std(axis=0),
                   completion=_completion_share(pay, measured, expected),
                   p_warning=warned.mean(axis=0), p_fire=fired.mean(axis=0),
                   ranked=ranked.mean(axis=0), expected_pay=pay.mean(axis=0))


@dataclass(frozen=True)
class _Probe:
    """The conduct of every probed run (arrays ``(runs, n)``) and the care levels tabulated."""

    care: tuple[np.ndarray, np.ndarray, np.ndarray]
    level: np.ndarray
    time_mult: np.ndarray
    rush: np.ndarray
    beg: np.ndarray
    dump: np.ndarray
    res_delta: np.ndarray


def _expected(sample: CallSample, seats: np.ndarray, roster: Roster, conduct: ConductLevels,
              help_now: np.ndarray, probe: _Probe, sc: Scenario) -> ExpectedKPIs:
    """Expected measured numbers of the seats ``seats`` in every probed run, from the calls they take."""
    cd = sc.behaviour.conduct
    n = seats.size
    ht_mult = roster.ht_mult[seats]
    res_now = roster.res_shift[seats] + help_now[seats]
    tables = [tabulate(sample, ht_mult, res_now, care[seats], sc) for care in probe.care]
    step = 0.02
    tables_up = [tabulate(sample, ht_mult, res_now + step, conduct.care[seats], sc)]
    now_args = (np.zeros(n, np.int64), (conduct.speed * (1.0 + cd.help_time * conduct.helping))[seats],
                conduct.rush[seats], conduct.beg[seats], conduct.dump[seats], sample, sc)
    now = expected_kpis(tables, *now_args)
    res_slope = slope(now, expected_kpis(tables_up, *now_args), step)
    return expected_kpis(tables, probe.level[:, seats], probe.time_mult[:, seats], probe.rush[:, seats],
                         probe.beg[:, seats], probe.dump[:, seats], sample, sc,
                         available=roster.available[seats], res_delta=probe.res_delta[:, seats],
                         res_slope=res_slope, centre_aht=float(np.mean(now.aht)))


def _stitch(parts: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Arrays over subsets of seats (last axis) put together into one over all ``n`` seats."""
    first = np.asarray(parts[0][1])
    out = np.full((*first.shape[:-1], n), np.nan)
    for seats, values in parts:
        out[..., seats] = values
    return out


def _similarity(expected: ExpectedKPIs, run: int, team: np.ndarray, qa_samples: int) -> np.ndarray:
    """Row-normalised kernel weights between agents with like expected numbers (and like teams).

    Each agent's expected measured numbers at current conduct (``run`` indexes
    a current-conduct run) and their team's mean of them are scaled by the
    typical measurement noise of each number; the weight of colleague ``j`` for
    agent ``i`` is ``exp(-d_ij**2 / 2)`` with ``d`` the distance in those units.
    """
    calls = np.maximum(expected.calls[run], 1.0)
    csat = np.nan_to_num(expected.csat[run], nan=float(np.nanmean(expected.csat[run])) if np.isfinite(
        expected.csat[run]).any() else 0.0)
    responses = np.maximum(calls * expected.response_rate[run], 1.0)
    tr = expected.transfer_rate[run]
    metrics = [
        (csat, np.sqrt(np.maximum(csat * (1 - csat), 1e-6) / responses)),
        (expected.qa[run], expected.qa_sd[run] / np.sqrt(max(1, qa_samples))),
        (expected.aht[run], expected.aht_sd[run] / np.sqrt(calls)),
        (tr, np.sqrt(np.maximum(tr * (1 - tr), 1e-6) / calls)),
        (calls, np.sqrt(calls)),
    ]
    features = []
    for value, noise in metrics:
        scale = float(np.median(noise))
        scale = scale if np.isfinite(scale) and scale > 0 else 1.0
        z = np.nan_to_num(np.asarray(value, dtype=float)) / scale
        team_mean = np.zeros_like(z)
        for t in np.unique(team):
            members = team == t
            team_mean[members] = z[members].mean()
        features += [z, team_mean]
    x = np.stack(features, axis=1)
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1)
    w = np.exp(-0.5 * d2)
    return w / w.sum(axis=1, keepdims=True)


def _team_help(helping: np.ndarray, team: np.ndarray, effect: float) -> np.ndarray:
    """Resolution shift each agent gets from the help of the rest of their team.

    ``effect`` times the mean helping of the *other* members (0 for a team of one).
    """
    helping = np.asarray(helping, dtype=float)
    out = np.zeros_like(helping)
    for t in np.unique(team):
        members = team == t
        size = int(members.sum())
        if size < 2:
            continue
        total = helping[..., members].sum(axis=-1, keepdims=True)
        out[..., members] = effect * (total - helping[..., members]) / (size - 1)
    return out


def _completion_share(pay: np.ndarray, measured: object, expected: ExpectedKPIs) -> np.ndarray:
    """Share of each agent's contingent pay explained by their call count (pooled regression).

    The payout's deviation from the agent's mean is regressed, over all runs and
    agents, on the standardised deviations of the five measured metrics; the
    call count's share of the summed absolute effects is the completion share.
    """
    n = pay.shape[1]
    dev = pay - pay.mean(axis=0, keepdims=True)
    if not np.any(dev):
        return np.zeros(n)
    cols = []
    for name in ("calls", "aht", "qa", "csat", "transfer_rate"):
        x = np.nan_to_num(np.asarray(getattr(measured, name), dtype=float))
        x = x - x.mean(axis=0, keepdims=True)
        sd = x.std()
        cols.append(x / sd if sd > 0 else x)
    design = np.stack([c.ravel() for c in cols], axis=1)
    coef, *_ = np.linalg.lstsq(design, dev.ravel(), rcond=None)
    effects = np.abs(coef)
    total = effects.sum()
    share = effects[0] / total if total > 0 else 0.0
    return np.full(n, float(share))


def pilot_sample(sc: Scenario, rng: np.random.Generator, calls_per_agent: float | None = None,
                 shares: np.ndarray | None = None) -> CallSample:
    """Calls drawn from the scenario's laws, for the reading before the first period.

    No queue yet: waits are 0 and upset is the call type's (raised by the
    expected defect-day upset); defect days' extra complexity and escalation
    enter at their expected rate. ``calls_per_agent`` is the new calls per period
    per seat on duty all period (default: the demand over every seat, each on
    duty whenever the centre opens); ``shares`` the weight of each call type in the
    mix (default: the scenario's shares), for a skill group taking some types only.
    """
    per = sc.behaviour.perception
    types = sc.demand.call_types
    shares = (np.array([t.share for t in types], dtype=float) if shares is None
              else np.asarray(shares, dtype=float))
    sample_size = per.sample_calls
    m = 20 * sample_size  # the population the sample stands for
    kind = rng.choice(len(types), size=m, p=shares / shares.sum())
    u = np.clip(rng.random(m), 1e-12, 1 - 1e-12)
    ht = np.empty(m)
    for t, ct in enumerate(types):
        mask = kind == t
        ht[mask] = ct.handle_time.from_uniform(u[mask])
    system = sc.system
    p_defect = system.defect_day_probability
    ht *= 1.0 + p_defect * (system.defect_complexity - 1.0)
    esc = np.array([t.escalation for t in types])[kind] * (1.0 + p_defect * (system.defect_escalation - 1.0))
    upset = np.clip(np.array([t.upset for t in types])[kind] + p_defect * system.defect_upset, 0.0, 1.0)
    c = sc.center
    per_agent = (sc.demand.calls_per_hour * c.hours_per_day * c.days_per_month / max(1, c.tier1_agents)
                 if calls_per_agent is None else calls_per_agent)
    population = CallSample(handle_time=ht, resolution=np.array([t.resolution for t in types])[kind],
                            escalation=np.clip(esc, 0.0, 1.0), upset=upset, wait=np.zeros(m), tier2_wait=0.0,
                            calls_per_agent=float(per_agent))
    pick = slice(0, sample_size)  # the draws are in random order already
    return CallSample(handle_time=ht[pick], resolution=population.resolution[pick],
                      escalation=population.escalation[pick], upset=upset[pick], wait=np.zeros(sample_size),
                      tier2_wait=0.0, calls_per_agent=float(per_agent), population=population)


__all__ = ["CURRENT_RUNS", "LEVERS", "PAIRS", "ConductLevels", "Reading", "Roster", "perceive",
           "pilot_sample"]
