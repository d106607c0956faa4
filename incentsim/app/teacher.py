"""The teacher's tab: red bead day by day, the funnel's four rules, rank churn.

Each demo is the library's own (:mod:`incentsim.demos`), driven by widgets. The
red bead unfolds as in the classroom: *Next day* shows one more day of dips,
*Rank the workers* shows management's merit ranking, *Fire the worst* lets the
bottom go and gives their paddles to the "best", and the last day shows the best
producing what the bowl produces. The funnel runs the chosen rules on the same
drops; rank churn redraws the league table whenever a slider moves.
"""

from __future__ import annotations

import contextlib
import html
import io
from typing import Any

import pandas as pd
import panel as pn

from incentsim.app.widgets import float_of, int_of
from incentsim.demos import funnel, funnel_figure, rank_churn, rank_churn_figure, red_bead, red_bead_figure


def _narrated(demo: Any, **options: Any) -> tuple[pd.DataFrame, str]:
    """Run a demo and keep the narrative it prints."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        df = demo(narrate=True, **options)
    return df, buffer.getvalue()


def _paragraphs(text: str, kind: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f'<div class="{kind}-story">{body}</div>'



class RedBeadStepper(pn.viewable.Viewer):
    """The red bead experiment, one step at a time."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.seed = pn.widgets.IntInput(label="Seed", value=1, start=0, width=100)
        self.workers = pn.widgets.IntSlider(label="Willing workers", start=2, end=12, value=6, width=220)
        self.days = pn.widgets.IntSlider(label="Days", start=2, end=8, value=4, width=220)
        self.start = pn.widgets.Button(label="Start over", width=110)
        self.next_day = pn.widgets.Button(label="Next day", color="primary", width=110)
        self.rank = pn.widgets.Button(label="Rank the workers", width=150)
        self.fire = pn.widgets.Button(label="Fire the worst", color="danger", width=130)
        self.story = pn.pane.HTML("", sizing_mode="stretch_width")
        self.chart = pn.pane.Matplotlib(None, tight=True, format="png", dpi=80)
        self.start.on_click(lambda _: self.restart())
        self.next_day.on_click(lambda _: self.step("day"))
        self.rank.on_click(lambda _: self.step("rank"))
        self.fire.on_click(lambda _: self.step("fire"))
        self.restart()

    def restart(self) -> None:
        """Draw a new experiment with the widgets' settings and show nothing yet."""
        self.df, text = _narrated(red_bead, seed=int_of(self.seed), workers=int_of(self.workers),
                                  days=int_of(self.days))
        self.lines = [line for line in text.splitlines() if line.strip()]
        self.day, self.ranked, self.fired = 0, False, False
        self._show()

    @property
    def ranking_day(self) -> int:
        """The day after which management ranks and fires."""
        return int_of(self.days) - 1

    def step(self, what: str) -> None:
        """Advance the story: ``"day"``, ``"rank"`` or ``"fire"``."""
        if what == "day" and self.day < int_of(self.days):
            self.day += 1
        elif what == "rank" and self.day == self.ranking_day:
            self.ranked = True
        elif what == "fire" and self.ranked:
            self.fired = True
        self._show()

    def _visible_lines(self) -> list[str]:
        shown = self.lines[:2]
        for line in self.lines[2:]:
            if line.startswith("Day "):
                if int(line.split(":")[0].split()[1]) <= self.day:
                    shown.append(line)
            elif line.startswith("Merit ranking") and self.ranked:
                shown.append(line)
            elif line.startswith("Management fires") and self.fired:
                shown.append(line)
            elif self.day == int_of(self.days) and not line.startswith(("Merit", "Management")):
                shown.append(line)
        return shown

    def _show(self) -> None:
        days = int_of(self.days)
        at_ranking = self.day == self.ranking_day
        self.next_day.disabled = self.day >= days or (at_ranking and not self.fired)
        self.rank.disabled = not at_ranking or self.ranked
        self.fire.disabled = not self.ranked or self.fired
        self.story.object = _paragraphs("\n".join(self._visible_lines()), "red-bead")
        if self.day == 0:
            self.chart.object = None
            return
        part = self.df[self.df["day"] <= self.day].copy()
        part.attrs = dict(self.df.attrs)
        if not self.fired:
            part.attrs["fired"] = []
        figure = red_bead_figure(part)
        self.chart.object = figure

    def __panel__(self) -> pn.viewable.Viewable:
        settings = pn.Row(self.seed, self.workers, self.days, self.start)
        return pn.Column("#### The red bead experiment", settings,
                         pn.Row(self.next_day, self.rank, self.fire), self.story, self.chart,
                         sizing_mode="stretch_width")


