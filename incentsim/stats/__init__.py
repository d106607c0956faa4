"""Statistics for managers and researchers.

Rank consistency (is an agent's place in the league table more than a coin flip?
source 000), variance components (how much of the spread is people, how much the
system), the verdict that reads the two together (system, mixed or people), control
charts with Western Electric rules, and paired comparisons of policies across
common-random-number replications. Matplotlib loads only when a plot is drawn.
"""

from __future__ import annotations

# Imported eagerly, not lazily: three public functions share their module's name
# (rank_consistency, variance_components, control_chart), and importing such a
# submodule later would otherwise rebind the package attribute to the module.
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
from incentsim.stats.verdict import Verdict, expected_flagged_share, overall_verdict, verdict
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
    "Verdict",
    "chance_flag_probability",
    "chart_constants",
    "check_panel",
    "compare_policies",
    "control_chart",
    "expected_flagged_share",
    "load_panel",
    "mean_ci",
    "overall_verdict",
    "paired_difference",
    "parse_metric_spec",
    "plot_control_chart",
    "plot_rank_churn",
    "rank_consistency",
    "replications_needed",
    "required_replications",
    "variance_components",
    "verdict",
    "western_electric_signals",
]

