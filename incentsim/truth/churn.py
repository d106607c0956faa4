"""Customer churn from accumulated bad experiences.

DESIGN.md: customers have identities, and churn is per customer. The mechanism
(an assumption, no source gives a figure): a customer with ``threshold`` or more
calls whose true satisfaction fell below ``bad_below`` (default 0.4) leaves. The
threshold is ``scenario.customers.churn_threshold`` (default 2); ``bad_below``
is ``scenario.measurement.satisfaction.bad_below``. Abandoned calls count with
their (low) true satisfaction, so a customer who gives up twice churns.
"""

from __future__ import annotations

import numpy as np


def bad_experiences(customer_id: np.ndarray, true_satisfaction: np.ndarray,
                    bad_below: float = 0.4) -> tuple[np.ndarray, np.ndarray]:
    """Count bad experiences per customer.

    Args:
        customer_id: Customer of each call.
        true_satisfaction: True satisfaction of each call.
        bad_below: Satisfaction below which a call is a bad experience.

    Returns:
        ``(customers, counts)``: customers with at least one bad experience and how many.
    """
    customer_id = np.asarray(customer_id)
    sat = np.asarray(true_satisfaction, dtype=float)
    if customer_id.shape != sat.shape:
        raise ValueError("customer_id and true_satisfaction must have the same length")
    bad = customer_id[sat < bad_below]
    customers, counts = np.unique(bad, return_counts=True)
    return customers, counts


def churned_customers(customer_id: np.ndarray, true_satisfaction: np.ndarray, threshold: int,
                      bad_below: float = 0.4) -> np.ndarray:
    """Customers who churn: ``threshold`` or more bad experiences.

    Pass every call so far (not one period's) to accumulate experiences over the run.

    Args:
        customer_id: Customer of each call.
        true_satisfaction: True satisfaction of each call.
        threshold: Bad experiences after which a customer leaves (>= 1).
        bad_below: Satisfaction below which a call is a bad experience.

    Returns:
        Sorted array of churned customer ids.
    """
    if threshold < 1:
        raise ValueError("threshold must be >= 1")
    customers, counts = bad_experiences(customer_id, true_satisfaction, bad_below)
    return customers[counts >= threshold]
