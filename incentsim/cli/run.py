"""``incentsim run`` and ``incentsim compare``: compare the policies scenario files declare.

``run`` takes one scenario file and compares every policy it declares under
``[policies.NAME]``; ``compare`` does the same across several files (one result
set with a ``scenario`` column). Both validate everything (the scenario, the
options, and that the output folder can take the results) before any work,
show a progress bar on standard error, write results batch by batch into a
staging folder beside the output folder and move them into place at the end
(so Ctrl-C or SIGTERM keeps what finished and ``--resume`` completes the rest,
while a run that fails leaves the folder as it was), print the comparison in
plain language and, when the HTML report writer is installed, write
``report.html`` next to the results. The folder rules are in
:mod:`incentsim.experiment.folder`.

Exit codes: 0 done, 2 bad input (nothing written), 130 interrupted by Ctrl-C and
143 by SIGTERM (finished batches kept).
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from incentsim.cli.common import handle_input_errors, policy_module_option
from incentsim.errors import InputError, Problem
from incentsim.experiment.folder import default_folder
from incentsim.scenario import Scenario
from incentsim.scenario.shipped import resolve

if TYPE_CHECKING:
    from incentsim.experiment.precision import Precision

#: Exit code after Ctrl-C (128 + SIGINT), as shells report it; 143 after SIGTERM.
EXIT_INTERRUPTED = 130

#: Replications of a fixed run resumed from a manifest that does not say how many.
DEFAULT_REPLICATIONS = 30

#: Seconds to wait for a Dask scheduler before giving up.
DASK_CONNECT_TIMEOUT = 10


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--replications", "-n", type=click.IntRange(min=1), default=None,
                     help="Run exactly N replications per policy instead of running until decided "
                          "(replication r of every policy shares its random numbers)."),
        click.option("--precision", is_flag=True,
                     help="Run until decided (the default unless -n is given): add replications in rounds "
                          "until every paired difference from the baseline on the headline outcomes "
                          "excludes zero or lies within its practical threshold, between "
                          "--min-replications and --max-replications."),
        click.option("--min-replications", type=click.IntRange(min=2), default=None,
                     help="Replications before the rule is first read [default: 5]."),
        click.option("--max-replications", type=click.IntRange(min=2), default=None,
                     help="The cap on replications when running until decided [default: 30]."),
        click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
                     help="Local worker processes [default: every CPU]."),
        click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
                     help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)."),
        click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
                     help="Result folder [default: out/<scenario name as a safe folder name>]. It "
                          "must not exist, be empty, or hold an experiment (see --resume, "
                          "--overwrite); any other folder is refused."),
        click.option("--resume", is_flag=True,
                     help="Keep finished replications in --out and run only the rest (damaged "
                          "batches are run again)."),
        click.option("--overwrite", is_flag=True,
                     help="Replace the experiment stored in --out (only the files incentsim "
                          "wrote are removed)."),
        click.option("--seed", "-s", type=click.IntRange(min=0), default=0, show_default=True,
                     help="Experiment seed."),
        click.option("--calls", "keep_calls", is_flag=True,
                     help="Also keep one row per call (large: about 30 MB per 100,000 calls once loaded)."),
        click.option("--baseline", "-b", default=None,
                     help="Policy to compare against [default: the file's baseline, else the first policy]."),
        click.option("--no-report", is_flag=True, help="Do not write report.html."),
        click.option("--wide", is_flag=True,
                     help="Also print every outcome for every policy (wider than 100 columns for many policies)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("run")
@click.argument("scenario_file", metavar="[SCENARIO.toml]", required=False, default="baseline",
                type=click.Path(path_type=Path))
@_options
@policy_module_option
@handle_input_errors
def run(scenario_file: Path, **options: Any) -> None:
    """Compare every policy SCENARIO.toml declares under [policies.NAME].

    SCENARIO.toml is a file, or the name of a shipped scenario (baseline,
    forced_ranking, ...); without one, the shipped baseline runs. Prints each
    policy's outcomes and its paired differences from the baseline in plain
    language; results (Parquet + manifest.json) go to --out.
    """
    scenario = Scenario.load(resolve(scenario_file))
    _run_experiment([scenario], default_out=default_folder([scenario.name]), **options)


@click.command("compare")
@click.argument("scenario_files", metavar="A.toml B.toml ...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@_options
@policy_module_option
@handle_input_errors
def compare(scenario_files: Sequence[Path], **options: Any) -> None:
    """Compare the declared policies across several scenario files.

    Every policy declared in any file runs on every file (a name must mean the
    same policy in each); results carry a ``scenario`` column.
    """
    scenarios = _load_all(scenario_files)
    _run_experiment(scenarios, default_out=default_folder(s.name for s in scenarios), **options)


def _load_all(files: Sequence[Path]) -> list[Scenario]:
    scenarios, problems = [], []
    for file in files:
        try:
            scenarios.append(Scenario.load(resolve(file)))
        except InputError as exc:
            problems += [Problem(f"{file}: {p.field}", p.message) for p in exc.problems]
    if problems:
        raise InputError("scenario files", problems)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        # Files that share a name (often the default) are told apart by file name.
        stems = [Path(f).stem for f in files]
        if len(set(stems)) != len(stems):
            raise InputError.single("scenario files", "name", f"give each file a distinct "
                                    f"'name' (got {names}) or distinct file names")
        scenarios = [s.replace(name=stem) for s, stem in zip(scenarios, stems, strict=True)]
    return scenarios


def _precision_rule(replications: int | None, precision: bool, minimum: int | None,
                    maximum: int | None, resume: bool, out: Path) -> Precision | int:
    """The precision settings to run with, or the fixed number of replications.

    Precision mode is the default. ``-n`` asks for a fixed number instead. Resuming
    without either continues the stored run the way it was started (its precision
    settings, or its fixed number of replications).
    """
    from incentsim.experiment.folder import stored_manifest
    from incentsim.experiment.precision import Precision, as_precision

    chosen = precision or minimum is not None or maximum is not None
    if replications is not None:
        if chosen:
            option = ("--precision" if precision else "--min-replications" if minimum is not None
                      else "--max-replications")
            raise InputError.single("options", option, "give --replications N (a fixed number) or "
                                    "the precision options (replications until decided), not both")
        return replications
    if not chosen and resume:
        stored = stored_manifest(out)
        if stored is not None:
            settings = stored.get("precision", {}).get("settings") if isinstance(
                stored.get("precision"), dict) else None
            if isinstance(settings, dict):
                try:
                    stored_rule = as_precision(settings)
                except TypeError:
                    stored_rule = None
                if stored_rule is not None:
                    return stored_rule
            return int(stored.get("replications", DEFAULT_REPLICATIONS))
    default = Precision()
    rule = Precision(minimum=default.minimum if minimum is None else minimum,
                     maximum=default.maximum if maximum is None else maximum)
    names = {"precision.minimum": "--min-replications", "precision.maximum": "--max-replications"}
    if problems := rule.problems():
        raise InputError("options", [Problem(names.get(p.field, p.field), p.message) for p in problems])
    return rule


def _run_experiment(scenarios: list[Scenario], default_out: Path, *, replications: int | None,
                    precision: bool, min_replications: int | None, max_replications: int | None,
                    workers: int | None, dask_address: str | None, out: Path | None, resume: bool,
                    overwrite: bool, seed: int, keep_calls: bool, baseline: str | None,
                    no_report: bool, wide: bool) -> None:
    from incentsim.experiment import interrupts
    from incentsim.experiment.compare import compare as run_compare
    from incentsim.experiment.plan import Plan
    from incentsim.experiment.precision import Precision
    from incentsim.experiment.storage import ResultStore

    out = out if out is not None else default_out
    mode = _precision_rule(replications, precision, min_replications, max_replications, resume, out)
    rule = mode if isinstance(mode, Precision) else None
    cap = mode.maximum if isinstance(mode, Precision) else mode
    # Validate everything before any work: plan, output folder (writable, ours, resume match).
    plan = Plan.build(scenarios, None, cap, seed, None, baseline, keep_calls)
    store = ResultStore(out, resume=resume, overwrite=overwrite)
    done = store.prepare(plan)
    if workers is not None and dask_address is not None:
        raise InputError.single("options", "--workers", "give either --workers (local) or --dask "
                                "(cluster), not both")
    executor = _dask_executor(dask_address) if dask_address else None
    if executor is None and workers is not None:
        from incentsim.experiment.executors import local_executor

        executor = local_executor(workers)

    for note in store.notes:
        click.echo(f"note: {note}", err=True)
    count = (f"{rule.minimum} to {rule.maximum} replications (precision mode: until decided)"
             if rule is not None else f"{cap} replications")
    click.echo(f"{len(plan.policies)} policies x {count}"
               f"{f' x {len(plan.points)} scenarios' if len(plan.points) > 1 else ''} -> {out}"
               f"{f' ({len(done)} runs already done)' if done else ''}", err=True)
    try:
        with interrupts.terminate_like_interrupt():
            experiment = run_compare(scenarios, None, None if rule is not None else cap, seed, executor,
                                     baseline=baseline, keep_calls=keep_calls, progress=True,
                                     out=out, resume=resume, overwrite=overwrite, precision=rule)
    except KeyboardInterrupt as exc:
        _report_interruption(out, len(plan.cells()))
        sys.exit(interrupts.exit_code(exc))
    finally:
        client = getattr(executor, "_client", None) if dask_address else None
        if client is not None:
            client.close()
    from incentsim.report.terminal import closing, describe, verdict_text

    click.echo(describe(experiment, wide=wide, verdict=False))
    report = None if no_report else _write_report(experiment, out / "report.html")
    click.echo(verdict_text(experiment) + closing(str(out), str(report) if report else None))


def _report_interruption(out: Path, planned: int) -> None:
    from incentsim.experiment.storage import read_manifest

    try:
        manifest = read_manifest(out)
        done = int(manifest["cells"]["done"])
        planned = int(manifest["cells"]["planned"])
    except (InputError, KeyError, TypeError, ValueError):
        done = 0
    if done:
        click.echo(f"\ninterrupted: finished replications are saved in {out}; run the same "
                   "command with --resume to complete the rest", err=True)
    else:
        click.echo("\ninterrupted before any replication finished", err=True)
    click.echo(f"({done} of {planned} runs recorded)", err=True)


def _dask_executor(address: str) -> cf.Executor:
    try:
        from dask.distributed import Client
    except ImportError:
        raise InputError.single("options", "--dask", "needs Dask: pip install "
                                "'incentsim[dask]'") from None
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError.single("options", "--dask", f"cannot reach a Dask scheduler at "
                                f"{address!r}: {exc}") from None
    executor: cf.Executor = client.get_executor()
    return executor


def _write_report(experiment: Any, path: Path) -> Path | None:
    try:
        report = importlib.import_module("incentsim.report")
    except ImportError:
        return None
    write_report = getattr(report, "write_report", None)
    if write_report is None:
        return None
    write_report(experiment, path)
    return path
