"""``incentsim app``: the interactive what-if page, served on this machine.

``incentsim app [SCENARIO.toml] [--port 5006] [--no-show] [--workers N]`` starts
a local web server with the page (:mod:`incentsim.app`) and, unless
``--no-show``, opens it in the default browser. Ctrl-C stops it. Needs the
``app`` extra (Panel).
"""

from __future__ import annotations

from pathlib import Path

import click

from incentsim.cli.common import handle_input_errors, policy_module_option
from incentsim.errors import InputError


@click.command("app")
@click.argument("scenario_file", metavar="[SCENARIO.toml]", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=5006, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--address", default="localhost", show_default=True,
              help="Interface to listen on; localhost keeps the page on this machine.")
@click.option("--show/--no-show", default=True, show_default=True, help="Open the page in a web browser.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Worker processes for the runs [default: every CPU]; 1 runs them in this process.")
@click.option("--replications", "-n", type=click.IntRange(2, 30), default=5, show_default=True,
              help="Replications the page starts with.")
@policy_module_option
@handle_input_errors
def app(scenario_file: Path | None, port: int, address: str, show: bool, workers: int | None,
        replications: int) -> None:
    """Serve the interactive what-if page (and the teacher's demos) on this machine.

    SCENARIO.toml (a file or a shipped scenario's name) is the scenario the page
    starts with; the page also offers every shipped scenario and an upload button.
    """
    from incentsim.app import offline

    offline.prepare()  # before Panel is imported
    try:
        import panel  # noqa: F401
    except ImportError:
        raise InputError.single("app", "panel", "the page needs Panel: pip install 'incentsim[app]'") from None
    import concurrent.futures as cf

    from incentsim.app.page import serve
    from incentsim.scenario import Scenario
    from incentsim.scenario.shipped import resolve

    scenario = Scenario.load(resolve(scenario_file)) if scenario_file is not None else None
    executor: cf.Executor | None = cf.ThreadPoolExecutor(1) if workers == 1 else None
    if workers is not None and workers > 1:
        from incentsim.experiment.executors import local_executor

        executor = local_executor(workers)
    click.echo(f"incentsim app: http://{address}:{port}/ (Ctrl-C stops it)", err=True)
    serve(port=port, address=address, show=show, executor=executor, scenario=scenario,
          replications=replications)
