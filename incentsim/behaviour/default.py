"""The default behaviour model: motivation dynamics plus per-call decisions.

Ties the mechanisms together behind the
:class:`~incentsim.behaviour.conduct.BehaviourModel` protocol. Per review
period, in :meth:`DefaultBehaviour.update`: intrinsic motivation (crowding out
and feedback, :mod:`~incentsim.behaviour.crowding`), stress
(:mod:`~incentsim.behaviour.stress`), fairness and the reward reference point
(:mod:`~incentsim.behaviour.fairness`) and focus
(:mod:`~incentsim.behaviour.focus`) move; :meth:`DefaultBehaviour.plan` turns
the state into per-call propensities (:mod:`~incentsim.behaviour.decisions`).
Everything is vectorised over seats.

A researcher swaps in their own model by writing any object with the same
four methods (``initial_state``, ``plan``, ``update``, ``hire``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from incentsim.behaviour.conduct import ConductPlan, PeriodOutcome
from incentsim.behaviour.crowding import crowding, draw_traits, intrinsic_step
from incentsim.behaviour.decisions import plan_conduct
from incentsim.behaviour.fairness import fairness_step
from incentsim.behaviour.focus import focus_step
from incentsim.behaviour.salience import Salience, salience
from incentsim.behaviour.state import MotivationState
from incentsim.behaviour.stress import settled_stress, stress_step
from incentsim.behaviour.target import share_over_target, target_bite
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Behaviour
from incentsim.scenario.operation import CallType

if TYPE_CHECKING:
    from incentsim.scenario.model import Scenario


class DefaultBehaviour:
    """Motivation state per agent and the conduct it leads to.

    Args:
        params: The scenario's behaviour block (``scenario.behaviour``).
        call_types: The scenario's call mix, to judge how hard a handle-time
            target bites (:mod:`incentsim.behaviour.target`); ``None``: every
            target bites fully. :meth:`for_scenario` passes it.

    Example:
        >>> import numpy as np
        >>> from incentsim.policies.base import Signals
        >>> from incentsim.scenario.behaviour import Behaviour
        >>> model = DefaultBehaviour(Behaviour())
        >>> state = model.initial_state(5, np.random.default_rng(1))
        >>> plan = model.plan(state, Signals())
        >>> float(plan.beg.sum()), float(plan.dump.sum()), float(plan.rush.sum())
        (0.0, 0.0, 0.0)
    """

    def __init__(self, params: Behaviour | None = None,
                 call_types: Sequence[CallType] | None = None) -> None:
        self.params = params if params is not None else Behaviour()
        self.call_types = tuple(call_types) if call_types is not None else None
        self._bites: dict[float, float] = {}

    @classmethod
    def for_scenario(cls, scenario: Scenario) -> DefaultBehaviour:
        """The default model with a scenario's behaviour block and call mix."""
        return cls(scenario.behaviour, call_types=scenario.demand.call_types)

    def target_bite(self, signals: Signals) -> float:
        """How hard the signals' handle-time target bites, 0..1 (0 without a target)."""
        target = signals.handle_time_target
        if target is None:
            return 0.0
        if self.call_types is None:
            return 1.0
        if target not in self._bites:
            share = share_over_target(self.call_types, float(target))
            self._bites[target] = target_bite(share, self.params.decisions.target_bite_share)
        return self._bites[target]

    def _salience(self, signals: Signals) -> Salience:
        return salience(signals, self.params.motivation, self.target_bite(signals))

    def initial_state(self, n: int, rng: np.random.Generator) -> MotivationState:
        """Experienced agents with no incentive in force yet.

        Args:
            n: Number of seats.
            rng: Random generator (the ``people`` or ``behaviour`` stream).
        """
        p = self.params
        trait = draw_traits(p.motivation, n, rng)
        return MotivationState(
            intrinsic=trait.copy(), trait=trait, stress=np.full(n, p.stress.base),
            fairness=np.full(n, p.fairness.base), reference=np.zeros(n), focus=np.zeros(n),
        )

    def plan(self, state: MotivationState, signals: Signals) -> ConductPlan:
        """Per-agent propensities given the state and the policy's signals."""
        return plan_conduct(state, signals, self._salience(signals), self.params)

    def update(self, state: MotivationState, outcome: PeriodOutcome) -> MotivationState:
        """The state after a review period.

        Args:
            state: State during the period.
            outcome: What happened to each agent, and the signals after the review.
        """
        p = self.params
        signals = outcome.signals
        sal = self._salience(signals)
        coached = np.asarray(outcome.coached, dtype=float)
        feedback = np.clip(float(signals.feedback) + p.motivation.coaching_feedback * coached,
                           0.0, 1.0)
        pressure = crowding(p.motivation, signals.contingency) * sal.controlling
        intrinsic = intrinsic_step(state.intrinsic, state.trait, pressure,
                                   p.motivation.feedback_boost * feedback, p.motivation.adapt_rate)
        settled = settled_stress(signals, sal, outcome.rank_percentile, outcome.warned,
                                 outcome.occupancy, p.stress)
        fairness, reference = fairness_step(
            state.fairness, state.reference, outcome.bonus, signals, outcome.rank_percentile,
            outcome.warned, p.stress.bottom_share, p.fairness)
        return MotivationState(
            intrinsic=intrinsic, trait=state.trait, stress=stress_step(state.stress, settled, p.stress),
            fairness=fairness, reference=reference, focus=focus_step(state.focus, sal, p.motivation),
        )

    def hire(self, state: MotivationState, seat_index: int | np.ndarray,
             rng: np.random.Generator) -> MotivationState:
        """The state with a new hire (or several) in ``seat_index``.

        A new hire brings a fresh trait draw, no reward expectation, no focus on
        the metrics yet and the new-hire stress level (``stress.new_hire``).

        Args:
            state: The state before hiring.
            seat_index: Seat or seats filled.
            rng: Random generator (the ``hiring`` stream).
        """
        p = self.params
        seats = np.atleast_1d(np.asarray(seat_index, dtype=np.int64))
        trait = draw_traits(p.motivation, seats.size, rng)
        return state.with_seats(seats, intrinsic=trait, trait=trait, stress=p.stress.new_hire,
                                fairness=p.fairness.base, reference=0.0, focus=0.0)
