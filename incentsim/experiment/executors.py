"""Executors: where tasks run, swappable without changing results.

Any :class:`concurrent.futures.Executor` runs an experiment: the default local
process pool (loky's reusable executor, which works from scripts and notebooks
alike), a :class:`~concurrent.futures.ThreadPoolExecutor`, the in-process
:class:`SerialExecutor`, or a Dask cluster through
``dask.distributed.Client(...).get_executor()``. Only :func:`run_task` crosses
the boundary, and results are put back in plan order whatever order they finish
in, so every executor gives the same results bit for bit (the EMA workbench's
swappable evaluators).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
from collections.abc import Callable, Iterable
from typing import Any

from incentsim.experiment.task import Task, TaskResult, run_task


class SerialExecutor(cf.Executor):
    """Run each task in the calling process, at submission.

    The simplest executor: no processes, no pickling; useful for debugging a
    policy (breakpoints work) and as the reference other executors must match.
    """

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        """Run ``fn(*args, **kwargs)`` now and return a finished future."""
        if self._shutdown:
            raise RuntimeError("cannot submit to a SerialExecutor after shutdown")
        future: cf.Future[Any] = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Refuse further tasks."""
        self._shutdown = True


#: Memory growth (bytes) after which loky restarts a worker: well above one replication's peak.
MAX_WORKER_GROWTH = 2 * 1024**3


def local_executor(workers: int | None = None) -> cf.Executor:
    """The default local process pool (loky's reusable executor).

    Args:
        workers: Worker processes; ``None`` uses every CPU this process may use.
    """
    from loky import get_reusable_executor

    # loky restarts a worker whose memory grew by more than 300 MB, calling it a leak.
    # A six-month replication legitimately peaks near 0.5 GB (its calls are held until
    # the run's summary is computed), so the default restarts workers needlessly and warns
    # of a leak that is not there. Workers read this setting from the environment they
    # inherit; a value the user set is kept.
    os.environ.setdefault("LOKY_MAX_MEMORY_LEAK_SIZE", str(MAX_WORKER_GROWTH))
    return get_reusable_executor(max_workers=workers or available_cpus(), initializer=ignore_interrupts)


def ignore_interrupts() -> None:
    """Worker initializer: leave Ctrl-C to the parent.

    A terminal's Ctrl-C reaches every process of the group. The parent stops the
    run cleanly (keeps finished batches, kills the workers); a worker that took
    the signal too would print its own ``KeyboardInterrupt`` traceback first.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def is_local_pool(executor: cf.Executor) -> bool:
    """Whether ``executor`` is a loky process pool (the default local pool)."""
    return type(executor).__module__.split(".")[0] == "loky"


def stop_local_executor(executor: cf.Executor) -> None:
    """Stop a local pool now, killing its workers, instead of letting running tasks finish.

    Used after an interruption or a failure: the results of tasks still running
    would not be written, so waiting for them only delays the exit. Tasks not yet
    started fail with loky's ``ShutdownExecutorError`` (nobody reads them), and
    the killed workers are reaped, so no worker (and, once they are gone, no
    resource tracker) outlives the run.
    """
    try:
        executor.shutdown(wait=True, kill_workers=True)  # type: ignore[call-arg]
    except TypeError:  # not loky: the standard signature
        executor.shutdown(wait=False, cancel_futures=True)


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def executor_workers(executor: cf.Executor) -> int:
    """How many tasks an executor runs at once (best effort, at least 1).

    Knows the standard pools, loky, :class:`SerialExecutor` and Dask's
    ``ClientExecutor`` (the cluster's total threads); anything else counts as
    the local CPU count.
    """
    if isinstance(executor, SerialExecutor):
        return 1
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            workers = client.scheduler_info(n_workers=-1)["workers"].values()
        except TypeError:  # older distributed: no n_workers argument
            workers = client.scheduler_info()["workers"].values()
        except Exception:  # noqa: BLE001 - a cluster we cannot ask is sized by guess
            return available_cpus()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))
    max_workers = getattr(executor, "_max_workers", None)
    return int(max_workers) if isinstance(max_workers, int) and max_workers > 0 else available_cpus()


def describe_executor(executor: cf.Executor) -> str:
    """A short name for the manifest, e.g. ``loky.ReusablePoolExecutor(2)``."""
    kind = type(executor)
    return f"{kind.__module__.split('.')[0]}.{kind.__name__}({executor_workers(executor)})"


def execute(tasks: Iterable[Task], executor: cf.Executor, on_result: Callable[[TaskResult], None],
            max_in_flight: int | None = None) -> None:
    """Run tasks on an executor, handing each result to ``on_result`` as it finishes.

    At most ``max_in_flight`` tasks are submitted at once, so finished results
    never pile up in memory and an interruption has little to cancel. Results
    arrive in completion order; callers that need plan order sort by task name.

    Args:
        tasks: Tasks to run.
        executor: Where to run them.
        on_result: Called in this process with each result, one at a time.
        max_in_flight: Submitted-but-unprocessed tasks allowed; default four times
            the executor's workers plus one, so workers find queued work even when
            this process is slow to answer (it shares the CPUs with them).

    Raises:
        KeyboardInterrupt: After cancelling tasks not yet started.
        Exception: The first task failure, after cancelling the rest.

    A loky pool's tasks are not cancelled here: cancelling races with loky's own
    shutdown, which then fails on the cancelled futures (``InvalidStateError:
    CANCELLED``, printed from its manager thread). The caller stops the pool with
    :func:`stop_local_executor` instead, which fails the waiting tasks itself.
    """
    if max_in_flight is None:
        # A serial executor finishes a task as it is submitted: hand each result on at once.
        serial = isinstance(executor, SerialExecutor)
        max_in_flight = 1 if serial else 4 * executor_workers(executor) + 1
    limit = max_in_flight
    queue = iter(tasks)
    pending: set[cf.Future[TaskResult]] = set()
    try:
        for task in queue:
            pending.add(executor.submit(run_task, task))
            if len(pending) >= limit:
                break
        while pending:
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                on_result(future.result())
            for task in queue:
                pending.add(executor.submit(run_task, task))
                if len(pending) >= limit:
                    break
    except BaseException:
        if not is_local_pool(executor):
            for future in pending:
                future.cancel()
        raise
