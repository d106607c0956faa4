"""Reward and management schemes behind one small interface."""

from incentsim.policies.base import MEASURED_COLUMNS, METRICS, Policy, Review, Signals
from incentsim.policies.builtin import Flat
from incentsim.policies.registry import build_policy, registered

__all__ = [
    "MEASURED_COLUMNS",
    "METRICS",
    "Flat",
    "Policy",
    "Review",
    "Signals",
    "build_policy",
    "registered",
]
