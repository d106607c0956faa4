"""Report figures: the right panels, lines and labels; no exceptions on NaN-heavy inputs."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from incentsim.errors import InputError
from incentsim.report import (
    plot_agent_control_charts,
    plot_gaming_rates,
    plot_paired_differences,
    plot_people_over_time,
    plot_policy_comparison,
    plot_rank_churn,
    plot_satisfaction_gap,
)
from incentsim.report.agent_figures import period_means
from incentsim.report.figures import DEFAULT_OUTCOMES


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _summaries(nan_policy: str | None = None, reps: int = 4, seed: int = 0) -> pd.DataFrame:
    """Summaries for three policies; ``nan_policy`` had no survey answered (measured CSAT NaN)."""
    rng = np.random.default_rng(seed)
    rows = []
    for policy, shift in (("flat", 0.0), ("bonus", 0.02), ("team", 0.05)):
        for r in range(reps):
            rows.append({"policy": policy, "replication": r,
                         "true_csat": 0.7 + shift + rng.normal(0, 0.01),
                         "measured_csat": math.nan if policy == nan_policy else 0.75 + 2 * shift,
                         "fcr": 0.8 + rng.normal(0, 0.01), "repeat_rate": 0.1 + rng.normal(0, 0.01),
                         "cost_per_resolved_call": 7 + rng.normal(0, 0.1),
                         "beg_rate": 0.2 if policy == "bonus" else 0.0,
                         "dump_rate": 0.02 if policy == "bonus" else 0.0, "rush_rate": 0.0,
                         "quits": float(r % 2)})
    return pd.DataFrame(rows)


def test_policy_comparison_has_one_panel_per_present_outcome(experiment):
    figure = plot_policy_comparison(experiment)
    present = [o for o in DEFAULT_OUTCOMES if o in experiment.summaries.columns]
    assert len(figure.axes) == len(present)
    titles = [ax.get_title() for ax in figure.axes]
    assert "true satisfaction" in titles and "measured satisfaction (surveys)" in titles
    first = figure.axes[0]
    assert [t.get_text() for t in first.get_yticklabels()] == experiment.policies
    assert "%" in first.get_xlabel() and "higher is better" in first.get_xlabel()


def test_policy_comparison_means_are_drawn_in_shown_units(experiment):
    figure = plot_policy_comparison(experiment, outcomes=["true_csat"])
    (ax,) = figure.axes
    points = [line.get_xdata()[0] for line in ax.get_lines() if line.get_marker() == "o"]
    want = experiment.summaries.groupby("policy", sort=False)["true_csat"].mean() * 100
    assert np.allclose(points, want.reindex(experiment.policies).to_numpy())


def test_paired_differences_leave_the_baseline_out(experiment):
    figure = plot_paired_differences(experiment, outcomes=["true_csat", "fcr"])
    assert len(figure.axes) == 2
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == [p for p in experiment.policies if p != experiment.baseline]


def test_paired_difference_marker_is_filled_only_when_clear():
    frame = _summaries()
    figure = plot_paired_differences(frame, outcomes=["measured_csat"], baseline="flat")
    markers = [line for line in figure.axes[0].get_lines() if line.get_marker() == "o"]
    # measured CSAT differs by a constant, zero-variance amount: both clear, both filled
    assert len(markers) == 2 and all(m.get_markerfacecolor() != "white" for m in markers)
    figure = plot_paired_differences(frame, outcomes=["fcr"], baseline="flat")
    hollow = [m for m in figure.axes[0].get_lines() if m.get_marker() == "o" and m.get_markerfacecolor() == "white"]
    assert hollow, "pure noise on fcr should give at least one unclear (hollow) difference"


def test_satisfaction_gap_has_measured_and_true_bars(experiment):
    ax = plot_satisfaction_gap(experiment)
    assert len(ax.containers) >= 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["measured (surveys)", "true (all answered callers)"]
    assert len(ax.patches) == 2 * len(experiment.policies)
    assert any(t.get_text().startswith("gap ") for t in ax.texts)


def test_satisfaction_gap_survives_a_policy_without_surveys():
    ax = plot_satisfaction_gap(_summaries(nan_policy="team"))
    assert any(t.get_text() == "no surveys" for t in ax.texts)
    gaps = [t.get_text() for t in ax.texts if t.get_text().startswith("gap ")]
    assert len(gaps) == 2


def test_gaming_rates_one_bar_group_per_behaviour(experiment):
    ax = plot_gaming_rates(experiment)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "survey begging", "dumping upset callers", "rushing calls"]
    assert len(ax.patches) == 3 * len(experiment.policies)
    heights = [p.get_height() for p in ax.patches[: len(experiment.policies)]]
    want = experiment.summaries.groupby("policy", sort=False)["beg_rate"].mean() * 100
    assert np.allclose(heights, want.reindex(experiment.policies).to_numpy())


def test_people_over_time_one_line_per_policy(experiment):
    figure = plot_people_over_time(experiment)
    assert len(figure.axes) == 2
    for ax in figure.axes:
        assert len(ax.get_lines()) == len(experiment.policies)
        assert ax.get_xlabel() == "review period"
    assert "intrinsic motivation" in figure.axes[0].get_ylabel()


def test_period_means_average_agents_then_replications():
    agents = pd.DataFrame({"policy": "p", "replication": [0, 0, 1, 1], "agent": [0, 1, 0, 1],
                           "period": 0, "stress": [0.1, 0.3, 0.5, np.nan]})
    means = period_means(agents, "stress")
    # replication 0 mean 0.2, replication 1 mean 0.5 (NaN agent ignored) -> 0.35
    assert means["mean"].iloc[0] == pytest.approx(0.35)
    assert means["n"].iloc[0] == 2 and means["low"].iloc[0] < 0.35 < means["high"].iloc[0]


def test_control_charts_one_panel_per_agent(experiment):
    figure = plot_agent_control_charts(experiment, policy="individual_bonus", max_agents=4)
    assert len(figure.axes) == 4
    assert [ax.get_title() for ax in figure.axes] == [f"agent {a}" for a in range(4)]
    assert all("minutes" in ax.get_ylabel() for ax in figure.axes)


def test_control_charts_with_no_measurements_show_a_note(experiment):
    agents = experiment.agents.assign(csat=np.nan)
    figure = plot_agent_control_charts(agents, metric="csat", max_agents=2)
    assert len(figure.axes) == 2
    assert all("fewer than 2 measured periods" in ax.texts[0].get_text() for ax in figure.axes)


def test_rank_churn_one_line_per_agent(experiment):
    ax = plot_rank_churn(experiment, policy="forced_ranking")
    run = experiment.agents.query("policy == 'forced_ranking' and replication == 0")
    assert len(ax.get_lines()) == run["agent"].nunique()
    assert ax.yaxis_inverted()
    assert "rank given by the policy" in ax.get_title()  # the policy ranked, so its ranks are used


def test_rank_churn_falls_back_to_surveys_when_the_policy_does_not_rank(experiment):
    ax = plot_rank_churn(experiment, policy="flat")
    assert "measured satisfaction" in ax.get_title()


def test_unknown_policy_and_metric_name_the_allowed_values(experiment):
    with pytest.raises(InputError, match="allowed: flat, individual_bonus, forced_ranking"):
        plot_rank_churn(experiment, policy="nope")
    with pytest.raises(InputError, match="not an agent column"):
        plot_agent_control_charts(experiment, metric="nope")


def test_several_points_must_be_named(experiment):
    two = pd.concat([experiment.summaries, experiment.summaries.assign(point=1)], ignore_index=True)
    with pytest.raises(InputError, match="several sweep points"):
        plot_gaming_rates(two)
    assert plot_gaming_rates(two, point=1) is not None


def test_figures_accept_given_axes(experiment):
    figure, axes = plt.subplots(1, 2)
    assert plot_satisfaction_gap(experiment, ax=axes[0]) is axes[0]
    assert plot_policy_comparison(experiment, outcomes=["fcr"], axes=[axes[1]]) is figure


def test_satisfaction_gap_without_a_survey_column_draws_true_bars_only():
    ax = plot_satisfaction_gap(_summaries().drop(columns="measured_csat"))
    assert sum(t.get_text() == "no surveys" for t in ax.texts) == 3
    assert not any(t.get_text().startswith("gap ") for t in ax.texts)


def test_nan_heavy_and_single_replication_inputs_draw_without_errors(experiment):
    nan_frame = _summaries(nan_policy="bonus")
    figure = plot_policy_comparison(nan_frame, outcomes=["measured_csat", "true_csat"])
    assert len(figure.axes) == 2
    figure = plot_paired_differences(nan_frame, outcomes=["measured_csat"])
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["bonus", "team"]
    one = experiment.summaries.query("replication == 0")
    for draw in (plot_policy_comparison, plot_paired_differences):
        assert draw(one).axes
    assert plot_gaming_rates(one).patches
    agents = experiment.agents.query("replication == 0")
    assert len(plot_people_over_time(agents).axes) == 2
