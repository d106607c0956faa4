"""Hypothesis strategies for agent-by-period panels (shared by the stats tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st


@st.composite
def panels(draw: st.DrawFn, max_agents: int = 20, max_periods: int = 10) -> pd.DataFrame:
    """A panel with columns agent, period, aht, qa; some agent-periods missing, some ties.

    Values are drawn on a coarse grid sometimes, so ties at the median happen.
    """
    agents = draw(st.integers(2, max_agents))
    periods = draw(st.integers(2, max_periods))
    seed = draw(st.integers(0, 2**32 - 1))
    coarse = draw(st.booleans())
    missing = draw(st.floats(0.0, 0.4))
    rng = np.random.default_rng(seed)
    effect = rng.normal(0, draw(st.floats(0.0, 3.0)), size=agents)
    rows = []
    for a in range(agents):
        for t in range(periods):
            if rng.random() < missing:
                continue
            aht = 8.0 + effect[a] + rng.normal()
            qa = 80.0 - effect[a] + rng.normal(0, 5)
            if coarse:
                aht, qa = round(aht), 5 * round(qa / 5)
            rows.append((f"agent-{a}", t, aht, qa))
    frame = pd.DataFrame(rows, columns=["agent", "period", "aht", "qa"])
    if frame["period"].nunique() < 2:  # keep the panel valid: two periods at least
        frame = pd.concat([frame, pd.DataFrame(
            [("agent-0", 0, 8.0, 80.0), ("agent-0", 1, 8.0, 80.0)],
            columns=frame.columns)]).drop_duplicates(["agent", "period"])
    return frame.reset_index(drop=True)
