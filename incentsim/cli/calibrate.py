"""``incentsim calibrate CALLS --out my_centre.toml``: a scenario of your centre from its call log.

Order of work, so that bad input leaves nothing behind: the options and the output path
are checked first (an existing file is never replaced without ``--force``), then the log
(every problem named with its column and first rows, exit code 2), then the estimates,
the refinement and the check simulations; the scenario file is written whole (a temporary
file renamed into place) and only then is the report printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from incentsim.cli.common import handle_input_errors
from incentsim.cli.output_files import atomic_write_text, check_new_file
from incentsim.errors import InputError, Problem


@click.command()
@click.argument("calls", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Scenario file to write (TOML), e.g. my_centre.toml.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--base", default="baseline", show_default=True,
              help="Shipped scenario name or TOML file whose settings a call log cannot tell are kept "
                   "(motivation, measurement, costs, policies).")
@click.option("--name", default=None, help="Name of the new scenario (default: the stem of --out).")
@click.option("--refine", default=1, show_default=True, type=click.IntRange(0, 5),
              help="Refinement steps by simulated moments (0: direct estimates only).")
@click.option("--check", "check", default=3, show_default=True, type=click.IntRange(0, 20),
              help="Simulations of the calibrated scenario set beside the data (0: none).")
@click.option("--agents", "agents", default=None, type=click.IntRange(1, 5000),
              help="Tier-1 agents to use instead of the estimate (and instead of a staffing plan).")
@click.option("-s", "--seed", default=0, show_default=True, type=click.IntRange(0, None),
              help="Seed of the refinement and check simulations.")
@click.option("--json", "as_json", is_flag=True, help="Print the fit report as JSON.")
@click.option("--sep", default=",", show_default=True, help="Column separator of a CSV file (e.g. ';').")
@click.option("--decimal", default=".", show_default=True, help="Decimal mark of a CSV file (e.g. ',').")
@handle_input_errors
def calibrate(calls: str, out: str, force: bool, base: str, name: str | None, refine: int, check: int,
              agents: int | None, seed: int, as_json: bool, sep: str, decimal: str) -> None:
    """Calibrate a scenario of your centre from CALLS, a call log (CSV or Parquet, one row per call).

    Estimates arrival rates by hour, handle-time laws per call type, patience, repeat
    calls, how much agents differ, who takes which calls and how many serve each hour;
    writes the scenario to --out (with opening hours per weekday, skill groups and shifts
    when the log shows them) and prints how each value was estimated, what the scenario
    leaves out, which figures rest on thin data, and the data beside a simulation of the
    calibrated scenario. Then: incentsim run my_centre.toml.
    """
    from incentsim.calibration.fit import _base, fit

    target = Path(out)
    problems: list[Problem] = []
    problem = check_new_file(target, "--out", force)
    if problem is not None:
        problems.append(problem)
    if target.suffix.lower() != ".toml":
        problems.append(Problem("--out", f"{target.name!r} should end in .toml (a scenario file)"))
    try:
        base_scenario = _base(base)
    except InputError as exc:
        problems += [Problem("--base", p.message) for p in exc.problems]
        base_scenario = None
    if problems:
        raise InputError("options", problems)

    def say(message: str) -> None:
        click.echo(message + " ...", err=True)

    say(f"reading {calls}")
    result = fit(calls, base=base_scenario, name=name or target.stem, refine=refine, check=check, seed=seed,
                 tier1_agents=agents, sep=sep, decimal=decimal, progress=say)
    atomic_write_text(target, _scenario_text(result.scenario, calls), overwrite=force)
    if as_json:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(json.dumps({"written": str(target), **result.to_dict()}, indent=2, allow_nan=False, default=str))
        return
    click.echo(result.summary())
    click.echo("")
    click.echo(f"Scenario written to {target}. Compare the policies it declares on your centre with: "
               f"incentsim run {target}")


def _scenario_text(scenario: object, source: str) -> str:
    from incentsim.scenario import Scenario

    assert isinstance(scenario, Scenario)
    header = (f"# Calibrated by `incentsim calibrate` from {Path(source).name}.\n"
              f"# Estimated from the log: center (staffing, calendar), demand, customers.patience, repeat calls,\n"
              f"# population, people.speed_sd. Everything else is the base scenario's (assumptions, see its file).\n")
    return header + scenario.to_toml()
