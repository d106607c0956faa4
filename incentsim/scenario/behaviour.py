"""Scenario block for the people's motivation, per-call conduct, attrition and process learning.

The mechanisms live in :mod:`incentsim.behaviour`; this block holds their
parameters. Every effect size can be set to zero (:meth:`Behaviour.neutral`);
with all of them at zero the run equals the pure engine's run for the same seed.
Where a default comes from a source the field says so; every other default is
an assumption, listed as such in ``docs/reference/behaviour.md``.
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


class Motivation(Block):
    """Intrinsic motivation, its crowding out by rewards, and focus on the measured metric.

    Crowding defaults are calibrated so that the simulated free-choice
    experiment of :mod:`incentsim.behaviour.crowding` reproduces Deci, Koestner &
    Ryan (1999): d = -0.28 (performance-contingent), -0.36 (completion),
    -0.40 (engagement), +0.33 (positive feedback). Each value is
    ``|d| * sqrt(intrinsic_sd**2 + free_choice_noise**2)``.

    Attributes:
        intrinsic_mean: Mean trait intrinsic motivation, 0 to 1 (source 000: service
            staff mostly do the job because they like helping people).
        intrinsic_sd: Spread of trait intrinsic motivation across agents.
        free_choice_noise: Situational noise in free-choice behaviour, in units of
            intrinsic motivation (sets the scale on which Cohen's d is read).
        crowding_performance: Drop of intrinsic motivation under a fully salient
            performance-contingent reward.
        crowding_completion: The same for a completion-contingent reward.
        crowding_engagement: The same for an engagement-contingent reward.
        feedback_boost: Rise of intrinsic motivation under full informational feedback.
        team_crowding: Weight of team stakes in crowding, relative to individual
            stakes (source 000/001: team goals do not crowd out).
        adapt_rate: Share of the way intrinsic motivation moves to its settled
            level in one review period.
        coaching_feedback: Informational feedback felt by a coached agent (0 to 1).
        stakes_half: Money per period at which stakes feel half as salient as they
            can (source 001's $100 bonus).
        ranking_salience: Salience of being ranked against colleagues.
        threat_salience: Salience of a threat of sanctions at threat 1.
        target_salience: Salience of a handle-time target.
        focus_rate: Share of the way focus on the measured metric moves per period.
        team_focus_share: Weight of team stakes in focus, relative to individual stakes.
    """

    intrinsic_mean: float = Field(default=0.7, ge=0, le=1)
    intrinsic_sd: float = Field(default=0.12, ge=0, le=0.5)
    free_choice_noise: float = Field(default=0.2, gt=0)
    crowding_performance: float = Field(default=0.0653, ge=0, le=1)
    crowding_completion: float = Field(default=0.0840, ge=0, le=1)
    crowding_engagement: float = Field(default=0.0933, ge=0, le=1)
    feedback_boost: float = Field(default=0.0770, ge=0, le=1)
    team_crowding: float = Field(default=0.0, ge=0, le=1)
    adapt_rate: float = Field(default=0.3, ge=0, le=1)
    coaching_feedback: float = Field(default=0.5, ge=0, le=1)
    stakes_half: float = Field(default=100.0, gt=0)
    ranking_salience: float = Field(default=0.5, ge=0, le=1)
    threat_salience: float = Field(default=0.5, ge=0, le=1)
    target_salience: float = Field(default=0.5, ge=0, le=1)
    focus_rate: float = Field(default=0.5, ge=0, le=1)
    team_focus_share: float = Field(default=0.5, ge=0, le=1)


class Stress(Block):
    """Stress: threats, bottom ranks, warnings, targets and workload.

    Attributes:
        base: Stress of an agent under no pressure at a comfortable workload.
        rate: Share of the way stress moves to its settled level per period.
        threat: Added stress at threat 1 (source 002: punishments bring anxiety).
        target: Added stress of a handle-time target (source 001).
        stakes: Added stress of fully salient individual stakes.
        bottom_rank: Added stress of being ranked in the bottom share.
        bottom_share: Rank percentile share counted as the bottom (0.2: worst fifth).
        warning: Added stress of a warning.
        comfortable_occupancy: Occupancy above which workload overwhelms (source 002:
            "challenged but not overwhelmed"; the level is an assumption).
        overload: Added stress at occupancy 1.
        new_hire: Stress of a new hire.
    """

    base: float = Field(default=0.2, ge=0, le=1)
    rate: float = Field(default=0.5, ge=0, le=1)
    threat: float = Field(default=0.3, ge=0, le=1)
    target: float = Field(default=0.15, ge=0, le=1)
    stakes: float = Field(default=0.1, ge=0, le=1)
    bottom_rank: float = Field(default=0.2, ge=0, le=1)
    bottom_share: float = Field(default=0.2, ge=0, le=1)
    warning: float = Field(default=0.2, ge=0, le=1)
    comfortable_occupancy: float = Field(default=0.85, gt=0, lt=1)
    overload: float = Field(default=0.4, ge=0, le=1)
    new_hire: float = Field(default=0.3, ge=0, le=1)


class Fairness(Block):
    """Felt fairness, with a reference point that adapts to rewards received.

    Attributes:
        base: Felt fairness with no rewards, ranks or sanctions.
        rate: Share of the way fairness moves to its settled level per period.
        reference_rate: Share of the way the reward reference point moves to the
            bonus received per period (source 002: rewards become expected).
        money_scale: Money at which a gain or loss feels half as large as it can.
        gain: Fairness added by a bonus above the reference (saturating).
        loss: Fairness lost by a bonus below the reference; twice ``gain`` by
            default (loss aversion, Tversky & Kahneman 1992 estimated 2.25).
        ranking: Fairness lost by being ranked on numbers that are mostly chance (source 000).
        bottom_rank: Fairness lost by a bottom rank.
        warning: Fairness lost by a warning.
    """

    base: float = Field(default=0.8, ge=0, le=1)
    rate: float = Field(default=0.5, ge=0, le=1)
    reference_rate: float = Field(default=0.3, ge=0, le=1)
    money_scale: float = Field(default=100.0, gt=0)
    gain: float = Field(default=0.1, ge=0, le=1)
    loss: float = Field(default=0.2, ge=0, le=1)
    ranking: float = Field(default=0.1, ge=0, le=1)
    bottom_rank: float = Field(default=0.15, ge=0, le=1)
    warning: float = Field(default=0.15, ge=0, le=1)


class Decisions(Block):
    """How motivation state and incentives become per-call propensities.

    Attributes:
        care_intrinsic: Care gained per unit of intrinsic motivation above the mean.
        care_stress: Care lost per unit of stress above ``stress.base``.
        care_time_focus: Care lost at full focus under full time pressure.
        care_effort: Care gained when a quality metric (CSAT, QA) is fully salient:
            incentives can work.
        care_min: Lowest care.
        care_max: Highest care.
        speed_effort: Handle-time reduction at full time pressure (effort, genuine).
        speed_min: Lowest handle-time multiplier from effort.
        beg_scale: Begging propensity scale when CSAT is paid or ranked individually.
        dump_scale: Dumping propensity scale (per caller above the dump threshold).
        rush_scale: Rushing propensity scale under a handle-time target or AHT ranking.
        rush_threat: Relative rise of rushing at threat 1.
        rush_quality_restraint: Share of rushing held back when a quality metric (QA or
            CSAT) is fully salient too: rushed calls score lower on QA and surveys, so an
            agent ranked on speed *and* quality rushes less (assumption).
        gaming_threat: Relative rise of begging and dumping at threat 1.
        gaming_low_intrinsic: Relative rise of gaming per unit of intrinsic
            motivation below 1.
        team_dump_reduction: Share of dumping removed by a fully salient team reward
            on CSAT (dumping on colleagues hurts the team score).
        team_gaming_share: Weight of team CSAT stakes in begging and dumping
            (0: only individual pay or ranking on surveys invites gaming).
        max_propensity: Ceiling on any gaming propensity (propensities approach it
            as ``max_propensity * (1 - exp(-drive))``).
        target_bite_share: Share of calls overrunning a handle-time target at which
            the target bites fully (its pressure, stress and rushing scale with
            the overrun share up to this point).
        helping_base: Helping of an agent at mean intrinsic motivation under no incentive.
        helping_team: Helping added by a fully salient team reward.
        helping_feedback: Helping added by full informational (team) feedback.
        helping_ranking_suppression: Share of helping removed by ranking.
    """

    care_intrinsic: float = Field(default=0.5, ge=0)
    care_stress: float = Field(default=0.3, ge=0)
    care_time_focus: float = Field(default=0.2, ge=0)
    care_effort: float = Field(default=0.1, ge=0)
    care_min: float = Field(default=0.5, gt=0, le=1)
    care_max: float = Field(default=1.5, ge=1)
    speed_effort: float = Field(default=0.1, ge=0, lt=1)
    speed_min: float = Field(default=0.7, gt=0, le=1)
    beg_scale: float = Field(default=0.4, ge=0)
    dump_scale: float = Field(default=0.1, ge=0)
    rush_scale: float = Field(default=0.3, ge=0)
    rush_threat: float = Field(default=0.5, ge=0)
    rush_quality_restraint: float = Field(default=0.5, ge=0, le=1)
    gaming_threat: float = Field(default=0.25, ge=0)
    gaming_low_intrinsic: float = Field(default=2.0, ge=0)
    team_dump_reduction: float = Field(default=0.8, ge=0, le=1)
    team_gaming_share: float = Field(default=0.0, ge=0, le=1)
    max_propensity: float = Field(default=0.9, ge=0, le=1)
    target_bite_share: float = Field(default=0.4, gt=0, le=1)
    helping_base: float = Field(default=0.1, ge=0, le=1)
    helping_team: float = Field(default=0.4, ge=0, le=1)
    helping_feedback: float = Field(default=0.2, ge=0, le=1)
    helping_ranking_suppression: float = Field(default=0.8, ge=0, le=1)


class Attrition(Block):
    """Quitting: a baseline rate that rises with stress and unfairness.

    Attributes:
        monthly_quit_rate: Chance an agent at reference stress and fairness quits in
            a month (assumption: about 2.5%, i.e. roughly 26% a year). With the
            default slopes, an agent at stress 0.65 and fairness 0.7 (warned every
            month under a target) quits about 7% a month.
        stress: Log-odds added per unit of stress above ``reference_stress``.
        unfairness: Log-odds added per unit of fairness below ``reference_fairness``.
        reference_stress: Stress at which the baseline rate holds.
        reference_fairness: Fairness at which the baseline rate holds.
    """

    monthly_quit_rate: float = Field(default=0.025, ge=0, lt=1)
    stress: float = Field(default=2.0, ge=0)
    unfairness: float = Field(default=2.0, ge=0)
    reference_stress: float = Field(default=0.2, ge=0, le=1)
    reference_fairness: float = Field(default=0.8, ge=0, le=1)


class Improvement(Block):
    """Process learning: management time, helping and feedback lower handle time and defects.

    Each factor decays toward its floor at ``exp(-effort)`` per period, where the
    effort of a channel is its rate times its input (0 to 1).

    Attributes:
        management_rate: Effort per period at full management time on process
            improvement (source 000: time better spent improving the process).
        helping_rate: Effort per period at full team helping and fix sharing (source 001).
        feedback_rate: Effort per period at full informational feedback (source 001:
            survey reviews, product issues fed back to product teams).
        handle_time_floor: Lowest handle-time factor reachable.
        escalation_floor: Lowest escalation factor (source 001: preventable tier-2 transfers).
        defect_floor: Lowest defect-day probability factor.
        variation_floor: Lowest handle-time variation factor.
    """

    management_rate: float = Field(default=0.3, ge=0)
    helping_rate: float = Field(default=0.15, ge=0)
    feedback_rate: float = Field(default=0.1, ge=0)
    handle_time_floor: float = Field(default=0.85, gt=0, le=1)
    escalation_floor: float = Field(default=0.6, ge=0, le=1)
    defect_floor: float = Field(default=0.5, ge=0, le=1)
    variation_floor: float = Field(default=0.8, gt=0, le=1)


class Behaviour(Block):
    """Parameters of motivation and behaviour.

    Attributes:
        conduct: Per-call effect sizes (applied by the engine).
        motivation: Intrinsic motivation, crowding out, focus.
        stress: Stress dynamics.
        fairness: Felt fairness and the reward reference point.
        decisions: From state and incentive to per-call propensities.
        attrition: Quitting.
        improvement: Process learning.
    """

    conduct: Conduct = Conduct()
    motivation: Motivation = Motivation()
    stress: Stress = Stress()
    fairness: Fairness = Fairness()
    decisions: Decisions = Decisions()
    attrition: Attrition = Attrition()
    improvement: Improvement = Improvement()

    @classmethod
    def neutral(cls) -> Behaviour:
        """Every behaviour effect at zero: calls run as the pure engine runs them.

        Care and speed stay 1 and every gaming and helping propensity 0 whatever
        the policy signals; nobody quits; the process does not change.
        """
        return cls(
            conduct=Conduct(care_time=0.0, care_resolution=0.0, rush_time_factor=1.0,
                            rush_resolution_factor=1.0),
            motivation=Motivation(crowding_performance=0.0, crowding_completion=0.0,
                                  crowding_engagement=0.0, feedback_boost=0.0),
            decisions=Decisions(care_intrinsic=0.0, care_stress=0.0, care_time_focus=0.0,
                                care_effort=0.0, speed_effort=0.0, beg_scale=0.0,
                                dump_scale=0.0, rush_scale=0.0, helping_base=0.0,
                                helping_team=0.0, helping_feedback=0.0),
            attrition=Attrition(monthly_quit_rate=0.0, stress=0.0, unfairness=0.0),
            improvement=Improvement(management_rate=0.0, helping_rate=0.0, feedback_rate=0.0),
        )
