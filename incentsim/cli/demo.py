"""``incentsim demo``: Deming's teaching demos from the command line.

``incentsim demo red-bead|funnel|rank-churn [--seed S] [--out FIG.png] [options]``
prints the demo's narrative, writes its figure (atomically) and says where, and
writes its tidy data as CSV when ``--data`` is given. Without ``--out`` the figure
goes to the current folder as ``red_bead.png`` (``funnel.png``, ``rank_churn.png``)
or, if that file exists, to the first free ``red_bead-2.png``, ``red_bead-3.png``,
...: nothing a user already has is overwritten unless they name it with ``--out``.
``--no-figure`` writes none. The demos themselves live in :mod:`incentsim.demos`.
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


def fresh_figure_path(stem: str, folder: Path = Path(".")) -> Path:
    """``stem.png`` in ``folder``, or the first of ``stem-2.png``, ``stem-3.png``, ... that does not exist."""
    path = folder / f"{stem}.png"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.png"
        number += 1
    return path


def _figure_path(stem: str, out: Path | None, no_figure: bool) -> Path | None:
    if no_figure:
        if out is not None:
            raise InputError.single("demo", "--no-figure", "give either --out or --no-figure, not both")
        return None
    return out if out is not None else fresh_figure_path(stem)


def _common(func: Any) -> Any:
    """Options every demo takes."""
    func = click.option("--no-figure", is_flag=True, help="Do not write the figure.")(func)
    func = click.option("--quiet", is_flag=True, help="Do not print the narrative.")(func)
    func = click.option("--data", "data", type=click.Path(dir_okay=False, path_type=Path),
                        help="Also write the demo's data as CSV to this file.")(func)
    func = click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write the figure to this image file (.png, .svg, .pdf), replacing it if it "
                             "exists [default: DEMO.png in the current folder, or DEMO-2.png, ... if "
                             "taken].")(func)
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
def red_bead_command(seed: int, out: Path | None, data: Path | None, quiet: bool, no_figure: bool,
                     workers: int, days: int, beads: int, red: int, paddle: int, fire: int | None) -> None:
    """Deming's red bead experiment: np chart, merit ranking and firing."""
    from incentsim.demos import red_bead

    _check_data_path(data)
    out = _figure_path("red_bead", out, no_figure)
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
def funnel_command(seed: int, out: Path | None, data: Path | None, quiet: bool, no_figure: bool,
                   rules: tuple[str, ...], drops: int, sd: float) -> None:
    """Deming's funnel experiment: rules 1-4 of adjusting a stable process."""
    from incentsim.demos import funnel

    _check_data_path(data)
    out = _figure_path("funnel", out, no_figure)
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
def rank_churn_command(seed: int, out: Path | None, data: Path | None, quiet: bool, no_figure: bool,
                       agents: int, periods: int, people_share: float) -> None:
    """A league table whose numbers are mostly system variation, period after period."""
    from incentsim.demos import rank_churn

    _check_data_path(data)
    out = _figure_path("rank_churn", out, no_figure)
    df = rank_churn(seed=seed, agents=agents, periods=periods, people_share=people_share,
                    narrate=not quiet, figure=out)
    _finish(df, out, data)
