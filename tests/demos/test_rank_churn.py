"""Rank churn: league tables, and how often the top quartile stays on top, against theory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incentsim as isim
from incentsim.demos.rank_churn import expected_stay_top, top_quartile_stays
from incentsim.errors import InputError


def test_ranks_are_a_league_table_each_period() -> None:
    df = isim.demos.rank_churn(seed=1, narrate=False)
    assert {"agent", "period", "metric", "rank"} <= set(df.columns)
    assert len(df) == 20 * 6
    for _, rows in df.groupby("period"):
        assert sorted(rows["rank"]) == list(range(1, 21))
        assert rows.loc[rows["rank"].idxmin(), "metric"] == rows["metric"].max()


def test_pure_people_never_churns_and_pure_system_is_chance() -> None:
    fixed = isim.demos.rank_churn(seed=3, people_share=1.0, narrate=False)
    assert fixed.pivot(index="agent", columns="period", values="rank").nunique(axis=1).eq(1).all()
    assert fixed.attrs["stay_top"] == 1.0
    chance = isim.demos.rank_churn(seed=3, agents=2000, periods=6, people_share=0.0,
                                   narrate=False)
    assert chance.attrs["stay_top"] == pytest.approx(0.25, abs=0.03)


def test_expected_stay_top_theory() -> None:
    assert expected_stay_top(0.0) == pytest.approx(0.25, abs=1e-6)
    assert expected_stay_top(1.0) == 1.0
    assert expected_stay_top(0.9999999999999999) == 1.0  # a share a float slider can reach
    values = [expected_stay_top(s) for s in np.linspace(0, 0.95, 8)]
    assert all(a < b for a, b in zip(values, values[1:], strict=False))
    # a big centre reproduces the theory
    df = isim.demos.rank_churn(seed=8, agents=4000, periods=5, people_share=0.4, narrate=False)
    assert df.attrs["stay_top"] == pytest.approx(expected_stay_top(0.4), abs=0.025)


def test_top_quartile_stays_counts() -> None:
    table = pd.DataFrame({"agent": list("abcdefgh") * 2, "period": [1] * 8 + [2] * 8,
                          "rank": [1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 1, 4, 5, 6, 7, 8]})
    # top quartile = 2 agents: {a, b} then {c, a}: one stayed
    assert top_quartile_stays(table) == (1, 2)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 60), st.integers(2, 8), st.floats(0, 1))
def test_invariants(seed: int, agents: int, periods: int, share: float) -> None:
    df = isim.demos.rank_churn(seed=seed, agents=agents, periods=periods, people_share=share,
                               narrate=False)
    assert len(df) == agents * periods
    assert 0.0 <= df.attrs["stay_top"] <= 1.0
    assert (df.groupby("period")["top_quartile"].sum() == max(1, agents // 4)).all()


@pytest.mark.parametrize(("field", "kwargs"), [
    ("agents", {"agents": 3}), ("periods", {"periods": 1}),
    ("people_share", {"people_share": 1.5}), ("sd", {"sd": -1.0}),
])
def test_bad_input_names_the_field(field: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError, match=field):
        isim.demos.rank_churn(narrate=False, **kwargs)


def test_narrative_and_figure(tmp_path, capsys) -> None:
    out = tmp_path / "churn.png"
    isim.demos.rank_churn(seed=1, figure=out)
    assert "top quartile" in capsys.readouterr().out
    assert out.stat().st_size > 1000