class FunnelPanel(pn.viewable.Viewer):
    """The funnel experiment: the chosen rules on the same drops."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.rules = pn.widgets.CheckButtonGroup(label="Rules", options={"1": 1, "2": 2, "3": 3, "4": 4},
                                                 value=[1, 2, 3, 4])
        self.drops = pn.widgets.IntSlider(label="Marbles per rule", start=10, end=500, step=10, value=50, width=260)
        self.seed = pn.widgets.IntInput(label="Seed", value=1, start=0, width=100)
        self.story = pn.pane.HTML("", sizing_mode="stretch_width")
        self.chart = pn.pane.Matplotlib(None, tight=True, format="png", dpi=80)
        for widget in (self.rules, self.drops, self.seed):
            widget.param.watch(lambda _: self.refresh(), "value")
        self.refresh()

    def refresh(self) -> None:
        """Rerun with the widgets' settings."""
        rules = sorted(self.rules.value) or [1]
        df, text = _narrated(funnel, seed=int_of(self.seed), rule=rules, drops=int_of(self.drops))
        self.story.object = _paragraphs(text, "funnel")
        self.chart.object = funnel_figure(df)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column("#### The funnel: rules 1-4", pn.Row(self.rules, self.drops, self.seed), self.story,
                         self.chart, sizing_mode="stretch_width")


class RankChurnPanel(pn.viewable.Viewer):
    """A league table whose numbers are mostly the system's."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.share = pn.widgets.FloatSlider(label="Share of variation that is the person's", start=0.0, end=1.0,
                                            step=0.05, value=0.1, width=280)
        self.agents = pn.widgets.IntSlider(label="Agents", start=4, end=60, value=20, width=200)
        self.periods = pn.widgets.IntSlider(label="Months", start=2, end=12, value=6, width=200)
        self.seed = pn.widgets.IntInput(label="Seed", value=1, start=0, width=100)
        self.story = pn.pane.HTML("", sizing_mode="stretch_width")
        self.chart = pn.pane.Matplotlib(None, tight=True, format="png", dpi=80)
        for widget in (self.share, self.agents, self.periods, self.seed):
            widget.param.watch(lambda _: self.refresh(), "value")
        self.refresh()

    def refresh(self) -> None:
        """Rerun with the widgets' settings."""
        df, text = _narrated(rank_churn, seed=int_of(self.seed), agents=int_of(self.agents),
                             periods=int_of(self.periods), people_share=float_of(self.share))
        self.story.object = _paragraphs(text, "rank-churn")
        self.chart.object = rank_churn_figure(df)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column("#### Rank churn", pn.Row(self.share, self.agents, self.periods, self.seed), self.story,
                         self.chart, sizing_mode="stretch_width")


class TeacherDemos(pn.viewable.Viewer):
    """The three teaching demos as tabs."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.red_bead = RedBeadStepper()
        self.funnel = FunnelPanel()
        self.rank_churn = RankChurnPanel()

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Tabs(("Red bead", self.red_bead), ("Funnel", self.funnel), ("Rank churn", self.rank_churn),
                       dynamic=True)
