"""Sphinx extension: the scenario file schema, generated from the pydantic models.

The directive ``scenario-schema`` walks :class:`incentsim.scenario.Scenario` and every
block nested in it (depth first, in field order) and emits one section per block with a
table of its keys: TOML key path, type, default, constraints and description. The
description comes from the field's ``description`` when it has one, otherwise from the
block's docstring ``Attributes:`` section (Google style), so the page can never drift
from the models the loader validates against.

Usage in a MyST page::

    ```{scenario-schema}
    ```

Options: ``:root:`` (a dotted import path of another block class, default
``incentsim.scenario.Scenario``) and ``:prefix:`` (the TOML path of that block in a
scenario file, e.g. ``behaviour``, so its tables show full key paths). No heading level
is needed: sections nest under the page's current section.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

# constraint metadata attribute -> symbol shown in the table
_BOUNDS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"), ("min_length", "min length"),
           ("max_length", "max length"))


@dataclass(frozen=True)
class Row:
    """One key of a block, ready for the table."""

    key: str
    type: str
    default: str
    constraints: str
    description: str


@dataclass(frozen=True)
class BlockDoc:
    """One block: its TOML table path, class, summary and rows."""

    path: str
    model: type[BaseModel]
    summary: str
    rows: tuple[Row, ...]
    array: bool


def attribute_descriptions(model: type) -> dict[str, str]:
    """Descriptions of the ``Attributes:`` section of a Google-style class docstring.

    Continuation lines (indented deeper than the name) are joined to their attribute.
    """
    doc = inspect.getdoc(model) or ""
    out: dict[str, str] = {}
    lines = doc.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Attributes:")
    except StopIteration:
        return out
    base: int | None = None
    current: str | None = None
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if base is None:
            base = indent
        if indent < base:
            break
        match = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\([^)]*\))?:\s*(.*)", line)
        if indent == base and match:
            current = match.group(1)
            out[current] = match.group(2).strip()
        elif current is not None and indent > base:
            out[current] = f"{out[current]} {line.strip()}".strip()
        else:
            break
    return out


def docstring_summary(model: type) -> str:
    """The docstring's paragraphs before its first Google-style section."""
    doc = inspect.getdoc(model) or ""
    paragraphs = []
    for para in doc.split("\n\n"):
        if re.match(r"\s*(Attributes|Example|Examples|Args|Note|Raises):", para):
            break
        paragraphs.append(" ".join(line.strip() for line in para.splitlines()))
    return "\n\n".join(paragraphs)


def _block_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The block class inside an annotation, and whether it is an array of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    if origin in (tuple, list):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            return args[0], True
    return None, False


def type_name(annotation: Any) -> str:
    """A reader's name for a field type, in TOML terms."""
    block, array = _block_of(annotation)
    if block is not None:
        return f"array of tables ({block.__name__})" if array else f"table ({block.__name__})"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' if isinstance(a, str) else str(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args if a is not type(None)) + (
            " or none" if type(None) in args else "")
    if origin in (tuple, list):
        inner = [a for a in args if a is not Ellipsis]
        return f"array of {type_name(inner[0])}" if inner else "array"
    if origin is dict:
        return "table"
    names = {int: "integer", float: "float", str: "string", bool: "boolean"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _format_value(value: Any) -> str:
    if isinstance(value, BaseModel):
        return "(table below)"
    if isinstance(value, tuple | list):
        if value and all(isinstance(v, BaseModel) for v in value):
            return f"{len(value)} entries (below)"
        return "[" + ", ".join(_format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return repr(value)


def default_text(field: FieldInfo) -> str:
    """The default as it would be written in TOML, or "required"."""
    if field.default is not PydanticUndefined:
        return _format_value(field.default)
    if field.default_factory is not None:
        return _format_value(field.default_factory())  # type: ignore[call-arg]
    return "required"


def constraint_text(field: FieldInfo) -> str:
    """Numeric bounds and lengths from the field's metadata, e.g. ``>= 0, <= 1``."""
    parts = []
    for meta in field.metadata:
        for attr, symbol in _BOUNDS:
            value = getattr(meta, attr, None)
            if value is not None:
                parts.append(f"{symbol} {value}")
    return ", ".join(parts)


def walk(model: type[BaseModel], path: str = "", array: bool = False) -> list[BlockDoc]:
    """Every block reachable from ``model``, depth first, in field order."""
    described = attribute_descriptions(model)
    rows = []
    children: list[BlockDoc] = []
    for name, field in model.model_fields.items():
        key = f"{path}.{name}" if path else name
        block, is_array = _block_of(field.annotation)
        description = field.description or described.get(name, "")
        if not description and block is not None:
            # A nested block undescribed by its parent: its own docstring's first line.
            description = docstring_summary(block).split("\n\n")[0]
        rows.append(Row(key=name, type=type_name(field.annotation), default=default_text(field),
                        constraints=constraint_text(field), description=description))
        if block is not None:
            children.extend(walk(block, key, is_array))
    here = BlockDoc(path=path, model=model, summary=docstring_summary(model), rows=tuple(rows),
                    array=array)
    return [here, *children]


def _table(rows: tuple[Row, ...]) -> nodes.table:
    headers = ("key", "type", "default", "constraints", "description")
    widths = (14, 14, 10, 10, 40)
    table = nodes.table(classes=["scenario-schema"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
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
        for i, text in enumerate((row.key, row.type, row.default, row.constraints, row.description)):
            para = nodes.paragraph()
            if i in (0, 2) and text:
                para += nodes.literal(text=text)
            else:
                para += nodes.Text(text)
            tr += nodes.entry("", para)
        body += tr
    return table


class ScenarioSchema(SphinxDirective):
    """``.. scenario-schema::`` - one section and table per scenario block."""

    has_content = False
    option_spec = {"root": directives.unchanged, "prefix": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        """Build the sections."""
        dotted = self.options.get("root", "incentsim.scenario.Scenario")
        module_name, _, class_name = dotted.rpartition(".")
        root = getattr(importlib.import_module(module_name), class_name)
        self.env.note_dependency(inspect.getsourcefile(root) or "")
        out: list[nodes.Node] = []
        for block in walk(root, self.options.get("prefix", "")):
            title = f"[{block.path}]" if block.path else "top level"
            if block.array:
                title = f"[[{block.path}]]"
            section_id = nodes.make_id(f"scenario-{block.path or 'top-level'}")
            section = nodes.section(ids=[section_id])
            section += nodes.title(text=title)
            intro = nodes.paragraph()
            intro += nodes.strong(text=block.model.__name__)
            if block.summary:
                intro += nodes.Text(": " + block.summary.split("\n\n")[0])
            section += intro
            section += _table(block.rows)
            out.append(section)
        return out


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("scenario-schema", ScenarioSchema)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
