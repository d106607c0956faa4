"""The comparison as text for a terminal or a notebook: key outcomes, differences, the verdict.

What ``incentsim run`` prints and :meth:`incentsim.Experiment.describe` returns.
It fits 100 columns: a key-outcome table with policies as rows (true and
measured satisfaction, gaming, cost, service level, each with its interval),
then each policy's detectable differences from the baseline with their sign,
interval and size word (:mod:`incentsim.report.practical`), and last the verdict
in plain words (:mod:`incentsim.report.summary_text`). The table of every
outcome is printed only on request (``wide=True``, ``incentsim run --wide``), in
blocks of policies that fit the width. Several scenarios get a
scenario-against-scenario summary, and a scenario whose results are identical
to an earlier one's is said to be so instead of printed again. Numbers follow
:mod:`incentsim.report.units`: rates as percentages at one decimal, calls
whole, differences signed, one thousands separator style.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd

from incentsim.experiment.table import comparison_table
from incentsim.report import practical, units
from incentsim.report.key_outcomes import KEY_OUTCOMES, SHORT_NAMES, with_derived

#: Terminal width the text is laid out for.
WIDTH = 100
#: Space between columns.
GAP = "  "


def _wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent,
                         break_on_hyphens=False) or [indent]


def _wrap_items(prefix: str, items: Sequence[str], width: int) -> list[str]:
    """``prefix`` then the items, wrapped between items only (no label split over two lines)."""
    glued = [item.replace(" ", "\u00a0") for item in items]
    lines = _wrap(prefix + ", ".join(glued), width, "  ", "    ")
    return [line.replace("\u00a0", " ") for line in lines]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """Columns right-aligned except the first ``left`` ones, two spaces apart."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [str(c).ljust(w) if i < left else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return ("  " + GAP.join(parts)).rstrip()

    rule = "  " + "-" * (sum(widths) + len(GAP) * (len(widths) - 1))
    return [line(header), rule, *(line(r) for r in rows)]


def _cell(outcome: str, row: Any, ctx: units.Context) -> str:
    value = units.show(outcome, row.mean, ctx).replace(" minutes", " min")
    half = units.show_half_width(outcome, row.ci_low, row.ci_high, ctx)
    return f"{value} {half}".strip()


def key_table(table: pd.DataFrame, policies: Sequence[str], ctx: units.Context,
              outcomes: Sequence[str] = KEY_OUTCOMES) -> list[str]:
    """Policies as rows, the key outcomes as columns: mean and half-width of its interval."""
    present = [o for o in outcomes if o in set(table["outcome"])]
    cells = {(r.policy, r.outcome): r for r in table.itertuples(index=False)}
    rows = [[p, *(_cell(o, cells[(p, o)], ctx) if (p, o) in cells else "-" for o in present)]
            for p in policies if any((p, o) in cells for o in present)]
    return _table(["policy", *(SHORT_NAMES.get(o, units.label(o)) for o in present)], rows)


