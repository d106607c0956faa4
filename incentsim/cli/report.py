"""``incentsim report DIR``: write the self-contained HTML report of a saved experiment.

DIR is a result directory written by ``incentsim run``, ``isim.compare(...,
out=DIR)`` or ``Experiment.save(DIR)``; it is loaded with :func:`incentsim.load`
and handed to :func:`incentsim.report.write_report`. A DIR that is not such a
directory, or an HTML path that cannot be written, is reported in one message
with exit code 2, and nothing is written (the report goes through a temporary
file and a rename).
"""

from __future__ import annotations

from pathlib import Path

import click

from incentsim.cli.common import handle_input_errors
from incentsim.errors import InputError


@click.command("report")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--html", "html_path", type=click.Path(path_type=Path), default=None,
              help="HTML file to write [default: DIR/report.html].")
@handle_input_errors
def report(directory: Path, html_path: Path | None) -> None:
    """Write the HTML report of the experiment saved in DIR.

    One self-contained file: figures embedded, the comparison table, a plain-language
    summary of which policy does best on true outcomes and where surveys disagree,
    the scenario and the provenance.
    """
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    from incentsim.experiment.storage import load
    from incentsim.report.html import write_report

    if not directory.exists():
        from incentsim.experiment.folder import orphans

        left = orphans(directory)
        hint = (f"; a run that was killed left its finished batches in {left[0]}: run the same "
                "command with --resume to move them into place") if left else ""
        raise InputError.single(str(directory), "DIR", "does not exist; give a result directory written by "
                                "incentsim run, isim.compare(..., out=DIR) or Experiment.save(DIR)" + hint)
    if not directory.is_dir():
        raise InputError.single(str(directory), "DIR", "is a file; give a result directory")
    robustness = None
    if (directory / "robustness.json").exists():  # written by incentsim robustness: its nominal runs + the section
        from incentsim.robustness.result import Robustness

        robustness = Robustness.load(directory)
        experiment = load(directory / "nominal")
    else:
        experiment = load(directory)
    target = html_path if html_path is not None else directory / "report.html"
    try:
        written = write_report(experiment, target, robustness=robustness)
    except OSError as exc:
        raise InputError.single(str(target), "--html", f"cannot write: {exc.strerror or exc}") from None
    click.echo(f"report: {written}")
