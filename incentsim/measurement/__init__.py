"""What the manager sees: surveys, QA sampling and KPIs, computed from the truth.

* :func:`survey` - who answers the post-call survey and what they rate.
* :func:`qa_scores` - a supervisor's scores of a few sampled calls per agent.
* :func:`agent_kpis` - the measured KPIs per agent and period (exactly what a policy
  reads; the truth beside them is :func:`incentsim.truth.agent_truth`).
* :func:`team_kpis` - the whole operation per period, measured and true side by side.
"""

from incentsim.measurement.kpis import AGENT_KPI_COLUMNS, TEAM_KPI_COLUMNS, agent_kpis, team_kpis
from incentsim.measurement.qa import QA_COLUMNS, qa_scores, sample_calls
from incentsim.measurement.surveys import response_probability, survey

__all__ = [
    "AGENT_KPI_COLUMNS",
    "QA_COLUMNS",
    "TEAM_KPI_COLUMNS",
    "agent_kpis",
    "qa_scores",
    "response_probability",
    "sample_calls",
    "survey",
    "team_kpis",
]
