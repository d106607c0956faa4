"""The default behaviour model: beliefs about the review, motivation dynamics and per-call decisions.

Ties the mechanisms together behind the
:class:`~incentsim.behaviour.conduct.BehaviourModel` protocol:

* :meth:`DefaultBehaviour.perceive` moves each agent's beliefs about what the
  next review will do to them toward the newest reading of the policy's own
  review (:mod:`~incentsim.behaviour.perception`);
* :meth:`DefaultBehaviour.update`, at each review, moves intrinsic motivation
  (crowding out by the money, ranking and threat that the agent's numbers
  decide for them, and informational feedback,
  :mod:`~incentsim.behaviour.crowding`), stress
  (:mod:`~incentsim.behaviour.stress`), fairness and the reward reference
  point (:mod:`~incentsim.behaviour.fairness`) and focus
  (:mod:`~incentsim.behaviour.focus`);
* :meth:`DefaultBehaviour.plan` turns the state into per-call propensities
  (:mod:`~incentsim.behaviour.decisions`);
* :meth:`DefaultBehaviour.quit_probability` (:mod:`~incentsim.behaviour.attrition`)
  and :meth:`DefaultBehaviour.hire`.

Everything is vectorised over seats. A researcher swaps in their own model by
writing any object with the same methods.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from incentsim.behaviour.attrition import quit_probability
from incentsim.behaviour.conduct import ConductPlan, PeriodOutcome
from incentsim.behaviour.crowding import draw_traits, intrinsic_step
from incentsim.behaviour.decisions import felt, plan_conduct, threat
from incentsim.behaviour.fairness import fairness_step
from incentsim.behaviour.focus import combine, focus_step
from incentsim.behaviour.perception import Reading
from incentsim.behaviour.state import Beliefs, MotivationState
from incentsim.behaviour.stress import settled_stress, stress_step
from incentsim.scenario.behaviour import Behaviour

if TYPE_CHECKING:
    from incentsim.scenario.model import Scenario

#: Per-seat state columns shown in ``run.agents``.
STATE_COLUMNS: tuple[str, ...] = ("intrinsic_motivation", "stress", "fairness", "reference", "focus",
                                  "threat", "stakes")


class DefaultBehaviour:
    """Beliefs, motivation state per agent and the conduct it leads to.

    Args:
        params: The scenario's behaviour block (``scenario.behaviour``).

    Example:
        >>> import numpy as np
        >>> from incentsim.behaviour import DefaultBehaviour, Reading
        >>> from incentsim.scenario import Behaviour
        >>> model = DefaultBehaviour(Behaviour())
        >>> state = model.perceive(model.initial_state(5, np.random.default_rng(1)), Reading.none(5))
        >>> plan = model.plan(state)
        >>> float(plan.beg.sum()), float(plan.dump.sum()), float(plan.rush.sum())
        (0.0, 0.0, 0.0)
    """

    def __init__(self, params: Behaviour | None = None) -> None:
        self.params = params if params is not None else Behaviour()

    @classmethod
    def for_scenario(cls, scenario: Scenario) -> DefaultBehaviour:
        """The default model with a scenario's behaviour block."""
        return cls(scenario.behaviour)

    def initial_state(self, n: int, rng: np.random.Generator) -> MotivationState:
        """Experienced agents with no belief about the policy yet.

        Args:
            n: Number of seats.
            rng: Random generator (the ``behaviour`` stream).
        """
        p = self.params
        trait = draw_traits(p.motivation, n, rng)
        zero = np.zeros(n)
        return MotivationState(
            intrinsic=trait.copy(), trait=trait, stress=np.full(n, p.stress.base),
            fairness=np.full(n, p.fairness.base), reference=zero.copy(), focus=zero.copy(),
            colleagues_sanctioned=zero.copy(), feedback=zero.copy(), beliefs=Beliefs.empty(n),
        )

    def perceive(self, state: MotivationState, reading: Reading) -> MotivationState:
        """Beliefs move ``perception.belief_rate`` of the way to the reading (all of it when fresh)."""
        b = state.beliefs
        rate = np.where(b.fresh, 1.0, self.params.perception.belief_rate)

        def move(old: np.ndarray, new: np.ndarray) -> np.ndarray:
            r = rate.reshape(rate.shape + (1,) * (np.ndim(old) - 1))
            return old + r * (np.asarray(new, dtype=float) - old)

        beliefs = Beliefs(returns=move(b.returns, reading.returns), stakes=move(b.stakes, reading.stakes),
                          completion=move(b.completion, reading.completion),
                          p_warning=move(b.p_warning, reading.p_warning),
                          p_fire=move(b.p_fire, reading.p_fire), ranked=move(b.ranked, reading.ranked),
                          fresh=np.zeros(state.n, dtype=bool))
        return replace(state, beliefs=beliefs)

    def plan(self, state: MotivationState) -> ConductPlan:
        """Per-agent propensities given the state and beliefs."""
        return plan_conduct(state, self.params)

    def _pressures(self, state: MotivationState, ranked_now: np.ndarray) -> tuple[np.ndarray, ...]:
        p = self.params
        stakes = np.maximum(felt(state.beliefs.stakes, p.motivation.stakes_half), 0.0)
        felt_threat = threat(state, p)
        ranked = np.maximum(state.beliefs.ranked, ranked_now)
        controlling = combine(stakes, p.motivation.ranking_salience * ranked,
                              p.motivation.threat_salience * felt_threat)
        return stakes, felt_threat, ranked, controlling

    def update(self, state: MotivationState, outcome: PeriodOutcome) -> MotivationState:
        """The state after a review period.

        Args:
            state: State during the period (beliefs included).
            outcome: What the review did to each agent.
        """
        p = self.params
        m = p.motivation
        state = replace(state, colleagues_sanctioned=np.asarray(outcome.colleagues_sanctioned, dtype=float))
        ranked_now = np.isfinite(np.asarray(outcome.rank_percentile, dtype=float)).astype(float)
        stakes, felt_threat, ranked, controlling = self._pressures(state, ranked_now)
        completion = np.clip(state.beliefs.completion, 0.0, 1.0)
        crowding = (1.0 - completion) * m.crowding_performance + completion * m.crowding_completion
        coached = np.asarray(outcome.coached, dtype=float)
        feedback = np.clip(m.coaching_feedback * coached
                           + m.participation_feedback * float(outcome.process_share), 0.0, 1.0)
        intrinsic = intrinsic_step(state.intrinsic, state.trait, crowding * controlling,
                                   m.feedback_boost * feedback, m.adapt_rate)
        effort = np.maximum(felt(state.beliefs.ret("effort"), m.stakes_half), 0.0)
        settled = settled_stress(felt_threat, stakes, effort, outcome.rank_percentile, outcome.warned,
                                 outcome.occupancy, p.stress)
        fairness, reference = fairness_step(
            state.fairness, state.reference, outcome.bonus, ranked, outcome.rank_percentile,
            outcome.warned, p.stress.bottom_share, p.fairness)
        return replace(state, intrinsic=intrinsic, stress=stress_step(state.stress, settled, p.stress),
                       fairness=fairness, reference=reference,
                       focus=focus_step(state.focus, controlling, m), feedback=feedback)

    def quit_probability(self, state: MotivationState, outcome: PeriodOutcome) -> np.ndarray:
        """Chance each agent quits at this review (:func:`~incentsim.behaviour.quit_probability`)."""
        return quit_probability(state, self.params.attrition, productivity=outcome.productivity,
                                wage=outcome.wage)

    def hire(self, state: MotivationState, seats: np.ndarray | int,
             rng: np.random.Generator) -> MotivationState:
        """The state with new hires in ``seats``.

        A new hire brings a fresh trait draw, no reward expectation, no focus on
        the metrics yet, no belief about the policy and the new-hire stress level.

        Args:
            state: The state before hiring.
            seats: Seat or seats filled.
            rng: Random generator (the ``hiring`` stream).
        """
        p = self.params
        idx = np.atleast_1d(np.asarray(seats, dtype=np.int64))
        trait = draw_traits(p.motivation, idx.size, rng)
        state = state.with_seats(idx, intrinsic=trait, trait=trait, stress=p.stress.new_hire,
                                 fairness=p.fairness.base, reference=0.0, focus=0.0, feedback=0.0)
        b = state.beliefs
        fresh = b.fresh.copy()
        fresh[idx] = True
        return replace(state, beliefs=replace(b, fresh=fresh))

    def columns(self, state: MotivationState) -> dict[str, np.ndarray]:
        """Per-seat state for ``run.agents``: motivation, stress, fairness, focus, felt threat and stakes."""
        stakes, felt_threat, _, _ = self._pressures(state, np.zeros(state.n))
        return {"intrinsic_motivation": state.intrinsic, "stress": state.stress,
                "fairness": state.fairness, "reference": state.reference, "focus": state.focus,
                "threat": felt_threat, "stakes": stakes}
