"""People: motivation state per agent and the per-call conduct it leads to (pluggable).

* :class:`DefaultBehaviour` - the default model (satisfies :class:`BehaviourModel`);
  swap in your own object with the same methods.
* :func:`perceive` and :class:`Reading` - what a policy's review would do to each
  agent, read by asking the review itself.
* :class:`MotivationState` and :class:`Beliefs` - intrinsic motivation, stress,
  fairness, reward reference point, focus, and beliefs about the review.
* :func:`quit_probability` - attrition and sorting; :func:`improve` and
  :class:`ProcessState` - process learning from management time and helping.
* :mod:`incentsim.behaviour.crowding` - crowding out, calibrated to Deci,
  Koestner & Ryan (1999) with a simulated free-choice experiment.
"""

from incentsim.behaviour.attrition import quit_probability
from incentsim.behaviour.conduct import BehaviourModel, ConductPlan, PeriodOutcome
from incentsim.behaviour.crowding import DKR_1999_D, free_choice_experiment
from incentsim.behaviour.default import DefaultBehaviour
from incentsim.behaviour.expectations import CallSample, ExpectedKPIs, expected_kpis, tabulate
from incentsim.behaviour.perception import LEVERS, ConductLevels, Reading, Roster, perceive, pilot_sample
from incentsim.behaviour.process import ProcessState, improve
from incentsim.behaviour.state import Beliefs, MotivationState

__all__ = [
    "DKR_1999_D",
    "LEVERS",
    "BehaviourModel",
    "Beliefs",
    "CallSample",
    "ConductLevels",
    "ConductPlan",
    "DefaultBehaviour",
    "ExpectedKPIs",
    "MotivationState",
    "PeriodOutcome",
    "ProcessState",
    "Reading",
    "Roster",
    "expected_kpis",
    "free_choice_experiment",
    "improve",
    "perceive",
    "pilot_sample",
    "quit_probability",
    "tabulate",
]
