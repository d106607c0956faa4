"""Runnable examples in the docs: find them, run them, compare or refresh their output.

The convention (used by ``tests/test_docs.py``):

* a page opts in with the line ``<!-- docs-test: run -->`` (invisible in the built site);
* on such a page every plain fenced block opened with three backticks and ``python`` runs,
  in order, in one namespace, with the working directory set to a fresh folder that
  holds a ``scenarios`` link to the repository's scenario files (so
  ``Scenario.load("scenarios/baseline.toml")`` works and written files land in the
  scratch folder);
* a fenced ``text`` block that follows a runnable block (only blank lines or a line
  ``Output:`` between them) is that block's printed output, compared after splitting
  on whitespace;
* code meant only to be read (a cluster address, a long run) goes on a page without the
  marker or in a ``{code-block} python`` directive, which is never run.

Refresh the shown output of a page after a deliberate change of the model::

    python docs/_ext/examples.py docs/tutorial/first-what-if.md
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- docs-test: run -->"
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
_OUTPUT = re.compile(r"(?:[ \t]*\n|Output:[ \t]*\n)*```text[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class Example:
    """One runnable block and the output the page shows for it (``None``: none shown)."""

    code: str
    expected: str | None
    line: int
    output_span: tuple[int, int] | None


def examples(text: str) -> list[Example]:
    """The runnable blocks of a page, in order."""
    found = []
    for match in _FENCE.finditer(text):
        after = _OUTPUT.match(text, match.end() + 1) if match.end() < len(text) else None
        expected = after.group(1) if after else None
        span = after.span(1) if after else None
        found.append(Example(match.group(1), expected, text.count("\n", 0, match.start()) + 1, span))
    return found


def runnable(page: Path) -> bool:
    """Whether a page opted in to having its examples run (see the module docstring)."""
    return MARKER in page.read_text(encoding="utf-8")


def run_examples(page: Path, workdir: Path) -> list[str]:
    """Run a page's runnable blocks in one namespace inside ``workdir``; return each block's stdout."""
    workdir.mkdir(parents=True, exist_ok=True)
    link = workdir / "scenarios"
    if not link.exists():
        link.symlink_to(ROOT / "scenarios", target_is_directory=True)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    outputs = []
    before = Path.cwd()
    os.chdir(workdir)
    try:
        for example in examples(page.read_text(encoding="utf-8")):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(example.code, f"{page}:{example.line}", "exec"), namespace)  # noqa: S102
            outputs.append(buffer.getvalue())
    finally:
        os.chdir(before)
    return outputs


def refresh(page: Path, workdir: Path) -> int:
    """Rewrite the shown output of every runnable block that has one; return how many changed."""
    text = page.read_text(encoding="utf-8")
    outputs = run_examples(page, workdir)
    changed = 0
    for example, output in sorted(zip(examples(text), outputs, strict=True),
                                  key=lambda pair: -(pair[0].output_span or (0, 0))[0]):
        if example.output_span is None:
            continue
        start, end = example.output_span
        new = output if output.endswith("\n") else output + "\n"
        if text[start:end] != new:
            text = text[:start] + new + text[end:]
            changed += 1
    page.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    import tempfile

    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            n = refresh(Path(name).resolve(), Path(tmp))
        print(f"{name}: {n} output block(s) updated")
