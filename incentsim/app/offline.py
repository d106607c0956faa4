"""Keeping the served page off the network: Panel's files come from the page's own server.

Bokeh's ``server`` resources make the page load its JavaScript and CSS from the
local server. One corner remains: Panel 1.x gives a component created while the
server is busy (say, a tab opened during a run) a stylesheet URL on its CDN.
:func:`prepare` points Panel's CDN root at a path of the local server
(:data:`LOCAL_CDN_ROOT`, which :func:`incentsim.app.serve` serves from Panel's
own files); it must run before Panel is imported, as ``incentsim app`` does.
Nothing here imports Panel.
"""

from __future__ import annotations

import os
import sys

#: Where Panel is told its CDN is: a path on the page's own server.
LOCAL_CDN_ROOT = "/panel-cdn/"


def prepare() -> bool:
    """Set ``PANEL_CDN_ROOT`` and ``BOKEH_RESOURCES`` for a local page; False if Panel was already imported."""
    os.environ.setdefault("BOKEH_RESOURCES", "server")
    if "panel" in sys.modules:
        return False
    os.environ.setdefault("PANEL_CDN_ROOT", LOCAL_CDN_ROOT)
    return True
