"""What the what-if page lets a manager move, as pure data: no widgets here.

Two questions decide whether paying on individual numbers can work (DESIGN
section 2, the honesty principle): how much agents truly differ, and how well the
centre measures them. The page moves both on top of a scenario:

- ``people_spread`` multiplies the scenario's spread of agents' speed and quality
  (``people.speed_sd``, ``people.quality_sd``): 0 makes everyone alike, 3 makes
  differences three times the scenario's;
- ``qa_samples`` (calls scored per agent per period) and ``response_rate``
  (share of customers who answer the survey) set measurement quality;
- ``months`` shortens or lengthens the run (a shorter run answers sooner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from incentsim.errors import InputError
from incentsim.scenario import Scenario


@dataclass(frozen=True)
class Knobs:
    """Changes the page applies to a scenario; ``None`` keeps the scenario's own value.

    Attributes:
        people_spread: Multiplier on ``people.speed_sd`` and ``people.quality_sd``.
        qa_samples: Calls QA scores per agent per period.
        response_rate: Share of customers who answer the survey.
        months: Review periods simulated.
    """

    people_spread: float = 1.0
    qa_samples: int | None = None
    response_rate: float | None = None
    months: int | None = None

    def changes(self, scenario: Scenario) -> dict[str, Any]:
        """The dotted-key changes these knobs make to ``scenario``."""
        people = scenario.people
        out: dict[str, Any] = {}
        if self.people_spread != 1.0:
            out["people.speed_sd"] = min(2.0, people.speed_sd * self.people_spread)
            out["people.quality_sd"] = min(0.5, people.quality_sd * self.people_spread)
        if self.qa_samples is not None:
            out["measurement.qa.samples"] = int(self.qa_samples)
        if self.response_rate is not None:
            out["measurement.surveys.response_rate"] = float(self.response_rate)
        if self.months is not None:
            out["center.months"] = int(self.months)
        return out

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario with these knobs applied (validated like any scenario).

        Raises:
            InputError: If a knob takes a value the scenario does not allow.
        """
        changes = self.changes(scenario)
        return scenario.replace(**changes) if changes else scenario


def read_uploaded(data: bytes, filename: str) -> Scenario:
    """A scenario from an uploaded TOML file.

    Raises:
        InputError: If the file is not UTF-8 text or not a valid scenario.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError.single(filename, "file", "is not UTF-8 text; upload a scenario .toml file") from None
    return Scenario.from_toml(text, source=filename)
