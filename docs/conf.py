"""Sphinx configuration for the incentsim documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``. Nothing here
reaches the network: intersphinx is not used, and notebooks are rendered as stored, not
executed (``tests/`` executes them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

import incentsim  # noqa: E402

project = "incentsim"
author = "incentsim developers"
copyright = "incentsim developers"  # noqa: A001
version = release = incentsim.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "sphinx_click",
    "scenario_schema",
    "assumption_ranges",
]

# MyST (myst_nb includes myst_parser): Markdown pages, $...$ maths, ::: fences, heading anchors.
myst_enable_extensions = ["colon_fence", "dollarmath", "deflist", "fieldlist"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # notebooks render as stored; tests/ runs them

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]

# autodoc and napoleon (Google-style docstrings)
autodoc_default_options = {"members": True, "member-order": "bysource", "show-inheritance": False}
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
napoleon_attr_annotations = True

# No network in CI: no intersphinx inventories are fetched.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "furo"
html_title = f"incentsim {release}"
html_static_path: list[str] = []
html_theme_options = {"navigation_with_keys": True}
