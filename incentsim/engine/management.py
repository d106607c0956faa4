"""Management time: what a review's actions take, what is left for the process, and the cost.

DESIGN.md: management time is a budget with a cost, and every policy says how
it is spent. The budget is ``management.hours_per_agent`` times the tier-1
seats per period. What a review *does* takes hours first (administering each
payout, ranking each agent, each warning and firing, each coaching session);
the share of the budget the review gives to process improvement comes out of
what is left (a manager cannot spend more than all of it). The hours used,
at ``management.hourly_cost``, are the period's management cost. Coaching and
process work take agents off the phones too: each coached agent for
``coaching_agent_hours``, every agent for ``participation_hours`` times the
share of the budget spent on the process. All figures are assumptions
(``scenario.management``).
"""

from __future__ import annotations

from dataclasses import dataclass

from incentsim.contract import Review
from incentsim.scenario.management import Management


@dataclass(frozen=True)
class ManagementTime:
    """How one period's management time was spent.

    Attributes:
        budget: Hours available.
        administration: Hours on payouts, ranking, warnings and firings.
        coaching: Hours on coaching sessions.
        process: Hours on improving the process with the team.
        process_share: ``process / budget`` (0 with no budget).
        cost: Cost of the hours used.
        coaching_agent_hours: Agent hours off the phones per coached agent.
        participation_hours: Agent hours off the phones per agent for process work.
    """

    budget: float
    administration: float
    coaching: float
    process: float
    process_share: float
    cost: float
    coaching_agent_hours: float
    participation_hours: float

    @property
    def hours(self) -> float:
        """Hours used."""
        return self.administration + self.coaching + self.process


def account(review: Review, seats: int, params: Management) -> ManagementTime:
    """The management time one review takes.

    Args:
        review: What the policy did.
        seats: Tier-1 seats (the budget scales with them).
        params: Management parameters.
    """
    budget = params.hours_per_agent * seats
    sanctions = list(review.sanctions.values())
    paid = sum(1 for money in review.payouts.values() if float(money) != 0.0)
    administration = (params.bonus_hours * paid + params.ranking_hours * len(review.ranks)
                      + params.warning_hours * sanctions.count("warning")
                      + params.firing_hours * sanctions.count("fire"))
    coaching = params.coaching_hours * len(review.coaching)
    wanted = min(1.0, max(0.0, float(review.process_improvement))) * budget
    process = min(wanted, max(0.0, budget - administration - coaching))
    share = process / budget if budget > 0 else 0.0
    return ManagementTime(budget=budget, administration=administration, coaching=coaching,
                          process=process, process_share=share,
                          cost=(administration + coaching + process) * params.hourly_cost,
                          coaching_agent_hours=params.coaching_agent_hours,
                          participation_hours=params.participation_hours * share)
