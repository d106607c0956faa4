"""Scenario block for management time: a budget of hours per period, with a cost.

Every review spends managers' hours: administering payouts, ranking agents,
warning and firing, coaching, and improving the process with the team. What a
policy's review does is costed from these figures
(:mod:`incentsim.engine.management`), and the cost is in ``management_cost`` and
``cost_per_resolved_call``. Coaching and process work also take agents off the
phones for the hours below. All defaults are assumptions (no source gives
them); the plausible ranges are in ``docs/explanation/model.md``.
"""

from __future__ import annotations

from pydantic import Field

from incentsim.scenario.base import Block


class Management(Block):
    """Management hours per period, what activities cost, and their hourly cost.

    Attributes:
        hours_per_agent: Management hours available per tier-1 agent per period
            (a team leader for about 16 agents working a 160-hour month gives 10;
            plausible 5 to 20). A policy's ``process_improvement`` is a share of
            this budget; other activities come out of it first.
        hourly_cost: Cost of one management hour (plausible 25 to 60).
        bonus_hours: Hours to administer one payout (plausible 0.05 to 0.5).
        ranking_hours: Hours per ranked agent per review: compiling, checking and
            discussing the league table (plausible 0.1 to 1).
        warning_hours: Hours per warning: meeting, paperwork (plausible 0.5 to 3).
        firing_hours: Hours per firing: process and HR (plausible 4 to 20).
        coaching_hours: Manager hours per coaching session (plausible 0.5 to 2).
        coaching_agent_hours: Agent hours off the phones per coaching session.
        participation_hours: Agent hours off the phones per agent per period
            for process work when the whole budget goes to it (scaled by the
            share actually spent; plausible 0 to 8).
    """

    hours_per_agent: float = Field(default=10.0, ge=0, le=200)
    hourly_cost: float = Field(default=35.0, ge=0, le=10_000)
    bonus_hours: float = Field(default=0.1, ge=0, le=100)
    ranking_hours: float = Field(default=0.25, ge=0, le=100)
    warning_hours: float = Field(default=1.0, ge=0, le=100)
    firing_hours: float = Field(default=8.0, ge=0, le=1000)
    coaching_hours: float = Field(default=1.0, ge=0, le=100)
    coaching_agent_hours: float = Field(default=1.0, ge=0, le=100)
    participation_hours: float = Field(default=4.0, ge=0, le=100)


__all__ = ["Management"]
