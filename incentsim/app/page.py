"""The whole page (what-if and teacher tabs) and serving it locally.

:func:`serve` is what ``incentsim app`` runs: a Panel (Bokeh/Tornado) server on
this machine, one fresh page per browser tab, its JavaScript and CSS served by
the same server (Bokeh's ``server`` resources), so the page needs no network.

Panel's CDN fallback is pointed at this server too (:mod:`incentsim.app.offline`).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from typing import Any

import panel as pn

from incentsim.app.offline import LOCAL_CDN_ROOT
from incentsim.scenario import Scenario

#: Title of the browser tab.
TITLE = "incentsim: what if?"



def build_app(executor: cf.Executor | None = None, scenario: Scenario | None = None,
              replications: int = 5) -> pn.viewable.Viewable:
    """The page: a *What if* tab for managers and a *Teacher* tab.

    Args:
        executor: Where the what-if runs go (default the local process pool).
        scenario: Scenario to start with (default the shipped baseline).
        replications: Replications to start with.
    """
    from incentsim.app.teacher import TeacherDemos
    from incentsim.app.whatif import WhatIf

    header = pn.pane.HTML(
        "<h1 style='margin:0'>What if we paid them differently?</h1>"
        "<p style='margin:4px 0 0'>Compare reward and management schemes on a simulated service centre "
        "before anyone is paid by them. Everything runs on this computer.</p>", sizing_mode="stretch_width")
    tabs = pn.Tabs(("What if", WhatIf(executor=executor, scenario=scenario, replications=replications)),
                   ("Teacher", TeacherDemos()), dynamic=True, sizing_mode="stretch_width")
    return pn.Column(header, tabs, sizing_mode="stretch_width")


def serve(port: int = 5006, address: str = "localhost", show: bool = True, executor: cf.Executor | None = None,
          scenario: Scenario | None = None, replications: int = 5, **kwargs: Any) -> Any:
    """Serve the page until interrupted (Ctrl-C).

    Args:
        port: Port to listen on (0 picks a free one).
        address: Interface to listen on; ``localhost`` keeps the page on this machine.
        show: Open the page in the default web browser.
        executor: Where the what-if runs go (default the local process pool).
        scenario: Scenario to start with.
        replications: Replications to start with.
        **kwargs: Passed to :func:`panel.serve`.
    """
    from panel.io.resources import DIST_DIR, JS_VERSION

    os.environ.setdefault("BOKEH_RESOURCES", "server")  # JS and CSS from this server, never a CDN
    pn.extension()  # (call incentsim.app.offline.prepare() before importing Panel for the CDN fallback)
    static = {f"{LOCAL_CDN_ROOT.strip('/')}/{JS_VERSION}/dist": str(DIST_DIR)}

    def page() -> pn.viewable.Viewable:
        return build_app(executor=executor, scenario=scenario, replications=replications)

    return pn.serve({"/": page}, port=port, address=address, show=show, title=TITLE, static_dirs=static,
                    websocket_origin=[f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"],
                    **kwargs)
