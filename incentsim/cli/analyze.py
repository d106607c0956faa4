"""``incentsim analyze``: rank consistency and people/system variance shares of your own data.

A manager points it at the agent-by-period file they already keep (CSV or Parquet, one
row per agent per review period) and learns which world their centre is in: whether the
league table carries signal about people or mostly reshuffles the system's noise
(source 000's coin-flip test). Loading and checking live in
:mod:`incentsim.stats.panel`; this module only prints and draws.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from incentsim.cli.common import handle_input_errors
from incentsim.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from incentsim.stats.panel import MetricSpec
    from incentsim.stats.rank_consistency import RankConsistency
    from incentsim.stats.variance_components import VarianceComponents


def _percent(value: float) -> str:
    return "n/a" if value != value else f"{value:.1%}"  # NaN check without numpy


def _rank_table(result: RankConsistency) -> str:
    table = result.table()
    shown = table.assign(
        share_non_random=table["share_non_random"].map(_percent),
        expected_by_chance=table["expected_by_chance"].map(lambda v: f"{v:.1f}"),
        chance_share=table["chance_share"].map(_percent),
        chance_p_value=table["chance_p_value"].map(lambda v: f"{v:.2g}"),
    ).rename(columns={"agents_tested": "agents", "share_non_random": "share",
                      "expected_by_chance": "chance would flag",
                      "chance_share": "chance share", "chance_p_value": "p (this many by chance)"})
    return shown.to_string(index=False)


def _variance_table(components: list[VarianceComponents]) -> str:
    import pandas as pd

    rows = [{
        "metric": c.metric,
        "people share (ICC)": _percent(c.icc),
        f"{c.confidence:.0%} CI": f"{_percent(c.icc_ci[0])} to {_percent(c.icc_ci[1])}",
        "system share": _percent(c.system_share),
        "agents": c.agents,
        "periods per agent": f"{c.n0:.1f}",
        "one-period reliability": f"{c.reliability(1):.2f}",
    } for c in components]
    return pd.DataFrame(rows).to_string(index=False)


def _flagged_lines(result: RankConsistency) -> list[str]:
    parts = [*result.by_metric.values(), result] if result.by_metric else [result]
    lines = []
    for part in parts:
        flagged = part.agents.loc[part.agents["non_random"]]
        if flagged.empty:
            continue
        names = ", ".join(f"{a} ({d})" for a, d in zip(flagged["agent"], flagged["direction"],
                                                         strict=True))
        lines.append(f"  non-random on {' & '.join(part.metrics)}: {names}")
    return lines


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "metric"


def _save_figure(figure: object, path: Path) -> None:
    """Write a figure under a temporary name in the same folder, then rename it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".png", dir=path.parent)
    os.close(handle)
    try:
        figure.savefig(temporary, dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _write_plots(panel: pd.DataFrame, agent: str, period: str, specs: list[MetricSpec],
                 result: RankConsistency, plots: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from incentsim.stats.control_chart import control_chart
    from incentsim.stats.plots import plot_control_chart, plot_rank_churn

    written = []
    parts = result.by_metric or {specs[0].name: result}
    for spec in specs:
        name = _safe_name(spec.name)
        figure, axes = plt.subplots(figsize=(9, 5))
        plot_rank_churn(panel, agent, period, spec.name, spec.higher_is_better,
                        result=parts[spec.name], ax=axes)
        _save_figure(figure, plots / f"rank_churn_{name}.png")
        plt.close(figure)
        written.append(plots / f"rank_churn_{name}.png")

        means = panel.groupby(period)[spec.name].mean().dropna().sort_index()
        if len(means) >= 2:
            chart = control_chart(means.to_numpy(), "xmr")
            figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True,
                                                 height_ratios=(2, 1))
            plot_control_chart(chart, ax=top, title=f"Centre average {spec.name} by period (XmR)")
            assert chart.secondary is not None
            plot_control_chart(chart.secondary, ax=bottom, title="Moving range")
            top.set_xlabel("")
            bottom.set_xlabel(period)
            bottom.set_xticks(range(len(means)))
            bottom.set_xticklabels([str(p) for p in means.index], rotation=45, ha="right",
                                   fontsize="small")
            figure.tight_layout()
            _save_figure(figure, plots / f"control_chart_{name}.png")
            plt.close(figure)
            written.append(plots / f"control_chart_{name}.png")
    return written


@click.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--agent", default="agent", show_default=True, help="Column naming the agent.")
@click.option("--period", default="period", show_default=True,
              help="Column naming the review period (month, week, ...).")
@click.option("--metric", "metrics", multiple=True, required=True, metavar="NAME:lower|higher",
              help="A metric column and which direction is better; repeat for several, "
                   "e.g. --metric aht:lower --metric qa:higher.")
@click.option("--alpha", default=0.05, show_default=True, type=float,
              help="Significance level of each agent's coin-flip test.")
@click.option("--min-periods", default=2, show_default=True, type=int,
              help="Fewest counted periods for an agent to be tested.")
@click.option("--plots", "plots_dir", default=None, type=click.Path(file_okay=False),
              help="Folder to write rank-churn and control-chart PNGs to.")
@handle_input_errors
def analyze(data: str, agent: str, period: str, metrics: tuple[str, ...], alpha: float,
            min_periods: int, plots_dir: str | None) -> None:
    """Test whether agents' ranks in DATA (CSV or Parquet) repeat more than chance explains.

    DATA has one row per agent per period. Prints, per metric, how many agents rank
    better or worse than a coin flip explains against how many chance alone would
    flag, and the share of variance due to people rather than the system.
    """
    from incentsim.stats.panel import load_panel, parse_metric_spec
    from incentsim.stats.rank_consistency import rank_consistency
    from incentsim.stats.variance_components import variance_components

    problems: list[Problem] = []
    specs: list[MetricSpec] = []
    for text in metrics:
        try:
            specs.append(parse_metric_spec(text))
        except InputError as exc:
            problems.extend(exc.problems)
    if not 0.0 < alpha < 1.0:
        problems.append(Problem("--alpha", f"{alpha!r} is not strictly between 0 and 1"))
    if min_periods < 1:
        problems.append(Problem("--min-periods", f"{min_periods!r} must be at least 1"))
    plots = Path(plots_dir) if plots_dir is not None else None
    if plots is not None and plots.exists() and not plots.is_dir():
        problems.append(Problem("--plots", f"{plots} exists and is not a folder"))
    if problems:
        raise InputError("options", problems)

    panel = load_panel(data, agent, period, specs)
    names = [s.name for s in specs]
    result = rank_consistency(panel, agent, period, names,
                              [s.higher_is_better for s in specs], alpha=alpha,
                              min_periods=min_periods)
    components = []
    for name in names:
        try:
            components.append(variance_components(panel, agent, period, name))
        except InputError:
            continue  # too few values for the ANOVA on this metric; said below

    try:
        periods = sorted(panel[period].unique())
    except TypeError:  # mixed labels (numbers and text): order them as text
        periods = sorted(panel[period].unique(), key=str)
    click.echo(f"{Path(data).name}: {panel[agent].nunique()} agents, {len(periods)} periods "
               f"({periods[0]} to {periods[-1]}); metrics: "
               + ", ".join(f"{s.name} ({'higher' if s.higher_is_better else 'lower'} is better)"
                           for s in specs))
    click.echo("")
    click.echo(f"Rank consistency: is each agent in the better half more or less often than a "
               f"fair coin allows? (exact binomial test, alpha {alpha:g})")
    click.echo(_rank_table(result))
    click.echo("")
    click.echo(result.summary())
    for line in _flagged_lines(result):
        click.echo(line)
    click.echo("")
    click.echo("Variance shares: how much of one period's spread is people, how much the system")
    if components:
        click.echo(_variance_table(components))
        click.echo("")
        for c in components:
            click.echo(c.summary())
    missing = [n for n in names if n not in {c.metric for c in components}]
    if missing:
        click.echo(f"Not enough values for variance shares on: {', '.join(missing)}")
    if plots is not None:
        plots.mkdir(parents=True, exist_ok=True)
        written = _write_plots(panel, agent, period, specs, result, plots)
        click.echo("")
        click.echo("Plots written: " + ", ".join(str(p) for p in written))
