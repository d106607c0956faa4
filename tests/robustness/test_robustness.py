"""isim.robustness end to end on a tiny centre: known answers, storage, resume, validation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import incentsim as isim
from incentsim.errors import InputError
from incentsim.experiment.executors import SerialExecutor
from incentsim.scenario.behaviour import Behaviour

# QA rater noise cannot matter here: agents do not react to anything (neutral behaviour), neither
# policy reads QA and no outcome judged is built from QA. Repeat calls move the cost per resolved
# call, so the bonus's extra cost per resolved call moves with them; survey response moves only
# the measured level, identically under both policies.
RANGES = {"measurement.qa.rater_sd": (4.0, 12.0), "measurement.surveys.response_rate": (0.1, 0.3),
          "customers.repeat_chance": (0.4, 0.8)}
OUTCOMES = ("true_csat", "measured_csat", "cost_per_resolved_call")


def tiny() -> isim.Scenario:
    return isim.Scenario(name="tiny", center={"tier1_agents": 4, "tier2_agents": 1, "days_per_month": 3,
                                              "months": 1, "hours_per_day": 8.0},
                         demand={"calls_per_hour": 20.0}, behaviour=Behaviour.neutral())


POLICIES = {"flat": isim.policies.Flat(),
            "bonus": isim.policies.IndividualBonus(metric="calls", threshold=0, amount=100, min_responses=1)}


def analyse(**kwargs: object) -> isim.robustness.Robustness:
    options: dict[str, object] = {"samples": 2, "trajectories": 2, "top": 1, "seed": 3, "nominal_replications": 2,
                                  "executor": SerialExecutor(), "outcomes": OUTCOMES, "assumptions": RANGES}
    options.update(kwargs)
    return isim.robustness(tiny(), POLICIES, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> isim.robustness.Robustness:
    return analyse(out=tmp_path_factory.mktemp("rob") / "out")


def _rows(table: pd.DataFrame, **match: str) -> pd.DataFrame:
    for key, value in match.items():
        table = table[table[key] == value]
    return table


def test_an_assumption_of_an_inactive_mechanism_has_no_importance(result: isim.robustness.Robustness) -> None:
    qa = _rows(result.importance, assumption="measurement.qa.rater_sd")
    assert len(qa) == 3 * len(OUTCOMES)  # two levels and one difference, per outcome
    assert (qa["mu_star"] == 0).all()
    response = _rows(result.importance, assumption="measurement.surveys.response_rate")
    assert _rows(response, contrast="flat", outcome="measured_csat")["mu_star"].iloc[0] > 0
    assert _rows(response, contrast="bonus - flat", outcome="measured_csat")["mu_star"].iloc[0] == 0
    repeat = _rows(result.importance, assumption="customers.repeat_chance", contrast="bonus - flat",
                   outcome="cost_per_resolved_call")
    assert repeat["mu_star"].iloc[0] > 0
    assert result.chosen == ["customers.repeat_chance"]
    sobol = result.importance[result.importance["ST"].notna()]
    assert set(sobol["assumption"]) == {"customers.repeat_chance", "other assumptions"}


def test_a_difference_that_cannot_change_sign_survives_everywhere(result: isim.robustness.Robustness) -> None:
    cost = _rows(result.verdicts, outcome="cost_per_resolved_call").iloc[0]
    assert (cost["policy"], cost["against"]) == ("bonus", "flat")
    assert cost["share"] == 1.0 and cost["status"] == "survives" and cost["points"] == 2 * 4
    assert cost["reading"].startswith("flat beats bonus on cost per resolved call across 100%")
    same = _rows(result.verdicts, outcome="true_csat").iloc[0]
    assert same["nominal_diff"] == 0 and same["share"] == 1.0
    assert same["reading"].startswith("bonus and flat give the same true satisfaction")
    assert result.boxes.empty


def test_results_are_saved_and_load_back(result: isim.robustness.Robustness) -> None:
    assert result.path is not None
    for name in ("robustness.json", "verdicts.parquet", "importance.parquet", "boxes.parquet",
                 "design-screening.parquet", "design-sobol.parquet", "nominal/manifest.json",
                 "screening/manifest.json", "sobol/manifest.json"):
        assert (result.path / name).exists(), name
    back = isim.robustness.load(result.path)
    pd.testing.assert_frame_equal(back.verdicts, result.verdicts)
    pd.testing.assert_frame_equal(back.importance, result.importance)
    assert back.manifest["status"] == "complete"
    assert set(back.designs) == {"screening", "sobol"}
    assert "survive" in back.describe()


def test_resume_runs_nothing_new_and_gives_the_same_answer(result: isim.robustness.Robustness) -> None:
    again = analyse(out=result.path, resume=True)
    pd.testing.assert_frame_equal(again.verdicts, result.verdicts, check_exact=True)
    for stage in ("nominal", "screening", "sobol"):
        sessions = isim.load(Path(result.path) / stage).manifest["sessions"]
        assert sessions[-1]["cells_run"] == 0
    with pytest.raises(InputError, match="settings"):
        analyse(out=result.path, resume=True, samples=8)


def test_screening_mode_reads_verdicts_from_the_morris_points(tmp_path: Path) -> None:
    (tmp_path / "sobol").mkdir()  # left by an earlier, full analysis: replaced, as compare replaces results
    (tmp_path / "sobol" / "manifest.json").write_text("{}")
    (tmp_path / "design-sobol.parquet").write_text("old")
    (tmp_path / "notes.txt").write_text("mine")
    quick = analyse(screening=True, out=tmp_path)
    assert not (tmp_path / "sobol").exists() and not (tmp_path / "design-sobol.parquet").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert quick.chosen == [] and set(quick.designs) == {"screening"}
    assert quick.importance["ST"].isna().all()
    assert "screening world" in quick.manifest["verdict_sample"]
    assert _rows(quick.verdicts, outcome="cost_per_resolved_call")["share"].iloc[0] == 1.0


def test_the_report_section_on_which_conclusions_survive(result: isim.robustness.Robustness) -> None:
    from incentsim.robustness.report import importance_shares, section

    part = section(result)
    assert part["anchor"] == "robustness" and part["heading"] == "Which conclusions survive"
    html = part["html"]
    assert 'class="survival"' in html and "100%" in html and "data:image/png;base64," in html
    assert "bonus vs flat" in html and "http" not in html
    shares = importance_shares(result.importance)
    # only the cost difference moves; its mu* is shared out among the assumptions (a third: one of three outcomes)
    assert shares["cost_per_resolved_call"].sum() == pytest.approx(1 / len(OUTCOMES))
    assert shares["true_csat"].sum() == 0
    assert shares.loc["measurement.qa.rater_sd"].sum() == 0


@pytest.mark.parametrize("kwargs, field", [
    ({"samples": 1}, "samples"),
    ({"outcomes": ["happiness"]}, "outcomes"),
    ({"screening_scale": 0.0}, "screening_scale"),
    ({"resume": True}, "resume"),
    ({"assumptions": {"behaviour.decisions.nope": (0, 1)}}, "nope"),
])
def test_bad_options_are_one_error_naming_the_field(kwargs: dict[str, object], field: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=field):
        analyse(**kwargs)
    assert not any(tmp_path.iterdir())


def test_one_policy_is_not_a_comparison() -> None:
    with pytest.raises(InputError, match="two policies"):
        isim.robustness(tiny(), {"flat": isim.policies.Flat()}, executor=SerialExecutor())


def test_any_executor_gives_the_same_tables(result: isim.robustness.Robustness) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = analyse(executor=client.get_executor())
    pd.testing.assert_frame_equal(on_dask.verdicts, result.verdicts, check_exact=True)
    pd.testing.assert_frame_equal(on_dask.importance, result.importance, check_exact=True)
    assert on_dask.manifest["stages"]["sobol"]["executor"].startswith("distributed.ClientExecutor")


def test_the_screening_is_said_to_have_missed_what_the_others_group_clearly_drives(
        result: isim.robustness.Robustness) -> None:
    assert result.missed_by_screening() == []  # the inactive assumptions are the "others" here
    importance = pd.DataFrame({"assumption": ["x", "other assumptions", "other assumptions"],
                               "contrast": ["b - a", "b - a", "c - a"], "against": ["a", "a", "a"],
                               "outcome": "quits", "ST": [0.1, 0.8, 0.5], "ST_conf": [0.05, 0.1, 0.4]})
    made_up = isim.robustness.Robustness(result.verdicts, importance, result.boxes, None, {}, result.manifest)
    assert made_up.missed_by_screening() == ["b - a on quits (ST 0.80)"]
    assert "The screening missed what drives these" in made_up.describe()
