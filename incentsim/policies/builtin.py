"""The built-in policies, imported together so that they are registered by name.

Each lives in its own module (one scheme per module, with its source); this
module only gathers them for :func:`~incentsim.policies.registry.registered`.
"""

from __future__ import annotations

from incentsim.policies.bonus import IndividualBonus
from incentsim.policies.combined import Combined
from incentsim.policies.deming import DemingManagement
from incentsim.policies.flat import Flat
from incentsim.policies.handle_time import HandleTimeTarget
from incentsim.policies.ranking import ForcedRanking
from incentsim.policies.team import TeamBonus

BUILTIN_POLICIES: tuple[type, ...] = (Flat, IndividualBonus, TeamBonus, HandleTimeTarget,
                                      ForcedRanking, DemingManagement, Combined)

__all__ = ["BUILTIN_POLICIES", "Combined", "DemingManagement", "Flat", "ForcedRanking",
           "HandleTimeTarget", "IndividualBonus", "TeamBonus"]
