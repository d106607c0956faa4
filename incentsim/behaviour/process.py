"""Process learning: management time, helping and feedback improve the system over time.

Sources: 000 (management time is better spent improving the process than
motivating people), 001 (a team reviewing survey feedback together; tier 1 and
tier 2 finding preventable transfers; product issues fed back to product
teams). Each period three channels of effort act, each its rate times its input
in 0..1: management time on process improvement, team helping (mean helping
propensity; ranking suppresses it in :mod:`incentsim.behaviour.decisions`) and
informational feedback. A factor decays toward its floor by ``exp(-effort)``:

* handle time: management + helping (shared fixes),
* escalations: management + helping + feedback (source 001's transfer review),
* defect days: management + feedback (product feedback),
* handle-time variation: management (standard work).

Which channel moves which factor, the rates and the floors are assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Improvement


@dataclass(frozen=True)
class ProcessState:
    """Multipliers the engine applies to the whole operation (1 = as configured).

    Attributes:
        handle_time_factor: Multiplier on every tier-1 handle time.
        escalation_factor: Multiplier on the chance a call needs tier 2.
        defect_factor: Multiplier on the defect-day probability.
        variation_factor: Multiplier on handle-time variation (CV).
    """

    handle_time_factor: float = 1.0
    escalation_factor: float = 1.0
    defect_factor: float = 1.0
    variation_factor: float = 1.0


def _toward(value: float, floor: float, effort: float) -> float:
    if value <= floor:
        return value
    return floor + (value - floor) * math.exp(-effort)


def improve(process_state: ProcessState, signals: Signals, helping_mean: float,
            feedback: float, params: Improvement) -> ProcessState:
    """The process after one review period of improvement effort.

    Args:
        process_state: The process now.
        signals: The policy's signals (``process_improvement`` is management time).
        helping_mean: Mean helping propensity of tier-1 agents, 0..1.
        feedback: Informational feedback reviewed with the team, 0..1.
        params: Improvement parameters.
    """
    def unit(x: float) -> float:
        return min(1.0, max(0.0, float(x))) if math.isfinite(x) else 0.0

    management = params.management_rate * unit(signals.process_improvement)
    helping = params.helping_rate * unit(helping_mean)
    informed = params.feedback_rate * unit(feedback)
    return ProcessState(
        handle_time_factor=_toward(process_state.handle_time_factor, params.handle_time_floor,
                                   management + helping),
        escalation_factor=_toward(process_state.escalation_factor, params.escalation_floor,
                                  management + helping + informed),
        defect_factor=_toward(process_state.defect_factor, params.defect_floor,
                              management + informed),
        variation_factor=_toward(process_state.variation_factor, params.variation_floor,
                                 management),
    )
