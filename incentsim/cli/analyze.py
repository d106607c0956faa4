"""``incentsim analyze``: which world does your own agent data show, the system's or the people's?

A manager points it at the agent-by-period file they already keep (CSV or Parquet, one
row per agent per review period) and gets, per metric, a graded verdict (``system``,
``mixed`` or ``people``: :mod:`incentsim.stats.verdict`) from the people share of the
spread and source 000's coin-flip test, in plain words and, with ``--json``, as figures.

Order of work, so that bad input never leaves half an answer: every option and every
check of the file (columns, types, finite values, duplicates, metrics that do not vary,
log of non-positive values) runs first and all problems are reported together with exit
code 2; then the statistics; then the plot folder is created and the figures written;
only then is anything printed.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from incentsim.cli.common import handle_input_errors
from incentsim.cli.output_files import atomic_writer, check_writable_folder
from incentsim.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from incentsim.stats.panel import MetricSpec
    from incentsim.stats.rank_consistency import RankConsistency
    from incentsim.stats.variance_components import VarianceComponents
    from incentsim.stats.verdict import Verdict


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)


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


def _variance_table(components: list[VarianceComponents], logged: set[str]) -> str:
    import pandas as pd

    rows = [{
        "metric": c.metric + (" (log)" if c.metric in logged else ""),
        "people share (ICC)": _percent(c.icc),
        f"{c.confidence:.0%} CI": f"{_percent(c.icc_ci[0])} to {_percent(c.icc_ci[1])}",
        "system share": _percent(c.system_share),
        "agents": c.agents,
        "periods per agent": f"{c.n0:.1f}",
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
        lines.append(f"  flagged on {' & '.join(part.metrics)}: {names}")
    return lines


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "metric"


def _save_figure(figure: object, path: Path) -> None:
    """Write a PNG under a temporary name in the same folder (normal permissions), then rename it."""
    with atomic_writer(path) as handle:
        figure.savefig(handle, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]


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


def _option_problems(metrics: tuple[str, ...], logs: tuple[str, ...], alpha: float, min_periods: int,
                     plots: Path | None) -> tuple[list[MetricSpec], list[Problem]]:
    from incentsim.stats.panel import parse_metric_spec

    problems: list[Problem] = []
    specs: list[MetricSpec] = []
    for text in metrics:
        try:
            specs.append(parse_metric_spec(text))
        except InputError as exc:
            problems.extend(exc.problems)
    if not (0.0 < alpha < 1.0):
        problems.append(Problem("--alpha", f"{alpha!r} is not strictly between 0 and 1"))
    if min_periods < 1:
        problems.append(Problem("--min-periods", f"{min_periods!r} must be at least 1"))
    names = {s.name for s in specs}
    for name in logs:
        if specs and name not in names:
            problems.append(Problem("--log", f"{name!r} is not one of the --metric columns "
                                             f"({', '.join(sorted(names))})"))
    if plots is not None:
        problem = check_writable_folder(plots, "--plots")
        if problem is not None:
            problems.append(problem)
    return specs, problems


def _log_problems(panel: pd.DataFrame, logs: set[str]) -> list[Problem]:
    from incentsim.stats.table_file import describe_rows

    problems = []
    for name in sorted(logs):
        bad = (panel[name] <= 0).to_numpy()
        if bad.any():
            problems.append(Problem(name, f"--log needs positive values; {int(bad.sum())} value(s) are zero "
                                          f"or negative, in {describe_rows(bad)}"))
    return problems


def _plain(value: Any) -> Any:
    from incentsim.stats.table_file import plain

    value = plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _rank_dict(result: RankConsistency) -> dict[str, Any]:
    agents = result.agents
    return {
        "metrics": list(result.metrics), "tested": result.n_tested, "flagged": result.n_non_random,
        "share_flagged": _plain(result.share_non_random), "chance_share": _plain(result.chance_share),
        "expected_by_chance": _plain(result.expected_by_chance),
        "chance_p_value": _plain(result.chance_p_value), "tied_share": _plain(result.tied_share),
        "agents": [{key: _plain(row[key]) for key in
                    ("agent", "present", "periods", "better_half", "p_value", "non_random", "direction",
                     "tested")} for _, row in agents.iterrows()],
        "text": result._sentence(),
    }


def _components_dict(c: VarianceComponents) -> dict[str, Any]:
    return {"icc": _plain(c.icc), "icc_ci": [_plain(v) for v in c.icc_ci], "confidence": c.confidence,
            "system_share": _plain(c.system_share), "between_var": _plain(c.between_var),
            "within_var": _plain(c.within_var), "grand_mean": _plain(c.grand_mean), "agents": c.agents,
            "observations": c.observations, "periods_per_agent": _plain(c.n0),
            "f_statistic": _plain(c.f_statistic), "p_value": _plain(c.p_value),
            "one_period_reliability": _plain(c.reliability(1))}


@click.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--agent", default="agent", show_default=True, help="Column naming the agent.")
@click.option("--period", default="period", show_default=True,
              help="Column naming the review period (month, week, ...).")
@click.option("--metric", "metrics", multiple=True, required=True, metavar="NAME:lower|higher",
              help="A metric column and which direction is better; repeat for several, "
                   "e.g. --metric aht:lower --metric qa:higher.")
@click.option("--log", "logs", multiple=True, metavar="NAME",
              help="Compute the people share of this metric on a log scale (for skewed metrics such "
                   "as AHT); repeat for several. The coin-flip test is the same on either scale.")
@click.option("--alpha", default=0.05, show_default=True, type=float,
              help="Significance level of each agent's coin-flip test.")
@click.option("--min-periods", default=2, show_default=True, type=int,
              help="Fewest counted periods for an agent to be tested.")
@click.option("--plots", "plots_dir", default=None, type=click.Path(file_okay=False),
              help="Folder to write rank-churn and control-chart PNGs to.")
@click.option("--json", "as_json", is_flag=True, help="Print every figure and the verdict as JSON.")
@click.option("--sep", default=",", show_default=True, help="Column separator of a CSV file (e.g. ';').")
@click.option("--decimal", default=".", show_default=True, help="Decimal mark of a CSV file (e.g. ',').")
@handle_input_errors
def analyze(data: str, agent: str, period: str, metrics: tuple[str, ...], logs: tuple[str, ...],
            alpha: float, min_periods: int, plots_dir: str | None, as_json: bool, sep: str,
            decimal: str) -> None:
    """Say whether agents' ranks in DATA (CSV or Parquet) show people or the system.

    DATA has one row per agent per period. For each metric it prints a verdict
    (system, mixed or people), the share of one period's spread due to people (ICC, with
    its interval) and how many agents rank better or worse than a coin flip explains,
    against how many chance alone would flag.
    """
    import numpy as np

    from incentsim.stats.panel import load_panel
    from incentsim.stats.rank_consistency import rank_consistency
    from incentsim.stats.variance_components import variance_components
    from incentsim.stats.verdict import SOURCE_000, _needed_periods, overall_verdict, verdict

    plots = Path(plots_dir) if plots_dir is not None else None
    specs, problems = _option_problems(metrics, logs, alpha, min_periods, plots)
    if problems:
        raise InputError("options", problems)

    panel = load_panel(data, agent, period, specs, require_spread=True, sep=sep, decimal=decimal)
    logged = set(logs)
    log_problems = _log_problems(panel, logged)
    if log_problems:
        raise InputError(str(Path(data)), log_problems)

    names = [s.name for s in specs]
    result = rank_consistency(panel, agent, period, names, [s.higher_is_better for s in specs],
                              alpha=alpha, min_periods=min_periods)
    singles = result.by_metric or {names[0]: result}
    needed = _needed_periods(alpha)
    scaled = panel.assign(**{name: np.log(panel[name]) for name in logged})
    components: dict[str, VarianceComponents] = {}
    verdicts: list[Verdict] = []
    for spec in specs:
        try:
            components[spec.name] = variance_components(scaled, agent, period, spec.name)
        except InputError:
            pass  # too few values for the ANOVA on this metric: the verdict says so
        retest = None
        if min_periods < needed:
            retest = rank_consistency(panel, agent, period, spec.name, spec.higher_is_better, alpha=alpha,
                                      min_periods=needed)
        verdicts.append(verdict(singles[spec.name], components.get(spec.name),
                                log_scale=spec.name in logged, retest=retest))

    written: list[Path] = []
    if plots is not None:
        try:
            plots.mkdir(parents=True, exist_ok=True)
            written = _write_plots(panel, agent, period, specs, result, plots)
        except OSError as exc:
            raise InputError.single("options", "--plots",
                                    f"cannot write to {plots}: {exc.strerror or exc}") from None

    try:
        periods = sorted(panel[period].unique())
    except TypeError:  # mixed labels (numbers and text): order them as text
        periods = sorted(panel[period].unique(), key=str)
    overall = overall_verdict(verdicts)
    if as_json:
        document = {
            "file": str(data), "agents": int(panel[agent].nunique()), "periods": len(periods),
            "first_period": _plain(periods[0]), "last_period": _plain(periods[-1]),
            "alpha": alpha, "min_periods": min_periods,
            "thresholds": {"system_below": 0.2, "people_from": 0.5},
            "verdict": overall,
            "metrics": [{"name": s.name, "higher_is_better": s.higher_is_better, "log_scale": s.name in logged,
                         **v.to_dict(),
                         "variance": _components_dict(components[s.name]) if s.name in components else None,
                         "rank": _rank_dict(singles[s.name])}
                        for s, v in zip(specs, verdicts, strict=True)],
            "combined": _rank_dict(result) if result.by_metric else None,
            "plots": [str(p) for p in written],
        }
        click.echo(json.dumps(document, indent=2, allow_nan=False))
        return

    click.echo(f"{Path(data).name}: {panel[agent].nunique()} agents, {len(periods)} periods "
               f"({periods[0]} to {periods[-1]}); metrics: "
               + ", ".join(f"{s.name} ({'higher' if s.higher_is_better else 'lower'} is better)"
                           for s in specs))
    click.echo("")
    for v in verdicts:
        click.echo(_wrap(v.summary()))
        click.echo("")
    if len(verdicts) > 1:
        per_metric = ", ".join(f"{v.verdict or 'cannot tell'} on {v.metric}" for v in verdicts)
        agree = len({v.verdict for v in verdicts}) == 1
        click.echo(_wrap(f"Overall: {overall or 'cannot tell'} on every metric." if agree
                         else f"Overall: {overall or 'cannot tell'}, because the metrics differ ({per_metric})."))
        click.echo(_wrap(result._sentence()))
        click.echo("")
    click.echo(_wrap(SOURCE_000))
    click.echo("")
    click.echo(f"Coin-flip test: is each agent in the better half more or less often than a "
               f"fair coin allows? (exact binomial test, alpha {alpha:g})")
    click.echo(_rank_table(result))
    for line in _flagged_lines(result):
        click.echo(line)
    click.echo("")
    click.echo("People share: how much of one period's spread is steady differences between agents")
    shown = [components[n] for n in names if n in components]
    if shown:
        click.echo(_variance_table(shown, logged))
    missing = [n for n in names if n not in components]
    if missing:
        click.echo(f"Not enough values for the people share of: {', '.join(missing)}")
    if written:
        click.echo("")
        click.echo("Plots written: " + ", ".join(str(p) for p in written))
