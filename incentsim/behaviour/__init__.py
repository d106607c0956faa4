"""People: motivation state per agent and the per-call conduct it leads to (pluggable).

* :class:`DefaultBehaviour` - the default model (satisfies
  :class:`BehaviourModel`, plus ``hire``); swap in your own object with the same methods.
* :class:`MotivationState` - intrinsic motivation, stress, fairness, reward
  reference point, focus.
* :func:`quit_probability` - attrition; :func:`improve` and :class:`ProcessState` -
  process learning from management time, helping and feedback.
* :mod:`incentsim.behaviour.crowding` - crowding out, calibrated to Deci,
  Koestner & Ryan (1999) with a simulated free-choice experiment.
"""

from incentsim.behaviour.attrition import quit_probability
from incentsim.behaviour.conduct import BehaviourModel, ConductPlan, PeriodOutcome
from incentsim.behaviour.crowding import DKR_1999_D, free_choice_experiment
from incentsim.behaviour.default import DefaultBehaviour
from incentsim.behaviour.process import ProcessState, improve
from incentsim.behaviour.salience import Salience, salience
from incentsim.behaviour.state import MotivationState

__all__ = [
    "DKR_1999_D",
    "BehaviourModel",
    "ConductPlan",
    "DefaultBehaviour",
    "MotivationState",
    "PeriodOutcome",
    "ProcessState",
    "Salience",
    "free_choice_experiment",
    "improve",
    "quit_probability",
    "salience",
]