def wide_table(table: pd.DataFrame, policies: Sequence[str], ctx: units.Context,
               width: int = WIDTH) -> list[str]:
    """Every outcome as a row, policies as columns, in blocks of policies that fit ``width``."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    cells = {(r.policy, r.outcome): r for r in table.itertuples(index=False)}
    shown = [p for p in policies if any((p, o) in cells for o in outcomes)]
    columns = {p: [_cell(o, cells[(p, o)], ctx) if (p, o) in cells else "-" for o in outcomes] for p in shown}
    label_width = max(len(units.label(o)) for o in outcomes)
    blocks: list[list[str]] = [[]]
    used = 2 + label_width
    for p in shown:
        need = len(GAP) + max(len(p), *(len(c) for c in columns[p]))
        if blocks[-1] and used + need > width:
            blocks.append([])
            used = 2 + label_width
        blocks[-1].append(p)
        used += need
    lines: list[str] = []
    for block in blocks:
        rows = [[units.label(o), *(columns[p][i] for p in block)] for i, o in enumerate(outcomes)]
        lines += ["", *_table(["outcome", *block], rows)]
    return lines


def difference_lines(table: pd.DataFrame, policy: str, baseline: str, ctx: units.Context,
                     width: int = WIDTH) -> list[str]:
    """One line per detectable difference of ``policy`` from ``baseline``; the rest listed once."""
    mine = table[table["policy"] == policy]
    base_means = table[table["policy"] == baseline].set_index("outcome")["mean"]
    found, quiet = [], []
    for row in mine.itertuples(index=False):
        base = float(base_means.get(row.outcome, math.nan))
        judged = practical.size(row.outcome, row.diff, row.diff_low, row.diff_high, base, row.mean)
        if judged.detectable:
            found.append([units.label(row.outcome), units.show_signed(row.outcome, row.diff, ctx),
                          f"({units.show_interval(row.outcome, row.diff_low, row.diff_high, ctx)})",
                          practical.phrase(row.outcome, row.diff, row.diff_low, row.diff_high, base, row.mean)])
        elif row.verdict not in ("not measured", "baseline", "no baseline"):
            quiet.append(units.label(row.outcome))
    lines = []
    if found:
        widths = [max(len(r[i]) for r in found) for i in range(4)]
        lines += [("  " + GAP.join([r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]),
                                     r[3]])).rstrip() for r in found]
    if quiet:
        lines += _wrap_items("no detectable difference in: ", quiet, width)
    if not lines:
        lines.append("  too few replications to tell")
    return lines


def verdict_lines(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                  ctx: units.Context, width: int = WIDTH) -> list[str]:
    """The plain-language verdict, then where surveys point one way and the truth another."""
    from incentsim.report.summary_text import best_on_true_outcomes, survey_disagreements

    _, sentences = best_on_true_outcomes(summaries, policies, ctx=ctx)
    lines = _wrap("Verdict: " + sentences[0], width, "", "  ")
    for text in survey_disagreements(summaries, policies, baseline, ctx=ctx):
        lines += _wrap(text, width, "  ", "    ")
    return lines


def _group_parts(experiment: Any) -> list[tuple[str, dict[str, Any], pd.DataFrame]]:
    groups = list(experiment.group_columns)
    summaries = with_derived(experiment.summaries)
    if not groups:
        return [("", {}, summaries)]
    out = []
    for key, part in summaries.groupby(groups, sort=False, dropna=False):
        values = key if isinstance(key, tuple) else (key,)
        labels = dict(zip(groups, values, strict=True))
        out.append((", ".join(f"{g} = {v}" for g, v in labels.items()), labels, part))
    return out


def _section(part: pd.DataFrame, policies: Sequence[str], baseline: str, chosen: Sequence[str],
             restricted: bool, ctx: units.Context, wide: bool, width: int, replications: int) -> list[str]:
    present = [p for p in policies if p in set(part["policy"].astype(str))]
    key = [o for o in KEY_OUTCOMES if o in part.columns
           and (not restricted or o in chosen or (o == "gaming_rate" and "beg_rate" in chosen))]
    table = comparison_table(part, present, baseline, list(dict.fromkeys([*key, *chosen])))
    lines = []
    if key:
        lines += [f"Key outcomes, mean over {replications} replications (± half the 95% interval):", ""]
        lines += key_table(table[table["outcome"].isin(key)], present, ctx, key)
        lines += _legend(key, ctx, width)
    if wide:
        lines += ["", "Every outcome, mean (± half the 95% interval):"]
        lines += wide_table(table[table["outcome"].isin(chosen)], present, ctx, width)
    for policy in present:
        if policy == baseline:
            continue
        lines += ["", f"{policy} against {baseline} (paired difference, 95% interval):"]
        lines += difference_lines(table[table["outcome"].isin(chosen)], policy, baseline, ctx, width)
    return lines


def _legend(key: Sequence[str], ctx: units.Context, width: int) -> list[str]:
    notes = {
        "true_csat": "true satisfied = answered callers truly satisfied",
        "measured_csat": "surveys say = survey responses rating 4 or 5",
        "gaming_rate": "gaming = answered calls with survey begging, dumping or rushing",
        "cost_per_resolved_call": f"cost/resolved = {ctx.currency} per resolved call",
        "service_level": "service level = calls answered within the target",
    }
    text = "; ".join(notes[o] for o in key if o in notes)
    return _wrap(text + ".", width, "  ", "  ") if text else []


def scenario_lines(experiment: Any, policies: Sequence[str], ctx: units.Context, width: int = WIDTH) -> list[str]:
    """Each later scenario against the first, policy by policy, on the key outcomes and the verdict's."""
    if "scenario" not in experiment.group_columns or list(experiment.sweep):
        return []
    summaries = with_derived(experiment.summaries)
    names = list(dict.fromkeys(summaries["scenario"].astype(str)))
    first = names[0]
    outcomes = [o for o in (*KEY_OUTCOMES, "fcr", "repeat_rate") if o in summaries.columns]
    lines = ["", f"Scenario against scenario (each minus {first!r}, same policy, paired by replication):"]
    for other in names[1:]:
        same = True
        block = []
        for policy in policies:
            rows = summaries[(summaries["policy"].astype(str) == policy)
                             & summaries["scenario"].astype(str).isin([first, other])]
            if rows["scenario"].nunique() < 2:
                continue
            a = rows[rows["scenario"].astype(str) == first].set_index("replication")[outcomes]
            b = rows[rows["scenario"].astype(str) == other].set_index("replication")[outcomes]
            same = same and a.sort_index().equals(b.sort_index())
            pairs = rows.assign(policy=rows["scenario"].astype(str))
            table = comparison_table(pairs, [first, other], first, outcomes)
            block += [f"  under {policy}:"]
            block += ["  " + line for line in difference_lines(table, other, first, ctx, width - 2)]
        if same and block:
            lines += _wrap(f"{other!r} gave exactly the same results as {first!r} under every policy: the "
                           "two files describe the same centre.", width, "  ", "    ")
        else:
            lines += ["", f"{other} against {first}:", *block]
    return lines


