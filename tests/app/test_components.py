"""The page's Panel components without a browser: what a click does, and notebook rendering."""

from __future__ import annotations

import asyncio
import concurrent.futures as cf

import pytest

pn = pytest.importorskip("panel")

import incentsim as isim  # noqa: E402
from incentsim.app import TeacherDemos, WhatIf, build_app  # noqa: E402
from incentsim.app.policy_form import PolicyForm  # noqa: E402
from incentsim.errors import InputError  # noqa: E402


@pytest.fixture()
def page(tiny_scenario: isim.Scenario):
    with cf.ThreadPoolExecutor(1) as pool:
        yield WhatIf(executor=pool, scenario=tiny_scenario, replications=2)


def test_run_fills_in_results_and_a_knob_changes_them(page: WhatIf) -> None:
    asyncio.run(page._on_run())
    first = page.results.object
    assert "2 of 2 replications finished" in first and page.summaries is not None
    assert page.figure.visible and not page.run_button.disabled
    page.response.value = 0.4
    page.qa.value = 12
    assert page.scenario().measurement.surveys.response_rate == pytest.approx(0.4)
    asyncio.run(page._on_run())
    assert page.results.object != first  # more surveys: different measured numbers


def test_unticking_a_policy_and_a_bad_setting(page: WhatIf) -> None:
    bonus = next(f for f in page.forms if f.name == "bonus")
    bonus.fields["threshold"].value = 7.0
    asyncio.run(page._on_run())
    assert "bonus.threshold" in page.message.object and page.summaries is None
    bonus.include.value = False
    assert list(page.policies()) == ["flat"]


def test_choosing_a_shipped_scenario_resets_the_forms(page: WhatIf) -> None:
    page.choice.value = "forced_ranking"
    assert page.scenario().name == "forced_ranking"
    assert {f.name for f in page.forms} == set(isim.Scenario.shipped("forced_ranking").policies)
    page.upload.filename = "bad.toml"
    page.upload.value = b"[center]\ntier1_agents = -3\n"
    assert "center.tier1_agents" in page.message.object


def test_policy_form_round_trips_every_shipped_policy() -> None:
    for name, spec in isim.Scenario.shipped("baseline").policies.items():
        form = PolicyForm(name, spec)
        assert isim.policies.build_policy(form.spec()) == isim.policies.build_policy(spec)
    form = PolicyForm("bonus", {"type": "IndividualBonus", "metric": "csat", "threshold": 0.9, "amount": 50})
    form.fields["stop_after"].value = "3"
    assert form.policy().stop_after == 3
    form.fields["amount"].value = -1
    with pytest.raises(InputError, match="bonus.amount"):
        form.policy()


def test_red_bead_unfolds_day_by_day_then_ranks_then_fires() -> None:
    demos = TeacherDemos()
    bead = demos.red_bead
    assert bead.chart.object is None and not bead.next_day.disabled and bead.rank.disabled
    for _ in range(3):
        bead.step("day")
    assert "Day 3:" in bead.story.object and "Merit ranking" not in bead.story.object
    assert bead.next_day.disabled and not bead.rank.disabled
    bead.step("rank")
    assert "Merit ranking" in bead.story.object and not bead.fire.disabled
    bead.step("fire")
    assert "Management fires" in bead.story.object and not bead.next_day.disabled
    bead.step("day")
    assert "Day 4:" in bead.story.object and "same system, same results" in bead.story.object
    demos.rank_churn.share.value = 0.9
    assert "90% of the variation" in demos.rank_churn.story.object
    demos.funnel.rules.value = [2]
    assert "Rule 2" in demos.funnel.story.object and "Rule 3" not in demos.funnel.story.object


def test_the_page_renders_as_in_a_notebook(tiny_scenario: isim.Scenario) -> None:
    from bokeh.document import Document

    with cf.ThreadPoolExecutor(1) as pool:
        root = build_app(executor=pool, scenario=tiny_scenario).get_root(Document())
    assert root is not None
