"""``incentsim analyze`` on good and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from incentsim.cli import main


def _panel(agents: int = 21, months: int = 8, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    skill = np.linspace(-3, 3, agents)  # strong people effect on aht, none on qa
    rows = [(f"A{a:02d}", f"2024-{m + 1:02d}", 8.0 + skill[a] + rng.normal(0, 0.02),
             80.0 + rng.normal(0, 5)) for a in range(agents) for m in range(months)]
    return pd.DataFrame(rows, columns=["name", "month", "aht", "qa"])


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["analyze", *args])


def test_good_csv_prints_plain_language(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    _panel().to_csv(path, index=False)
    result = _run(str(path), "--agent", "name", "--period", "month",
                  "--metric", "aht:lower", "--metric", "qa:higher")
    assert result.exit_code == 0, result.output
    assert "21 agents, 8 periods" in result.output
    # 20 agents away from the median are in the same half every month: all flagged
    assert "of 20 agents, 20 (100%) rank better or worse than chance explains" in result.output
    assert "chance alone would flag" in result.output
    assert "people share (ICC)" in result.output
    assert "differences between agents explain" in result.output


def test_parquet_and_plots(tmp_path: Path) -> None:
    path = tmp_path / "agents.parquet"
    _panel().to_parquet(path)
    plots = tmp_path / "figures"
    result = _run(str(path), "--agent", "name", "--period", "month", "--metric", "aht:lower",
                  "--plots", str(plots))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in plots.iterdir())
    assert written == ["control_chart_aht.png", "rank_churn_aht.png"]  # no temporary left
    assert all((plots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in written)


@pytest.mark.parametrize(("frame_change", "args", "needles"), [
    (None, ["--agent", "agent_id"], ["agent_id: column not found", "'name'", "'month'"]),
    (None, ["--metric", "csat:higher"], ["csat: column not found", "columns present"]),
    ("text", [], ["aht", "non-numeric", "'fast'"]),
    ("one_month", [], ["month", "only 1 distinct period"]),
    (None, ["--metric", "aht:smaller"], ["--metric", "NAME:lower or NAME:higher"]),
    (None, ["--metric", "aht"], ["--metric", "NAME:lower or NAME:higher"]),
    (None, ["--alpha", "1.5"], ["--alpha", "between 0 and 1"]),
    ("duplicate", [], ["repeat an agent", "one row per agent per period"]),
])
def test_bad_input_exits_2_naming_the_field(tmp_path: Path, frame_change: str | None,
                                            args: list[str], needles: list[str]) -> None:
    frame = _panel()
    if frame_change == "text":
        frame["aht"] = frame["aht"].astype(object)
        frame.loc[5, "aht"] = "fast"
    elif frame_change == "one_month":
        frame = frame.loc[frame["month"] == "2024-01"]
    elif frame_change == "duplicate":
        frame = pd.concat([frame, frame.head(1)])
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
    assert not plots.exists()  # nothing written on bad input


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
    for option in ("--agent", "--period", "--metric", "--alpha", "--plots"):
        assert option in result.output
