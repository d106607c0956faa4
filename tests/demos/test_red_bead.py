"""The red bead experiment: its bookkeeping, its statistics against hypergeometric theory."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incentsim as isim
from incentsim.demos.red_bead import hypergeometric_moments, np_chart_limits
from incentsim.errors import InputError


def test_default_story_shape() -> None:
    df = isim.demos.red_bead(seed=1, narrate=False)
    assert {"worker", "day", "red", "shift", "center", "lcl", "ucl", "merit_rank",
            "fired"} <= set(df.columns)
    assert len(df) == 6 * 4
    assert (df.groupby("day").size() == 6).all()
    # three fired after day 3; day 4 is worked by the three kept, two shifts each
    fired = df.attrs["fired"]
    assert len(fired) == 3
    last = df[df["day"] == 4]
    assert set(last["worker"]).isdisjoint(fired)
    assert sorted(last.groupby("worker").size().tolist()) == [2, 2, 2]
    assert set(last["shift"]) == {1, 2}


def test_firing_follows_the_merit_ranking() -> None:
    df = isim.demos.red_bead(seed=5, workers=8, days=3, fire=2, narrate=False)
    ranked = df[df["day"] <= 2].groupby("worker")["red"].sum()
    ranks = df.groupby("worker")["merit_rank"].first()
    # rank 1 has the fewest red beads, and ranks follow the totals
    assert ranked[ranks.idxmin()] == ranked.min()
    order = ranks.sort_values().index
    assert list(ranked[order]) == sorted(ranked)
    assert set(df.attrs["fired"]) == set(order[-2:])
    assert df.loc[df["worker"].isin(df.attrs["fired"]), "fired"].all()


def test_same_seed_same_story_and_generator_accepted() -> None:
    a = isim.demos.red_bead(seed=11, narrate=False)
    b = isim.demos.red_bead(seed=11, narrate=False)
    c = isim.demos.red_bead(seed=12, narrate=False)
    assert a.equals(b)
    assert not a["red"].equals(c["red"])
    g = isim.demos.red_bead(seed=np.random.default_rng(3), narrate=False)
    assert len(g) == 24


def test_no_replacement_within_a_paddle() -> None:
    # 9 of 10 beads with 3 red: without replacement the paddle holds 2 or 3 red, never more
    df = isim.demos.red_bead(seed=2, workers=10, days=30, beads=10, red=3, paddle=9, fire=0,
                             narrate=False)
    assert set(df["red"]) <= {2, 3}
    # the whole bowl: exactly the red beads every time
    full = isim.demos.red_bead(seed=2, workers=3, days=2, beads=20, red=7, paddle=20,
                               narrate=False)
    assert (full["red"] == 7).all()


def test_red_per_paddle_matches_hypergeometric_theory() -> None:
    df = isim.demos.red_bead(seed=7, workers=12, days=250, fire=0, narrate=False)
    mean, variance = hypergeometric_moments(4000, 800, 50)
    assert mean == 10.0
    assert variance == pytest.approx(50 * 0.2 * 0.8 * 3950 / 3999)
    n = len(df)
    assert abs(df["red"].mean() - mean) < 4 * np.sqrt(variance / n)
    assert abs(df["red"].var() - variance) < 4 * variance * np.sqrt(2 / (n - 1))
    # np chart limits from the data are near the theoretical 10 +- 3 sqrt(8)
    assert df["center"].iloc[0] == pytest.approx(10.0, abs=0.25)
    assert df["ucl"].iloc[0] == pytest.approx(10 + 3 * np.sqrt(8), abs=0.3)
    # a stable system: about 0.3% (binomial tail, a little less here) outside the limits
    outside = (~df["red"].between(df["lcl"], df["ucl"])).mean()
    assert outside < 0.01


def test_np_chart_limits_known_values() -> None:
    chart = np_chart_limits(np.array([10, 10, 10, 10]), 50)
    assert chart["center"] == 10.0
    assert chart["ucl"] == pytest.approx(10 + 3 * np.sqrt(8))
    assert chart["lcl"] == pytest.approx(10 - 3 * np.sqrt(8))
    assert np_chart_limits(np.array([1, 0]), 50)["lcl"] == 0.0
    assert np_chart_limits(np.array([10, 10, 10, 10]), 50)["signals"] == 0
    assert np_chart_limits(np.array([10, 9, 11, 10, 10, 9, 11, 10, 10, 30]), 50)["signals"] >= 1


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.integers(1, 5), st.integers(20, 400), st.data())
def test_invariants(workers: int, days: int, beads: int, data: st.DataObject) -> None:
    red = data.draw(st.integers(0, beads))
    paddle = data.draw(st.integers(1, beads))
    df = isim.demos.red_bead(seed=data.draw(st.integers(0, 2**32)), workers=workers, days=days,
                             beads=beads, red=red, paddle=paddle, narrate=False)
    assert len(df) == workers * days
    assert df["red"].between(max(0, paddle - (beads - red)), min(red, paddle)).all()
    assert (df["lcl"] <= df["center"]).all() and (df["center"] <= df["ucl"]).all()
    assert df["red_share"].between(0, 1).all()


@pytest.mark.parametrize(("field", "kwargs"), [
    ("workers", {"workers": 1}), ("red", {"red": 5000}), ("paddle", {"paddle": 0}),
    ("fire", {"fire": 6}), ("seed", {"seed": -1}), ("days", {"days": 0}),
])
def test_bad_input_names_the_field(field: str, kwargs: dict[str, int]) -> None:
    with pytest.raises(InputError, match=field):
        isim.demos.red_bead(narrate=False, **kwargs)


def test_narrative_and_figure(tmp_path, capsys) -> None:
    out = tmp_path / "beads.png"
    isim.demos.red_bead(seed=1, figure=out)
    text = capsys.readouterr().out
    assert "Merit ranking after day 3" in text and "fires" in text and "np chart" in text
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
    isim.demos.red_bead(seed=1, narrate=False)
    assert capsys.readouterr().out == ""


def test_bad_figure_path_fails_before_any_work(tmp_path, capsys) -> None:
    with pytest.raises(InputError, match="out"):
        isim.demos.red_bead(seed=1, figure=tmp_path / "beads.txt")
    with pytest.raises(InputError, match="does not exist"):
        isim.demos.red_bead(seed=1, figure=tmp_path / "missing" / "beads.png")
    assert capsys.readouterr().out == ""
