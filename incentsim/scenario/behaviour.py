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
        help_resolution: Resolution-chance shift an agent gains when every other
            member of the team helps fully (answers questions, shares fixes); it
            grows with the team's mean helping (assumption, plausible 0 to 0.1).
        help_time: Share added to a helper's own handle time at full helping (the
            time it takes; assumption, plausible 0 to 0.15).
    """

    care_time: float = Field(default=0.5, ge=0, le=5)
    care_resolution: float = Field(default=0.3, ge=0, le=1)
    rush_time_factor: float = Field(default=0.6, gt=0, le=1)
    rush_resolution_factor: float = Field(default=0.7, ge=0, le=1)
    dump_threshold: float = Field(default=0.5, ge=0, le=1)
    dump_handle_time: float = Field(default=2.0, gt=0, le=120)
    help_resolution: float = Field(default=0.04, ge=0, le=1)
    help_time: float = Field(default=0.05, ge=0, le=1)


class Motivation(Block):
    """Intrinsic motivation, its crowding out by rewards, and focus on the measured metric.

    Crowding defaults are calibrated so that the simulated free-choice
    experiment of :mod:`incentsim.behaviour.crowding` reproduces Deci, Koestner &
    Ryan (1999): d = -0.28 (performance-contingent), -0.36 (completion),
    -0.40 (engagement), +0.33 (positive feedback). Each value is
    ``|d| * sqrt(intrinsic_sd**2 + free_choice_noise**2)``. Team rewards are
    contingent rewards too and crowd out in the same way: no source exempts them.

    Attributes:
        intrinsic_mean: Mean trait intrinsic motivation, 0 to 1 (source 000: service
            staff mostly do the job because they like helping people).
        intrinsic_sd: Spread of trait intrinsic motivation across agents.
        free_choice_noise: Situational noise in free-choice behaviour, in units of
            intrinsic motivation (sets the scale on which Cohen's d is read).
        crowding_performance: Drop of intrinsic motivation under a fully salient
            performance-contingent reward.
        crowding_completion: The same for a completion-contingent reward (pay
            that rises with the number of calls).
        crowding_engagement: The same for an engagement-contingent reward (used
            by the free-choice calibration; a review cannot pay for mere
            engagement, so the centre never applies it).
        feedback_boost: Rise of intrinsic motivation under full informational feedback.
        adapt_rate: Share of the way intrinsic motivation moves to its settled
            level in one review period.
        coaching_feedback: Informational feedback felt from a coaching session (0 to 1).
        participation_feedback: Informational feedback felt from taking part in
            process improvement when all management time goes to it (0 to 1;
            team problem solving, Deming's point 14; assumption).
        stakes_half: Money per period at which stakes feel half as salient as they
            can (source 001's $100 bonus).
        ranking_salience: Controlling salience of being ranked against colleagues.
        threat_salience: Controlling salience of a certain sanction.
        focus_rate: Share of the way focus on the measured metric moves per period.
    """

    intrinsic_mean: float = Field(default=0.7, ge=0, le=1)
    intrinsic_sd: float = Field(default=0.12, ge=0, le=0.5)
    free_choice_noise: float = Field(default=0.2, gt=0, le=5)
    crowding_performance: float = Field(default=0.0653, ge=0, le=1)
    crowding_completion: float = Field(default=0.0840, ge=0, le=1)
    crowding_engagement: float = Field(default=0.0933, ge=0, le=1)
    feedback_boost: float = Field(default=0.0770, ge=0, le=1)
    adapt_rate: float = Field(default=0.3, ge=0, le=1)
    coaching_feedback: float = Field(default=0.5, ge=0, le=1)
    participation_feedback: float = Field(default=0.5, ge=0, le=1)
    stakes_half: float = Field(default=100.0, gt=0, le=1e6)
    ranking_salience: float = Field(default=0.5, ge=0, le=1)
    threat_salience: float = Field(default=0.5, ge=0, le=1)
    focus_rate: float = Field(default=0.5, ge=0, le=1)


class Perception(Block):
    """How agents read what the policy's reviews do to people like them.

    At every review the engine asks the policy's own ``review`` what it would do
    to each agent's next measured numbers under different conduct, with the
    measurement noise of surveys, QA samples and call mix included
    (:mod:`incentsim.behaviour.perception`). The consequences are valued in
    money: payouts as paid, a rank and sanctions at the money-equivalents below
    (assumptions). Agents' beliefs move ``belief_rate`` of the way to each new
    reading.

    Attributes:
        rank_value: Money-equivalent of moving from the bottom to the top of a
            league table (status; assumption, plausible 0 to 300).
        warning_cost: Money-equivalent cost of a formal warning (assumption,
            plausible 50 to 500).
        fire_cost: Money-equivalent cost of being fired (assumption: about a
            month's pay at the default wage; plausible 1,000 to 10,000).
        warning_threat: Threat felt from a certain warning, relative to a certain
            firing (1).
        colleague_threat: Threat felt per unit share of colleagues sanctioned at the
            last review (a warning counts ``warning_threat``); source 002:
            punishment breeds anxiety in those who watch it too.
        belief_rate: Share of the way beliefs move to the newest reading.
        care_step: Care above and below the current level at which its return is read.
        sample_calls: Calls sampled from the period to stand for next period's calls.
    """

    rank_value: float = Field(default=100.0, ge=0, le=1e6)
    warning_cost: float = Field(default=200.0, ge=0, le=1e6)
    fire_cost: float = Field(default=3000.0, ge=0, le=1e7)
    warning_threat: float = Field(default=0.3, ge=0, le=1)
    colleague_threat: float = Field(default=1.0, ge=0, le=10)
    belief_rate: float = Field(default=0.5, gt=0, le=1)
    care_step: float = Field(default=0.05, gt=0, le=1)
    sample_calls: int = Field(default=300, ge=20, le=5000)


class Stress(Block):
    """Stress: the threat of sanctions, money at stake, effort, bottom ranks, warnings and workload.

    Attributes:
        base: Stress of an agent under no pressure at a comfortable workload.
        rate: Share of the way stress moves to its settled level per period.
        threat: Added stress at threat 1 (source 002: punishments bring anxiety).
        stakes: Added stress of fully salient money at stake.
        effort: Added stress at full effort to work faster (source 001: the
            talk-time goal was stressful).
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
    threat: float = Field(default=0.4, ge=0, le=1)
    stakes: float = Field(default=0.1, ge=0, le=1)
    effort: float = Field(default=0.15, ge=0, le=1)
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
    money_scale: float = Field(default=100.0, gt=0, le=1e6)
    gain: float = Field(default=0.1, ge=0, le=1)
    loss: float = Field(default=0.2, ge=0, le=1)
    ranking: float = Field(default=0.1, ge=0, le=1)
    bottom_rank: float = Field(default=0.15, ge=0, le=1)
    warning: float = Field(default=0.15, ge=0, le=1)


class Decisions(Block):
    """How motivation state and the returns agents perceive become per-call propensities.

    The returns are the money-equivalent gains each kind of conduct would bring
    at the next review (:class:`Perception`), felt as ``x / (x + stakes_half)``.

    Attributes:
        care_intrinsic: Care gained per unit of intrinsic motivation above the mean.
        care_stress: Care lost per unit of stress above ``stress.base``.
        care_incentive: Care gained (or lost) at a fully felt return to more (or less) care.
        care_min: Lowest care.
        care_max: Highest care.
        speed_min: Handle-time multiplier at full effort to work faster (effort is
            genuine: it shortens calls without hurting them).
        beg_scale: Begging propensity per unit of felt return to begging.
        dump_scale: Dumping propensity (per caller above the dump threshold) per unit
            of felt return to dumping.
        rush_scale: Rushing propensity per unit of felt return to rushing.
        gaming_threat: Relative rise of gaming at threat 1.
        gaming_low_intrinsic: Relative rise of gaming per unit of intrinsic
            motivation below 1.
        max_propensity: Ceiling on any gaming propensity (propensities approach it
            as ``max_propensity * (1 - exp(-drive))``).
        helping_base: Helping of an agent at mean intrinsic motivation with no return to it.
        helping_incentive: Helping added (or removed) at a fully felt return to helping.
        helping_feedback: Helping added by full informational feedback.
    """

    care_intrinsic: float = Field(default=0.5, ge=0, le=10)
    care_stress: float = Field(default=0.3, ge=0, le=10)
    care_incentive: float = Field(default=0.15, ge=0, le=10)
    care_min: float = Field(default=0.5, gt=0, le=1)
    care_max: float = Field(default=1.5, ge=1, le=10)
    speed_min: float = Field(default=0.8, gt=0, le=1)
    beg_scale: float = Field(default=1.0, ge=0, le=100)
    dump_scale: float = Field(default=0.3, ge=0, le=100)
    rush_scale: float = Field(default=1.0, ge=0, le=100)
    gaming_threat: float = Field(default=0.25, ge=0, le=100)
    gaming_low_intrinsic: float = Field(default=2.0, ge=0, le=100)
    max_propensity: float = Field(default=0.9, ge=0, le=1)
    helping_base: float = Field(default=0.1, ge=0, le=1)
    helping_incentive: float = Field(default=0.4, ge=0, le=1)
    helping_feedback: float = Field(default=0.2, ge=0, le=1)


class Attrition(Block):
    """Quitting: a baseline rate that rises with stress, unfairness and pay below one's market value.

    Attributes:
        monthly_quit_rate: Chance an agent at reference stress and fairness, paid
            their market value, quits in a month (assumption: about 2.5%, roughly
            26% a year).
        stress: Log-odds added per unit of stress above ``reference_stress``.
        unfairness: Log-odds added per unit of fairness below ``reference_fairness``.
        reference_stress: Stress at which the baseline rate holds.
        reference_fairness: Fairness at which the baseline rate holds.
        pay_gap: Log-odds added per unit of the gap between an agent's market pay
            and their pay here, as a share of the monthly wage (sorting, Lazear
            2000: who stays depends on pay relative to productivity).
        market_premium: Market pay above the wage per standard deviation of true
            productivity, as a share of the wage (assumption).
    """

    monthly_quit_rate: float = Field(default=0.025, ge=0, lt=1)
    stress: float = Field(default=2.0, ge=0, le=100)
    unfairness: float = Field(default=2.0, ge=0, le=100)
    reference_stress: float = Field(default=0.2, ge=0, le=1)
    reference_fairness: float = Field(default=0.8, ge=0, le=1)
    pay_gap: float = Field(default=5.0, ge=0, le=100)
    market_premium: float = Field(default=0.05, ge=0, le=1)


class Improvement(Block):
    """Process learning: management time on the process and helping lower handle time and defects.

    Each factor decays toward its floor at ``exp(-effort)`` per period, where the
    effort of a channel is its rate times its input (0 to 1).

    Attributes:
        management_rate: Effort per period when all management time goes to process
            improvement (source 000: time better spent improving the process).
        helping_rate: Effort per period at full team helping and fix sharing (source 001).
        handle_time_floor: Lowest handle-time factor reachable.
        escalation_floor: Lowest escalation factor (source 001: preventable tier-2 transfers).
        defect_floor: Lowest defect-day probability factor.
        variation_floor: Lowest handle-time variation factor.
    """

    management_rate: float = Field(default=0.3, ge=0, le=100)
    helping_rate: float = Field(default=0.15, ge=0, le=100)
    handle_time_floor: float = Field(default=0.85, gt=0, le=1)
    escalation_floor: float = Field(default=0.6, ge=0, le=1)
    defect_floor: float = Field(default=0.5, ge=0, le=1)
    variation_floor: float = Field(default=0.8, gt=0, le=1)


class Behaviour(Block):
    """Parameters of motivation and behaviour.

    Attributes:
        conduct: Per-call effect sizes (applied by the engine).
        motivation: Intrinsic motivation, crowding out, focus.
        perception: How agents read what the policy's reviews do.
        stress: Stress dynamics.
        fairness: Felt fairness and the reward reference point.
        decisions: From state and perceived returns to per-call propensities.
        attrition: Quitting.
        improvement: Process learning.
    """

    conduct: Conduct = Conduct()
    motivation: Motivation = Motivation()
    perception: Perception = Perception()
    stress: Stress = Stress()
    fairness: Fairness = Fairness()
    decisions: Decisions = Decisions()
    attrition: Attrition = Attrition()
    improvement: Improvement = Improvement()

    @classmethod
    def neutral(cls) -> Behaviour:
        """Every behaviour effect at zero: calls run as the pure engine runs them.

        Care and speed stay 1 and every gaming and helping propensity 0 whatever
        the policy does; nobody quits; the process does not change.
        """
        return cls(
            conduct=Conduct(care_time=0.0, care_resolution=0.0, rush_time_factor=1.0,
                            rush_resolution_factor=1.0, help_resolution=0.0, help_time=0.0),
            motivation=Motivation(crowding_performance=0.0, crowding_completion=0.0,
                                  crowding_engagement=0.0, feedback_boost=0.0),
            decisions=Decisions(care_intrinsic=0.0, care_stress=0.0, care_incentive=0.0,
                                speed_min=1.0, beg_scale=0.0, dump_scale=0.0, rush_scale=0.0,
                                helping_base=0.0, helping_incentive=0.0, helping_feedback=0.0),
            attrition=Attrition(monthly_quit_rate=0.0, stress=0.0, unfairness=0.0, pay_gap=0.0),
            improvement=Improvement(management_rate=0.0, helping_rate=0.0),
        )
