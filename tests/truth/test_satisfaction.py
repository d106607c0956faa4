"""True satisfaction: direction of every driver; begging never raises it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_people import synthetic_calls

from incentsim.scenario.measurement import Satisfaction
from incentsim.truth import true_satisfaction


def one_call(**changes: object) -> pd.DataFrame:
    row = {"abandoned": False, "resolved": True, "wait_time": 1.0, "tier2_wait": 0.0,
           "transfer": "none", "care": 1.0, "upset": 0.2, "rushed": False, "begged": False,
           "u_annoy": 0.9}
    row.update(changes)
    return pd.DataFrame([row])


def sat(**changes: object) -> float:
    return float(true_satisfaction(one_call(**changes))[0])


calls_strategy = st.builds(
    one_call,
    resolved=st.booleans(), wait_time=st.floats(0, 60), tier2_wait=st.floats(0, 60),
    transfer=st.sampled_from(["none", "escalation", "dump"]), care=st.floats(0.5, 1.5),
    upset=st.floats(0, 1), rushed=st.booleans(), u_annoy=st.floats(0, 1),
    abandoned=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(call=calls_strategy)
def test_begging_never_raises_true_satisfaction(call: pd.DataFrame) -> None:
    honest = true_satisfaction(call.assign(begged=False))
    begged = true_satisfaction(call.assign(begged=True))
    assert (begged <= honest).all()
    assert ((0 <= begged) & (begged <= 1)).all()


def test_begging_annoys_only_some_callers() -> None:
    params = Satisfaction()
    assert sat(begged=True, u_annoy=params.annoyed_share + 0.01) == sat()
    assert sat(begged=True, u_annoy=params.annoyed_share - 0.01) < sat()


def test_drivers_move_satisfaction_the_expected_way() -> None:
    base = sat()
    assert sat(resolved=False) < base
    assert sat(wait_time=10.0) < base
    assert sat(tier2_wait=10.0) < base
    assert sat(transfer="dump") < sat(transfer="escalation") < base
    assert sat(care=1.3) > base > sat(care=0.7)
    assert sat(upset=0.8) < base
    assert sat(rushed=True) < base


def test_abandoned_calls_get_the_low_value() -> None:
    assert sat(abandoned=True) == Satisfaction().abandoned


def test_transfer_codes_and_labels_agree() -> None:
    calls = synthetic_calls(500, seed=1)
    codes = calls.assign(transfer=calls["transfer"].map({"none": 0, "escalation": 1, "dump": 2}))
    assert np.array_equal(true_satisfaction(calls), true_satisfaction(codes))


def test_missing_columns_and_bad_labels_are_named() -> None:
    with pytest.raises(ValueError, match="upset"):
        true_satisfaction(one_call().drop(columns="upset"))
    with pytest.raises(ValueError, match="allowed: none, escalation, dump"):
        true_satisfaction(one_call(transfer="lost"))
