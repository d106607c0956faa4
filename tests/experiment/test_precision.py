"""Replications until decided: the stopping rule on known data, its invariants, compare and resume (fake engine)."""

from __future__ import annotations

import concurrent.futures as cf
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from strategies_experiment import NoisySimulator, fake_policies, small_baseline

import incentsim as isim
from incentsim.errors import InputError
from incentsim.experiment import SerialExecutor
from incentsim.experiment.precision import (
    CAP,
    DECIDED,
    DETECTABLE,
    OPEN,
    WITHIN,
    Precision,
    judge,
    stop_text,
    stopping_point,
)


# ---------------------------------------------------------------- one difference, known answers
def test_a_constant_nonzero_difference_is_detectable_and_identical_runs_are_within() -> None:
    assert judge([0.3, 0.3, 0.3], limit=0.01) == DETECTABLE
    assert judge([-0.3, -0.3], limit=math.nan) == DETECTABLE
    assert judge([0.0, 0.0, 0.0], limit=math.nan) == WITHIN  # identical runs: nothing to wait for
    assert judge([0.5], limit=10.0) == OPEN  # one value says nothing about spread


@pytest.mark.parametrize("n", [4, 6, 10, 20])
@pytest.mark.parametrize("limit", [0.3, 0.6, 1.0, 2.0])
def test_a_zero_mean_difference_is_within_exactly_when_its_interval_is(n: int, limit: float) -> None:
    values = np.tile([1.0, -1.0], n // 2)  # mean 0, sd known
    half = float(sps.t.ppf(0.975, n - 1)) * values.std(ddof=1) / math.sqrt(n)
    assert judge(values, limit) == (WITHIN if half < limit else OPEN)


def frame(diffs: np.ndarray, outcome: str = "true_csat", base: float = 0.7) -> pd.DataFrame:
    """Summaries of a baseline and policies whose paired differences are the columns of ``diffs``."""
    reps, policies = diffs.shape
    rows = [{"point": 0, "policy": "base", "replication": r, outcome: base + 0.01 * r} for r in range(reps)]
    rows += [{"point": 0, "policy": f"p{k}", "replication": r, outcome: base + 0.01 * r + diffs[r, k]}
             for k in range(policies) for r in range(reps)]
    return pd.DataFrame(rows)


def names(diffs: np.ndarray) -> list[str]:
    return ["base", *(f"p{k}" for k in range(diffs.shape[1]))]


def test_a_clear_effect_stops_at_the_minimum() -> None:
    rng = np.random.default_rng(1)
    diffs = 0.10 + 0.01 * rng.normal(size=(40, 2))
    stop = stopping_point(frame(diffs), names(diffs), "base", Precision(minimum=4, maximum=40))
    assert (stop.replications, stop.reason) == (4, DECIDED)
    assert {j.state for j in stop.judged} == {DETECTABLE}


def test_no_effect_stops_when_the_interval_fits_inside_the_threshold() -> None:
    # Alternating +/-0.03: mean 0 at even n; within 0.02 (true_csat's threshold) once t*sd/sqrt(n) < 0.02.
    diffs = np.tile([0.03, -0.03], 50)[:, None]
    rule = Precision(minimum=4, maximum=100, step=2)
    stop = stopping_point(frame(diffs), names(diffs), "base", rule)
    expected = next(n for n in rule.checkpoints()
                    if float(sps.t.ppf(0.975, n - 1)) * diffs[:n, 0].std(ddof=1) / math.sqrt(n) < 0.02)
    assert (stop.replications, stop.reason) == (expected, DECIDED)
    assert stop.judged[0].state == WITHIN


def test_an_effect_at_the_threshold_with_wide_noise_reaches_the_cap() -> None:
    diffs = np.tile([0.5, -0.5], 10)[:, None]  # mean 0 but far wider than the threshold
    stop = stopping_point(frame(diffs), names(diffs), "base", Precision(minimum=3, maximum=20))
    assert (stop.replications, stop.reason) == (20, CAP)
    record = stop.record()
    assert record["outcomes"]["true_csat"][OPEN] == 1 and record["open"][0]["policy"] == "p0"


def test_the_default_schedule_grows_by_a_fifth_and_ends_at_the_cap() -> None:
    assert Precision(minimum=5, maximum=30).checkpoints() == [5, 6, 7, 8, 9, 10, 12, 14, 16, 19, 22, 26, 30]
    assert Precision(minimum=3, maximum=10, step=4).checkpoints() == [3, 7, 10]
    assert Precision(minimum=7, maximum=7).checkpoints() == [7]


# ---------------------------------------------------------------- invariants
diff_matrices = st.integers(1, 2).flatmap(lambda k: st.lists(
    st.lists(st.floats(-0.2, 0.2, allow_nan=False), min_size=k, max_size=k), min_size=20, max_size=20))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diffs=diff_matrices, minimum=st.integers(2, 8), extra=st.integers(0, 12),
       step=st.none() | st.integers(1, 5), limit=st.floats(0.001, 0.3), scale=st.floats(1.0, 10.0))
