"""Process learning: management time on the process and helping improve the system over time.

Sources: 000 (management time is better spent improving the process than
motivating people), 001 (a team reviewing survey feedback together; tier 1 and
tier 2 finding preventable transfers; product issues fed back to product
teams). Each period two channels of effort act, each its rate times its input
in 0..1: the share of management time actually spent improving the process
with the team (what the review says, less what monitoring, ranking, bonus
administration and coaching used up: :mod:`incentsim.engine.management`) and team
helping (mean helping propensity, which follows what helping returns, see
:mod:`incentsim.behaviour.decisions`). A factor decays toward its floor by
``exp(-effort)``:

* handle time: management + helping (shared fixes),
* escalations: management + helping (source 001's transfer review),
* defect days: management (product issues fed back),
* handle-time variation: management (standard work).

Which channel moves which factor, the rates and the floors are assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def improve(process_state: ProcessState, process_share: float, helping_mean: float,
            params: Improvement) -> ProcessState:
    """The process after one review period of improvement effort.

    Args:
        process_state: The process now.
        process_share: Share of management time spent on process improvement, 0..1.
        helping_mean: Mean helping propensity of tier-1 agents, 0..1.
        params: Improvement parameters.
    """
    def unit(x: float) -> float:
        return min(1.0, max(0.0, float(x))) if math.isfinite(x) else 0.0

    management = params.management_rate * unit(process_share)
    helping = params.helping_rate * unit(helping_mean)
    return ProcessState(
        handle_time_factor=_toward(process_state.handle_time_factor, params.handle_time_floor,
                                   management + helping),
        escalation_factor=_toward(process_state.escalation_factor, params.escalation_floor,
                                  management + helping),
        defect_factor=_toward(process_state.defect_factor, params.defect_floor, management),
        variation_factor=_toward(process_state.variation_factor, params.variation_floor,
                                 management),
    )
