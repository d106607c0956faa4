"""``incentsim demo``: one command per demo, figures and data written, bad options exit 2."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from incentsim.cli import main


@pytest.mark.parametrize(("demo", "columns"), [
    ("red-bead", {"worker", "day", "red"}),
    ("funnel", {"drop", "rule", "x", "y", "aim_x", "aim_y"}),
    ("rank-churn", {"agent", "period", "metric", "rank"}),
])
def test_each_demo_writes_figure_and_data(tmp_path, demo: str, columns: set[str]) -> None:
    fig, data = tmp_path / "fig.png", tmp_path / "data.csv"
    result = CliRunner().invoke(main, ["demo", demo, "--seed", "3", "--out", str(fig),
                                       "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert fig.read_bytes()[:4] == b"\x89PNG"
    assert columns <= set(pd.read_csv(data).columns)
    assert f"figure written to {fig}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "fig.png"]


def test_same_seed_same_output(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "red-bead", "--seed", "9"]).output
    second = runner.invoke(main, ["demo", "red-bead", "--seed", "9"]).output
    assert first.replace("red_bead.png", "red_bead-2.png") == second
    assert "Merit ranking" in first


@pytest.mark.parametrize("demo, stem", [("red-bead", "red_bead"), ("funnel", "funnel"), ("rank-churn", "rank_churn")])
def test_figure_by_default_never_overwriting(tmp_path, monkeypatch, demo: str, stem: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{stem}.png").write_bytes(b"mine")
    result = CliRunner().invoke(main, ["demo", demo, "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{stem}.png").read_bytes() == b"mine"
    assert (tmp_path / f"{stem}-2.png").read_bytes()[:4] == b"\x89PNG"
    assert f"figure written to {stem}-2.png" in result.output
    none = CliRunner().invoke(main, ["demo", demo, "--quiet", "--no-figure"])
    assert none.exit_code == 0 and "figure" not in none.output
    assert not (tmp_path / f"{stem}-3.png").exists()


def test_options_reach_the_demo(tmp_path) -> None:
    data = tmp_path / "d.csv"
    result = CliRunner().invoke(main, ["demo", "funnel", "--rule", "1", "--rule", "2", "--no-figure",
                                       "--drops", "10", "--quiet", "--data", str(data)])
    assert result.exit_code == 0
    df = pd.read_csv(data)
    assert sorted(df["rule"].unique()) == [1, 2] and len(df) == 20
    assert "Rule" not in result.output


@pytest.mark.parametrize(("args", "needle"), [
    (["demo", "bogus"], "allowed: funnel, rank-churn, red-bead"),
    (["demo", "funnel", "--rule", "5"], "'1', '2', '3', '4'"),
    (["demo", "red-bead", "--workers", "1"], "--workers"),
    (["demo", "red-bead", "--red", "9000"], "red: must be a whole number from 0 to 4000"),
    (["demo", "rank-churn", "--people-share", "2"], "--people-share"),
    (["demo", "red-bead", "--out", "x.txt"], "unknown image format"),
])
def test_bad_options_exit_2_naming_allowed_values(tmp_path, monkeypatch, args: list[str], needle: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Merit ranking" not in result.output  # failed before doing any work


def test_tutorial_console_examples_print_what_the_page_shows(tmp_path, monkeypatch) -> None:
    import re
    import shlex
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "tutorial" / "teaching-demos.md"
    blocks = re.findall(r"^```console\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        command, *shown = block.splitlines()
        args = shlex.split(command.removeprefix("$ "))
        assert args[0] == "incentsim"
        result = CliRunner().invoke(main, args[1:])
        assert result.output.split() == "\n".join(shown).split(), command
