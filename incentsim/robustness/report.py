"""The report section "Which conclusions survive": a figure of what matters and the verdict table.

:func:`section` turns a :class:`~incentsim.robustness.result.Robustness` into a
block of HTML (template ``templates/section.html`` beside this module) that the
HTML report inserts after its results; the report module only needs to know
that a section has an anchor, a heading and its HTML. The figure is a
stacked bar per assumption: the share of the Morris mu* of every pair
difference it accounts for, averaged over pairs and stacked by outcome, for
the assumptions that move the conclusions most.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pandas as pd

from incentsim.experiment.table import label

#: Assumptions shown in the importance figure.
FIGURE_ASSUMPTIONS = 12
#: Okabe & Ito (2008) colour-blind-safe palette, one colour per outcome.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def importance_shares(importance: pd.DataFrame, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Per assumption and outcome, the mean share of pair differences' total mu* it accounts for.

    Args:
        importance: The importance table of a robustness result.
        outcomes: Column order (default: as they appear).

    Returns:
        A frame indexed by assumption (most influential first), one column per outcome.
    """
    diffs = importance[(importance["against"] != "") & importance["mu_star"].notna()]
    if diffs.empty:
        return pd.DataFrame()
    totals = diffs.groupby(["contrast", "outcome"])["mu_star"].transform("sum")
    shares = (diffs["mu_star"] / totals.where(totals > 0)).fillna(0.0)
    table = shares.groupby([diffs["assumption"], diffs["outcome"]], sort=False).mean().unstack("outcome")
    present = list(dict.fromkeys(diffs["outcome"]))
    wanted = list(outcomes) if outcomes else present
    order = [o for o in wanted if o in present] + [o for o in present if o not in wanted]
    table = table[order].fillna(0.0) / max(len(order), 1)
    return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="mergesort").index]


def plot_importance(importance: pd.DataFrame, n: int = FIGURE_ASSUMPTIONS,
                    outcomes: list[str] | None = None) -> Any:
    """A horizontal stacked bar chart of the assumptions that move the conclusions most."""
    import matplotlib.pyplot as plt

    table = importance_shares(importance, outcomes).head(n)
    if table.empty:
        raise ValueError("no screening indices to draw")
    fig, ax = plt.subplots(figsize=(8.0, 0.38 * len(table) + 1.6), layout="constrained")
    left = pd.Series(0.0, index=table.index)
    for i, outcome in enumerate(table.columns):
        ax.barh(range(len(table)), table[outcome], left=left, color=PALETTE[i % len(PALETTE)],
                label=label(outcome), height=0.7)
        left += table[outcome]
    ax.set_yticks(range(len(table)), [str(k) for k in table.index])
    ax.invert_yaxis()
    ax.set_xlabel("mean share of Morris mu* across pair differences and outcomes")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def _png(figure: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96)
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


_STATUS_CLASS = {"survives": "survives", "mostly survives": "mostly", "fragile": "fragile", "reverses": "reverses"}


def verdict_grid(verdicts: pd.DataFrame) -> dict[str, Any]:
    """Rows (pairs) x columns (outcomes) of share cells for the template."""
    outcomes = list(dict.fromkeys(verdicts["outcome"]))
    rows = []
    for (policy, against), part in verdicts.groupby(["policy", "against"], sort=False):
        cells = []
        by_outcome = part.set_index("outcome")
        for outcome in outcomes:
            if outcome not in by_outcome.index or pd.isna(by_outcome.loc[outcome, "share"]):
                cells.append({"value": "-", "interval": "", "css": "", "title": ""})
                continue
            r = by_outcome.loc[outcome]
            cells.append({"value": f"{100 * r['share']:.0f}%",
                          "interval": f"{100 * r['share_low']:.0f}-{100 * r['share_high']:.0f}%",
                          "css": _STATUS_CLASS.get(str(r["status"]), ""), "title": str(r["reading"])})
        rows.append({"pair": f"{policy} vs {against}", "cells": cells})
    return {"outcomes": [label(o) for o in outcomes], "rows": rows}


def section(result: Any) -> dict[str, str]:
    """The report section for a robustness result: ``anchor``, ``heading`` and ``html``."""
    import jinja2

    try:
        order = list(dict.fromkeys(result.verdicts["outcome"]))
        figure = {"uri": _png(plot_importance(result.importance, outcomes=order)), "error": ""}
    except ValueError as exc:
        figure = {"uri": "", "error": str(exc)}
    verdicts = result.verdicts
    fragile = verdicts[verdicts["status"].isin(["mostly survives", "fragile", "reverses"])]
    manifest = result.manifest
    env = jinja2.Environment(loader=jinja2.PackageLoader("incentsim.robustness", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    html = env.get_template("section.html").render(
        grid=verdict_grid(verdicts), figure=figure, fragile=list(fragile["reading"]),
        boxes=list(result.boxes["reading"]) if not result.boxes.empty else [],
        survived=int((verdicts["status"] == "survives").sum()), total=len(verdicts),
        assumptions=len(manifest.get("assumptions", [])), sample=manifest.get("verdict_sample", ""),
        notes=result.notes, chosen=result.chosen, missed=result.missed_by_screening(),
        complete=manifest.get("status") == "complete",
    )
    return {"anchor": "robustness", "heading": "Which conclusions survive", "html": html}
