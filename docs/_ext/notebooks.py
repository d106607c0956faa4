"""The teaching notebooks are stored with their outputs; this runs them and compares or refreshes.

The docs render notebooks as stored (``nb_execution_mode = "off"`` in ``docs/conf.py``),
so a notebook's page shows exactly the outputs saved in the file. ``tests/test_notebooks.py``
runs each notebook in a fresh kernel from its own folder and checks that every text
output (printed text, the plain-text form of tables and values) equals the stored one
and that as many figures are drawn, so stored outputs cannot drift from what the code
does. Refresh them after a deliberate change of the model::

    python docs/_ext/notebooks.py docs/notebooks/red_bead.ipynb
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

#: Object addresses differ from run to run: ``<... at 0x7f...>``.
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def execute(path: Path, timeout: int = 600) -> Any:
    """The notebook at ``path`` executed in a fresh ``python3`` kernel from its own folder."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    env_backend = os.environ.setdefault("MPLBACKEND", "Agg")
    del env_backend
    client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return notebook


def _text(output: Any) -> str | None:
    if output.get("output_type") == "stream":
        return f"{output.get('name')}: {output.get('text', '')}"
    data = output.get("data", {})
    if "text/plain" in data and "image/png" not in data:
        return str(data["text/plain"])
    return None


def _joined(outputs: list[Any]) -> list[Any]:
    """Outputs with consecutive pieces of one stream joined (a kernel may split a print anywhere)."""
    joined: list[Any] = []
    for output in outputs:
        last = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")):
            joined[-1] = {**last, "text": last.get("text", "") + output.get("text", "")}
        else:
            joined.append(output)
    return joined


def comparable(notebook: Any) -> list[tuple[int, list[str], int]]:
    """Per code cell: its index, its text outputs (addresses masked) and its count of figures."""
    out = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        texts = [_ADDRESS.sub(" at 0x...", t) for o in _joined(cell.get("outputs", []))
                 if (t := _text(o)) is not None]
        images = sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        out.append((index, texts, images))
    return out


def refresh(path: Path) -> None:
    """Execute the notebook and store it with its outputs (execution timing metadata removed)."""
    import nbformat

    notebook = execute(path)
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        refresh(Path(name))
        print(f"refreshed {name}")
