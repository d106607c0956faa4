"""Executors: same results in plan order whatever runs them or finishes first (fake engine)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from strategies_experiment import FakeSimulator, fake_policies, small_baseline

import incentsim as isim
from incentsim.experiment import SerialExecutor
from incentsim.experiment.executors import execute, executor_workers


def test_threads_finishing_out_of_order_give_the_serial_result_in_plan_order() -> None:
    sc = small_baseline()
    serial = isim.compare(sc, fake_policies(), 10, 3, SerialExecutor(), batch_size=1,
                          simulator=FakeSimulator())
    with ThreadPoolExecutor(4) as pool:
        threaded = isim.compare(sc, fake_policies(), 10, 3, pool, batch_size=3,
                                simulator=FakeSimulator(delay=0.01))
    pd.testing.assert_frame_equal(serial.summaries, threaded.summaries, check_exact=True)
    pd.testing.assert_frame_equal(serial.agents, threaded.agents, check_exact=True)
    keys = serial.summaries[["policy", "replication"]]
    assert keys["policy"].tolist() == ["flat"] * 10 + ["up"] * 10 + ["same"] * 10
    assert keys["replication"].tolist() == list(range(10)) * 3


def test_common_random_numbers_reach_every_policy() -> None:
    exp = isim.compare(small_baseline(), fake_policies(), 5, 3, SerialExecutor(),
                       simulator=FakeSimulator())
    wide = exp.summaries.pivot(index="replication", columns="policy", values="mean_wait")
    assert (wide["up"] - wide["flat"]).round(12).eq(0.5).all()
    table = exp.table(outcomes=["mean_wait"]).set_index("policy")
    assert table.loc["up", "verdict"] == "higher"
    assert table.loc["same", "verdict"] == "no clear difference"
    assert table.loc["up", "diff"] == pytest.approx(0.5)


def test_a_failing_task_stops_the_experiment_with_its_error() -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    with pytest.raises(RuntimeError, match="engine exploded"), ThreadPoolExecutor(2) as pool:
        isim.compare(small_baseline(), fake_policies(), 4, 0, pool, simulator=broken)


def test_in_flight_tasks_are_bounded() -> None:
    submitted, finished = [], []

    class Watching(SerialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(len(submitted) - len(finished))
            return super().submit(fn, *args, **kwargs)

    from incentsim.experiment.plan import Plan

    plan = Plan.build(small_baseline(), fake_policies(), replications=10, batch_size=1)
    execute(plan.tasks(plan.cells(), 1, FakeSimulator()), Watching(),
            lambda result: finished.append(result.name), max_in_flight=3)
    assert len(finished) == 30 and max(submitted) < 3


def test_worker_counts() -> None:
    assert executor_workers(SerialExecutor()) == 1
    with ThreadPoolExecutor(3) as pool:
        assert executor_workers(pool) == 3
