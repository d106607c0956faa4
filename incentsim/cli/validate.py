"""``incentsim validate``: run the validation suite and print each check against theory.

Each line shows the check, the figure the model reached, the value theory (or the
source) expects, the tolerance, and pass or FAIL. The exit code is 1 if any check
fails (a skipped check, e.g. a missing scenario file, does not fail the suite).
The checks live in :mod:`incentsim.validation.checks`.
"""

from __future__ import annotations

import math
import sys
import time

import click

from incentsim.cli.common import handle_input_errors


def _number(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.4g}"


@click.command()
@click.option("--quick", is_flag=True, help="Smaller sizes: seconds instead of a minute or two.")
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
              help="Seed of every random part of the suite.")
@click.option("--verbose", "-v", is_flag=True, help="Also print how each figure was reached.")
@handle_input_errors
def validate(quick: bool, seed: int, verbose: bool) -> None:
    """Run the validation suite: Erlang C and A, red beads, funnel, source 000's table."""
    from incentsim.validation.checks import FAMILY_CONFIDENCE, run_checks

    started = time.perf_counter()
    click.echo(f"incentsim validation suite ({'quick' if quick else 'full'} sizes, seed {seed}); "
               f"tolerances are simultaneous {FAMILY_CONFIDENCE:.0%} intervals")
    click.echo(f"{'status':<8} {'figure':>10} {'theory':>10} {'+-':>9}  check")
    failed = skipped = total = 0
    for result in run_checks(quick=quick, seed=seed):
        total += 1
        failed += result.status == "FAIL"
        skipped += result.skipped
        click.echo(f"{result.status:<8} {_number(result.figure):>10} {_number(result.expected):>10} "
                   f"{_number(result.tolerance):>9}  {result.name}")
        if verbose or result.skipped or result.status == "FAIL":
            click.echo(f"{'':<8} {result.detail}")
    elapsed = time.perf_counter() - started
    click.echo(f"{total - failed - skipped} passed, {failed} failed, {skipped} skipped "
               f"in {elapsed:.0f} s")
    if failed:
        sys.exit(1)
