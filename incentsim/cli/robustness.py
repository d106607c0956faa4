"""``incentsim robustness``: which conclusions survive the plausible ranges of the assumptions.

Runs :func:`incentsim.robustness.robustness` on a scenario file (or a shipped
scenario's name): Morris screening of every assumption, then Sobol indices for
the most influential few (``--screening`` stops after the screening), with
progress on standard error. Writes every stage's runs (Parquet + manifest),
the verdict, importance and box tables and ``report.html`` to ``--out``;
``--resume`` completes an interrupted analysis. Prints the verdict table.

Exit codes: 0 done, 2 bad input (nothing written), 130 interrupted (finished
runs kept).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from incentsim.cli.common import handle_input_errors
from incentsim.errors import InputError, Problem

#: Exit code after Ctrl-C.
EXIT_INTERRUPTED = 130


@click.command("robustness")
@click.argument("scenario_file", metavar="[SCENARIO.toml]", required=False, default="baseline",
                type=click.Path(path_type=Path))
@click.option("--samples", "-N", type=click.IntRange(min=2), default=None,
              help="Sobol base rows N of the second stage (a power of two) [default: 8].")
@click.option("--screening", is_flag=True,
              help="Quick mode: Morris screening only, verdicts read from its points.")
@click.option("--trajectories", type=click.IntRange(min=2), default=None, help="Morris trajectories [default: 4].")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Assumptions given Sobol indices of their own [default: 2].")
@click.option("--replications", "-n", type=click.IntRange(min=1), default=1, show_default=True,
              help="Replications per Sobol design point.")
@click.option("--policies", "policy_names", default=None, metavar="A,B,...",
              help="Compare only these of the policies the file declares [default: all of them].")
@click.option("--assumptions", "only", default=None, metavar="KEY,KEY,...",
              help="Vary only these assumptions (registry keys or keys of the file's [robustness.ranges]).")
@click.option("--outcomes", default=None, metavar="A,B,...",
              help="Outcomes judged [default: true_csat, measured_csat, fcr, cost_per_resolved_call, "
                   "mean_stress, quits].")
@click.option("--seed", "-s", type=click.IntRange(min=0), default=0, show_default=True, help="Seed.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Local worker processes [default: every CPU].")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Run on the Dask cluster whose scheduler is at ADDRESS.")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
              help="Result directory [default: out/robustness-<scenario name>].")
@click.option("--resume", is_flag=True, help="Keep finished runs in --out and run only the rest.")
@click.option("--no-report", is_flag=True, help="Do not write report.html.")
@handle_input_errors
def robustness(scenario_file: Path, samples: int | None, screening: bool, trajectories: int | None,
               top: int | None, replications: int, policy_names: str | None, only: str | None,
               outcomes: str | None, seed: int, workers: int | None,
               dask_address: str | None, out: Path | None, resume: bool, no_report: bool) -> None:
    """Which conclusions of SCENARIO.toml survive the uncertainty in the model's assumptions.

    Every assumption of the registry (and of the file's [robustness] table)
    varies over its plausible range; the policies the file declares are compared
    at every point with common random numbers. Prints, per pair of policies and
    outcome, the share of the plausible space in which the comparison keeps the
    sign it has in the scenario as written, and where it flips.
    """
    from incentsim.cli.run import _dask_executor
    from incentsim.robustness import run as rob
    from incentsim.scenario import Scenario
    from incentsim.scenario.shipped import resolve

    scenario = Scenario.load(resolve(scenario_file))
    if only is not None:
        keys = [k.strip() for k in only.split(",") if k.strip()]
        data = scenario.to_dict()
        data.setdefault("robustness", {})["only"] = keys
        try:
            scenario = Scenario.from_dict(data, source="--assumptions")
        except InputError as exc:
            raise InputError("--assumptions", [Problem("--assumptions", p.message) for p in exc.problems]) from None
    policies = _chosen_policies(scenario, policy_names)
    out = out if out is not None else Path("out") / f"robustness-{scenario.name}"
    if workers is not None and dask_address is not None:
        raise InputError.single("options", "--workers", "give either --workers (local) or --dask, not both")
    chosen = rob.HEADLINE_OUTCOMES if outcomes is None else tuple(o.strip() for o in outcomes.split(",") if o.strip())
    options: dict[str, Any] = {
        "samples": samples or rob.DEFAULT_SAMPLES, "replications": replications, "seed": seed,
        "outcomes": chosen, "screening": screening, "trajectories": trajectories or rob.DEFAULT_TRAJECTORIES,
        "top": top or rob.DEFAULT_TOP,
    }
    # Validate the options and the assumption ranges before anything is created.
    rob._validate(scenario, policies, options["samples"], replications, seed, chosen, screening,
                  options["trajectories"], options["top"], rob.SCREENING_SCALE, rob.SCREENING_MONTHS,
                  rob.DEFAULT_NOMINAL_REPLICATIONS, resume, out, None)
    from incentsim.robustness.assumptions import assumptions_for

    varied, _ = assumptions_for(scenario)
    executor = _dask_executor(dask_address) if dask_address else None
    if executor is None and workers is not None:
        from incentsim.experiment.executors import local_executor

        executor = local_executor(workers)
    click.echo(f"{len(varied)} assumptions -> {out}", err=True)
    try:
        result = rob.robustness(scenario, policies, executor=executor, out=out, resume=resume, progress=True, **options)
    except KeyboardInterrupt:
        if executor is not None and dask_address is None:
            from incentsim.experiment.executors import stop_local_executor

            stop_local_executor(executor)
        click.echo(f"\ninterrupted: finished runs are saved in {out}; run the same command with --resume "
                   "to complete the rest", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        client = getattr(executor, "_client", None) if dask_address else None
        if client is not None:
            client.close()
    click.echo(result.describe())
    click.echo(f"results: {out}", err=True)
    if not no_report and result.nominal is not None:
        import os

        os.environ.setdefault("MPLBACKEND", "Agg")
        from incentsim.report.html import write_report

        path = write_report(result.nominal, out / "report.html", robustness=result)
        click.echo(f"report: {path}", err=True)


def _chosen_policies(scenario: Any, names: str | None) -> dict[str, Any] | None:
    """The declared policies named in ``--policies`` (``None``: all of them)."""
    if names is None:
        return None
    from incentsim.policies.registry import build_policy

    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in scenario.policies]
    if unknown or len(wanted) < 2:
        allowed = ", ".join(scenario.policies) or "(none declared)"
        what = f"unknown {unknown}" if unknown else "name at least two"
        raise InputError.single("options", "--policies", f"{what}; allowed: {allowed}")
    return {n: build_policy(dict(scenario.policies[n])) for n in wanted}
