"""The self-contained HTML report of an experiment.

One file a manager can mail or open offline: figures embedded as base64 PNG
``data:`` URIs, styles inline, no scripts and no link to anything outside the
file. It holds, per scenario / sweep point, the plain-language summary
(:mod:`incentsim.report.summary_text`), the comparison table (means with 95%
intervals and paired differences from the baseline), the figures
(:mod:`incentsim.report.figures`, :mod:`incentsim.report.agent_figures`), then
the scenario's TOML and the manifest (provenance, desmod-style). Text is escaped
by jinja2's autoescape. The file is written to a temporary name and renamed, so
a failure never leaves half a report.
"""

from __future__ import annotations

import base64
import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from incentsim.errors import InputError
from incentsim.experiment.provenance import utc_now
from incentsim.report import practical, units
from incentsim.report.inputs import baseline_of, policies_of

#: Outcomes shown in the report's table, in order (those present in the results).
TABLE_OUTCOMES: tuple[str, ...] = (
    "true_csat", "measured_csat", "csat_gap", "fcr", "repeat_rate", "cost_per_resolved_call",
    "service_level", "mean_wait", "abandon_rate", "churn_rate", "beg_rate", "dump_rate", "rush_rate",
    "mean_intrinsic_motivation", "mean_stress", "quits", "fired", "bonus_paid", "calls",
)
#: Sweep points / scenarios drawn with figures; later ones get summary and table only.
MAX_POINTS_WITH_FIGURES = 8
#: Resolution of embedded figures.
DPI = 96


def _png(figure: Any) -> tuple[str, int, int]:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    width, height = (int(round(v * DPI)) for v in figure.get_size_inches())
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), width, height


def _figure(title: str, caption: str, draw: Callable[[], Any]) -> dict[str, Any]:
    """Draw one figure; a figure the data cannot support is reported in its place, not fatal."""
    try:
        drawn = draw()
    except (InputError, ValueError) as exc:
        return {"title": title, "caption": caption, "uri": None, "error": str(exc).splitlines()[0]}
    figure = getattr(drawn, "figure", drawn)
    uri, width, height = _png(figure)
    return {"title": title, "caption": caption, "uri": uri, "width": width, "height": height}


def table_rows(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
               labels: Sequence[str] = (), ctx: units.Context | None = None) -> list[dict[str, Any]]:
    """The report's comparison tables (see :func:`incentsim.report.tables.comparison_tables`)."""
    from incentsim.report.tables import comparison_tables

    return comparison_tables(summaries, policies, baseline, ctx, labels)


_LABELS = frozenset({"scenario", "scenario_hash", "point", "policy", "replication"})


def _point_label(manifest: dict[str, Any], point: Any) -> str:
    for record in manifest.get("points", []):
        if record.get("index") == point:
            sweep = ", ".join(f"{k} = {v}" for k, v in (record.get("sweep") or {}).items())
            return f"{record.get('scenario', 'scenario')}" + (f" ({sweep})" if sweep else "")
    return f"point {point}"


