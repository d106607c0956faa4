"""``incentsim analyze`` on good and bad files: the verdict, JSON, the log scale, and clean exits."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incentsim.cli import main


def _panel(agents: int = 21, months: int = 8, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    skill = np.linspace(-3, 3, agents)  # strong people effect on aht, none on qa
    rows = [(f"A{a:02d}", f"2024-{m + 1:02d}", 8.0 + skill[a] + rng.normal(0, 0.02),
             80.0 + rng.normal(0, 5)) for a in range(agents) for m in range(months)]
    return pd.DataFrame(rows, columns=["name", "month", "aht", "qa"])


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["analyze", *args])


def test_good_csv_prints_the_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    _panel().to_csv(path, index=False)
    result = _run(str(path), "--agent", "name", "--period", "month",
                  "--metric", "aht:lower", "--metric", "qa:higher")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "21 agents, 8 periods" in text
    assert "Verdict on aht: people." in text and "Verdict on qa: system." in text
    # 20 agents away from the median are in the same half every month: all flagged
    assert "20 of 20 tested agents (100%) rank better or worse than chance explains" in text
    assert "Overall: mixed, because the metrics differ (people on aht, system on qa)." in text
    assert "On aht and qa together: 0 of the 20 agents tested on every metric" in text
    assert "source 000" in text and "range widely" in text
    assert "people share (ICC)" in result.output
    assert "few periods" not in text  # eight periods: every tested agent can be flagged


def test_json_has_the_verdict_and_every_figure(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    _panel().to_csv(path, index=False)
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower",
                  "--metric", "qa:higher", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["verdict"] == "mixed" and doc["agents"] == 21 and doc["periods"] == 8
    aht, qa = doc["metrics"]
    assert (aht["verdict"], qa["verdict"]) == ("people", "system")
    for key in ("icc", "icc_ci", "share_flagged", "chance_share", "chance_p_value", "untested", "text"):
        assert key in aht
    assert aht["variance"]["agents"] == 21 and len(aht["rank"]["agents"]) == 21
    assert doc["combined"]["metrics"] == ["aht", "qa"]


def test_log_scale_changes_the_people_share_not_the_ranks(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    speed = rng.normal(0, 0.3, 30)
    rows = [(a, m, float(np.exp(5.5 + speed[a] + rng.normal(0, 0.6)))) for a in range(30) for m in range(10)]
    path = tmp_path / "skewed.csv"
    pd.DataFrame(rows, columns=["agent", "period", "aht"]).to_csv(path, index=False)
    plain = json.loads(_run(str(path), "--metric", "aht:lower", "--json").output)["metrics"][0]
    logged = json.loads(_run(str(path), "--metric", "aht:lower", "--log", "aht", "--json").output)["metrics"][0]
    assert logged["log_scale"] and not plain["log_scale"]
    assert logged["icc"] != pytest.approx(plain["icc"], abs=1e-6)
    assert logged["flagged"] == plain["flagged"]  # ranks are the same on either scale
    bad = _run(str(path), "--metric", "aht:lower", "--log", "qa")
    assert bad.exit_code == 2 and "--log" in bad.output and "'qa'" in bad.output


def test_parquet_and_plots_with_normal_permissions(tmp_path: Path) -> None:
    path = tmp_path / "agents.parquet"
    _panel().to_parquet(path)
    plots = tmp_path / "figures"
    old = os.umask(0o022)
    try:
        result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower",
                      "--plots", str(plots))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in plots.iterdir())
    assert written == ["control_chart_aht.png", "rank_churn_aht.png"]  # no temporary left
    assert all((plots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in written)
    assert all(stat.S_IMODE((plots / name).stat().st_mode) == 0o644 for name in written)


@pytest.mark.parametrize(("frame_change", "args", "needles"), [
    (None, ["--agent", "agent_id"], ["agent_id: column not found", "'name'", "'month'"]),
    (None, ["--metric", "csat:higher"], ["csat: column not found", "columns present"]),
    ("text", [], ["aht", "non-numeric", "'fast'", "data row 6"]),
    ("n/a", [], ["aht", "'n/a'", "data rows 4, 9", "leave a cell empty"]),
    ("infinite", [], ["aht", "infinite", "data row 3"]),
    ("constant", [], ["aht", "same value", "cannot tell agents apart"]),
    ("one_month", [], ["month", "only 1 distinct period"]),
    (None, ["--metric", "aht:smaller"], ["--metric", "NAME:lower or NAME:higher"]),
    (None, ["--metric", "aht"], ["--metric", "NAME:lower or NAME:higher"]),
    (None, ["--alpha", "1.5"], ["--alpha", "between 0 and 1"]),
    ("duplicate", [], ["repeat an agent", "agent 'A00' in period '2024-01'", "data rows 1, 169"]),
    ("negative", ["--log", "aht"], ["aht", "--log needs positive values", "data row 2"]),
])
def test_bad_input_exits_2_naming_the_field(tmp_path: Path, frame_change: str | None,
                                            args: list[str], needles: list[str]) -> None:
    frame = _panel()
    if frame_change in ("text", "n/a"):
        frame["aht"] = frame["aht"].astype(object)
        if frame_change == "text":
            frame.loc[5, "aht"] = "fast"
        else:
            frame.loc[[3, 8], "aht"] = "n/a"
    elif frame_change == "infinite":
        frame.loc[2, "aht"] = np.inf
    elif frame_change == "constant":
        frame["aht"] = 7.0
    elif frame_change == "one_month":
        frame = frame.loc[frame["month"] == "2024-01"]
    elif frame_change == "duplicate":
        frame = pd.concat([frame, frame.head(1)])
    elif frame_change == "negative":
        frame.loc[1, "aht"] = -1.0
    path = tmp_path / "agents.csv"
    frame.to_csv(path, index=False)
    defaults = {"--agent": "name", "--period": "month", "--metric": "aht:lower"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        defaults[key] = value
    flat = [item for pair in defaults.items() for item in pair]
    plots = tmp_path / "plots"
    result = _run(str(path), *flat, "--plots", str(plots))
    assert result.exit_code == 2, result.output
    for needle in needles:
        assert needle in result.output
    assert result.output.count("error:") == 1
    assert "np.int64" not in result.output and "Verdict" not in result.output
    assert not plots.exists()  # nothing written on bad input


def test_semicolon_and_decimal_comma_get_a_hint_and_options_read_them(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    frame = _panel()
    frame.to_csv(path, index=False, sep=";", decimal=",")
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower")
    assert result.exit_code == 2 and "--sep ';'" in result.output
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower", "--sep", ";")
    assert result.exit_code == 2 and "--decimal ','" in result.output
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower", "--sep", ";",
                  "--decimal", ",")
    assert result.exit_code == 0, result.output


def test_unwritable_plots_path_exits_2_before_printing(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    _panel().to_csv(path, index=False)
    afile = tmp_path / "afile"
    afile.write_text("x")
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower",
                  "--plots", str(afile / "plots"))
    assert result.exit_code == 2 and "--plots" in result.output and "is a file" in result.output
    assert "Verdict" not in result.output and afile.read_text() == "x"


def test_missing_file_and_wrong_extension(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "nope.csv"), "--metric", "aht:lower")
    assert result.exit_code == 2 and "file not found" in result.output
    other = tmp_path / "agents.xlsx"
    other.write_text("x")
    result = _run(str(other), "--metric", "aht:lower")
    assert result.exit_code == 2
    assert "unsupported file type '.xlsx'" in result.output and ".parquet" in result.output


def test_help_lists_options() -> None:
    result = CliRunner().invoke(main, ["analyze", "--help"])
    assert result.exit_code == 0
    for option in ("--agent", "--period", "--metric", "--alpha", "--plots", "--json", "--log", "--sep"):
        assert option in result.output


_CELLS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20),
                   st.sampled_from(["", "n/a", "NA", "1,5", " 7 ", "x", "1e400", "-0", "\u00e9"]), st.none())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_panels_give_a_result_or_a_clean_exit_2(tmp_path: Path, data: st.DataObject) -> None:
    frame = _panel(agents=data.draw(st.integers(2, 8)), months=data.draw(st.integers(1, 7)))
    for _ in range(data.draw(st.integers(0, 6))):
        row = data.draw(st.integers(0, len(frame) - 1))
        column = data.draw(st.sampled_from(["name", "month", "aht", "qa"]))
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = data.draw(_CELLS)
    if data.draw(st.booleans()):
        frame = frame.drop(columns=[data.draw(st.sampled_from(["aht", "month"]))])
    suffix = data.draw(st.sampled_from([".csv", ".parquet"]))
    path = tmp_path / f"fuzz{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        try:
            frame.to_parquet(path)
        except Exception:  # a column pyarrow cannot store: write it as text
            frame.astype(str).to_parquet(path)
    extra = data.draw(st.sampled_from([[], ["--json"], ["--log", "aht"], ["--min-periods", "6"]]))
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower",
                  "--metric", "qa:higher", *extra)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.output.startswith("error: invalid") and "Traceback" not in result.output
    elif "--json" in extra:
        json.loads(result.output)
