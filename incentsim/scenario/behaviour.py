"""Scenario block for the people's motivation and per-call conduct.

The mechanisms live in :mod:`incentsim.behaviour`; this block holds their
parameters. Every effect size can be set to zero; with all of them at zero the
run equals the pure engine's run for the same seed.
"""

from __future__ import annotations

from pydantic import Field

from incentsim.scenario.base import Block


class Conduct(Block):
    """How per-call choices change a call (engine-side effect sizes).

    Attributes:
        care_time: Handle-time elasticity to care (care 1.2 with 0.5: 10% longer).
        care_resolution: Resolution-chance shift per unit of care above 1.
        rush_time_factor: Handle-time multiplier of a rushed call.
        rush_resolution_factor: Resolution-chance multiplier of a rushed call.
        dump_threshold: Upset at or above which an agent may dump a caller.
        dump_handle_time: Minutes a dumped call takes before the transfer.
    """

    care_time: float = Field(default=0.5, ge=0)
    care_resolution: float = Field(default=0.3, ge=0)
    rush_time_factor: float = Field(default=0.6, gt=0, le=1)
    rush_resolution_factor: float = Field(default=0.7, ge=0, le=1)
    dump_threshold: float = Field(default=0.5, ge=0, le=1)
    dump_handle_time: float = Field(default=2.0, gt=0)


class Behaviour(Block):
    """Parameters of motivation and behaviour.

    Attributes:
        conduct: Per-call effect sizes.
    """

    conduct: Conduct = Conduct()

    @classmethod
    def neutral(cls) -> Behaviour:
        """Every behaviour effect at zero: calls run as the pure engine runs them."""
        return cls(conduct=Conduct(care_time=0.0, care_resolution=0.0, rush_time_factor=1.0,
                                   rush_resolution_factor=1.0))

