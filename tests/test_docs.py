"""The documentation builds without a warning, and its runnable examples print what the pages show.

Two parts, both marked ``slow`` (they still run in CI):

* the Sphinx build, exactly as CI runs it (``-W --keep-going``: any warning fails);
* every page that opts in with ``<!-- docs-test: run -->`` (convention in
  ``docs/_ext/examples.py``): its ``python`` blocks run in order in a scratch folder and
  each block's printed output must equal the ``text`` block shown under it.

The examples use small sizes (two simulated months, a few replications), so this file
takes one to two minutes on two cores; the build is about a minute of it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import examples  # noqa: E402  (docs/_ext/examples.py)

RUNNABLE = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts and examples.runnable(p))


@pytest.mark.slow
def test_docs_build_with_warnings_as_errors(tmp_path: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS),
         str(tmp_path / "html")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    for page in ("index", "reference/api", "reference/scenario", "reference/cli-overview",
                 "tutorial/first-what-if", "explanation/model", "benchmarks"):
        assert (tmp_path / "html" / f"{page}.html").is_file(), page


def test_the_pages_with_measured_output_opt_in() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in RUNNABLE}
    assert {"tutorial/first-what-if.md", "howto/calibrate-your-centre.md",
            "explanation/common-random-numbers.md"} <= names


def test_examples_convention_pairs_code_and_output() -> None:
    text = (
        "<!-- docs-test: run -->\n\n```python\nprint(1 + 1)\n```\n\nOutput:\n\n```text\n2\n```\n\n"
        "```{code-block} python\nnot run\n```\n\n```python\nx = 3\n```\n"
    )
    found = examples.examples(text)
    assert [e.code for e in found] == ["print(1 + 1)\n", "x = 3\n"]
    assert [e.expected for e in found] == ["2\n", None]


@pytest.mark.slow
@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_runnable_page_prints_what_it_shows(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    shown = examples.examples(page.read_text(encoding="utf-8"))
    assert shown, f"{page} opts in but has no python block"
    outputs = examples.run_examples(page, tmp_path)
    for example, output in zip(shown, outputs, strict=True):
        if example.expected is not None:
            assert output.split() == example.expected.split(), (
                f"{page.name} block at line {example.line} printed:\n{output}\n"
                f"but the page shows:\n{example.expected}\n"
                f"(refresh with: python docs/_ext/examples.py {page.relative_to(ROOT)})"
            )


def test_scenario_schema_lists_every_block_and_describes_every_nested_key() -> None:
    import scenario_schema  # docs/_ext/scenario_schema.py

    from incentsim.scenario import Scenario

    blocks = {b.path: b for b in scenario_schema.walk(Scenario)}
    assert {"", "center", "demand", "demand.call_types", "demand.call_types.handle_time", "customers",
            "customers.patience", "system", "tier2", "tier2.handle_time", "people", "behaviour.motivation",
            "behaviour.attrition", "measurement.surveys", "measurement.qa", "costs"} <= set(blocks)
    assert blocks["demand.call_types"].array and not blocks["center"].array
    for path, block in blocks.items():
        assert [r.key for r in block.rows] == list(block.model.model_fields), path
        if path:  # nested blocks document every key (top-level keys are described on the page)
            assert all(r.description for r in block.rows), (path, [r.key for r in block.rows if not r.description])
    center = {r.key: r for r in blocks["center"].rows}
    assert center["tier1_agents"].default == "55"
    assert center["tier1_agents"].constraints == ">= 1, <= 5000"
    assert center["tier1_agents"].type == "integer"
    patience = {r.key: r for r in blocks["customers.patience"].rows}
    assert patience["law"].type == 'one of "none", "exponential", "lognormal"'
    assert {r.key: r.default for r in blocks["demand.call_types"].rows}["handle_time"] == "required"


def test_attribute_descriptions_join_continuation_lines() -> None:
    import scenario_schema

    class Example:
        """Summary.

        Attributes:
            first: One line.
            second: Two
                lines.

        Example:
            >>> 1
        """

    assert scenario_schema.attribute_descriptions(Example) == {"first": "One line.", "second": "Two lines."}
    assert scenario_schema.docstring_summary(Example) == "Summary."
