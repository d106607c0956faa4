"""ForcedRanking on handmade measured frames."""

from __future__ import annotations

from strategies_policies import measured

from incentsim.policies import ForcedRanking, composite_ranks


def test_composite_rank_is_mean_percentile_with_direction() -> None:
    frame = measured(
        {"agent": 1, "period": 0, "aht": 5.0, "qa": 70.0},   # best aht, worst qa
        {"agent": 2, "period": 0, "aht": 6.0, "qa": 90.0},   # middle aht, best qa
        {"agent": 3, "period": 0, "aht": 7.0, "qa": 80.0},   # worst aht, middle qa
    )
    # percentiles (higher better): agent1 (1, 1/3) agent2 (2/3, 1) agent3 (1/3, 2/3)
    assert composite_ranks(frame, ["aht", "qa"]) == {2: 1, 1: 2, 3: 3}
    assert composite_ranks(frame, ["aht"]) == {1: 1, 2: 2, 3: 3}


def test_ties_are_broken_by_agent_id_and_ranks_are_unique() -> None:
    frame = measured(*({"agent": a, "period": 0, "aht": 6.0} for a in (7, 3, 5)))
    assert composite_ranks(frame, ["aht"]) == {3: 1, 5: 2, 7: 3}


def test_missing_metric_uses_the_metrics_the_agent_has() -> None:
    frame = measured({"agent": 1, "period": 0, "aht": 5.0, "qa_samples": 0, "qa": float("nan")},
                     {"agent": 2, "period": 0, "aht": 6.0, "qa": 99.0},
                     {"agent": 3, "period": 0, "calls": 0, "aht": float("nan"),
                      "qa": float("nan"), "qa_samples": 0})
    ranks = composite_ranks(frame, ["aht", "qa"])
    assert ranks == {1: 1, 2: 2}  # agent 3 has nothing to rank on


def test_top_paid_bottom_warned_then_fired_after_k_consecutive() -> None:
    rows = [{"agent": a, "period": p, "aht": 5.0 + a} for p in range(3) for a in range(10)]
    frame = measured(*rows)
    policy = ForcedRanking(metrics=["aht"], top_share=0.2, bonus=50, bottom_share=0.1,
                           fire_after=3)
    reviews = [policy.review(frame[frame.period <= p], p) for p in range(3)]
    assert reviews[0].payouts == {0: 50.0, 1: 50.0}
    assert reviews[0].sanctions == {9: "warning"} == reviews[1].sanctions
    assert reviews[2].sanctions == {9: "fire"}
    assert sorted(reviews[2].ranks.values()) == list(range(1, 11))


def test_fire_streak_is_broken_by_a_better_period() -> None:
    rows = [{"agent": a, "period": p, "aht": 5.0 + (a if (p, a) != (1, 9) else 0.1)}
            for p in range(3) for a in range(10)]
    frame = measured(*rows)
    review = ForcedRanking(metrics=["aht"], fire_after=3).review(frame, 2)
    assert review.sanctions == {9: "warning"}


def test_no_firing_when_fire_after_is_none() -> None:
    rows = [{"agent": a, "period": p, "aht": 5.0 + a} for p in range(4) for a in range(10)]
    assert ForcedRanking(metrics=["aht"], fire_after=None).review(
        measured(*rows), 3).sanctions == {9: "warning"}


def test_ranks_are_those_of_the_pandas_percentile_rule() -> None:
    """The array implementation keeps the documented rule: mean of per-metric percentile ranks."""
    import numpy as np
    import pandas as pd

    from incentsim.policies.kpis import agent_values

    rng = np.random.default_rng(5)
    for _ in range(20):
        rows = measured(*({"agent": int(a), "period": 0, "aht": float(rng.choice([5.0, 6.0, rng.normal(6, 1)])),
                           "qa": float(rng.normal(80, 5)), "qa_samples": int(rng.integers(0, 3))}
                          for a in rng.permutation(12)))
        pct = [agent_values(rows, m).rank(pct=True, method="average", ascending=m == "qa")
               for m in ("aht", "qa")]
        score = pd.concat(pct, axis=1).mean(axis=1, skipna=True).dropna()
        expected = sorted(score.index, key=lambda a: (-float(score[a]), int(a)))
        assert composite_ranks(rows, ["aht", "qa"]) == {int(a): i + 1 for i, a in enumerate(expected)}
