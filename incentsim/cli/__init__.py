"""The ``incentsim`` command line: run | compare | analyze | calibrate | app | demo | validate | report | robustness.

Each command lives in a module of its own and is imported only when invoked, so
``incentsim --help`` is fast and no command pays for another's imports. Every
command turns :class:`~incentsim.errors.InputError` into one message on standard
error and exit code 2.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

#: command name -> (module, attribute, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "simulate": ("incentsim.cli.simulate", "simulate", "Simulate one policy on a scenario once."),
    "run": ("incentsim.cli.run", "run", "Compare the policies a scenario file declares."),
    "compare": ("incentsim.cli.run", "compare", "Compare policies across several scenario files."),
    "analyze": ("incentsim.cli.analyze", "analyze", "Which world your agent data show: system, mixed or people."),
    "calibrate": ("incentsim.cli.calibrate", "calibrate", "Calibrate a scenario of your centre from its call log."),
    "app": ("incentsim.cli.app", "app", "Serve the interactive what-if page on this machine."),
    "demo": ("incentsim.cli.demo", "demo", "Teaching demos: red-bead, funnel, rank-churn."),
    "validate": ("incentsim.cli.validate", "validate", "Run the validation suite against theory."),
    "report": ("incentsim.cli.report", "report", "Write the HTML report of a saved experiment."),
    "robustness": ("incentsim.cli.robustness", "robustness",
                   "Which conclusions survive the uncertainty in the model's assumptions."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands whose module is installed."""
        return [name for name, (mod, _, _) in COMMANDS.items() if importlib.util.find_spec(mod)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module and return its click command."""
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None
            raise
        cmd: click.Command = getattr(mod, attr)
        return cmd

    def format_commands(self, ctx: click.Context, formatter: Any) -> None:
        """List commands with their one-line help without importing them."""
        rows = [(n, COMMANDS[n][2]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="incentsim")
def main() -> None:
    """Compare reward and management schemes for a customer-service centre before anyone is paid by them."""
