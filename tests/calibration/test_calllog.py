"""The call-log reader: good logs become the canonical form, bad ones one clear error naming column and rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.calibration import check_call_log, read_call_log
from incentsim.errors import InputError


def _log(n: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    answered = np.arange(n) % 4 != 3
    return pd.DataFrame({
        "arrival": [f"2024-03-0{1 + i // 6} {9 + i % 6:02d}:1{i % 10}:05" for i in range(n)],
        "call_type": ["billing" if i % 3 else "tech" for i in range(n)],
        "outcome": np.where(answered, "answered", "abandoned"),
        "wait_seconds": rng.integers(0, 200, n).astype(float),
        "handle_seconds": np.where(answered, rng.integers(60, 900, n), np.nan),
        "agent": np.where(answered, [f"ag{i % 3}" for i in range(n)], None),
        "customer_id": [f"c{i % 5}" for i in range(n)],
    })


def test_a_good_log_becomes_the_canonical_form(tmp_path: Path) -> None:
    frame = _log().sample(frac=1.0, random_state=2)  # rows in any order
    path = tmp_path / "calls.csv"
    frame.to_csv(path, index=False)
    log = read_call_log(path)
    assert list(log.columns) == ["arrival", "call_type", "answered", "wait_seconds", "handle_seconds", "agent",
                                 "customer_id"]
    assert log["arrival"].is_monotonic_increasing and len(log) == 12
    assert log["answered"].sum() == 9 and log.loc[~log["answered"], "handle_seconds"].isna().all()
    assert log.loc[~log["answered"], "agent"].isna().all()
    frame.to_parquet(tmp_path / "calls.parquet")
    pd.testing.assert_frame_equal(read_call_log(tmp_path / "calls.parquet").reset_index(drop=True),
                                  log.reset_index(drop=True), check_dtype=False)


def test_offsets_and_t_separator_keep_the_local_clock() -> None:
    frame = _log(2).assign(arrival=["2024-03-31T01:30:00+01:00", "2024-03-31 03:30:00+02:00"])
    log = check_call_log(frame)
    assert [t.hour for t in log["arrival"]] == [1, 3]


def _problems(frame: pd.DataFrame) -> str:
    with pytest.raises(InputError) as caught:
        check_call_log(frame, source="calls.csv")
    return str(caught.value)


@pytest.mark.parametrize(("change", "needles"), [
    (lambda f: f.drop(columns=["agent"]), ["agent: required column not found", "'arrival'"]),
    (lambda f: f.assign(arrival=f["arrival"].where(f.index != 4, "05/03/2024 09:00")),
     ["arrival", "not timestamps", "'05/03/2024 09:00'", "data row 5", "ISO 8601"]),
    (lambda f: f.assign(outcome=f["outcome"].where(f.index != 2, "hung up")),
     ["outcome", "'hung up'", "data row 3"]),
    (lambda f: f.assign(wait_seconds=f["wait_seconds"].where(f.index != 0, -5.0)),
     ["wait_seconds", "negative", "data row 1"]),
    (lambda f: f.assign(wait_seconds=f["wait_seconds"].astype(object).where(f.index != 6, "n/a")),
     ["wait_seconds", "'n/a'", "data row 7", "leave the cell empty"]),
    (lambda f: f.assign(handle_seconds=f["handle_seconds"].where(~f.index.isin([0, 1]), np.nan)),
     ["handle_seconds", "2 answered call(s) without a handle time", "data rows 1, 2"]),
    (lambda f: f.assign(handle_seconds=f["handle_seconds"].where(f.index != 0, np.inf)),
     ["handle_seconds", "infinite", "data row 1"]),
    (lambda f: f.assign(agent=f["agent"].where(f.index != 5, None)), ["agent", "without an agent", "data row 6"]),
    (lambda f: f.assign(call_type=f["call_type"].where(f.index != 0, "x" * 41)), ["call_type", "longer than 40"]),
    (lambda f: f.assign(call_type=[f"t{i}" for i in range(len(f))] * 1), []),
    (lambda f: f.assign(outcome="abandoned"), ["outcome", "no answered call"]),
    (lambda f: f.assign(transferred=["maybe"] + ["no"] * (len(f) - 1)), ["transferred", "'maybe'", "data row 1"]),
    (lambda f: f.assign(survey_rating=[9] + [np.nan] * (len(f) - 1)), ["survey_rating", "outside 1 to 5"]),
    (lambda f: f.iloc[0:0], ["no rows"]),
])
def test_bad_logs_name_column_and_rows(change: object, needles: list[str]) -> None:
    frame = change(_log())  # type: ignore[operator]
    if not needles:  # 12 distinct types are allowed
        assert check_call_log(frame)["call_type"].nunique() == 12
        return
    text = _problems(frame)
    assert text.startswith("invalid calls.csv")
    for needle in needles:
        assert needle in text
    assert "np." not in text


def test_every_problem_comes_at_once() -> None:
    frame = _log()
    frame.loc[0, "outcome"] = "??"
    frame.loc[1, "wait_seconds"] = -1
    frame.loc[2, "arrival"] = "yesterday"
    assert "(3 problem(s))" in _problems(frame)


def test_too_many_call_types() -> None:
    frame = pd.concat([_log()] * 5, ignore_index=True)
    frame["call_type"] = [f"type {i}" for i in range(len(frame))]
    assert "60 distinct call types; at most 50" in _problems(frame)


def test_semicolons_and_decimal_commas_get_hints(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    _log().assign(handle_seconds=lambda f: f["handle_seconds"] + 0.5).to_csv(path, index=False, sep=";",
                                                                              decimal=",")
    with pytest.raises(InputError, match="--sep ';'"):
        read_call_log(path)
    with pytest.raises(InputError, match="--decimal ','"):
        read_call_log(path, sep=";")
    assert len(read_call_log(path, sep=";", decimal=",")) == 12


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_call_log(tmp_path / "none.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("arrival,call_type\n2024-01-01 08:00,r\xe9clamation\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_call_log(latin)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_call_log(empty)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="could not be read as parquet"):
        read_call_log(broken)


_CELLS = st.one_of(st.none(), st.text(max_size=12), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-10**19, 10**19), st.booleans(),
                   st.sampled_from(["2024-02-30 08:00", "answered", "abandoned", "", "n/a", "1,5", "9999-12-31"]))


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_fuzzed_logs_give_the_canonical_form_or_an_input_error(data: st.DataObject) -> None:
    frame = _log().astype(object)
    for _ in range(data.draw(st.integers(1, 8))):
        row = data.draw(st.integers(0, len(frame) - 1))
        column = data.draw(st.sampled_from(list(frame.columns)))
        frame.loc[row, column] = data.draw(_CELLS)
    try:
        log = check_call_log(frame)
    except InputError as exc:
        assert exc.problems and all(p.field for p in exc.problems)
        return
    assert log["answered"].any() and (log["wait_seconds"] >= 0).all()
    assert (log.loc[log["answered"], "handle_seconds"] > 0).all() and log.loc[log["answered"], "agent"].notna().all()
    assert log["arrival"].notna().all() and log["arrival"].is_monotonic_increasing