def _section(experiment: Any, summaries: pd.DataFrame, agents: pd.DataFrame | None, point: Any,
             heading: str, with_figures: bool, with_agents: bool, ctx: units.Context) -> dict[str, Any]:
    from incentsim.report.agent_figures import plot_agent_control_charts, plot_people_over_time, plot_rank_stability
    from incentsim.report.figures import (
        plot_gaming_rates,
        plot_paired_differences,
        plot_policy_comparison,
        plot_satisfaction_gap,
    )
    from incentsim.report.summary_text import plain_summary

    policies = policies_of(experiment, summaries)
    baseline = baseline_of(experiment, policies)
    view = _View(summaries, agents, policies, baseline)
    section: dict[str, Any] = {
        "anchor": f"point-{point}", "heading": heading, "policies": policies, "baseline": baseline,
        "others": [p for p in policies if p != baseline], "summary": plain_summary(view, ctx=ctx),
        "tables": table_rows(summaries, policies, baseline, labels=list(_sweep_keys(experiment)), ctx=ctx),
        "figures": [],
    }
    if not with_figures:
        return section
    figures = section["figures"]
    figures.append(_figure(
        "Outcomes by policy", "Each dot is a policy's mean over replications; the bar is its 95% interval. "
        "Overlapping bars alone do not settle a comparison: the paired differences below do.",
        lambda: plot_policy_comparison(view)))
    figures.append(_figure(
        f"Paired differences from {baseline}", "Each policy minus the baseline, replication by replication, with "
        "its 95% interval. A filled dot is a clear difference; a hollow one spans zero (no clear difference).",
        lambda: plot_paired_differences(view)))
    figures.append(_figure(
        "Measured vs true satisfaction", "Grey: what surveys say (share of responses rated 4 or 5). Blue: the "
        "share of all answered callers who were truly satisfied. Survey begging and dumping upset callers "
        "raise the grey bar without raising the blue one.", lambda: plot_satisfaction_gap(view)))
    figures.append(_figure(
        "Gaming", "Share of answered calls where the agent asked for a good rating (begging), passed an upset "
        "caller on (dumping) or cut the call short (rushing).", lambda: plot_gaming_rates(view)))
    if agents is not None and not agents.empty:
        figures.append(_figure(
            "Motivation and stress over time", "Mean over agents per review period; the band is the 95% "
            "interval over replications. Pay for measured performance tends to crowd out intrinsic "
            "motivation; threats and ranking raise stress.", lambda: plot_people_over_time(view)))
    if with_agents and agents is not None and not agents.empty:
        focus = section["others"][0] if section["others"] else baseline
        figures.append(_figure(
            f"Control charts per agent under {focus}", "Average handle time per review period for a few agents "
            "of the first replication, with the limits of their own common-cause variation. Only ringed "
            "points (outside the limits or breaking a run rule) are signals worth a question.",
            lambda: plot_agent_control_charts(view, policy=focus)))
        agents_seen = int(agents.loc[(agents["policy"].astype(str) == policies[0])
                                     & (agents["replication"] == agents["replication"].min()), "agent"].nunique())
        seats = _seats(experiment)
        turnover = (f" In the first replication of {policies[0]}, {agents_seen} people were ranked for "
                    f"{seats} seats: agents who quit or were fired leave the league table and the people hired "
                    "in their place join it, so a centre ranks more people than it has seats; each counts in "
                    "the periods they worked." if seats and agents_seen > seats else "")
        figures.append(_figure(
            "Does a good period predict a good period?", "For every policy: of the agents in the better half of "
            "one period's league table (handle time, QA score, measured satisfaction), the share who are in the "
            "better half again the next period. A coin flip gives 50% (dashed line): bars near it mean the "
            "ranking mostly reflects the system's noise (source 000 found 13-22% of agents ranking "
            "consistently); bars well above it mean people differ in ways the metric sees." + turnover,
            lambda: plot_rank_stability(view)))
    return section


def _seats(experiment: Any) -> int | None:
    try:
        return int(experiment.scenario.center.tier1_agents)
    except Exception:  # noqa: BLE001  (no scenario in the manifest: say nothing about seats)
        return None


def _sweep_keys(experiment: Any) -> list[str]:
    manifest = getattr(experiment, "manifest", None) or {}
    return [str(k) for k in (manifest.get("sweep") or {})]


class _View:
    """One point's frames, shaped like an Experiment for the figure and summary functions."""

    def __init__(self, summaries: pd.DataFrame, agents: pd.DataFrame | None, policies: list[str],
                 baseline: str) -> None:
        self.summaries = summaries
        self.agents = agents if agents is not None else pd.DataFrame(
            columns=["policy", "replication", "agent", "period"])
        self.policies = policies
        self.baseline = baseline


def _threshold_rows(ctx: units.Context) -> list[tuple[str, str]]:
    """Each outcome's practical threshold, as the "How to read" section lists them."""
    rows = []
    for outcome, (value, relative) in practical.THRESHOLDS.items():
        if outcome == "management_cost":
            continue
        shown = f"{value:.0%} of the baseline's mean" if relative else units.show_difference(outcome, value, ctx)
        rows.append((units.label(outcome), shown))
    return rows


