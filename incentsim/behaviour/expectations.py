"""What an agent can expect their measured numbers to be next period, for any conduct.

The same per-call rules the engine, the truth layer and the measurement layer
apply (handle time, resolution, escalation, dumping, rushing, begging, true
satisfaction, survey response and rating, QA scoring) are taken here *in
expectation* over a sample of the calls the system sends (:class:`CallSample`).
An agent is assumed to know their own skill and conduct and the kind of calls
that come in, not the luck of next month's draw: that luck is the measurement
noise added by :func:`measured_draw` (call mix, survey sample, QA sample and
rater), and it is why a threshold far from one's level moves nobody.

For fixed care, every expected sum is linear in the chances of rushing, begging
and dumping (each call is a mixture of those cases), so each agent's sums are
tabulated once per care level (:func:`tabulate`) and any conduct is then a few
weighted sums (:func:`expected_kpis`). Source: the model's own mechanisms
(:mod:`incentsim.truth`, :mod:`incentsim.measurement`); the approximations
(ratios of expected sums, a normal law for QA and handle-time means, resolution
of transferred calls at tier 2's rate) are stated where they are made.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
from scipy.special import expit, ndtr

from incentsim.scenario import Scenario

#: Begging cases of a call: not begged, begged and not annoyed, begged and annoyed.
BEG_CASES = 3


@dataclass(frozen=True)
class CallSample:
    """Calls standing for what the system will send next period (one entry per call).

    Attributes:
        handle_time: Minutes an average agent at normal care and speed would take
            (process factor and defect-day complexity included).
        resolution: First-contact resolution chance of the call's type.
        escalation: Chance the call truly needs tier 2 (process and defect included).
        upset: The caller's upset when answered (after the wait).
        wait: Minutes the caller waited in the queue.
        tier2_wait: Mean minutes a transferred caller waits for tier 2.
        calls_per_agent: Calls an average agent answers in a full period.
        population: All the calls the sample was drawn from, if known: every
            table is then corrected by the ratio of an average agent's sums over
            the population to those over the sample (a ratio estimator, Cochran
            1977 ch. 6), which removes most of the sample's luck.
    """

    handle_time: np.ndarray
    resolution: np.ndarray
    escalation: np.ndarray
    upset: np.ndarray
    wait: np.ndarray
    tier2_wait: float
    calls_per_agent: float
    population: CallSample | None = None

    @property
    def size(self) -> int:
        """Calls in the sample."""
        return int(self.handle_time.size)

    @property
    def handle_time_cv(self) -> float:
        """Coefficient of variation of handle time across calls."""
        mean = float(np.mean(self.handle_time))
        return float(np.std(self.handle_time) / mean) if mean > 0 else 0.0


@dataclass(frozen=True)
class Tables:
    """Per-agent expected sums over the sample at one care level (arrays lead with the agent).

    ``r`` indexes rushed (0, 1); ``k`` the begging case (:data:`BEG_CASES`);
    ``b`` begged (0, 1). "Kept" calls are neither escalated nor dumped (their
    surveys are the agent's own); ``g`` weights a call by its chance of being
    dumpable (not escalated and upset enough), so a dumping chance ``d`` turns
    a kept sum ``X0 - d * X1``.
    """

    ht: np.ndarray           # (n, r)  sum of handle times
    ht_dumpable: np.ndarray  # (n, r)  sum of g * handle time
    dumpable: float          # sum of g
    escalated: float         # sum of escalation chances
    resp: np.ndarray         # (n, r, k)  kept responses
    resp_dumpable: np.ndarray
    pos: np.ndarray          # (n, r, k)  kept positive responses
    pos_dumpable: np.ndarray
    qa_kept: np.ndarray      # (n, r, b)  QA points of kept calls
    qa_kept_dumpable: np.ndarray
    qa_escalated: np.ndarray  # (n, r, b)
    qa_dumped: np.ndarray    # (n, r)  per unit dumping chance
    qa2_kept: np.ndarray     # second moments, same shapes
    qa2_kept_dumpable: np.ndarray
    qa2_escalated: np.ndarray
    qa2_dumped: np.ndarray
    size: int

    def scaled(self, on_sample: Tables, on_population: Tables) -> Tables:
        """These sums times (population mean / sample mean) of a reference agent's, entry by entry."""
        changes: dict[str, object] = {}
        for f in fields(self):
            if f.name == "size":
                continue
            mine = np.asarray(getattr(self, f.name), dtype=float)
            sample_mean = np.asarray(getattr(on_sample, f.name), dtype=float) / on_sample.size
            population_mean = np.asarray(getattr(on_population, f.name), dtype=float) / on_population.size
            if mine.ndim:
                sample_mean, population_mean = sample_mean[0], population_mean[0]
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = np.where(sample_mean != 0, population_mean / sample_mean, 1.0)
            value = mine * ratio
            changes[f.name] = float(value) if not mine.ndim else value
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ExpectedKPIs:
    """Expected measured numbers of agents (arrays of one shape).

    Attributes:
        calls: Calls answered in the period.
        aht: Mean handle time (minutes).
        aht_sd: Standard deviation of one call's handle time.
        transfer_rate: Share of answered calls transferred.
        response_rate: Survey responses per answered call (own surveys only).
        csat: Share of responses rated 4 or 5.
        qa: Mean QA score of one sampled call (before rater noise).
        qa_sd: Standard deviation of one sampled call's QA score, rater noise included.
    """

    calls: np.ndarray
    aht: np.ndarray
    aht_sd: np.ndarray
    transfer_rate: np.ndarray
    response_rate: np.ndarray
    csat: np.ndarray
    qa: np.ndarray
    qa_sd: np.ndarray


def _response(s: np.ndarray, begged: bool, sc: Scenario) -> np.ndarray:
    sv = sc.measurement.surveys
    shape = 1.0 + sv.extremity * ((2.0 * s - 1.0) ** 2 - 1.0 / 3.0)
    boost = np.where(s >= sc.measurement.satisfaction.satisfied_at, sv.beg_response, 1.0) if begged else 1.0
    return np.clip(sv.response_rate * shape * boost, 0.0, 1.0)


def _positive(s: np.ndarray, begged: bool, sc: Scenario) -> np.ndarray:
    """Chance a responding caller rates 4 or 5 (``1 + 4 s + noise + lift >= 3.5``)."""
    sv = sc.measurement.surveys
    lift = (np.where(s >= sc.measurement.satisfaction.satisfied_at, sv.beg_rating, 0.0)
            if begged else 0.0)
    margin = 4.0 * s + lift - 2.5
    if sv.rating_noise <= 0:
        return (margin >= 0).astype(float)
    return ndtr(margin / sv.rating_noise)


def tabulate(sample: CallSample, ht_mult: np.ndarray, res_shift: np.ndarray, care: np.ndarray,
             sc: Scenario) -> Tables:
    """Expected sums of each agent over the sample at the given care (corrected by the population, if any).

    Args:
        sample: The calls.
        ht_mult: Each agent's handle-time multiplier from skill and learning (not
            effort, care or helping).
        res_shift: Each agent's resolution-chance shift (skill, learning, help received).
        care: Each agent's care.
        sc: The scenario (conduct, satisfaction, survey, QA and tier-2 parameters).
    """
    tables = _tabulate(sample, ht_mult, res_shift, care, sc)
    if sample.population is None:
        return tables
    on_sample, on_population = _reference(sample, float(np.mean(res_shift)), sc)
    return tables.scaled(on_sample, on_population)


#: Reference tables of recent samples: ``id(sample) -> (sample, scenario, {mean shift: tables})``.
#: The sample is held so that its id cannot be reused while it is cached.
_REFERENCES: dict[int, tuple[CallSample, Scenario, dict[float, tuple[Tables, Tables]]]] = {}
_REFERENCES_KEPT = 4


def _reference(sample: CallSample, mean_shift: float, sc: Scenario) -> tuple[Tables, Tables]:
    """A reference agent's sums over the sample and over its population (cached: a review asks several times)."""
    held = _REFERENCES.get(id(sample))
    if held is None or held[0] is not sample or held[1] is not sc:
        while len(_REFERENCES) >= _REFERENCES_KEPT:
            del _REFERENCES[next(iter(_REFERENCES))]
        held = (sample, sc, {})
        _REFERENCES[id(sample)] = held
    tables = held[2].get(mean_shift)
    if tables is None:
        assert sample.population is not None
        one = np.ones(1)
        shift = np.atleast_1d(mean_shift)
        tables = (_tabulate(sample, one, shift, one, sc), _tabulate(sample.population, one, shift, one, sc))
        held[2][mean_shift] = tables
    return tables


def _tabulate(sample: CallSample, ht_mult: np.ndarray, res_shift: np.ndarray, care: np.ndarray,
              sc: Scenario) -> Tables:
    cd = sc.behaviour.conduct
    sat = sc.measurement.satisfaction
    qa = sc.measurement.qa
    ht_mult = np.asarray(ht_mult, dtype=float)[:, None]
    care = np.asarray(care, dtype=float)[:, None]
    res_shift = np.asarray(res_shift, dtype=float)[:, None]
    esc = sample.escalation[None, :]
    keep = 1.0 - esc
    dumpable = keep * (sample.upset[None, :] >= cd.dump_threshold)
    care_term = np.maximum(0.05, 1.0 + cd.care_time * (care - 1.0))
    ht0 = sample.handle_time[None, :] * ht_mult * care_term
    hts = np.stack([ht0, ht0 * cd.rush_time_factor], axis=1)  # (n, r, m)
    p_res0 = np.clip(sample.resolution[None, :] + res_shift + cd.care_resolution * (care - 1.0), 0.0, 1.0)
    p_res = np.stack([p_res0, p_res0 * cd.rush_resolution_factor], axis=1)  # (n, r, m)

    eta0 = (sat.intercept - sat.wait_per_minute * sample.wait[None, :] - sat.upset * sample.upset[None, :]
            + sat.care * (care - 1.0))  # (n, m)
    n, m = ht0.shape
    resp = np.empty((n, 2, BEG_CASES, m))
    pos = np.empty((n, 2, BEG_CASES, m))
    for r in (0, 1):
        # Satisfaction by (annoyed, resolved): the two unannoyed cases share it.
        sats = {}
        for annoyed in (False, True):
            eta = eta0 - sat.rushed * r - sat.annoyance * annoyed
            for resolved in (1.0, 0.0):
                sats[annoyed, resolved] = expit(eta + sat.resolved * resolved)
        for k, (begged, annoyed) in enumerate(((False, False), (True, False), (True, True))):
            tot_r = np.zeros((n, m))
            tot_p = np.zeros((n, m))
            for resolved, weight in ((1.0, p_res[:, r]), (0.0, 1.0 - p_res[:, r])):
                s = sats[annoyed, resolved]
                rr = _response(s, begged, sc)
                tot_r += weight * rr
                tot_p += weight * rr * _positive(s, begged, sc)
            resp[:, r, k] = tot_r
            pos[:, r, k] = tot_p

    care_pts = qa.care * (care - 1.0)
    t2_res = sc.tier2.resolution
    qa_k = np.empty((n, 2, 2, m))
    qa2_k = np.empty((n, 2, 2, m))
    qa_e = np.empty((n, 2, 2, m))
    qa2_e = np.empty((n, 2, 2, m))
    qa_d = np.empty((n, 2, m))
    qa2_d = np.empty((n, 2, m))
    for r in (0, 1):
        for b in (0, 1):
            base = qa.base + care_pts - qa.rushed * r - qa.begged * b
            mean, second = _bernoulli_points(base, qa.resolved, p_res[:, r])
            qa_k[:, r, b], qa2_k[:, r, b] = mean, second
            mean, second = _bernoulli_points(base, qa.resolved, t2_res)
            qa_e[:, r, b], qa2_e[:, r, b] = np.broadcast_to(mean, (n, m)), np.broadcast_to(second, (n, m))
        base = qa.base + care_pts - qa.rushed * r - qa.dump
        mean, second = _bernoulli_points(base, qa.resolved, t2_res)
        qa_d[:, r], qa2_d[:, r] = np.broadcast_to(mean, (n, m)), np.broadcast_to(second, (n, m))

    def total(weight: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.einsum("nm,n...m->n...", np.broadcast_to(weight, (n, m)), values)

    return Tables(
        ht=hts.sum(axis=-1), ht_dumpable=total(dumpable, hts),
        dumpable=float(dumpable[0].sum()), escalated=float(esc.sum()),
        resp=total(keep, resp), resp_dumpable=total(dumpable, resp),
        pos=total(keep, pos), pos_dumpable=total(dumpable, pos),
        qa_kept=total(keep, qa_k), qa_kept_dumpable=total(dumpable, qa_k),
        qa_escalated=total(esc, qa_e), qa_dumped=total(dumpable, qa_d),
        qa2_kept=total(keep, qa2_k), qa2_kept_dumpable=total(dumpable, qa2_k),
        qa2_escalated=total(esc, qa2_e), qa2_dumped=total(dumpable, qa2_d),
        size=m,
    )


def _bernoulli_points(base: np.ndarray | float, points: float,
                      p: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Mean and second moment of ``base + points * Bernoulli(p)``."""
    base = np.asarray(base, dtype=float)
    p = np.asarray(p, dtype=float)
    mean = base + points * p
    second = mean**2 + points**2 * p * (1.0 - p)
    return mean, second


def _pick(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index[...], agent]`` for tables stacked over care levels (level, n, ...)."""
    n = table.shape[1]
    agent = np.broadcast_to(np.arange(n), index.shape)
    return table[index, agent]


def expected_kpis(tables: list[Tables], level: np.ndarray, time_mult: np.ndarray, rush: np.ndarray,
                  beg: np.ndarray, dump: np.ndarray, sample: CallSample, sc: Scenario,
                  available: np.ndarray | float = 1.0, res_delta: np.ndarray | float = 0.0,
                  res_slope: ExpectedKPIs | None = None, centre_aht: float | None = None) -> ExpectedKPIs:
    """Expected measured numbers for any conduct (arrays of shape ``(..., n)``).

    Args:
        tables: :func:`tabulate` at each care level the agents may take.
        level: Index into ``tables`` per entry.
        time_mult: Multiplier on own handle time from effort and helping.
        rush: Chance of rushing a call.
        beg: Chance of begging.
        dump: Chance of dumping a dumpable caller.
        sample: The calls tabulated.
        sc: The scenario.
        available: Share of the period each agent is on the phones.
        res_delta: Change in the agent's resolution shift (help received), applied
            to first order through ``res_slope``.
        res_slope: Derivatives of each KPI by the resolution shift (see :func:`slope`).
        centre_aht: The centre's mean handle time now. Calls are shared among the
            agents by who is free, so an agent takes ``sample.calls_per_agent``
            times ``centre_aht`` over their own handle time; ``None``: the
            sample's mean (an average agent at normal conduct).
    """
    cd = sc.behaviour.conduct
    annoyed = sc.measurement.satisfaction.annoyed_share
    stack = {name: np.stack([getattr(t, name) for t in tables]) for name in (
        "ht", "ht_dumpable", "resp", "resp_dumpable", "pos", "pos_dumpable", "qa_kept",
        "qa_kept_dumpable", "qa_escalated", "qa_dumped", "qa2_kept", "qa2_kept_dumpable",
        "qa2_escalated", "qa2_dumped")}
    t0 = tables[0]
    m = float(t0.size)
    level = np.asarray(level, dtype=np.int64)
    rush, beg, dump = (np.asarray(x, dtype=float) for x in (rush, beg, dump))
    p_r = np.stack([1.0 - rush, rush], axis=-1)                                  # (..., n, 2)
    p_k = np.stack([1.0 - beg, beg * (1.0 - annoyed), beg * annoyed], axis=-1)   # (..., n, 3)
    p_b = np.stack([1.0 - beg, beg], axis=-1)
    d = dump[..., None]

    ht = (_pick(stack["ht"], level) - d * _pick(stack["ht_dumpable"], level))
    aht = (np.einsum("...r,...r->...", p_r, ht) * time_mult + dump * t0.dumpable * cd.dump_handle_time) / m

    def kept(name: str) -> np.ndarray:
        return _pick(stack[name], level) - d[..., None] * _pick(stack[name + "_dumpable"], level)

    resp = np.einsum("...r,...k,...rk->...", p_r, p_k, kept("resp")) / m
    pos = np.einsum("...r,...k,...rk->...", p_r, p_k, kept("pos")) / m
    qa_mean = (np.einsum("...r,...b,...rb->...", p_r, p_b,
                         kept("qa_kept") + _pick(stack["qa_escalated"], level))
               + dump * np.einsum("...r,...r->...", p_r, _pick(stack["qa_dumped"], level))) / m
    qa_second = (np.einsum("...r,...b,...rb->...", p_r, p_b,
                           kept("qa2_kept") + _pick(stack["qa2_escalated"], level))
                 + dump * np.einsum("...r,...r->...", p_r, _pick(stack["qa2_dumped"], level))) / m
    transfer = (t0.escalated + dump * t0.dumpable) / m
    with np.errstate(invalid="ignore", divide="ignore"):
        csat = np.where(resp > 0, pos / np.maximum(resp, 1e-12), np.nan)
    rater = sc.measurement.qa.rater_sd
    qa_sd = np.sqrt(np.maximum(qa_second - qa_mean**2, 0.0) + rater**2)
    ref = float(np.mean(sample.handle_time)) if centre_aht is None else centre_aht
    calls = sample.calls_per_agent * np.asarray(available, dtype=float) * ref / np.maximum(aht, 1e-9)
    out = ExpectedKPIs(calls=calls, aht=aht, aht_sd=aht * sample.handle_time_cv,
                       transfer_rate=transfer + 0.0 * aht, response_rate=resp, csat=csat,
                       qa=qa_mean, qa_sd=qa_sd)
    if res_slope is not None:
        delta = np.asarray(res_delta, dtype=float)
        out = ExpectedKPIs(calls=out.calls, aht=out.aht, aht_sd=out.aht_sd,
                           transfer_rate=out.transfer_rate,
                           response_rate=np.clip(out.response_rate + delta * res_slope.response_rate, 0, 1),
                           csat=np.clip(out.csat + delta * res_slope.csat, 0, 1),
                           qa=out.qa + delta * res_slope.qa, qa_sd=out.qa_sd)
    return out


def slope(low: ExpectedKPIs, high: ExpectedKPIs, step: float) -> ExpectedKPIs:
    """Finite-difference derivatives ``(high - low) / step`` of every KPI."""
    return ExpectedKPIs(**{name: (getattr(high, name) - getattr(low, name)) / step
                           for name in ExpectedKPIs.__dataclass_fields__})


@dataclass(frozen=True)
class MeasuredDraw:
    """Measured numbers drawn around expectations (arrays of one shape)."""

    calls: np.ndarray
    aht: np.ndarray
    qa: np.ndarray
    qa_samples: np.ndarray
    csat: np.ndarray
    survey_responses: np.ndarray
    survey_positive: np.ndarray
    transfer_rate: np.ndarray


def measured_draw(kpis: ExpectedKPIs, noise: dict[str, np.ndarray], qa_samples: int) -> MeasuredDraw:
    """What a manager would measure, given expectations and standard noise draws.

    The counts are drawn through normal approximations of their binomial and
    Poisson laws (from standard normals, so common random numbers carry over
    from one conduct to another): answered calls, survey responses among them,
    positive responses among those; the means of handle time and of the QA
    samples are normal around their expectations.

    Args:
        kpis: Expected numbers.
        noise: Standard normal draws ``calls``, ``aht``, ``responses``, ``positive``,
            ``qa``, ``transfer``, each broadcastable to the KPIs' shape.
        qa_samples: QA samples per agent per period.
    """
    calls = np.maximum(0.0, np.rint(kpis.calls + np.sqrt(np.maximum(kpis.calls, 0.0)) * noise["calls"]))
    safe = np.maximum(calls, 1.0)
    aht = np.where(calls > 0, np.maximum(0.01, kpis.aht + kpis.aht_sd / np.sqrt(safe) * noise["aht"]), np.nan)
    p_resp = np.clip(kpis.response_rate, 0.0, 1.0)
    responses = np.clip(np.rint(calls * p_resp + np.sqrt(calls * p_resp * (1 - p_resp)) * noise["responses"]),
                        0.0, calls)
    p_pos = np.clip(np.nan_to_num(kpis.csat, nan=0.0), 0.0, 1.0)
    positive = np.clip(np.rint(responses * p_pos + np.sqrt(responses * p_pos * (1 - p_pos)) * noise["positive"]),
                       0.0, responses)
    with np.errstate(invalid="ignore", divide="ignore"):
        csat = np.where(responses > 0, positive / np.maximum(responses, 1.0), np.nan)
    sampled = np.minimum(float(qa_samples), calls)
    qa = np.where(sampled > 0,
                  np.clip(kpis.qa + kpis.qa_sd / np.sqrt(np.maximum(sampled, 1.0)) * noise["qa"], 0.0, 100.0),
                  np.nan)
    p_tr = np.clip(kpis.transfer_rate, 0.0, 1.0)
    transfer = np.where(calls > 0, np.clip(p_tr + np.sqrt(p_tr * (1 - p_tr) / safe) * noise["transfer"], 0, 1),
                        np.nan)
    return MeasuredDraw(calls=calls, aht=aht, qa=qa, qa_samples=sampled, csat=csat,
                        survey_responses=responses, survey_positive=positive, transfer_rate=transfer)


__all__ = ["CallSample", "ExpectedKPIs", "MeasuredDraw", "Tables", "expected_kpis", "measured_draw",
           "slope", "tabulate"]
