"""The page's logic without a browser: knobs, progressive runs, results text."""

from __future__ import annotations

import concurrent.futures as cf

import pytest

import incentsim as isim
from incentsim.app.knobs import Knobs, read_uploaded
from incentsim.app.results import results_html, status_text
from incentsim.app.runner import collect, submit
from incentsim.errors import InputError
from incentsim.report import units


def test_knobs_scale_people_and_set_measurement(tiny_scenario: isim.Scenario) -> None:
    sc = Knobs(people_spread=2.0, qa_samples=9, response_rate=0.5, months=1).apply(tiny_scenario)
    assert sc.people.speed_sd == pytest.approx(2 * tiny_scenario.people.speed_sd)
    assert sc.people.quality_sd == pytest.approx(2 * tiny_scenario.people.quality_sd)
    assert (sc.measurement.qa.samples, sc.measurement.surveys.response_rate, sc.center.months) == (9, 0.5, 1)
    assert Knobs().apply(tiny_scenario) == tiny_scenario
    alike = Knobs(people_spread=0.0).apply(tiny_scenario)
    assert alike.people.speed_sd == 0 and alike.people.quality_sd == 0


def test_uploaded_files_are_validated_like_scenario_files(tiny_scenario: isim.Scenario) -> None:
    assert read_uploaded(tiny_scenario.to_toml().encode(), "mine.toml") == tiny_scenario
    with pytest.raises(InputError, match="demand.calls_per_hour"):
        read_uploaded(b"[demand]\ncalls_per_hour = -1\n", "bad.toml")
    with pytest.raises(InputError, match="not UTF-8"):
        read_uploaded(b"\xff\xfe", "binary.toml")


def test_runs_arrive_one_by_one_and_equal_what_compare_computes(tiny_scenario: isim.Scenario) -> None:
    policies = {name: isim.policies.build_policy(spec) for name, spec in tiny_scenario.policies.items()}
    with cf.ThreadPoolExecutor(1) as pool:
        frames = list(collect(submit(tiny_scenario, policies, 2, 5, pool)))
    assert [len(f) for f in frames] == [1, 2, 3, 4]
    last = frames[-1]
    exp = isim.compare(tiny_scenario, replications=2, seed=5, executor=isim.experiment.SerialExecutor(),
                       progress=False)
    expected = exp.summaries.set_index(["policy", "replication"]).sort_index()
    got = last.set_index(["policy", "replication"]).sort_index()
    for column in ("true_csat", "measured_csat", "cost_per_resolved_call", "beg_rate"):
        assert got[column].tolist() == pytest.approx(expected[column].tolist(), nan_ok=True)


def test_results_html_states_progress_verdict_and_intervals(tiny_scenario: isim.Scenario) -> None:
    exp = isim.compare(tiny_scenario, replications=3, seed=1, executor=isim.experiment.SerialExecutor(),
                       progress=False)
    text = results_html(exp.summaries, ["flat", "bonus"], "flat", 6, units.context_of(tiny_scenario))
    assert "3 of 3 replications finished (6 of 6 runs)" in text
    assert 'class="whatif-verdict"' in text and "true outcomes" in text
    assert 'data-policy="bonus"' in text and 'data-outcome="gaming_rate"' in text
    assert " to " in text and "detectable" in text and "$" in text
    one = results_html(exp.summaries[exp.summaries["replication"] == 0], ["flat", "bonus"], "flat", 6,
                       units.DEFAULT_CONTEXT)
    assert "needs at least two finished replications" in one
    assert status_text(3, 6, 2) == "1 of 3 replications finished (3 of 6 runs)"
