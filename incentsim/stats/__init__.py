"""Statistics for managers and researchers.

Rank consistency (is an agent's place in the league table more than a coin flip?
source 000), variance components (how much of the spread is people, how much the
system), control charts with Western Electric rules, and paired comparisons of policies
across common-random-number replications. Names load on first use, so importing this
package does no work.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "ConfidenceInterval": "incentsim.stats.comparison",
    "mean_ci": "incentsim.stats.comparison",
    "paired_difference": "incentsim.stats.comparison",
    "replications_needed": "incentsim.stats.comparison",
    "required_replications": "incentsim.stats.comparison",
    "compare_policies": "incentsim.stats.comparison",
    "RankConsistency": "incentsim.stats.rank_consistency",
    "rank_consistency": "incentsim.stats.rank_consistency",
    "chance_flag_probability": "incentsim.stats.rank_consistency",
    "VarianceComponents": "incentsim.stats.variance_components",
    "variance_components": "incentsim.stats.variance_components",
    "CHART_KINDS": "incentsim.stats.control_chart",
    "ControlChart": "incentsim.stats.control_chart",
    "control_chart": "incentsim.stats.control_chart",
    "ChartConstants": "incentsim.stats.control_chart_constants",
    "chart_constants": "incentsim.stats.control_chart_constants",
    "RULES": "incentsim.stats.western_electric",
    "Signal": "incentsim.stats.western_electric",
    "western_electric_signals": "incentsim.stats.western_electric",
    "plot_control_chart": "incentsim.stats.plots",
    "plot_rank_churn": "incentsim.stats.plots",
    "MetricSpec": "incentsim.stats.panel",
    "check_panel": "incentsim.stats.panel",
    "load_panel": "incentsim.stats.panel",
    "parse_metric_spec": "incentsim.stats.panel",
}

if TYPE_CHECKING:
    from incentsim.stats.comparison import (
        ConfidenceInterval,
        compare_policies,
        mean_ci,
        paired_difference,
        replications_needed,
        required_replications,
    )
    from incentsim.stats.control_chart import CHART_KINDS, ControlChart, control_chart
    from incentsim.stats.control_chart_constants import ChartConstants, chart_constants
    from incentsim.stats.panel import MetricSpec, check_panel, load_panel, parse_metric_spec
    from incentsim.stats.plots import plot_control_chart, plot_rank_churn
    from incentsim.stats.rank_consistency import (
        RankConsistency,
        chance_flag_probability,
        rank_consistency,
    )
    from incentsim.stats.variance_components import VarianceComponents, variance_components
    from incentsim.stats.western_electric import RULES, Signal, western_electric_signals

__all__ = [
    "CHART_KINDS",
    "RULES",
    "ChartConstants",
    "ConfidenceInterval",
    "ControlChart",
    "MetricSpec",
    "RankConsistency",
    "Signal",
    "VarianceComponents",
    "chance_flag_probability",
    "chart_constants",
    "check_panel",
    "compare_policies",
    "control_chart",
    "load_panel",
    "mean_ci",
    "paired_difference",
    "parse_metric_spec",
    "plot_control_chart",
    "plot_rank_churn",
    "rank_consistency",
    "replications_needed",
    "required_replications",
    "variance_components",
    "western_electric_signals",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'incentsim.stats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