def test_the_rule_stops_within_its_bounds_and_later_for_a_smaller_threshold(
        diffs: list[list[float]], minimum: int, extra: int, step: int | None, limit: float,
        scale: float) -> None:
    values = np.array(diffs)
    data = frame(values)
    maximum = min(20, minimum + extra)
    tight = Precision(minimum=minimum, maximum=maximum, step=step, thresholds={"true_csat": limit})
    loose = Precision(minimum=minimum, maximum=maximum, step=step, thresholds={"true_csat": limit * scale})
    first = stopping_point(data, names(values), "base", tight)
    second = stopping_point(data, names(values), "base", loose)
    for stop in (first, second):
        assert minimum <= stop.replications <= maximum
        assert stop.replications in tight.checkpoints()
        assert stop.reason in (DECIDED, CAP)
        assert (stop.reason == DECIDED) == all(j.state != OPEN for j in stop.judged)
        assert stop.reason == DECIDED or stop.replications == maximum
    assert second.replications <= first.replications  # a larger threshold never needs more


# ---------------------------------------------------------------- compare in precision mode
def run(simulator: NoisySimulator, out: Path | None = None, executor: cf.Executor | None = None,
        **kwargs: object) -> isim.Experiment:
    options = {"seed": 3, "batch_size": 2, "precision": Precision(minimum=3, maximum=40)} | kwargs
    return isim.compare(small_baseline(), fake_policies(), executor=executor or SerialExecutor(), out=out,
                        simulator=simulator, progress=False, **options)  # type: ignore[arg-type]


def test_compare_adds_replications_until_decided_and_says_why() -> None:
    exp = run(NoisySimulator())
    stop = exp.manifest["precision"]["stop"]
    n = stop["replications"]
    assert stop["reason"] == DECIDED and 3 < n < 40  # the noise needs more than the minimum
    assert exp.replications == n and exp.complete
    assert exp.summaries.groupby("policy").size().to_dict() == {"flat": n, "up": n, "same": n}
    assert exp.manifest["cells"] == {"planned": 3 * n, "done": 3 * n}
    # The stop is where the rule first holds on the same replications.
    again = stopping_point(exp.summaries, exp.policies, "flat", Precision(minimum=3, maximum=40))
    assert again.replications == n and again.reason == DECIDED
    text = exp.describe()
    assert f"Precision mode: stopped after {n} replications because every paired difference" in text


def test_precision_results_do_not_depend_on_batch_size_or_executor(tmp_path: Path) -> None:
    serial = run(NoisySimulator(), batch_size=1)
    with cf.ThreadPoolExecutor(3) as pool:
        threads = run(NoisySimulator(), tmp_path / "exp", executor=pool, batch_size=5)
    pd.testing.assert_frame_equal(serial.summaries, threads.summaries, check_exact=True)
    assert serial.manifest["precision"] == threads.manifest["precision"]


def test_the_cap_stops_an_undecided_comparison() -> None:
    exp = run(NoisySimulator(noise=1.0), precision=Precision(minimum=3, maximum=6))
    stop = exp.manifest["precision"]["stop"]
    assert stop["reason"] == CAP and stop["replications"] == 6 and stop["open"]
    assert len(exp.summaries) == 18
    assert "stopped at the cap of 6 replications" in stop_text(exp.manifest)


def test_an_interrupted_precision_run_keeps_finished_replications_and_resumes(tmp_path: Path) -> None:
    whole = run(NoisySimulator())
    out = tmp_path / "exp"
    first = NoisySimulator(interrupt_after=14)  # inside the third round (9 runs, then 3 per round)
    with pytest.raises(KeyboardInterrupt):
        run(first, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "partial" and manifest["precision"]["stop"] is None
    partial = isim.load(out)
    assert 0 < len(partial.summaries) < len(whole.summaries)
    assert "had not decided" in partial.describe()
    second = NoisySimulator()
    resumed = run(second, out, resume=True)
    pd.testing.assert_frame_equal(resumed.summaries, whole.summaries, check_exact=True)
    assert resumed.manifest["precision"] == whole.manifest["precision"]
    assert len(second.calls) == len(whole.summaries) - len(partial.summaries)  # only the rest ran
    assert len(resumed.manifest["sessions"]) == 2


@pytest.mark.parametrize(("options", "field"), [
    ({"replications": 10}, "replications"),
    ({"precision": Precision(minimum=1)}, "precision.minimum"),
    ({"precision": Precision(minimum=8, maximum=5)}, "precision.maximum"),
    ({"precision": Precision(thresholds={"true_csat": -1.0})}, "precision.thresholds.true_csat"),
    ({"precision": "yes"}, "precision"),
])
def test_bad_precision_settings_are_refused_by_name(options: dict[str, object], field: str) -> None:
    simulator = NoisySimulator()
    with pytest.raises(InputError) as caught:
        run(simulator, **({"precision": True} | options))
    assert field in [p.field for p in caught.value.problems]
    assert simulator.calls == []


def test_a_fixed_run_is_not_resumed_in_precision_mode(tmp_path: Path) -> None:
    out = tmp_path / "exp"
    run(NoisySimulator(), out, precision=None, replications=3)
    before = sorted(p.name for p in out.rglob("*"))
    simulator = NoisySimulator()
    with pytest.raises(InputError) as caught:
        run(simulator, out, resume=True)
    assert caught.value.problems[0].field == "precision" and "replications=N" in str(caught.value)
    assert simulator.calls == [] and sorted(p.name for p in out.rglob("*")) == before
