"""The end-of-period review as one pipeline: measure, decide, cost, react, apply.

Data flow per period (one way):

1. the calls that *closed* since the last review (each call is measured once,
   when it closes; at the last review every call that arrived is measured as it
   stands) -> truth (true satisfaction) -> measurement (surveys, QA, measured
   KPIs: exactly the measured frame) beside the true KPIs (:mod:`incentsim.truth`);
2. the policy reads the measured frame of every period so far
   (:data:`~incentsim.contract.MEASURED_COLUMNS`) and returns a
   :class:`~incentsim.contract.Review`;
3. management time is costed from what the review did (:mod:`incentsim.engine.management`);
4. people react to what was done to them and to colleagues (motivation,
   stress, fairness), some quit, fired and quitting agents' seats are refilled,
   the process improves with the management time it got and with helping;
5. the engine asks the policy's review what it would do at the next review
   (:mod:`incentsim.behaviour.perception`), agents update their beliefs and
   plan their conduct;
6. the centre applies the decisions in one step (:meth:`Center.apply`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from incentsim.behaviour import (
    CallSample,
    ConductLevels,
    DefaultBehaviour,
    PeriodOutcome,
    ProcessState,
    improve,
    perceive,
    pilot_sample,
)
from incentsim.contract import MEASURED_COLUMNS, Review
from incentsim.engine.center import Center, Decisions
from incentsim.engine.management import ManagementTime, account
from incentsim.engine.records import TRANSFER_LABELS
from incentsim.engine.summary import Tally
from incentsim.measurement import agent_kpis, qa_scores, survey
from incentsim.policies.base import Policy
from incentsim.truth import agent_truth, true_satisfaction

#: Size of the population a period's call sample is ratio-corrected to, in samples (as for the pilot).
POPULATION_FACTOR = 20


def measure_calls(center: Center, calls: pd.DataFrame) -> pd.DataFrame:
    """Add truth and survey columns to a call table (vectorised; same draws give the same answers).

    The table carries each call's survey draws (``u_survey``, ``u_rating``, ``u_annoy``),
    which are dropped once used.
    """
    sc = center.scenario
    sat = sc.measurement.satisfaction
    calls["z_rating"] = ndtri(calls.pop("u_rating").to_numpy())
    truth = true_satisfaction(calls, sat)
    calls["true_satisfaction"] = truth
    responded, rating = survey(truth, calls["begged"].to_numpy(), calls["u_survey"].to_numpy(),
                               calls["z_rating"].to_numpy(), sc.measurement.surveys,
                               abandoned=~calls["answered"].to_numpy(), satisfied_at=sat.satisfied_at)
    calls["survey_responded"] = responded
    calls["survey_rating"] = rating
    return calls.drop(columns=["u_survey", "z_rating", "u_annoy"])


class Reviewer:
    """Runs the reviews of one replication and keeps the agent-period rows.

    Args:
        center: The live centre.
        policy: The policy in force (only its ``review`` is used).
        behaviour: The behaviour model (default: :class:`DefaultBehaviour` of the scenario).
        keep_calls: Keep each period's measured calls (for ``run.calls``); either way
            they are tallied into the summary (:class:`~incentsim.engine.summary.Tally`)
            and released.
    """

    def __init__(self, center: Center, policy: Policy, behaviour: Any = None, *,
                 keep_calls: bool = True) -> None:
        self.center = center
        self.policy = policy
        sc = center.scenario
        self.model = behaviour if behaviour is not None else DefaultBehaviour.for_scenario(sc)
        self.keep_calls = keep_calls
        self.state = self.model.initial_state(center.n_seats, center.streams.generator("behaviour", 0))
        self.process = ProcessState()
        self.rows: list[pd.DataFrame] = []
        self.calls: list[pd.DataFrame] = []
        self.columns_template: pd.DataFrame | None = None
        self.tally = Tally(sc)
        self.management: list[ManagementTime] = []
        self.hires = 0
        self._measured: list[pd.DataFrame] = []
        self._off_minutes = [0.0] * center.n_seats
        self._team_of_agent: dict[int, int] = {a: center.team_of_seat[s] for s, a in enumerate(center.seat_agent)}
        self._left: dict[int, str] = {}
        seat_group = center.seats.group
        self._groups = ([np.flatnonzero(seat_group == g) for g in range(len(center.seats.group_types))]
                        if len(center.seats.group_types) > 1 else None)
        self._perceive(0, center.roster_after(Decisions(), 0), *self._pilot())
        center.apply(Decisions(plan=self.plan), 0)

    def _pilot(self) -> tuple[CallSample, list[tuple[np.ndarray, CallSample]] | None]:
        """Samples for the first reading, from the scenario's laws (one per skill group, with groups).

        A sample's ``calls_per_agent`` is the new calls per period per seat on duty all
        period (with every seat on duty whenever the centre opens: calls_per_hour x opening
        hours per period / seats). With skill groups, each call type's calls are shared
        among the groups holding it in proportion to their seats' time on duty (an
        approximation for the first period only; later readings use the calls each group
        took).
        """
        center = self.center
        sc = center.scenario
        clock = center.clock
        rng = center.streams.generator("perception", 0, 1)
        segments = center.calls.new_calls.segments
        expected = float((segments.rate * segments.length).sum()) / clock.periods
        duty = center.duty_minutes(0.0, clock.horizon) / clock.horizon  # seat-equivalents on duty
        sample = pilot_sample(sc, rng, calls_per_agent=expected / max(float(duty.sum()), 1e-9))
        if self._groups is None:
            return sample, None
        shares = np.array([ct.share for ct in sc.demand.call_types], dtype=float)
        shares /= shares.sum()
        group_duty = np.array([duty[seats].sum() for seats in self._groups])
        holds = np.zeros((len(self._groups), shares.size))
        for g, types in enumerate(center.seats.group_types):
            holds[g, list(types)] = group_duty[g]
        split = holds / np.maximum(holds.sum(axis=0, keepdims=True), 1e-12)  # group's part of each type
        groups = []
        for g, seats in enumerate(self._groups):
            mix = shares * split[g]
            if mix.sum() <= 0:  # a group never on duty in the horizon: the mix of the types it holds
                mix = shares * np.isin(np.arange(shares.size), list(center.seats.group_types[g]))
            per_seat = expected * float(mix.sum()) / max(float(group_duty[g]), 1e-9)
            groups.append((seats, pilot_sample(sc, center.streams.generator("perception", 0, 2 + g),
                                               calls_per_agent=per_seat, shares=mix)))
        return sample, groups

    # ------------------------------------------------------------ the pipeline
    def measured(self) -> pd.DataFrame:
        """Measured KPIs of every period so far: all a manager could see."""
        if not self._measured:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in MEASURED_COLUMNS})
        return pd.concat(self._measured, ignore_index=True)

    def __call__(self, period: int) -> None:
        """Review ``period``: measure it, apply the policy's decisions, let people react."""
        center = self.center
        sc = center.scenario
        last = period == sc.center.months - 1
        calls = self._closed_calls(period, everything=last)
        self.tally.add(calls)
        qa = qa_scores(calls, center.streams.generator("qa", period), sc.measurement.qa)
        satisfied_at = sc.measurement.satisfaction.satisfied_at
        rows = self._rows(agent_kpis(calls, qa), agent_truth(calls, satisfied_at=satisfied_at), period)
        self._measured.append(rows[list(MEASURED_COLUMNS)])
        review = self.policy.review(self.measured(), period)
        time = account(review, center.n_seats, sc.management)
        self.management.append(time)
        outcome, fired, occupancy = self._outcome(review, rows, time)
        self.state = self.model.update(self.state, outcome)
        leaving = self._leavers(period, fired, outcome, rows, last)
        self._record(review, rows, occupancy)
        self.rows.append(rows)
        sample = None if last else self._sample(calls, period)
        if self.keep_calls:
            self.calls.append(calls.drop(columns="base_handle_time"))
        elif self.columns_template is None:
            self.columns_template = calls.drop(columns="base_handle_time").iloc[0:0].copy()
        del calls
        self.process = improve(self.process, time.process_share, float(np.mean(center.plan.helping)),
                               sc.behaviour.improvement)
        if last or sample is None:
            return
        off = [0.0 if s in leaving else 60.0 * (time.participation_hours + time.coaching_agent_hours
                                                 * (center.seat_agent[s] in review.coaching))
               for s in range(center.n_seats)]
        decisions = Decisions(coaching=frozenset(review.coaching), leaving=leaving, process=self.process,
                              off_phones=off)
        roster = center.roster_after(decisions, period + 1)
        self._perceive(period + 1, roster, *sample)
        self._off_minutes = off
        decisions.plan = self.plan
        center.apply(decisions, period + 1)
        center.calls.open_period(period + 1)

    # ------------------------------------------------------------ steps
    def _closed_calls(self, period: int, *, everything: bool) -> pd.DataFrame:
        """The calls measured at this review, with ``period`` set to it.

        Calls that closed since the last review; at the last review also every
        call still open (answered and in service or at tier 2, or still queued),
        measured as it stands, so each call that arrived is measured exactly once.
        """
        center = self.center
        frame = center.calls.close_period(last=everything)
        frame["period"] = period
        frame["transfer"] = pd.Categorical.from_codes(frame["transfer"].to_numpy(), categories=list(TRANSFER_LABELS))
        return measure_calls(center, frame)

    def _rows(self, kpis: pd.DataFrame, truth: pd.DataFrame, period: int) -> pd.DataFrame:
        """One row per agent who was seated or answered calls in the period: measured and true KPIs."""
        center = self.center
        now = center.env.now
        seated = {center.seat_agent[s]: s for s in range(center.n_seats)}
        agents = sorted(set(seated) | set(kpis["agent"].tolist()))
        rows = pd.DataFrame({"agent": agents}).merge(kpis.drop(columns="period"), on="agent", how="left")
        rows = rows.merge(truth.drop(columns="period"), on="agent", how="left")
        rows.insert(1, "period", period)
        rows.insert(2, "team", [self._team_of_agent.get(a, -1) for a in agents])
        rows["seat"] = [seated.get(a, -1) for a in agents]
        rows["status"] = [self._left.get(a, "active") for a in agents]
        rows["tenure_days"] = [center.tenure_days(seated[a], now) if a in seated else np.nan for a in agents]
        for col in ("calls", "qa_samples", "survey_responses", "survey_positive"):
            rows[col] = rows[col].fillna(0).astype(np.int64)
        return rows

    def _outcome(self, review: Review, rows: pd.DataFrame, time: ManagementTime
                 ) -> tuple[PeriodOutcome, set[int], np.ndarray]:
        """What the review did to each seat, and who it fired."""
        center = self.center
        sc = center.scenario
        n = center.n_seats
        seat_agents = list(center.seat_agent)
        bonus = np.array([float(review.payouts.get(a, 0.0)) for a in seat_agents])
        n_ranked = len(review.ranks)
        rank_pct = np.array([(review.ranks[a] - 1) / max(1, n_ranked - 1) if a in review.ranks else np.nan
                             for a in seat_agents])
        warned = np.array([review.sanctions.get(a) == "warning" for a in seat_agents])
        fired_seats = np.array([review.sanctions.get(a) == "fire" for a in seat_agents])
        weight = sc.behaviour.perception.warning_threat
        dealt = warned * weight + fired_seats * 1.0
        colleagues = (dealt.sum() - dealt) / max(1, n - 1)
        coached = np.array([a in review.coaching for a in seat_agents])
        now = center.env.now
        period_start = center.clock.period_bounds(center.calls.period)[0]
        staffed = np.array([center.duty_minutes(max(period_start, center.hired_at(s)), now)[s]
                            if center.hired_at(s) < now else 0.0 for s in range(n)])
        available = np.maximum(staffed - np.asarray(self._off_minutes), 1e-9)
        busy = np.asarray(center.calls.busy, dtype=float)
        occupancy = np.clip(busy / available, 0.0, 1.0)
        duty = center.duty_minutes(period_start, now)
        wage = sc.center.wage_per_hour * float(duty.mean()) / 60.0
        outcome = PeriodOutcome(bonus=bonus, rank_percentile=rank_pct, warned=warned, fired=fired_seats,
                                coached=coached, colleagues_sanctioned=colleagues, occupancy=occupancy,
                                process_share=time.process_share,
                                productivity=np.array([center.productivity(a) for a in seat_agents]),
                                wage=wage)
        fired = {a for a, sanction in review.sanctions.items() if sanction == "fire" and a in seat_agents}
        return outcome, fired, occupancy

    def _leavers(self, period: int, fired: set[int], outcome: PeriodOutcome, rows: pd.DataFrame,
                 last: bool) -> list[int]:
        """Seats whose agent leaves now (fired, or quits); their rows get the status."""
        center = self.center
        p_quit = np.clip(np.asarray(self.model.quit_probability(self.state, outcome), dtype=float), 0.0, 1.0)
        u_quit = center.streams.generator("attrition", period).random(center.n_seats)
        leaving: list[int] = []
        for s, a in enumerate(center.seat_agent):
            if a in fired:
                self._left[a] = "fired"
            elif u_quit[s] < p_quit[s]:
                self._left[a] = "quit"
            else:
                continue
            leaving.append(s)
        rows["status"] = [self._left.get(a, "active") for a in rows["agent"]]
        if leaving and not last:
            new_ids = [center.next_agent + k for k in range(len(leaving))]
            for s, a in zip(leaving, new_ids, strict=True):
                self._team_of_agent[a] = center.team_of_seat[s]
            self.hires += len(leaving)
            self.state = self.model.hire(self.state, np.asarray(leaving),
                                         center.streams.generator("hiring", period))
        return leaving if not last else []

    def _record(self, review: Review, rows: pd.DataFrame, occupancy: np.ndarray) -> None:
        """Pay, rank, sanctions, coaching and the agents' state in the period's rows."""
        center = self.center
        agents = rows["agent"].tolist()
        rows["bonus"] = [float(review.payouts.get(a, 0.0)) for a in agents]
        rows["rank"] = pd.array([review.ranks.get(a) for a in agents], dtype="Int64")
        rows["warned"] = [review.sanctions.get(a) == "warning" for a in agents]
        rows["coached"] = [a in review.coaching for a in agents]
        seat_of = {a: s for s, a in enumerate(center.seat_agent)}
        pos = [seat_of.get(a, -1) for a in agents]
        columns = dict(self.model.columns(self.state))
        columns["occupancy"] = occupancy
        for name, values in columns.items():
            values = np.asarray(values, dtype=float)
            rows[name] = [values[p] if p >= 0 else np.nan for p in pos]

    def _sample(self, calls: pd.DataFrame, period: int
                ) -> tuple[CallSample, list[tuple[np.ndarray, CallSample]] | None]:
        """The period's answered calls, sampled to stand for the next period's (with a population).

        The population the sample is ratio-corrected to (Cochran 1977) is a random
        subsample of :data:`POPULATION_FACTOR` times the sample's size, as for the
        pilot reading: the correction's own luck is then the sample's over
        ``sqrt(POPULATION_FACTOR)``, at a fraction of the cost of tabulating every call.
        With skill groups, each group also gets a sample of the calls its agents answered.
        """
        center = self.center
        begin, end = center.clock.period_bounds(period)
        minutes = np.maximum(center.duty_minutes(begin, end) - np.asarray(self._off_minutes), 0.0)
        answered = calls["answered"].to_numpy()
        rng = center.streams.generator("perception", period + 1, 1)
        sample = self._sample_of(calls, answered, float(minutes.sum()), end - begin, rng)
        if self._groups is None:
            return sample, None
        seat = calls["seat"].to_numpy()
        seat_group = center.seats.group
        group = np.where(seat >= 0, seat_group[np.maximum(seat, 0)], -1)
        groups = []
        for g, seats in enumerate(self._groups):
            rng_g = center.streams.generator("perception", period + 1, 2 + g)
            groups.append((seats, self._sample_of(calls, answered & (group == g), float(minutes[seats].sum()),
                                                  end - begin, rng_g)))
        return sample, groups

    def _sample_of(self, calls: pd.DataFrame, mask: np.ndarray, seat_minutes: float, period_len: float,
                   rng: np.random.Generator) -> CallSample:
        """A call sample (and its population) from the calls where ``mask`` holds."""
        sc = self.center.scenario
        answered_rows = np.flatnonzero(mask)
        n_answered = answered_rows.size
        if n_answered == 0:
            return pilot_sample(sc, rng)
        m = min(sc.behaviour.perception.sample_calls, n_answered)
        chosen = rng.choice(n_answered, size=min(n_answered, POPULATION_FACTOR * m), replace=False)
        in_sample = np.zeros(n_answered, dtype=bool)
        in_sample[chosen[:m]] = True
        kept = np.sort(chosen)
        pick = np.flatnonzero(in_sample[kept])
        rows = answered_rows[kept]                 # columns are read by position: no sub-frames built
        kinds = calls["call_type"].to_numpy()[rows]
        defect = calls["defect_day"].to_numpy()[rows]
        base = calls["base_handle_time"].to_numpy(dtype=float)[rows]  # defect-day complexity included
        system = sc.system
        types = sc.demand.call_types
        moved = (calls["transfer"] != "none").to_numpy(dtype=bool)[answered_rows]
        t2 = calls["tier2_wait"].to_numpy()[answered_rows][moved]
        t2 = t2[np.isfinite(t2)]
        population = CallSample(
            handle_time=base * self.process.handle_time_factor,
            resolution=np.array([t.resolution for t in types])[kinds],
            escalation=np.clip(np.array([t.escalation for t in types])[kinds] * self.process.escalation_factor
                               * np.where(defect, system.defect_escalation, 1.0), 0.0, 1.0),
            upset=calls["upset"].to_numpy(dtype=float)[rows], wait=calls["wait_time"].to_numpy(dtype=float)[rows],
            tier2_wait=float(t2.mean()) if t2.size else 0.0,
            calls_per_agent=float(n_answered * period_len / max(seat_minutes, 1e-9)))
        return CallSample(handle_time=population.handle_time[pick], resolution=population.resolution[pick],
                          escalation=population.escalation[pick], upset=population.upset[pick],
                          wait=population.wait[pick], tier2_wait=population.tier2_wait,
                          calls_per_agent=population.calls_per_agent, population=population)

    def _perceive(self, period: int, roster: Any, sample: CallSample,
                  groups: list[tuple[np.ndarray, CallSample]] | None = None) -> None:
        """Read what the review of ``period`` would do; beliefs move; conduct is planned."""
        center = self.center
        plan = center.plan
        conduct = ConductLevels(care=np.asarray(plan.care, dtype=float), speed=np.asarray(plan.speed, dtype=float),
                                rush=np.asarray(plan.rush, dtype=float), beg=np.asarray(plan.beg, dtype=float),
                                dump=np.asarray(plan.dump, dtype=float),
                                helping=np.asarray(plan.helping, dtype=float))
        reading = perceive(self.policy.review, self.measured(), period, roster, conduct, sample,
                           center.scenario, center.streams.generator("perception", period), groups=groups)
        self.state = self.model.perceive(self.state, reading)
        self.plan = self.model.plan(self.state)

    def management_cost(self) -> float:
        """Cost of the management hours used over the run."""
        return float(sum(t.cost for t in self.management))


__all__ = ["Reviewer", "measure_calls"]
