"""Reports: comparison figures, plain-language verdicts and the self-contained HTML report.

Public names load on first use, so ``import incentsim.report`` does not pull in
matplotlib or jinja2:

- :func:`write_report` (``incentsim report`` and ``incentsim run`` call it),
- the figures :func:`plot_policy_comparison`, :func:`plot_paired_differences`,
  :func:`plot_satisfaction_gap`, :func:`plot_gaming_rates`,
  :func:`plot_people_over_time`, :func:`plot_agent_control_charts`,
  :func:`plot_rank_churn`, :func:`plot_rank_stability`,
- :func:`plain_summary` (which policy does best on true outcomes, where measured
  and true disagree).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incentsim.report.agent_figures import (
        plot_agent_control_charts,
        plot_people_over_time,
        plot_rank_churn,
        plot_rank_stability,
    )
    from incentsim.report.figures import (
        plot_gaming_rates,
        plot_paired_differences,
        plot_policy_comparison,
        plot_satisfaction_gap,
    )
    from incentsim.report.html import render_report, write_report
    from incentsim.report.summary_text import plain_summary

_LAZY: dict[str, str] = {
    "write_report": "incentsim.report.html",
    "render_report": "incentsim.report.html",
    "plot_policy_comparison": "incentsim.report.figures",
    "plot_paired_differences": "incentsim.report.figures",
    "plot_satisfaction_gap": "incentsim.report.figures",
    "plot_gaming_rates": "incentsim.report.figures",
    "plot_people_over_time": "incentsim.report.agent_figures",
    "plot_agent_control_charts": "incentsim.report.agent_figures",
    "plot_rank_churn": "incentsim.report.agent_figures",
    "plot_rank_stability": "incentsim.report.agent_figures",
    "plain_summary": "incentsim.report.summary_text",
}

__all__ = [
    "plain_summary",
    "plot_agent_control_charts",
    "plot_gaming_rates",
    "plot_paired_differences",
    "plot_people_over_time",
    "plot_policy_comparison",
    "plot_rank_churn",
    "plot_rank_stability",
    "plot_satisfaction_gap",
    "render_report",
    "write_report",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'incentsim.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
