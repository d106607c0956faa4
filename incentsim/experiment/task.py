"""The one pure function every executor runs: simulate a batch of replications.

As in the EMA workbench, execution is a swappable evaluator over one pure "run
one experiment" function. A :class:`Task` is plain, picklable data (scenario,
policy, seed, replication indices, whether to keep calls); :func:`run_task`
turns it into labelled DataFrames. It touches no files and no shared state, so
serial, thread, process-pool and Dask runs of the same task give identical
results bit for bit.
"""

from __future__ import annotations

import copy
import ctypes
import gc
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

from incentsim.policies.base import Policy
from incentsim.scenario import Scenario


class RunLike(Protocol):
    """What a simulation run must offer (see :class:`incentsim.engine.run.Run`)."""

    @property
    def agents(self) -> pd.DataFrame:
        """One row per agent per period."""

    @property
    def calls(self) -> pd.DataFrame:
        """One row per call."""

    def summary(self) -> Mapping[str, float]:
        """Outcome measures of the run."""


#: A batch that took longer than this (seconds) hands its freed memory back afterwards.
RELEASE_AFTER_SECONDS: float = 3.0

#: Signature of a "run one replication" function: ``simulate(scenario, policy, seed, *, replication, keep_calls)``.
Simulator = Callable[..., RunLike]


@dataclass(frozen=True)
class Task:
    """A batch of replications of one policy on one sweep point.

    Attributes:
        name: Batch name, unique within the experiment; names the result files.
        scenario: Scenario to simulate.
        policy_name: The policy's name in the experiment.
        policy: The policy object (copied afresh for every replication).
        seed: The experiment's seed.
        replications: Replication indices in this batch.
        keep_calls: Whether to return per-call records.
        labels: Columns added to every result row (scenario, point, sweep values).
        simulator: The run-one function; ``None`` means the engine's ``simulate``.
    """

    name: str
    scenario: Scenario
    policy_name: str
    policy: Policy
    seed: int
    replications: tuple[int, ...]
    keep_calls: bool = False
    labels: Mapping[str, Any] = field(default_factory=dict)
    simulator: Simulator | None = None


@dataclass
class TaskResult:
    """What a task returns: labelled frames and the time it took.

    Attributes:
        name: The task's batch name.
        summaries: One row per replication.
        agents: One row per agent per period per replication.
        calls: One row per call, or ``None`` when calls were not kept.
        seconds: Wall time spent simulating, in the worker.
    """

    name: str
    summaries: pd.DataFrame
    agents: pd.DataFrame
    calls: pd.DataFrame | None
    seconds: float


def run_task(task: Task) -> TaskResult:
    """Simulate every replication of a task and label the results.

    Each replication gets a fresh deep copy of the policy, so a policy that keeps
    state between reviews cannot carry it from one replication to the next (and
    batching cannot change results).

    Args:
        task: What to run.

    Returns:
        The labelled summaries, agent-periods and (if kept) calls.
    """
    simulator: Simulator
    if task.simulator is None:
        from incentsim.engine.simulate import simulate as simulator
    else:
        simulator = task.simulator
    started = time.perf_counter()
    summaries, agents, calls = [], [], []
    for replication in task.replications:
        run = simulator(task.scenario, copy.deepcopy(task.policy), task.seed,
                        replication=replication, keep_calls=task.keep_calls)
        labels = {**task.labels, "policy": task.policy_name, "replication": replication}
        summaries.append({**labels, **{k: float(v) for k, v in run.summary().items()}})
        agents.append(_labelled(run.agents, labels))
        if task.keep_calls:
            calls.append(_labelled(run.calls, labels))
        del run  # a run holds every call: let it go before the next one is built
    finished = time.perf_counter() - started
    if finished > RELEASE_AFTER_SECONDS:  # small batches leave little behind; skip the cost
        release_memory()
    return TaskResult(
        name=task.name,
        summaries=as_stored(pd.DataFrame(summaries)),
        agents=as_stored(pd.concat(agents, ignore_index=True)),
        calls=as_stored(pd.concat(calls, ignore_index=True)) if task.keep_calls else None,
        seconds=finished,
    )


def release_memory() -> None:
    """Hand memory freed by finished replications back to the operating system.

    A six-month replication peaks at several hundred MB; CPython and glibc keep
    much of it mapped after it is freed, so a long-lived worker would look as if
    it leaked (and loky restarts workers whose memory grows by 300 MB). A garbage
    collection and glibc's ``malloc_trim`` return it; elsewhere this is only the
    collection.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing more to do
        pass


def as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it reads back from Parquet (Arrow types mapped back to pandas).

    Results kept in memory and results loaded from disk then have the same
    dtypes and missing-value markers, so an experiment equals its saved copy.
    """
    return pa.Table.from_pandas(frame, preserve_index=False).to_pandas()


def _labelled(frame: pd.DataFrame, labels: Mapping[str, Any]) -> pd.DataFrame:
    # Label columns go first; the experiment's labels win over any the engine set.
    body = frame.drop(columns=[c for c in labels if c in frame.columns])
    head = pd.DataFrame({k: [v] * len(body) for k, v in labels.items()}, index=body.index)
    return pd.concat([head, body], axis=1)
