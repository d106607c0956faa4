"""The page's results as HTML: status, verdict, and the key outcomes with their intervals.

Pure functions of the summaries so far (one row per finished run), so the page,
a notebook and the tests read the same text. The key outcomes are those of
:mod:`incentsim.report.key_outcomes`: true and measured satisfaction, gaming,
cost per resolved call and service level, each with its 95% interval, and for
every policy but the baseline the paired difference with its size word
(:mod:`incentsim.report.practical`). Text is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd

from incentsim.experiment.table import comparison_table
from incentsim.report import practical, units
from incentsim.report.key_outcomes import KEY_OUTCOMES, SHORT_NAMES, with_derived

#: Inline styles: the page has no stylesheet of its own.
STYLE = """
<style>
table.whatif-results { border-collapse: collapse; font-size: 14px; }
table.whatif-results th, table.whatif-results td { border-bottom: 1px solid #ddd; padding: 4px 8px;
  text-align: right; vertical-align: top; }
table.whatif-results th.policy, table.whatif-results td.policy { text-align: left; }
table.whatif-results .ci { color: #666; font-size: 12px; display: block; }
table.whatif-results .diff { font-size: 12px; display: block; }
table.whatif-results .better { color: #1b7a3d; }
table.whatif-results .worse { color: #b3261e; }
p.whatif-verdict { background: #eef6fb; border-left: 4px solid #0072B2; padding: 8px 12px; }
</style>
"""


def status_text(done: int, planned: int, policies: int) -> str:
    """E.g. ``"3 of 5 replications finished (18 of 30 runs)"``."""
    replications = planned // max(policies, 1)
    full = done // max(policies, 1)
    return f"{full} of {replications} replications finished ({done} of {planned} runs)"


def _cell(outcome: str, row: pd.Series, base_mean: float, is_baseline: bool, ctx: units.Context) -> str:
    value = html.escape(units.show(outcome, row["mean"], ctx))
    ci = html.escape(units.show_range(outcome, row["ci_low"], row["ci_high"], ctx))
    parts = [f'<span class="value">{value}</span>', f'<span class="ci">{ci}</span>' if ci else ""]
    if not is_baseline and not math.isnan(row["diff"]):
        words = practical.phrase(outcome, row["diff"], row["diff_low"], row["diff_high"], base_mean, row["mean"])
        judged = practical.judgement(outcome, row["diff"], row["diff_low"], row["diff_high"])
        diff = units.show_signed(outcome, row["diff"], ctx)
        parts.append(f'<span class="diff {judged}">{html.escape(diff)}: {html.escape(words)}</span>')
    return "".join(parts)


def key_table_html(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                   ctx: units.Context) -> str:
    """Policies as rows, the key outcomes as columns (mean, interval, difference from the baseline)."""
    frame = with_derived(summaries)
    present = [p for p in policies if p in set(frame["policy"].astype(str))]
    outcomes = [o for o in KEY_OUTCOMES if o in frame.columns]
    base = baseline if baseline in present else present[0]
    table = comparison_table(frame, present, base, outcomes)
    head = "".join(f"<th>{html.escape(SHORT_NAMES[o])}<br><small>{html.escape(units.axis_unit(o, ctx))}"
                   f"</small></th>" for o in outcomes)
    rows = []
    for policy in present:
        mine = table[table["policy"] == policy].set_index("outcome")
        base_rows = table[table["policy"] == base].set_index("outcome")
        cells = "".join(
            f'<td data-outcome="{o}">{_cell(o, mine.loc[o], float(base_rows.loc[o, "mean"]), policy == base, ctx)}</td>'
            for o in outcomes)
        rows.append(f'<tr data-policy="{html.escape(policy)}"><td class="policy">{html.escape(policy)}'
                    f'{" (baseline)" if policy == base else ""}</td>{cells}</tr>')
    return (f'<table class="whatif-results"><thead><tr><th class="policy">policy</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def verdict_html(summaries: pd.DataFrame, policies: Sequence[str], baseline: str, ctx: units.Context) -> str:
    """The verdict in plain words, and where surveys overstate or point the wrong way."""
    from incentsim.report.summary_text import best_on_true_outcomes, survey_disagreements

    present = [p for p in policies if p in set(summaries["policy"].astype(str))]
    if summaries["replication"].nunique() < 2:
        return '<p class="whatif-verdict">The verdict needs at least two finished replications.</p>'
    _, sentences = best_on_true_outcomes(summaries, present, ctx=ctx)
    notes = survey_disagreements(summaries, present, baseline, ctx=ctx)
    extra = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return (f'<p class="whatif-verdict">{html.escape(sentences[0])}</p>'
            + (f"<ul>{extra}</ul>" if extra else ""))


def results_html(summaries: pd.DataFrame | None, policies: Sequence[str], baseline: str, planned: int,
                 ctx: units.Context, run: int = 0) -> str:
    """Everything the results pane shows, for the runs finished so far.

    Args:
        summaries: One row per finished run, or None before the first one.
        policies: Policies in table order.
        baseline: Policy differences are taken against.
        planned: Runs planned (policies x replications).
        ctx: Currency and period of the numbers.
        run: How many times *Run* was pressed (0: never), shown with the status.
    """
    label = f"Run {run}: " if run else ""
    if planned == 0:
        return STYLE + '<p class="whatif-status">Press <b>Run</b> to compare the chosen policies.</p>'
    if summaries is None or summaries.empty:
        return STYLE + f'<p class="whatif-status">{label}starting {planned} runs...</p>'
    status = label + status_text(len(summaries), planned, len(policies))
    return (STYLE + f'<p class="whatif-status">{html.escape(status)}</p>'
            + verdict_html(summaries, policies, baseline, ctx)
            + key_table_html(summaries, policies, baseline, ctx)
            + f"<p><small>{html.escape(practical.RULE)} Intervals are 95% over replications; differences are "
              f"paired against {html.escape(baseline)} replication by replication (common random numbers)."
              "</small></p>")
