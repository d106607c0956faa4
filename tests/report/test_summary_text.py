"""Plain-language verdicts: the best policy on true outcomes, honest 'no detectable difference'."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.report.summary_text import (
    TRUE_OUTCOMES,
    best_on_true_outcomes,
    leader,
    measured_vs_true,
    plain_summary,
)

POLICIES = ["flat", "bonus", "team"]


def _frame(effects: dict[str, dict[str, float]], reps: int = 10, noise: float = 0.01, seed: int = 0,
           measured: dict[str, float] | None = None, gaming: dict[str, float] | None = None) -> pd.DataFrame:
    """Summaries with a shared per-replication luck term (common random numbers) and small noise."""
    rng = np.random.default_rng(seed)
    luck = rng.normal(0, 0.05, size=reps)
    base = {"true_csat": 0.7, "fcr": 0.75, "repeat_rate": 0.1, "cost_per_resolved_call": 7.0}
    rows = []
    for policy in POLICIES:
        for r in range(reps):
            row = {"policy": policy, "replication": r}
            for outcome, level in base.items():
                row[outcome] = level + effects.get(policy, {}).get(outcome, 0.0) + luck[r] + rng.normal(0, noise)
            row["measured_csat"] = row["true_csat"] + (measured or {}).get(policy, 0.0)
            row["beg_rate"] = (gaming or {}).get(policy, 0.0)
            row["dump_rate"] = 0.0
            row["rush_rate"] = 0.0
            rows.append(row)
    return pd.DataFrame(rows)


def test_picks_the_policy_best_on_every_true_outcome():
    better = {"true_csat": 0.05, "fcr": 0.05, "repeat_rate": -0.03, "cost_per_resolved_call": -0.5}
    winner, lines = best_on_true_outcomes(_frame({"team": better}), POLICIES)
    assert winner == "team"
    assert lines[0].startswith("team does best on true outcomes")
    assert re.search(r"detectably best on true satisfaction \(by [\d.]+ points, large\)", lines[0]), lines[0]
    assert len(lines) == 1 + len(TRUE_OUTCOMES)
    # the advantage is stated in the direction of "better", so its interval is positive
    for line in lines[1:]:
        assert "detectably ahead of the runner-up" in line
        assert re.search(r"95% interval \+\$?[\d.]+ to \+\$?[\d.]+\)", line), line


def test_lower_is_better_outcomes_are_judged_downwards():
    lead = leader(_frame({"bonus": {"repeat_rate": 0.05}, "team": {"repeat_rate": -0.05}}), POLICIES,
                  "repeat_rate")
    assert lead.best == "team" and lead.clear


def test_pure_noise_rarely_names_a_winner_and_says_no_clear_difference():
    winners = [best_on_true_outcomes(_frame({}, noise=0.02, seed=seed), POLICIES)[0] for seed in range(60)]
    # four outcomes x two comparisons at 95% each; requiring a clear win keeps false winners near 5%
    assert sum(w is not None for w in winners) <= 6
    seed = next(s for s, w in enumerate(winners) if w is None)
    _, lines = best_on_true_outcomes(_frame({}, noise=0.02, seed=seed), POLICIES)
    assert lines[0].startswith("No policy")
    assert any("no detectable difference" in line for line in lines[1:])


def test_a_real_effect_is_usually_found():
    found = [best_on_true_outcomes(_frame({"team": {"true_csat": 0.03, "fcr": 0.03}}, noise=0.02, seed=s),
                                   POLICIES)[0] for s in range(20)]
    assert found.count("team") >= 14


def test_shared_luck_cancels_in_the_paired_difference():
    # the luck term (sd 0.05) dwarfs the 0.01 effect; unpaired intervals would overlap,
    # the paired difference (noise sd 0.001) separates the policies
    frame = _frame({"bonus": {"true_csat": 0.01}}, noise=0.001)
    lead = leader(frame, POLICIES, "true_csat")
    assert lead.best == "bonus" and lead.clear


def test_measured_up_true_down_is_called_a_disagreement_with_its_gaming():
    frame = _frame({"bonus": {"true_csat": -0.015}}, noise=0.0, measured={"bonus": 0.06},
                   gaming={"bonus": 0.24})
    (bonus_line, team_line) = measured_vs_true(frame, POLICIES, "flat")
    assert bonus_line.startswith("Under bonus, measured satisfaction (surveys) is 4.5 points higher than under flat")
    assert "but true satisfaction is 1.5 points lower than under flat" in bonus_line
    assert "Measured and true disagree" in bonus_line
    assert "survey begging on 24.0% of answered calls (flat 0.0%)" in bonus_line
    assert "no detectable difference" in team_line and "disagree" not in team_line


def test_plain_summary_of_a_real_experiment(experiment):
    summary = plain_summary(experiment)
    assert set(summary) == {"winner", "headline", "outcomes", "measured_vs_true"}
    assert len(summary["measured_vs_true"]) == len(experiment.policies) - 1
    assert summary["winner"] is None or summary["winner"] in experiment.policies


def test_one_policy_has_nothing_to_compare():
    frame = _frame({})
    winner, lines = best_on_true_outcomes(frame[frame["policy"] == "flat"], ["flat"])
    assert winner is None and "only one policy" in lines[0].lower()


@settings(max_examples=25, deadline=None)
@given(effects=st.lists(st.floats(-0.05, 0.05), min_size=3, max_size=3), seed=st.integers(0, 10_000))
def test_a_named_winner_is_never_clearly_beaten(effects, seed):
    frame = _frame({p: {"true_csat": e, "fcr": e} for p, e in zip(POLICIES, effects, strict=True)},
                   reps=5, seed=seed)
    winner, _ = best_on_true_outcomes(frame, POLICIES, outcomes=("true_csat", "fcr"))
    if winner is not None:
        for outcome in ("true_csat", "fcr"):
            assert winner in leader(frame, POLICIES, outcome).contenders


def test_one_replication_is_too_few_to_tell():
    frame = _frame({"team": {"true_csat": 0.05}}, reps=1)
    winner, lines = best_on_true_outcomes(frame, POLICIES)
    assert winner is None
    assert all("too few replications to tell" in line for line in lines[1:])
    assert all("too few replications" in line for line in measured_vs_true(frame, POLICIES, "flat"))
