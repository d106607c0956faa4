"""The examples in the people, experienced-incentives and measurement docs run and print what the pages say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["explanation/people.md", "explanation/measurement.md", "explanation/experienced-incentives.md"]


@pytest.mark.parametrize("page", PAGES)
def test_examples_run_and_match_their_printed_output(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```(?:\n\n```text\n(.*?)```)?", text, re.S)
    assert blocks
    for code, expected in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, page, "exec"), {})
        if expected:
            assert out.getvalue().split() == expected.split()
