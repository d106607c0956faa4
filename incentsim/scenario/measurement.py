"""Scenario block for what the manager can measure: surveys and QA.

Mechanisms in :mod:`incentsim.measurement`. Defaults: 20% survey response
(source 004: "most organizations accept 20% response rates").
"""

from __future__ import annotations

from pydantic import Field

from incentsim.scenario.base import Block


class Surveys(Block):
    """Post-call satisfaction survey.

    Attributes:
        response_rate: Base chance a caller answers the survey.
    """

    response_rate: float = Field(default=0.2, ge=0, le=1)


class QA(Block):
    """Quality assurance: a supervisor scores a few sampled calls.

    Attributes:
        samples: Calls scored per agent per period.
    """

    samples: int = Field(default=4, ge=0, le=1000)


class Measurement(Block):
    """Surveys and QA."""

    surveys: Surveys = Surveys()
    qa: QA = QA()
