"""The funnel experiment: each rule's bookkeeping and rule 2's doubled variance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incentsim as isim
from incentsim.demos.funnel import drop_marbles
from incentsim.errors import InputError


def test_columns_and_common_errors() -> None:
    df = isim.demos.funnel(seed=1, narrate=False)
    assert list(df.columns) == ["drop", "rule", "x", "y", "aim_x", "aim_y"]
    assert sorted(df["rule"].unique()) == [1, 2, 3, 4]
    assert (df.groupby("rule").size() == 50).all()
    errors = {r: (rows[["x", "y"]].to_numpy() - rows[["aim_x", "aim_y"]].to_numpy())
              for r, rows in df.groupby("rule")}
    for r in (2, 3, 4):  # every rule sees the same drops
        np.testing.assert_allclose(errors[r], errors[1])


def test_rules_move_the_funnel_as_described() -> None:
    errors = np.random.default_rng(0).normal(size=(30, 2))
    land1, aim1 = drop_marbles(errors, 1)
    assert (aim1 == 0).all()
    land2, aim2 = drop_marbles(errors, 2)
    np.testing.assert_allclose(aim2[1:], aim2[:-1] - land2[:-1])
    np.testing.assert_allclose(land2[1:], errors[1:] - errors[:-1])  # x_k = e_k - e_{k-1}
    land3, aim3 = drop_marbles(errors, 3)
    np.testing.assert_allclose(aim3[1:], -land3[:-1])
    land4, aim4 = drop_marbles(errors, 4)
    np.testing.assert_allclose(aim4[1:], land4[:-1])
    np.testing.assert_allclose(land4, np.cumsum(errors, axis=0))  # a random walk


def test_rule_two_doubles_the_variance() -> None:
    ratios = [isim.demos.funnel(seed=s, rule=[1, 2], drops=4000, narrate=False)
              .attrs["variance_ratio"][2] for s in range(5)]
    assert np.mean(ratios) == pytest.approx(2.0, abs=0.06)


def test_rules_three_and_four_drift() -> None:
    df = isim.demos.funnel(seed=4, drops=1000, narrate=False)
    ratio = df.attrs["variance_ratio"]
    assert ratio[3] > 20 and ratio[4] > 20  # expected about drops / 2 and drops / 3
    assert ratio[1] == 1.0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 200), st.floats(0.1, 10))
def test_invariants(seed: int, drops: int, sd: float) -> None:
    df = isim.demos.funnel(seed=seed, rule=1, drops=drops, sd=sd, narrate=False)
    assert len(df) == drops and list(df["drop"]) == list(range(1, drops + 1))
    assert (df[["aim_x", "aim_y"]] == 0).all().all()


@pytest.mark.parametrize(("field", "kwargs"), [
    ("rule", {"rule": 5}), ("rule", {"rule": []}), ("drops", {"drops": 1}), ("sd", {"sd": 0}),
])
def test_bad_input_names_the_field(field: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError, match=field):
        isim.demos.funnel(narrate=False, **kwargs)


def test_narrative_and_figure(tmp_path, capsys) -> None:
    out = tmp_path / "funnel.svg"
    isim.demos.funnel(seed=1, rule=[1, 2], figure=out)
    text = capsys.readouterr().out
    assert "Rule 2" in text and "doubles the variance" in text
    assert out.read_text().lstrip().startswith("<?xml")
