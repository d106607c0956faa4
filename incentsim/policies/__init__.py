"""Reward and management schemes behind one small interface.

A policy stores its parameters in ``__init__`` and, at the end of every review
period, reads the measured KPIs (never the truth) and returns a
:class:`Review`: payouts, ranks, sanctions, coaching and the share of management
time spent improving the process. Agents respond only to what reviews do. Built-ins cover the
schemes in the sources; :func:`check_policy` lets anyone prove their own policy
follows the contract.
"""

from incentsim.policies.base import MEASURED_COLUMNS, METRICS, Policy, Review
from incentsim.policies.bonus import IndividualBonus
from incentsim.policies.combined import Combined
from incentsim.policies.conformance import (
    ConformanceReport,
    PolicyConformanceError,
    check_policy,
)
from incentsim.policies.deming import DemingManagement
from incentsim.policies.flat import Flat
from incentsim.policies.handle_time import HandleTimeTarget
from incentsim.policies.ranking import ForcedRanking, composite_ranks
from incentsim.policies.registry import build_policy, load_policy_module, registered
from incentsim.policies.synthetic import synthetic_measured
from incentsim.policies.team import TeamBonus

__all__ = [
    "MEASURED_COLUMNS",
    "METRICS",
    "Combined",
    "ConformanceReport",
    "DemingManagement",
    "Flat",
    "ForcedRanking",
    "HandleTimeTarget",
    "IndividualBonus",
    "Policy",
    "PolicyConformanceError",
    "Review",
    "TeamBonus",
    "build_policy",
    "check_policy",
    "composite_ranks",
    "load_policy_module",
    "registered",
    "synthetic_measured",
]
