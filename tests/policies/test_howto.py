"""The how-to's user-written policy runs, passes check_policy, and prints what the page says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "howto" / "write-a-policy.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_python_blocks_run_and_print_the_shown_output() -> None:
    namespace: dict[str, object] = {"__name__": "howto_write_a_policy"}
    outputs = []
    for block in _blocks("python"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(block, str(PAGE), "exec"), namespace)  # noqa: S102
        outputs.append(buffer.getvalue())
    assert outputs == _blocks("text")


def test_the_policy_is_20_to_30_lines() -> None:
    block = _blocks("python")[0]
    lines = [line for line in block.split("\n\nreport")[0].splitlines() if line.strip()]
    assert 20 <= len(lines) <= 30
