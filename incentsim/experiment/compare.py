"""``compare``: run policies over replications (and a sweep) and collect the results.

The entry point researchers call and ``incentsim run`` wraps. It validates a
:class:`~incentsim.experiment.plan.Plan`, finds what a resumed run still lacks,
hands batches of replications to an executor, writes each finished batch (when
given a directory) and returns an :class:`~incentsim.experiment.experiment.Experiment`.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from incentsim.errors import InputError, Problem
from incentsim.experiment import interrupts
from incentsim.experiment.executors import (
    describe_executor,
    execute,
    executor_workers,
    is_local_pool,
    local_executor,
    stop_local_executor,
)
from incentsim.experiment.experiment import Experiment
from incentsim.experiment.manifest import plan_manifest
from incentsim.experiment.plan import Cell, Plan
from incentsim.experiment.precision import (
    OPEN,
    Precision,
    as_precision,
    next_target,
    stop_text,
    stopping_point,
)
from incentsim.experiment.provenance import utc_now
from incentsim.experiment.storage import ResultStore, combine, load
from incentsim.experiment.task import Simulator, TaskResult
from incentsim.policies.base import Policy
from incentsim.report.units import label
from incentsim.scenario import Scenario


def compare(
    scenario: Scenario | Sequence[Scenario],
    policies: Mapping[str, Policy] | None = None,
    replications: int | None = None,
    seed: int = 0,
    executor: cf.Executor | None = None,
    sweep: Mapping[str, Sequence[Any]] | None = None,
    *,
    baseline: str | None = None,
    keep_calls: bool = False,
    batch_size: int | None = None,
    progress: bool = True,
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    simulator: Simulator | None = None,
    precision: Precision | bool | None = None,
) -> Experiment:
    """Compare policies on a scenario over common-random-number replications.

    Replication ``r`` of every policy (and every sweep point) uses the same random
    streams, so paired differences isolate the policy. Results are identical bit
    for bit whichever executor runs them.

    Args:
        scenario: The scenario, or several (one result set, a ``scenario`` column).
        policies: Name -> policy; ``None`` uses the policies the scenario declares.
        replications: Replications per policy and sweep point (default 30); not
            with ``precision``.
        seed: Experiment seed (non-negative integer).
        executor: Any :class:`concurrent.futures.Executor`; ``None`` uses a local
            process pool (loky) over every CPU. For Dask pass
            ``dask.distributed.Client(address).get_executor()``.
        sweep: Dotted scenario key -> list of values; every combination is run and
            each key becomes a result column.
        baseline: Policy differences are taken against; default the scenario's
            declared ``baseline``, else the first policy.
        keep_calls: Keep per-call records (off by default: they dominate memory).
        batch_size: Replications per task; ``None`` chooses from the workload.
        progress: Show a progress bar (on by default): a widget in a notebook with ipywidgets,
            else text on standard error.
        out: Directory to write results to batch by batch (Parquet + manifest). It
            must not exist, be empty, or hold an experiment (see ``resume`` and
            ``overwrite``); a folder holding anything else is refused. Results are
            staged beside it and moved into place when the run completes or is
            interrupted; a run that fails leaves it as it was.
        resume: With ``out``, keep finished cells of an earlier run of the same
            experiment (and of a killed run's staging folder) and run only the
            rest; batches whose files are damaged are run again.
        overwrite: With ``out``, replace an experiment stored there (only the
            files incentsim wrote are removed).
        simulator: The run-one function (default the engine's ``simulate``);
            tests substitute a fake.
        precision: Replications until decided: ``True`` (default settings) or a
            :class:`~incentsim.experiment.precision.Precision`. Rounds of
            replications run until every paired difference against the baseline
            on the headline outcomes excludes zero or lies within its practical
            threshold, with a minimum and a cap (``Precision.maximum``, default
            30); the manifest's ``precision`` entry and
            :meth:`Experiment.describe` say how many it took and why it stopped.

    Returns:
        The :class:`Experiment`.

    Raises:
        InputError: For bad options (each named), or an ``out`` that cannot take
            the results, before anything runs or is written.
        KeyboardInterrupt: If interrupted; finished batches are moved into ``out``
            and the manifest says ``partial``.

    Example:
        >>> import incentsim as isim
        >>> sc = isim.Scenario.erlang(3, 30, 5, hours=8)
        >>> exp = isim.compare(sc, {"flat": isim.policies.Flat()}, replications=2,
        ...                    executor=isim.experiment.SerialExecutor())
        >>> len(exp.summaries)
        2
    """
    rule = _precision(precision, replications)
    cap = rule.maximum if rule is not None else (30 if replications is None else replications)
    plan = Plan.build(scenario, policies, cap, seed, sweep, baseline, keep_calls, batch_size)
    if (resume or overwrite) and out is None:
        name = "resume" if resume else "overwrite"
        raise InputError.single("experiment", name, "needs out=DIRECTORY holding the earlier run")
    store = ResultStore(out, resume=resume, overwrite=overwrite) if out is not None else None
    done = store.prepare(plan) if store is not None else set()
    if rule is not None and store is not None and resume:
        _check_resumable(store.path)

    owned = executor is None
    pool: cf.Executor = local_executor() if executor is None else executor
    workers = executor_workers(pool)
    collected: list[TaskResult] = []
    session = {"started": utc_now(), "finished": None, "wall_seconds": None,
               "compute_seconds": 0.0, "cells_run": 0, "executor": describe_executor(pool),
               "workers": workers}
    manifest = plan_manifest(plan)
    manifest["sessions"] = [session]
    first = _cells(plan, plan.replications if rule is None else rule.minimum)  # the first round's runs
    bar = _progress_bar(len(first), len(done.intersection(first)), progress,
                        "replications" if rule is None else _round_text(rule.minimum, rule))
    started = time.perf_counter()
    fresh: list[pd.DataFrame] = []

    def on_result(result: TaskResult) -> None:
        cells = len(result.summaries)
        current = manifest["sessions"][-1]
        current["cells_run"] += cells
        current["compute_seconds"] = round(current["compute_seconds"] + result.seconds, 6)
        manifest["cells"]["done"] += cells
        if store is not None:
            store.write(result.name, {"summaries": result.summaries, "agents": result.agents,
                                      "calls": result.calls})
        else:
            collected.append(result)
        if rule is not None:
            fresh.append(result.summaries)
        bar.update(cells)

    try:
        if store is not None:
            store.begin(plan, session, done=len(done))
            manifest = store.manifest
        if rule is None:
            execute(plan.tasks([c for c in plan.cells() if c not in done], workers, simulator),
                    pool, on_result)
        else:
            stored = _stored_summaries(store.path, done) if store is not None and done else None
            if stored is not None:
                fresh.append(stored)
            _until_decided(plan, rule, done, manifest, store, bar, fresh, pool, workers, simulator,
                           on_result)
        if store is not None:
            store.finish("complete", time.perf_counter() - started)
            store.commit()
    except BaseException as exc:
        # Interrupted (Ctrl-C, SIGTERM): keep what finished, ready for resume. Failed (or
        # interrupted before anything finished): leave the result folder as it was.
        interrupted = isinstance(exc, KeyboardInterrupt) or interrupts.received() is not None
        if owned or is_local_pool(pool):
            stop_local_executor(pool)
        if store is not None and store.staging is not None:
            if interrupted and store.batches:
                store.finish("partial", time.perf_counter() - started)
                store.commit()
            else:
                store.discard()
        raise
    finally:
        bar.close()
    wall = time.perf_counter() - started
    if store is not None:
        return load(store.path)
    manifest["status"] = "complete"
    manifest["sessions"][-1] |= {"finished": utc_now(), "wall_seconds": round(wall, 6)}
    order = list(plan.policies)
    return Experiment(
        summaries=combine((r.summaries for r in collected), order),
        agents=combine((r.agents for r in collected), order),
        calls=combine((r.calls for r in collected), order) if keep_calls else None,
        manifest=manifest,
    )


def _precision(precision: Any, replications: int | None) -> Precision | None:
    try:
        rule = as_precision(precision)
    except TypeError as exc:
        raise InputError.single("experiment", "precision", str(exc)) from None
    if rule is None:
        return None
    problems = rule.problems()
    if replications is not None:
        problems.append(Problem("replications", "give replications (a fixed number) or precision "
                                "(replications until decided, capped by precision.maximum), not both"))
    if problems:
        raise InputError("experiment", problems)
    return rule


def _check_resumable(path: Path) -> None:
    """A run of a fixed number of replications is resumed with that number, not in precision mode."""
    from incentsim.experiment.folder import stored_manifest

    stored = stored_manifest(path)  # the stored run, else a killed run's staging folder
    if stored is None:
        return  # nothing stored yet: nothing to match
    if "precision" not in stored:
        raise InputError.single(f"resume of {path}", "precision", f"the stored run has a fixed number of "
                                f"replications ({stored.get('replications')}); resume it with "
                                "replications=N (-n N), or choose another out")


def _cells(plan: Plan, replications: int) -> list[Cell]:
    return [c for c in plan.cells() if c.replication < replications]


def _until_decided(plan: Plan, rule: Precision, done: set[Cell], manifest: dict[str, Any],
                   store: ResultStore | None, bar: Any, fresh: list[pd.DataFrame], pool: cf.Executor,
                   workers: int, simulator: Simulator | None,
                   on_result: Callable[[TaskResult], None]) -> None:
    """Run rounds of replications until the precision rule stops, recording why in the manifest."""
    policies = list(plan.policies)
    manifest["precision"] = {"settings": rule.record(), "stop": None}
    target = rule.minimum
    while True:
        wanted = _cells(plan, target)
        manifest["replications"] = target
        manifest["cells"]["planned"] = len(wanted)
        if store is not None:
            store.write_manifest()
        bar.total = len(wanted)
        bar.n = sum(c in done for c in wanted)
        bar.set_description(_round_text(target, rule))
        bar.refresh()
        todo = [c for c in wanted if c not in done]
        execute(plan.tasks(todo, workers, simulator), pool, on_result)
        done.update(todo)
        summaries = pd.concat(fresh, ignore_index=True) if fresh else pd.DataFrame()
        fresh[:] = [summaries]
        stop = stopping_point(summaries, policies, plan.baseline, rule)
        if stop.reason:
            break
        left = [j for j in stop.judged if j.state == OPEN]
        target = next_target(stop, rule)
        names = ", ".join(dict.fromkeys(label(j.outcome) for j in left))
        _say(bar, f"after {stop.replications} replications: {len(left)} of {len(stop.judged)} "
                  f"differences undecided ({names}); running to {target}")
    manifest["replications"] = stop.replications
    manifest["cells"]["planned"] = len(_cells(plan, stop.replications))
    manifest["precision"]["stop"] = stop.record()
    if store is not None:
        store.write_manifest()
    _say(bar, stop_text(manifest))


def _say(bar: Any, text: str) -> None:
    """A line above the progress bar (only when progress is shown)."""
    if not bar.disable:
        bar.write(text, file=sys.stderr)


def _stored_summaries(path: Path, done: set[Cell]) -> pd.DataFrame | None:
    """Summaries of the cells an earlier run finished (damaged batches are skipped: they are redone)."""
    frames = []
    for file in sorted((path / "summaries").glob("*.parquet")):
        try:
            frame = pd.read_parquet(file)
        except (OSError, ValueError, TypeError, pa.ArrowException):
            continue
        keys = zip(frame["point"].astype(int), frame["policy"].astype(str),
                   frame["replication"].astype(int), strict=True)
        frames.append(frame[[Cell(*k) in done for k in keys]])
    frames = [f for f in frames if not f.empty]
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True).drop_duplicates(["point", "policy", "replication"])


def _round_text(target: int, rule: Precision) -> str:
    return f"replications (precision: {target} of at most {rule.maximum})"


def _progress_bar(total: int, initial: int, enabled: bool, desc: str = "replications") -> Any:
    options = {"total": total, "initial": initial, "unit": "run", "disable": not enabled,
               "desc": desc}
    if enabled:
        try:  # a widget in notebooks; tqdm.auto needs ipywidgets there and fails without it
            from tqdm.auto import tqdm as auto

            return auto(**options)
        except ImportError:
            pass
    from tqdm import tqdm

    return tqdm(file=sys.stderr, dynamic_ncols=True, **options)


__all__ = ["compare"]
