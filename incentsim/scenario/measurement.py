"""Scenario block for what the manager can measure (surveys, QA) and the truth it is measured against.

Mechanisms in :mod:`incentsim.measurement` and :mod:`incentsim.truth`.
Defaults: 20% survey response (source 004: "most organizations accept 20%
response rates"); four QA samples per agent per period. Every other default is
an assumption, listed as such in ``docs/explanation/measurement.md``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from incentsim.scenario.base import Block


class Satisfaction(Block):
    """True satisfaction of a call: a logistic index of what happened to the caller.

    ``true_satisfaction = 1 / (1 + exp(-eta))`` with ``eta`` the sum of the terms below.

    Attributes:
        intercept: Log-odds of an unresolved call with no wait, transfer or upset.
        resolved: Log-odds added when the problem is solved.
        wait_per_minute: Log-odds lost per minute of total wait (queue plus tier 2).
        escalation: Log-odds lost by a needed transfer to tier 2.
        dump: Log-odds lost by being dumped (worse than an escalation: the caller
            notices being passed on).
        care: Log-odds added per unit of care above 1.
        upset: Log-odds lost per unit of upset.
        rushed: Log-odds lost by a rushed call.
        annoyed_share: Share of begged callers annoyed by the begging.
        annoyance: Log-odds lost by an annoyed caller.
        abandoned: True satisfaction of a caller who hung up in the queue.
        satisfied_at: True satisfaction at and above which a caller counts as
            satisfied (``true_csat``); 0.625 is where the noiseless expected
            rating ``1 + 4 s`` reaches 3.5, the 4-or-5 boundary.
        bad_below: True satisfaction below which a call counts as a bad experience (churn).
    """

    intercept: float = Field(default=-0.5, ge=-20, le=20)
    resolved: float = Field(default=2.2, ge=0, le=20)
    wait_per_minute: float = Field(default=0.08, ge=0, le=20)
    escalation: float = Field(default=0.5, ge=0, le=20)
    dump: float = Field(default=1.2, ge=0, le=20)
    care: float = Field(default=2.0, ge=0, le=20)
    upset: float = Field(default=1.5, ge=0, le=20)
    rushed: float = Field(default=0.5, ge=0, le=20)
    annoyed_share: float = Field(default=0.3, ge=0, le=1)
    annoyance: float = Field(default=0.8, ge=0, le=20)
    abandoned: float = Field(default=0.1, ge=0, le=1)
    satisfied_at: float = Field(default=0.625, gt=0, lt=1)
    bad_below: float = Field(default=0.4, gt=0, lt=1)


class Surveys(Block):
    """Post-call satisfaction survey.

    Attributes:
        response_rate: Base chance a caller answers the survey; the mean response
            over a population with uniform true satisfaction (source 004: 20%).
        extremity: Strength of the U-shaped selection: a caller at satisfaction 0
            or 1 responds ``1 + 2/3 * extremity`` times the base rate, one at 0.5
            ``1 - extremity/3`` times (must stay below 3).
        rating_noise: Standard deviation of the rating around ``1 + 4 * satisfaction``.
        beg_response: Response-chance multiplier when the agent begged.
        beg_rating: Rating points added by begging among satisfied callers.
    """

    response_rate: float = Field(default=0.2, ge=0, le=1)
    extremity: float = Field(default=1.5, ge=0, lt=3)
    rating_noise: float = Field(default=0.6, ge=0, le=10)
    beg_response: float = Field(default=1.5, ge=1, le=100)
    beg_rating: float = Field(default=0.5, ge=0, le=4)

    @model_validator(mode="after")
    def _extremes_below_one(self) -> Surveys:
        top = self.response_rate * (1.0 + 2.0 * self.extremity / 3.0)
        if top > 1.0 + 1e-12:
            raise ValueError(
                "measurement.surveys.response_rate * (1 + 2/3 * measurement.surveys.extremity) must "
                "be <= 1 (the response "
                f"chance at the extremes), got {top:.3f}; lower the rate or the extremity"
            )
        return self


class QA(Block):
    """Quality assurance: a supervisor scores a few sampled calls.

    Attributes:
        samples: Calls scored per agent per period.
        base: Score of an unresolved call with normal care.
        resolved: Points for a resolved call.
        care: Points per unit of care above 1.
        rushed: Points lost by a rushed call.
        begged: Points lost by begging (visible on the recording).
        dump: Points lost by dumping (visible on the recording).
        rater_sd: Standard deviation of rater noise, in points.
    """

    samples: int = Field(default=4, ge=0, le=1000)
    base: float = Field(default=70.0, ge=0, le=100)
    resolved: float = Field(default=15.0, ge=0, le=100)
    care: float = Field(default=20.0, ge=0, le=100)
    rushed: float = Field(default=15.0, ge=0, le=100)
    begged: float = Field(default=10.0, ge=0, le=100)
    dump: float = Field(default=25.0, ge=0, le=100)
    rater_sd: float = Field(default=8.0, ge=0, le=100)


class Measurement(Block):
    """Surveys and QA, and the true satisfaction they measure."""

    surveys: Surveys = Surveys()
    qa: QA = QA()
    satisfaction: Satisfaction = Satisfaction()