def describe(experiment: Any, baseline: str | None = None, outcomes: Sequence[str] | None = None,
             wide: bool = False, verdict: bool = True, width: int = WIDTH) -> str:
    """The comparison in plain language, laid out for ``width`` columns.

    Args:
        experiment: An :class:`~incentsim.experiment.Experiment`.
        baseline: Policy differences are taken against (default the experiment's).
        outcomes: Outcomes in the difference lists and the wide table (default all).
        wide: Also print the table of every outcome for every policy.
        verdict: End with the verdict in plain words.
        width: Columns to fit.

    Returns:
        The text, ending with a newline.
    """
    base = experiment.baseline if baseline is None else baseline
    experiment.table(base, outcomes)  # validates the baseline and the outcomes
    ctx = units.context_of(experiment)
    chosen = list(outcomes) if outcomes is not None else list(experiment.outcomes)
    policies = list(experiment.policies)
    manifest = experiment.manifest
    names = ", ".join(f"{s['name']!r} (hash {s['hash'][:12]})" for s in manifest["scenarios"])
    sweep = f" x {len(manifest['points'])} sweep points" if experiment.sweep else ""
    lines = _wrap(f"Scenario {names}: {len(policies)} policies x {experiment.replications} replications"
                  f"{sweep}, seed {experiment.seed}. Every policy met the same calls, customers and survey "
                  "draws in each replication (common random numbers), so differences are paired "
                  f"replication by replication against {base!r}.", width)
    done, planned = len(experiment.summaries), manifest["cells"]["planned"]
    if done < planned:
        lines.append(f"PARTIAL: {done} of {planned} runs finished; resume to complete it.")
    from incentsim.experiment.precision import stop_text

    if stopped := stop_text(manifest):
        lines += _wrap(stopped, width)
    seen: dict[str, str] = {}
    for heading, _, part in _group_parts(experiment):
        body = _section(part, policies, base, chosen, outcomes is not None, ctx, wide, width,
                        experiment.replications)
        text = "\n".join(body)
        if heading:
            lines += ["", f"== {heading} =="]
        if heading and text in seen:
            lines += _wrap(f"Results identical to {seen[text]}: not repeated.", width, "  ")
            continue
        seen[text] = heading
        lines += ["", *body]
    lines += scenario_lines(experiment, policies, ctx, width)
    text = "\n".join(lines) + "\n"
    return text + "\n" + verdict_text(experiment, base, width) if verdict else text


def verdict_text(experiment: Any, baseline: str | None = None, width: int = WIDTH) -> str:
    """The rule for difference words, then the verdict of each scenario or sweep point.

    A group whose verdict repeats an earlier group's word for word is named, not repeated.
    """
    base = experiment.baseline if baseline is None else baseline
    ctx = units.context_of(experiment)
    policies = list(experiment.policies)
    lines = [*_wrap(practical.RULE, width), ""]
    seen: dict[str, str] = {}
    for heading, _, part in _group_parts(experiment):
        present = [p for p in policies if p in set(part["policy"].astype(str))]
        judged = verdict_lines(part, present, base, ctx, width)
        key = "\n".join(judged)
        if heading and key in seen:
            lines += [f"[{heading}] the same verdict as [{seen[key]}]."]
            continue
        seen[key] = heading
        lines += ([f"[{heading}]"] if heading else []) + judged
    return "\n".join(lines) + "\n"


def closing(results: str | None, report: str | None) -> str:
    """The last lines of ``incentsim run``: where the results and the report are."""
    lines = []
    if results:
        lines.append(f"Results: {results}")
    if report:
        lines.append(f"Report: {report} (open it in a web browser)")
    return "\n".join(lines) + ("\n" if lines else "")
