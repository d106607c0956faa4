"""Scenario description: frozen, validated blocks; TOML in and out; a stable hash."""

from incentsim.scenario.behaviour import Behaviour, Conduct
from incentsim.scenario.laws import Duration, Patience
from incentsim.scenario.measurement import QA, Measurement, Surveys
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
    "Behaviour",
    "CallType",
    "Center",
    "Conduct",
    "Costs",
    "Customers",
    "Demand",
    "Duration",
    "Measurement",
    "Patience",
    "People",
    "Scenario",
    "Surveys",
    "System",
    "Tier2",
]
