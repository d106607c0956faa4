"""The truth layer: what callers really experienced, beside what managers measure.

* :func:`true_satisfaction` - per-call satisfaction from resolution, waits,
  transfers, care, upset and rushing (begging never raises it).
* :func:`churned_customers` - customers lost to accumulated bad experiences.
* :func:`agent_truth` - true KPIs per agent and period, beside the measured ones.
"""

from incentsim.truth.churn import bad_experiences, churned_customers
from incentsim.truth.kpis import TRUTH_KPI_COLUMNS, agent_truth
from incentsim.truth.satisfaction import SATISFACTION_COLUMNS, true_satisfaction

__all__ = ["SATISFACTION_COLUMNS", "TRUTH_KPI_COLUMNS", "agent_truth", "bad_experiences", "churned_customers",
           "true_satisfaction"]
