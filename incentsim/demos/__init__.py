"""Teaching demos of Deming's argument: the red bead experiment, the funnel, rank churn.

Each demo takes a seed, prints a short narrative (``narrate=False`` silences it),
writes a figure when given a file name, and returns a tidy DataFrame::

    import incentsim as isim
    beads = isim.demos.red_bead(seed=1)                 # worker, day, red, np chart limits
    drops = isim.demos.funnel(seed=1, rule=[1, 2])      # drop, rule, x, y, aim_x, aim_y
    table = isim.demos.rank_churn(seed=1, people_share=0.1)  # agent, period, metric, rank

The same demos run from the command line: ``incentsim demo red-bead --out beads.png``.
"""

from __future__ import annotations

from incentsim.demos.funnel import funnel, funnel_figure
from incentsim.demos.rank_churn import rank_churn, rank_churn_figure
from incentsim.demos.red_bead import red_bead, red_bead_figure

__all__ = ["funnel", "funnel_figure", "rank_churn", "rank_churn_figure", "red_bead",
           "red_bead_figure"]
