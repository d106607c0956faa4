"""The truth layer: what callers really experienced, beside what managers measure.

* :func:`true_satisfaction` - per-call satisfaction from resolution, waits,
  transfers, care, upset and rushing (begging never raises it).
* :func:`churned_customers` - customers lost to accumulated bad experiences.
"""

from incentsim.truth.churn import bad_experiences, churned_customers
from incentsim.truth.satisfaction import SATISFACTION_COLUMNS, true_satisfaction

__all__ = ["SATISFACTION_COLUMNS", "bad_experiences", "churned_customers", "true_satisfaction"]
