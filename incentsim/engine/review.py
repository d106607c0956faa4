"""The end-of-period review: measure, let the policy decide, apply, and let people react.

Data flow per period (one way): the period's calls -> truth (true satisfaction)
-> measurement (surveys, QA, KPIs) -> the policy, which sees only the measured
columns (:data:`~incentsim.policies.MEASURED_COLUMNS`) -> payouts, ranks,
sanctions, coaching, signals -> motivation update, quits and firings, process
improvement -> the conduct plan for the next period.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from incentsim.behaviour import DefaultBehaviour, PeriodOutcome, ProcessState, improve, quit_probability
from incentsim.engine.center import Center
from incentsim.measurement import agent_kpis, qa_scores, survey
from incentsim.policies.base import MEASURED_COLUMNS, Policy, Review
from incentsim.truth import true_satisfaction

#: Per-call draws the measurement layer reads (by call number).
_SURVEY_DRAWS = ("u_survey", "u_rating", "u_annoy")


def measure_calls(center: Center, calls: pd.DataFrame) -> pd.DataFrame:
    """Add truth and survey columns to a call table (vectorised; same draws give the same answers)."""
    sc = center.scenario
    sat = sc.measurement.satisfaction
    idx = calls["call_id"].to_numpy()
    for name in _SURVEY_DRAWS:
        calls[name] = center.draws.uniform[name][idx]
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
        policy: The policy in force.
        behaviour: The behaviour model (default: :class:`DefaultBehaviour` of the scenario).
    """

    def __init__(self, center: Center, policy: Policy, behaviour: Any = None) -> None:
        self.center = center
        self.policy = policy
        sc = center.scenario
        self.model = behaviour if behaviour is not None else DefaultBehaviour.for_scenario(sc)
        self.signals = policy.signals()
        self.state = self.model.initial_state(center.n_seats, center.streams.generator("behaviour", 0))
        self.process = ProcessState()
        self.plan = self.model.plan(self.state, self.signals)
        center.set_plan(self.plan)
        self.rows: list[pd.DataFrame] = []
        self.hires = 0
        self._busy_before = [0.0] * len(center.busy)
        self._reviewed = 0  # calls in center.rec.arrived before this index are reviewed

    def measured(self) -> pd.DataFrame:
        """Measured KPIs of every period so far: all a manager could see."""
        return pd.concat(self.rows, ignore_index=True)[list(MEASURED_COLUMNS)]

    def _period_calls(self, period: int) -> pd.DataFrame:
        """Calls that arrived in ``period``: a slice of the arrival list.

        Calls join ``arrived`` in time order and a call's period follows its arrival
        time, so the period's calls are contiguous; a call that arrived at the very
        boundary belongs to the next period and waits for its review.
        """
        center = self.center
        arrived = center.rec.arrived
        period_col = center.rec.columns["period"]
        end = len(arrived)
        while end > self._reviewed and period_col[arrived[end - 1]] > period:
            end -= 1
        calls = arrived[self._reviewed:end]
        self._reviewed = end
        return center.rec.frame(np.asarray(calls, dtype=np.int64))

    def __call__(self, period: int) -> None:
        """Review ``period``: measure it, apply the policy's decisions, let people react."""
        center = self.center
        sc = center.scenario
        calls = measure_calls(center, self._period_calls(period))
        qa = qa_scores(calls, center.streams.generator("qa", period), sc.measurement.qa)
        kpis = agent_kpis(calls, qa, satisfied_at=sc.measurement.satisfaction.satisfied_at)
        rows = self._rows(kpis, period)
        self.rows.append(rows)
        review = self.policy.review(self.measured(), period)
        self._apply(review, rows, period)

    def _rows(self, kpis: pd.DataFrame, period: int) -> pd.DataFrame:
        """One row per agent who was seated or answered calls in the period."""
        center = self.center
        now = center.env.now
        seated = {center.seat_agent[s]: s for s in range(center.n_seats)}
        agents = sorted(set(seated) | set(kpis["agent"].tolist()))
        rows = pd.DataFrame({"agent": agents}).merge(kpis.drop(columns="period"), on="agent", how="left")
        rows.insert(1, "period", period)
        rows["seat"] = [seated.get(a, -1) for a in agents]
        rows["status"] = "active"
        rows["tenure_days"] = [center.tenure_days(seated[a], now) if a in seated else np.nan for a in agents]
        for col in ("calls", "qa_samples", "survey_responses", "survey_positive"):
            rows[col] = rows[col].fillna(0).astype(np.int64)
        rows["bonus"] = 0.0
        rows["rank"] = pd.array([pd.NA] * len(rows), dtype="Int64")
        rows["warned"] = False
        rows["coached"] = False
        return rows

    def _apply(self, review: Review, rows: pd.DataFrame, period: int) -> None:
        center = self.center
        sc = center.scenario
        n = center.n_seats
        seat_agents = list(center.seat_agent)
        pos = {a: k for k, a in enumerate(rows["agent"].tolist())}
        bonus = np.zeros(len(rows))
        for agent, amount in review.payouts.items():
            if agent in pos:
                bonus[pos[agent]] = float(amount)
        rows["bonus"] = bonus
        ranks = rows["rank"].copy()
        for agent, rank in review.ranks.items():
            if agent in pos:
                ranks.iloc[pos[agent]] = int(rank)
        rows["rank"] = ranks
        coached = rows["agent"].isin(list(review.coaching)).to_numpy()
        rows["coached"] = coached
        for agent in review.coaching:
            center.coach(agent)
        fired = {a for a, s in review.sanctions.items() if s == "fire" and a in seat_agents}
        rows["warned"] = rows["agent"].isin([a for a, s in review.sanctions.items() if s == "warning"]).to_numpy()
        if review.signals is not None:
            self.signals = review.signals

        # People react: motivation, stress and fairness per seat.
        seat_rows = rows.set_index("agent").loc[seat_agents]
        n_ranked = max(1, len(review.ranks))
        rank_pct = np.array([(review.ranks[a] - 1) / max(1, n_ranked - 1) if a in review.ranks else np.nan
                             for a in seat_agents])
        available = np.array([max(1e-9, (center.env.now - max(center.available_from[s],
                                                                center.env.now - center.period_len)))
                              for s in range(n)])
        busy = np.array([center.busy[a] - self._busy_at(a) for a in seat_agents])
        occupancy = np.clip(busy / available, 0.0, 1.0)
        self._busy_before = list(center.busy)
        outcome = PeriodOutcome(bonus=seat_rows["bonus"].to_numpy(float), rank_percentile=rank_pct,
                                warned=seat_rows["warned"].to_numpy(bool),
                                coached=seat_rows["coached"].to_numpy(bool),
                                occupancy=occupancy, signals=self.signals)
        self.state = self.model.update(self.state, outcome)
        state = self.state
        for col, values in (("intrinsic_motivation", state.intrinsic), ("stress", state.stress),
                            ("fairness", state.fairness), ("reference", state.reference),
                            ("focus", state.focus), ("occupancy", occupancy)):
            full = np.full(len(rows), np.nan)
            for s, a in enumerate(seat_agents):
                full[pos[a]] = values[s]
            rows[col] = full

        # Quits and firings: the seat empties; a green hire arrives after the lag.
        p_quit = quit_probability(state, sc.behaviour.attrition)  # a review period is a month
        u_quit = center.streams.generator("attrition", period).random(n)
        leaving: list[int] = []
        status = rows["status"].to_numpy(dtype=object)
        last = period == sc.center.months - 1
        for s, a in enumerate(seat_agents):
            if a in fired:
                status[pos[a]] = "fired"
            elif u_quit[s] < p_quit[s]:
                status[pos[a]] = "quit"
            else:
                continue
            leaving.append(s)
        rows["status"] = status
        if leaving and not last:
            for s in leaving:
                center.replace_agent(s, center.env.now)
            self.hires += len(leaving)
            self.state = self.model.hire(self.state, np.asarray(leaving),
                                         center.streams.generator("hiring", period))

        # The process improves with management time, helping and feedback.
        self.process = improve(self.process, self.signals, float(np.mean(self.plan.helping)),
                               float(self.signals.feedback), sc.behaviour.improvement)
        center.ht_factor = self.process.handle_time_factor
        center.escalation_factor = self.process.escalation_factor
        center.defect_factor = self.process.defect_factor
        center.draws.set_variation(self.process.variation_factor)
        self.plan = self.model.plan(self.state, self.signals)
        center.set_plan(self.plan)

    def _busy_at(self, agent: int) -> float:
        return self._busy_before[agent] if agent < len(self._busy_before) else 0.0
