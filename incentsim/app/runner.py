"""Running a comparison so that results arrive as replications finish.

:func:`incentsim.compare` returns when everything is done; the page wants each
replication as soon as it ends. :func:`submit` hands every (replication, policy)
run to an executor, replication by replication so that early replications are
complete across policies first, and :func:`collect` / :func:`collect_async`
yield the growing summaries frame after each finished run. Every run is
``simulate(scenario, policy, seed, replication=r)``, exactly what ``compare``
runs for that cell, so the page's numbers equal ``incentsim run``'s for the
same seed (common random numbers across policies included).
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import copy
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from incentsim.policies.base import Policy
from incentsim.scenario import Scenario


def run_one(scenario: Scenario, policy_name: str, policy: Policy, seed: int, replication: int) -> dict[str, object]:
    """One replication of one policy: its summary row, labelled."""
    from incentsim.engine.simulate import simulate

    run = simulate(scenario, copy.deepcopy(policy), seed, replication=replication, keep_calls=False)
    return {"policy": policy_name, "replication": replication,
            **{k: float(v) for k, v in run.summary().items()}}


@dataclass
class Submitted:
    """Runs handed to an executor.

    Attributes:
        futures: One future per (replication, policy), replication-major.
        policies: Policy names in table order.
        replications: Replications planned per policy.
    """

    futures: list[cf.Future[dict[str, object]]]
    policies: list[str]
    replications: int

    def cancel(self) -> None:
        """Cancel the runs that have not started."""
        for future in self.futures:
            future.cancel()


def submit(scenario: Scenario, policies: Mapping[str, Policy], replications: int, seed: int,
           executor: cf.Executor) -> Submitted:
    """Hand every run to ``executor``, replication by replication."""
    futures = [executor.submit(run_one, scenario, name, policy, seed, r)
               for r in range(replications) for name, policy in policies.items()]
    return Submitted(futures, list(policies), replications)


def _frame(rows: list[dict[str, object]], order: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    rank = {name: i for i, name in enumerate(order)}
    return frame.sort_values(["replication", "policy"], key=lambda c: c.map(rank) if c.name == "policy" else c,
                             kind="stable").reset_index(drop=True)


def collect(submitted: Submitted) -> Iterator[pd.DataFrame]:
    """Yield the summaries of every finished run, once after each run finishes."""
    rows: list[dict[str, object]] = []
    for future in cf.as_completed(submitted.futures):
        rows.append(future.result())
        yield _frame(rows, submitted.policies)


async def collect_async(submitted: Submitted) -> AsyncIterator[pd.DataFrame]:
    """Like :func:`collect`, without blocking the event loop (for the served page and notebooks)."""
    rows: list[dict[str, object]] = []
    waiting = [asyncio.wrap_future(f) for f in submitted.futures]
    for next_done in asyncio.as_completed(waiting):
        rows.append(await next_done)
        yield _frame(rows, submitted.policies)
