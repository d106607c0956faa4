"""The interactive what-if page: a manager's comparison and a teacher's demos, served or in a notebook.

Built on Panel (the ``app`` extra: ``pip install 'incentsim[app]'``), which serves
its own JavaScript and CSS from the local server, so the page works offline and
asks nothing of any other host. Public names load on first use:

- :class:`WhatIf`: pick a shipped scenario or upload a TOML file, choose and tune
  policies, move how much agents truly differ and how well the centre measures,
  press run and watch the results fill in replication by replication;
- :class:`TeacherDemos`: the red bead (day by day, the ranking, the firing), the
  funnel (rules 1-4) and rank churn, interactively;
- :func:`build_app` (both as tabs) and :func:`serve` (what ``incentsim app`` runs).

In a notebook::

    import panel as pn
    from incentsim.app import WhatIf
    pn.extension(inline=True)
    WhatIf()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incentsim.app.page import build_app, serve
    from incentsim.app.teacher import TeacherDemos
    from incentsim.app.whatif import WhatIf

_LAZY: dict[str, str] = {
    "WhatIf": "incentsim.app.whatif",
    "TeacherDemos": "incentsim.app.teacher",
    "build_app": "incentsim.app.page",
    "serve": "incentsim.app.page",
}

__all__ = ["TeacherDemos", "WhatIf", "build_app", "serve"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'incentsim.app' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