def _provenance(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    git = manifest.get("git") or {}
    sessions = manifest.get("sessions") or []
    cells = manifest.get("cells") or {}
    facts = [
        ("status", str(manifest.get("status", "unknown"))),
        ("scenarios", ", ".join(f"{s.get('name')} (hash {str(s.get('hash', ''))[:16]})"
                                for s in manifest.get("scenarios", []))),
        ("policies", "; ".join(f"{p.get('name')}: {p.get('repr', p.get('spec'))}"
                               for p in manifest.get("policies", []))),
        ("baseline", str(manifest.get("baseline", ""))),
        ("seed", str(manifest.get("seed", ""))),
        ("replications", str(manifest.get("replications", ""))),
        *([("precision", json.dumps(manifest["precision"].get("settings")))]
          if isinstance(manifest.get("precision"), dict) else []),
        ("sweep", json.dumps(manifest.get("sweep") or {}) if manifest.get("sweep") else "none"),
        ("runs", f"{cells.get('done', '?')} of {cells.get('planned', '?')}"),
        ("git commit", f"{git.get('commit', 'not recorded')}" + (" (uncommitted changes)" if git.get("dirty") else "")),
        ("versions", ", ".join(f"{k} {v}" for k, v in (manifest.get("versions") or {}).items())),
    ]
    for i, session in enumerate(sessions, start=1):
        facts.append((f"session {i}", f"{session.get('started')} to {session.get('finished')}, "
                      f"{session.get('wall_seconds')} s wall, {session.get('compute_seconds')} s compute, "
                      f"{session.get('cells_run')} runs on {session.get('executor')}"))
    return facts


def render_report(experiment: Any, robustness: Any = None) -> str:
    """The report of an experiment as one self-contained HTML document.

    Args:
        experiment: An :class:`~incentsim.experiment.Experiment` (anything with
            ``summaries``, ``agents`` and ``manifest``).
        robustness: A :class:`~incentsim.robustness.Robustness` of the same
            scenario; adds the section "Which conclusions survive".

    Returns:
        The HTML text.

    Raises:
        InputError: If the experiment holds no finished run.
    """
    import importlib.metadata

    import jinja2

    summaries: pd.DataFrame = experiment.summaries
    if summaries is None or summaries.empty:
        raise InputError.single("report", "summaries", "the experiment has no finished run to report on")
    agents: pd.DataFrame | None = getattr(experiment, "agents", None)
    manifest: dict[str, Any] = dict(getattr(experiment, "manifest", {}) or {})
    points = list(dict.fromkeys(summaries["point"])) if "point" in summaries.columns else [None]
    ctx = units.context_of(experiment)
    sections = []
    for k, point in enumerate(points):
        part = summaries if point is None else summaries[summaries["point"] == point]
        agent_part = agents if agents is None or point is None or "point" not in agents.columns \
            else agents[agents["point"] == point]
        heading = "Results" if len(points) == 1 else _point_label(manifest, point)
        sections.append(_section(experiment, part, agent_part, point if point is not None else 0, heading,
                                 with_figures=k < MAX_POINTS_WITH_FIGURES, with_agents=k == 0, ctx=ctx))
    scenarios = manifest.get("scenarios", [])
    names = ", ".join(str(s.get("name")) for s in scenarios) or "experiment"
    policies = policies_of(experiment, summaries)
    replications = manifest.get("replications", summaries["replication"].nunique())
    overview = (f"{len(policies)} policies ({', '.join(policies)}) x {replications} replications"
                + (f" x {len(points)} scenarios or sweep points" if len(points) > 1 else "")
                + f", seed {manifest.get('seed', '?')}. Every policy met the same callers, customers and survey "
                "draws in each replication (common random numbers).")
    from incentsim.experiment.precision import stop_text

    if stopped := stop_text(manifest):
        overview += " " + stopped
    try:
        version = importlib.metadata.version("incentsim")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    cells = manifest.get("cells") or {}
    env = jinja2.Environment(loader=jinja2.PackageLoader("incentsim.report", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("report.html").render(
        title=f"incentsim report: {names}", overview=overview, version=version, generated=utc_now(),
        complete=manifest.get("status", "complete") == "complete", done=cells.get("done", len(summaries)),
        planned=cells.get("planned", len(summaries)), sections=sections, replications=replications,
        scenarios=[{"name": s.get("name"), "hash": s.get("hash"), "toml": s.get("toml", "")} for s in scenarios],
        provenance=_provenance(manifest), rule=practical.RULE, currency=ctx.currency,
        thresholds=_threshold_rows(ctx),
        manifest_json=json.dumps(manifest, indent=2, default=repr),
        extras=_extra_sections(robustness),
    )


def _extra_sections(robustness: Any) -> list[dict[str, str]]:
    """Sections other packages render themselves: ``anchor``, ``heading``, ``html``."""
    if robustness is None:
        return []
    from incentsim.robustness.report import section

    return [section(robustness)]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_report(experiment: Any, path: str | Path, robustness: Any = None) -> Path:
    """Write the self-contained HTML report of an experiment.

    The file is written under a temporary name in the same directory and renamed
    into place, so an error never leaves half a report behind.

    Args:
        experiment: An :class:`~incentsim.experiment.Experiment`.
        path: The HTML file to write.
        robustness: A robustness result to add as the section "Which conclusions survive".

    Returns:
        The path written.

    Raises:
        InputError: If the experiment has no finished run, or ``path`` is a
            directory or its folder does not exist.

    Example:
        >>> import incentsim as isim                                   # doctest: +SKIP
        >>> from incentsim.report import write_report                  # doctest: +SKIP
        >>> write_report(isim.load("out/survey_bonus"), "report.html")  # doctest: +SKIP
    """
    target = Path(path)
    if target.is_dir():
        raise InputError.single("report", "--html", f"{target} is a directory; give a file name such as "
                                f"{target / 'report.html'}")
    if not target.parent.is_dir():
        raise InputError.single("report", "--html", f"folder {target.parent} does not exist")
    html = render_report(experiment) if robustness is None else render_report(experiment, robustness)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(html)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
