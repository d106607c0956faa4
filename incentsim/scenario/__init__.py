"""Scenario description: frozen, validated blocks; TOML in and out; a stable hash."""

from incentsim.scenario.behaviour import (
    Attrition,
    Behaviour,
    Conduct,
    Decisions,
    Fairness,
    Improvement,
    Motivation,
    Perception,
    Stress,
)
from incentsim.scenario.laws import Duration, Patience
from incentsim.scenario.management import Management
from incentsim.scenario.measurement import QA, Measurement, Satisfaction, Surveys
from incentsim.scenario.model import Scenario
from incentsim.scenario.operation import (
    CallType,
    Center,
    Costs,
    Customers,
    Demand,
    People,
    System,
    Tier2,
)

__all__ = [
    "QA",
    "Attrition",
    "Behaviour",
    "CallType",
    "Center",
    "Conduct",
    "Costs",
    "Customers",
    "Decisions",
    "Demand",
    "Duration",
    "Fairness",
    "Improvement",
    "Management",
    "Measurement",
    "Motivation",
    "Patience",
    "Perception",
    "People",
    "Satisfaction",
    "Scenario",
    "Stress",
    "Surveys",
    "System",
    "Tier2",
]
