"""The few outcomes a manager reads first, and the derived ones they need.

The terminal, the report and the what-if page lead with the same short list:
true satisfaction next to what the surveys say (the gap gaming opens, sources
001 and 003), gaming itself, cost per resolved call and service level.
``gaming_rate`` is derived per run as the sum of the begging, dumping and
rushing rates: gaming acts per answered call (a call with two kinds counts
twice; they are rare together).
"""

from __future__ import annotations

import pandas as pd

#: Outcomes shown first, in order.
KEY_OUTCOMES: tuple[str, ...] = ("true_csat", "measured_csat", "gaming_rate", "cost_per_resolved_call",
                                 "service_level")
#: Column headings for narrow tables.
SHORT_NAMES: dict[str, str] = {"true_csat": "true satisfied", "measured_csat": "surveys say",
                               "gaming_rate": "gaming", "cost_per_resolved_call": "cost/resolved",
                               "service_level": "service level"}
#: Derived outcome -> the summary columns it adds up.
DERIVED: dict[str, tuple[str, ...]] = {"gaming_rate": ("beg_rate", "dump_rate", "rush_rate")}


def with_derived(summaries: pd.DataFrame) -> pd.DataFrame:
    """The summaries with the derived outcomes added (where their parts are present)."""
    extra = {}
    for name, parts in DERIVED.items():
        present = [p for p in parts if p in summaries.columns]
        if present and name not in summaries.columns:
            extra[name] = summaries[present].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1)
    return summaries.assign(**extra) if extra else summaries
