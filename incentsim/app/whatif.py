"""The manager's what-if page: a scenario, policies, two knobs, run, results as they come.

Pick a shipped scenario or upload a TOML file; tick and tune the policies it
declares; move how much agents truly differ and how well the centre measures
(QA samples, survey response rate); press *Run*. Replications run on an
executor (the local process pool by default) and the results pane refreshes
after every finished run: true vs measured satisfaction, gaming, cost per
resolved call and service level, each with its interval, and the verdict in
plain words. The same object displays in a notebook.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import html
import math
from typing import Any

import pandas as pd
import panel as pn

from incentsim.app.knobs import Knobs, read_uploaded
from incentsim.app.policy_form import PolicyForm
from incentsim.app.results import results_html
from incentsim.app.runner import Submitted, collect_async, submit
from incentsim.app.widgets import float_of, int_of
from incentsim.errors import InputError
from incentsim.report import units
from incentsim.scenario import Scenario

#: Label of the uploaded-file choice in the scenario list.
UPLOADED = "(uploaded file)"


class WhatIf(pn.viewable.Viewer):
    """The what-if page.

    Args:
        executor: Where runs go; ``None`` uses the local process pool (loky). Pass a
            ``concurrent.futures.ThreadPoolExecutor(1)`` to keep everything in-process.
        scenario: A scenario to start with (e.g. from ``incentsim app FILE.toml``); default
            the shipped baseline.
        replications: Replications to start with.
    """

    def __init__(self, executor: cf.Executor | None = None, scenario: Scenario | None = None,
                 replications: int = 5, **params: Any) -> None:
        super().__init__(**params)
        self._executor = executor
        self._running: Submitted | None = None
        self._runs = 0
        self._summaries: pd.DataFrame | None = None
        self._given = scenario
        names = Scenario.shipped_names()
        options = ([f"{scenario.name} (given)"] if scenario is not None else []) + names + [UPLOADED]
        start = options[0] if scenario is not None else "baseline"
        self.choice = pn.widgets.Select(label="Scenario", options=options, value=start, width=260)
        self.upload = pn.widgets.FileInput(accept=".toml", label="Upload a scenario (.toml)")
        self.people = pn.widgets.FloatSlider(label="How much agents truly differ (x the scenario's spread)",
                                             start=0.0, end=4.0, step=0.25, value=1.0, width=320)
        self.qa = pn.widgets.IntSlider(label="QA samples per agent per month", start=0, end=30, value=4, width=320)
        self.response = pn.widgets.FloatSlider(label="Survey response rate", start=0.02, end=1.0, step=0.02,
                                               value=0.2, width=320)
        self.months = pn.widgets.IntSlider(label="Months simulated", start=1, end=12, value=6, width=320)
        self.replications = pn.widgets.IntSlider(label="Replications", start=2, end=30, value=replications,
                                                 width=320)
        self.seed = pn.widgets.IntInput(label="Seed", value=0, start=0, width=120, placeholder="seed")
        self.run_button = pn.widgets.Button(label="Run", color="primary", width=120)
        self.stop_button = pn.widgets.Button(label="Stop", disabled=True, width=120)
        self.progress = pn.indicators.Progress(value=0, max=1, width=320, visible=False)
        self.message = pn.pane.HTML("", css_classes=["whatif-message"], sizing_mode="stretch_width")
        self.people_note = pn.pane.HTML("", sizing_mode="stretch_width")
        self.results = pn.pane.HTML(results_html(None, [], "", 0, units.DEFAULT_CONTEXT),
                                    css_classes=["whatif-results-pane"], sizing_mode="stretch_width")
        self.figure = pn.pane.Matplotlib(None, tight=True, format="png", dpi=90, visible=False)
        self.forms: list[PolicyForm] = []
        self.policy_box = pn.Column(sizing_mode="stretch_width")
        self.choice.param.watch(self._on_choice, "value")
        self.upload.param.watch(self._on_upload, "value")
        self.people.param.watch(self._on_people, "value")
        self.run_button.on_click(self._on_run)
        self.stop_button.on_click(self._on_stop)
        self._base: Scenario = self._load_choice(start) or Scenario.shipped("baseline")
        self._reset_to(self._base)

    # ------------------------------------------------------------ scenario
    def _load_choice(self, choice: str) -> Scenario | None:
        if choice == UPLOADED:
            return None
        if self._given is not None and choice == f"{self._given.name} (given)":
            return self._given
        return Scenario.shipped(choice)

    def _reset_to(self, scenario: Scenario) -> None:
        self._base = scenario
        self.qa.value = int(scenario.measurement.qa.samples)
        surveys = scenario.measurement.surveys
        # the most extreme customers answer (1 + 2/3 extremity) times as often: keep that a chance
        self.response.end = max(0.04, math.floor(50 / (1 + 2 / 3 * surveys.extremity)) / 50)
        self.response.value = min(self.response.end, max(0.02, round(float(surveys.response_rate) * 50) / 50))
        self.months.value = int(scenario.center.months)
        self.people.value = 1.0
        self.forms = [PolicyForm(name, spec) for name, spec in scenario.policies.items()]
        views: list[Any] = [form.view for form in self.forms]
        self.policy_box.objects = views or [
            pn.pane.HTML("<p>This scenario declares no policies: salary only will run.</p>")]
        self._on_people(None)
        self._say("")

    def _on_choice(self, event: Any) -> None:
        scenario = self._load_choice(event.new)
        if scenario is not None:
            self._reset_to(scenario)
        else:
            self._say("Choose a .toml file with the upload button.")

    def _on_upload(self, event: Any) -> None:
        if not event.new:
            return
        try:
            scenario = read_uploaded(event.new, self.upload.filename or "uploaded.toml")
        except InputError as exc:
            self._say(str(exc), error=True)
            return
        self.choice.value = UPLOADED
        self._reset_to(scenario)
        self._say(f"Loaded {self.upload.filename}: scenario {scenario.name!r}.")

    def _on_people(self, event: Any) -> None:
        people = self._base.people
        spread = float_of(self.people)
        self.people_note.object = (f"<small>speed spread (people.speed_sd) {min(2.0, people.speed_sd * spread):.3f}, "
                                   f"quality spread (people.quality_sd) {min(0.5, people.quality_sd * spread):.3f}"
                                   "</small>")

    def knobs(self) -> Knobs:
        """The knobs as the widgets now say."""
        return Knobs(people_spread=float_of(self.people), qa_samples=int_of(self.qa),
                     response_rate=float_of(self.response), months=int_of(self.months))

    def scenario(self) -> Scenario:
        """The scenario to run: the chosen one with the knobs applied."""
        return self.knobs().apply(self._base)

    def policies(self) -> dict[str, Any]:
        """The ticked policies, built from their widgets."""
        from incentsim.policies import Flat

        chosen = {form.name: form.policy() for form in self.forms if form.include.value}
        return chosen or {"flat": Flat()}

    # ------------------------------------------------------------ running
    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b3261e" if error else "#333"
        self.message.object = (f'<pre style="color:{colour}; white-space: pre-wrap">{html.escape(text)}</pre>'
                               if text else "")

    def _pool(self) -> cf.Executor:
        if self._executor is None:
            from incentsim.experiment.executors import local_executor

            self._executor = local_executor()
        return self._executor

    async def _on_run(self, event: Any = None) -> None:
        """Run the comparison and refresh the results after every finished run."""
        try:
            scenario = self.scenario()
            policies = self.policies()
        except InputError as exc:
            self._say(str(exc), error=True)
            return
        names = list(policies)
        baseline = self._base.baseline if self._base.baseline in policies else names[0]
        planned = len(names) * int_of(self.replications)
        ctx = units.context_of(scenario)
        self._say(f"Running {len(names)} policies x {self.replications.value} replications of "
                  f"{scenario.name!r} ({scenario.center.tier1_agents} agents, {scenario.center.months} months).")
        self.run_button.disabled, self.stop_button.disabled = True, False
        self.progress.max, self.progress.value, self.progress.visible = planned, 0, True
        self._summaries = None
        self._runs += 1
        self.results.object = results_html(None, names, baseline, planned, ctx, self._runs)
        self._running = submit(scenario, policies, int_of(self.replications), int_of(self.seed), self._pool())
        try:
            async for summaries in collect_async(self._running):
                self._summaries = summaries
                self.progress.value = len(summaries)
                self.results.object = results_html(summaries, names, baseline, planned, ctx, self._runs)
            self._draw(names)
            self._say("")
        except (cf.CancelledError, asyncio.CancelledError):
            self._say(f"Stopped: the results cover the {len(self._summaries or [])} runs that finished.")
        except Exception as exc:  # noqa: BLE001  (show the failure on the page, keep the page alive)
            self._say(f"The run failed: {type(exc).__name__}: {exc}", error=True)
        finally:
            self.run_button.disabled, self.stop_button.disabled = False, True
            self._running = None

    def _on_stop(self, event: Any = None) -> None:
        if self._running is not None:
            self._running.cancel()

    def _draw(self, names: list[str]) -> None:
        import matplotlib.pyplot as plt

        from incentsim.report.figures import plot_satisfaction_gap

        if self._summaries is None or self._summaries["replication"].nunique() < 2:
            return
        with contextlib.suppress(InputError, ValueError):
            ax = plot_satisfaction_gap(self._summaries)
            figure = ax.figure
            self.figure.object = figure
            self.figure.visible = True
            plt.close(figure)  # type: ignore[arg-type]

    @property
    def summaries(self) -> pd.DataFrame | None:
        """The summaries of the runs finished so far (one row per policy x replication)."""
        return self._summaries

    def __panel__(self) -> pn.viewable.Viewable:
        controls = pn.Column(
            "### Scenario", self.choice, self.upload,
            "### People and measurement", self.people, self.people_note, self.qa, self.response,
            "### Run", self.months, self.replications, self.seed,
            pn.Row(self.run_button, self.stop_button), self.progress, width=360)
        policies = pn.Card(self.policy_box, title="Policies: tick the ones to compare, tune their settings",
                           collapsed=False, sizing_mode="stretch_width")
        body = pn.Column(self.message, "### Results", self.results, self.figure, policies,
                         sizing_mode="stretch_width", min_width=600)
        return pn.Row(controls, body, sizing_mode="stretch_width")
