"""Sphinx extension: the assumption ranges page, generated from the registry.

The directive ``assumption-ranges`` reads :func:`incentsim.robustness.registry`
(the data file ``incentsim/robustness/assumptions.toml``) and emits one section per
scenario block with a table of its assumptions: dotted key, the package default, the
plausible range (and its scale), and the reason for it. The page can therefore never
drift from the ranges ``incentsim robustness`` actually samples.

Usage in a MyST page::

    ```{assumption-ranges}
    ```
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def _number(value: float, integer: bool) -> str:
    return f"{int(value)}" if integer else f"{value:g}"


def _table(rows: list[tuple[str, str, str, str]]) -> nodes.table:
    headers = ("key", "default", "plausible range", "why")
    table = nodes.table(classes=["assumption-ranges"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in (18, 7, 12, 45):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    for title in headers:
        head_row += nodes.entry("", nodes.paragraph(text=title))
    head += head_row
    body = nodes.tbody()
    group += body
    for row in rows:
        tr = nodes.row()
        for i, text in enumerate(row):
            para = nodes.paragraph()
            para += nodes.literal(text=text) if i < 2 else nodes.Text(text)
            tr += nodes.entry("", para)
        body += tr
    return table


class AssumptionRanges(SphinxDirective):
    """``assumption-ranges``: one section and table per scenario block of the registry."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Build the sections."""
        import incentsim as isim
        from incentsim.robustness.assumptions import REGISTRY_FILE, registry
        from incentsim.robustness.schema import value_at

        self.env.note_dependency(str(resources.files("incentsim.robustness").joinpath(REGISTRY_FILE)))
        default = isim.Scenario()
        blocks: dict[str, list[tuple[str, str, str, str]]] = {}
        entries = registry()
        for a in entries:
            span = f"{_number(a.low, a.integer)} to {_number(a.high, a.integer)}"
            if a.scale == "log":
                span += " (log scale)"
            elif a.integer:
                span += " (whole numbers)"
            blocks.setdefault(a.block, []).append(
                (a.key, _number(value_at(default, a.key), a.integer), span, a.reason))
        out: list[nodes.Node] = []
        total = nodes.paragraph()
        total += nodes.Text(f"{len(entries)} assumptions in {len(blocks)} blocks.")
        out.append(total)
        for block, rows in blocks.items():
            section = nodes.section(ids=[nodes.make_id(f"assumptions-{block}")])
            section += nodes.title(text=f"[{block}]")
            section += _table(rows)
            out.append(section)
        return out


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("assumption-ranges", AssumptionRanges)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
