"""What the manager sees: surveys, QA sampling and KPIs, computed from the truth.

* :func:`survey` - who answers the post-call survey and what they rate.
* :func:`qa_scores` - a supervisor's scores of a few sampled calls per agent.
* :func:`agent_kpis`, :func:`team_kpis` - measured KPIs beside their true counterparts.
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
