"""``incentsim demo``: Deming's teaching demos from the command line.

``incentsim demo red-bead|funnel|rank-churn [--seed S] [--out FIG.png] [options]``
prints the demo's narrative, writes its figure (atomically) when ``--out`` is
given and its tidy data as CSV when ``--data`` is given. The demos themselves live
in :mod:`incentsim.demos`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from incentsim.cli.common import handle_input_errors
from incentsim.demos._common import atomic_write
from incentsim.errors import InputError


class DemoGroup(click.Group):
    """A group whose unknown-command error names the allowed demos."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        """Resolve a demo name, or fail naming the allowed ones."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            allowed = ", ".join(self.list_commands(ctx))
            raise click.UsageError(f"unknown demo {name!r}; allowed: {allowed}", ctx)
        return super().resolve_command(ctx, args)


def _check_data_path(path: Path | None) -> None:
    folder = path.parent if path is not None and str(path.parent) else Path(".")
    if path is not None and not folder.is_dir():
        raise InputError.single("demo", "data", f"folder {str(folder)!r} does not exist")


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda tmp: df.to_csv(tmp, index=False))


def _common(func: Any) -> Any:
    """Options every demo takes."""
    func = click.option("--quiet", is_flag=True, help="Do not print the narrative.")(func)
    func = click.option("--data", "data", type=click.Path(dir_okay=False, path_type=Path),
                        help="Also write the demo's data as CSV to this file.")(func)
    func = click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write the figure to this image file (.png, .svg, .pdf).")(func)
    func = click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
                        help="Random seed: the same seed tells the same story.")(func)
    return func


def _finish(df: pd.DataFrame, out: Path | None, data: Path | None) -> None:
    if data is not None:
        _write_csv(df, data)
        click.echo(f"data written to {data}")
    if out is not None:
        click.echo(f"figure written to {out}")


@click.group(cls=DemoGroup)
def demo() -> None:
    """Teaching demos of Deming's argument: red-bead, funnel, rank-churn."""


@demo.command("red-bead")
@_common
@click.option("--workers", type=click.IntRange(min=2), default=6, show_default=True,
              help="Willing workers.")
@click.option("--days", type=click.IntRange(min=1), default=4, show_default=True,
              help="Working days (the ranking and firing come before the last).")
@click.option("--beads", type=click.IntRange(min=2), default=4000, show_default=True,
              help="Beads in the bowl.")
@click.option("--red", type=click.IntRange(min=0), default=800, show_default=True,
              help="Red beads in the bowl.")
@click.option("--paddle", type=click.IntRange(min=1), default=50, show_default=True,
              help="Holes in the paddle.")
@click.option("--fire", type=click.IntRange(min=0), default=None,
              help="Workers fired after the ranking [default: half].")
@handle_input_errors
def red_bead_command(seed: int, out: Path | None, data: Path | None, quiet: bool, workers: int,
                     days: int, beads: int, red: int, paddle: int, fire: int | None) -> None:
    """Deming's red bead experiment: np chart, merit ranking and firing."""
    from incentsim.demos import red_bead

    _check_data_path(data)
    df = red_bead(seed=seed, workers=workers, days=days, beads=beads, red=red, paddle=paddle,
                  fire=fire, narrate=not quiet, figure=out)
    _finish(df, out, data)


@demo.command("funnel")
@_common
@click.option("--rule", "rules", type=click.Choice(["1", "2", "3", "4"]), multiple=True,
              help="Rule to run (repeat for several) [default: all four].")
@click.option("--drops", type=click.IntRange(min=2), default=50, show_default=True,
              help="Marbles dropped per rule.")
@click.option("--sd", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="Spread of one drop around the funnel.")
@handle_input_errors
def funnel_command(seed: int, out: Path | None, data: Path | None, quiet: bool,
                   rules: tuple[str, ...], drops: int, sd: float) -> None:
    """Deming's funnel experiment: rules 1-4 of adjusting a stable process."""
    from incentsim.demos import funnel

    _check_data_path(data)
    chosen = [int(r) for r in rules] or None
    df = funnel(seed=seed, rule=chosen, drops=drops, sd=sd, narrate=not quiet, figure=out)
    _finish(df, out, data)


@demo.command("rank-churn")
@_common
@click.option("--agents", type=click.IntRange(min=4), default=20, show_default=True,
              help="Agents in the league table.")
@click.option("--periods", type=click.IntRange(min=2), default=6, show_default=True,
              help="Periods (months).")
@click.option("--people-share", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Share of a score's variance that belongs to the person.")
@handle_input_errors
def rank_churn_command(seed: int, out: Path | None, data: Path | None, quiet: bool, agents: int,
                       periods: int, people_share: float) -> None:
    """A league table whose numbers are mostly system variation, period after period."""
    from incentsim.demos import rank_churn

    _check_data_path(data)
    df = rank_churn(seed=seed, agents=agents, periods=periods, people_share=people_share,
                    narrate=not quiet, figure=out)
    _finish(df, out, data)
