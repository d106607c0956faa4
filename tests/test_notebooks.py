"""The teaching notebooks in docs/notebooks: stored with their outputs, and the outputs are true.

The docs show each notebook as stored. Each runs here top to bottom in a fresh Python
kernel from its own folder (as a teacher opening it in Jupyter would); any exception
fails, every text output must equal the stored one and as many figures must be drawn
(``docs/_ext/notebooks.py`` refreshes them after a deliberate change). The prose is
checked where it promises something the code must show.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import notebooks  # noqa: E402  (docs/_ext/notebooks.py)

NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.ipynb"))


def test_notebooks_are_present_and_stored_with_outputs() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"red_bead.ipynb", "survey_bonus_vs_team_goal.ipynb"} <= names
    for path in NOTEBOOKS:
        stored = nbformat.read(path, as_version=4)
        code = [c for c in stored.cells if c.cell_type == "code"]
        with_outputs = sum(bool(c.get("outputs")) for c in code)
        assert with_outputs >= len(code) - 2, f"{path.name}: stored without its outputs"
        assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), f"{path.name}: no figure"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_what_is_stored(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    stored = nbformat.read(path, as_version=4)
    fresh = notebooks.execute(path)
    errors = [o for c in fresh.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    for (index, shown, images), (_, got, drawn) in zip(notebooks.comparable(stored), notebooks.comparable(fresh),
                                                         strict=True):
        assert got == shown, (f"{path.name} cell {index} printed something else than the stored output "
                              f"(refresh with: python docs/_ext/notebooks.py {path.relative_to(DOCS.parent)})")
        assert drawn == images, f"{path.name} cell {index}: {drawn} figures, {images} stored"


def test_the_prose_matches_the_code() -> None:
    survey = (DOCS / "notebooks" / "survey_bonus_vs_team_goal.ipynb").read_text(encoding="utf-8")
    assert "describe()` states which policy does best" not in survey  # it may say none does
    stored = nbformat.read(DOCS / "notebooks" / "survey_bonus_vs_team_goal.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in stored.cells if c.cell_type == "code" and "describe" in c.source
                      for o in c.outputs)
    assert "Verdict: " in printed
