"""The examples in the statistics docs run as written (so they cannot rot)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from incentsim.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["howto/analyze-your-data.md", "reference/stats.md", "explanation/rank-consistency.md"]


def _blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, object] = {}
    blocks = _blocks(page, "python")
    assert blocks, f"{page} has no python example"
    for block in blocks:  # blocks of a page share state, as in a notebook
        exec(compile(block, f"{page}", "exec"), namespace)  # noqa: S102


def test_howto_commands_behave_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    exec(compile(_blocks("howto/analyze-your-data.md", "python")[0], "howto", "exec"), {})
    consoles = _blocks("howto/analyze-your-data.md", "console")
    good = shlex.split(consoles[0].split("$ incentsim ", 1)[1].split("\n\n")[0]
                       .replace("\\\n", " "))
    result = CliRunner().invoke(main, good)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "figures" / "rank_churn_aht.png").exists()
    command, _, shown = consoles[1].partition("\n")
    result = CliRunner().invoke(main, shlex.split(command.split("$ incentsim ", 1)[1]))
    assert result.exit_code == 2
    assert result.output.strip() == shown.strip()
