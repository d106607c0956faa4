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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from incentsim.errors import InputError
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
from incentsim.experiment.plan import Plan
from incentsim.experiment.provenance import utc_now
from incentsim.experiment.storage import ResultStore, combine, load
from incentsim.experiment.task import Simulator, TaskResult
from incentsim.policies.base import Policy
from incentsim.scenario import Scenario


def compare(
    scenario: Scenario | Sequence[Scenario],
    policies: Mapping[str, Policy] | None = None,
    replications: int = 30,
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
) -> Experiment:
    """Compare policies on a scenario over common-random-number replications.

    Replication ``r`` of every policy (and every sweep point) uses the same random
    streams, so paired differences isolate the policy. Results are identical bit
    for bit whichever executor runs them.

    Args:
        scenario: The scenario, or several (one result set, a ``scenario`` column).
        policies: Name -> policy; ``None`` uses the policies the scenario declares.
        replications: Replications per policy and sweep point.
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
    plan = Plan.build(scenario, policies, replications, seed, sweep, baseline, keep_calls, batch_size)
    if (resume or overwrite) and out is None:
        name = "resume" if resume else "overwrite"
        raise InputError.single("experiment", name, "needs out=DIRECTORY holding the earlier run")
    store = ResultStore(out, resume=resume, overwrite=overwrite) if out is not None else None
    done = store.prepare(plan) if store is not None else set()
    todo = [cell for cell in plan.cells() if cell not in done]

    owned = executor is None
    pool: cf.Executor = local_executor() if executor is None else executor
    workers = executor_workers(pool)
    tasks = plan.tasks(todo, workers, simulator)
    collected: list[TaskResult] = []
    session = {"started": utc_now(), "finished": None, "wall_seconds": None,
               "compute_seconds": 0.0, "cells_run": 0, "executor": describe_executor(pool),
               "workers": workers}
    manifest = plan_manifest(plan)
    manifest["sessions"] = [session]
    bar = _progress_bar(len(plan.cells()), len(done), progress)
    started = time.perf_counter()

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
        bar.update(cells)

    try:
        if store is not None:
            store.begin(plan, session, done=len(done))
            manifest = store.manifest
        execute(tasks, pool, on_result)
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


def _progress_bar(total: int, initial: int, enabled: bool) -> Any:
    options = {"total": total, "initial": initial, "unit": "run", "disable": not enabled,
               "desc": "replications"}
    if enabled:
        try:  # a widget in notebooks; tqdm.auto needs ipywidgets there and fails without it
            from tqdm.auto import tqdm as auto

            return auto(**options)
        except ImportError:
            pass
    from tqdm import tqdm

    return tqdm(file=sys.stderr, dynamic_ncols=True, **options)


__all__ = ["compare"]
