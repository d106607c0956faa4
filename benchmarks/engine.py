"""Engine speed and memory against the lean raw-simpy limit (and Ciw, if installed).

Run ``python benchmarks/engine.py`` (``--quick`` for a shorter run). It times, in
one process and on the same call volume (the full model's calls over the run):

* the lean raw-simpy M/M/c (``benchmarks/lean.py``): the floor of a simpy model
  written with processes and a ``Store``;
* ``Scenario.erlang`` (55 agents, utilisation 0.85) under ``Flat``: target at most
  0.7 x the lean time per call;
* the full model: the shipped baseline (behaviour, surveys, QA, monthly reviews with
  perception, recording) under a survey bonus, calls not kept: target at most 1.0 x
  (aim 0.5 x);
* Ciw on the same plain M/M/c (benchmark-only dependency): incentsim faster;
* memory held per call of the full model (tracemalloc peak / calls).

Each timing is the best of ``--repeat`` runs, interleaved, so that a busy machine
slows all of them alike. Figures print with their ratio to the baseline and target.
``--memory`` measures instead the peak memory of one large replication (500 agents x
12 months, calls not kept; target under 1.5 GB), in a child process, by its maximum
resident set size.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from lean import lean_mmc

import incentsim as isim

AGENTS = 55
HANDLE = 6.0
RATE = AGENTS * 0.85 * 60 / HANDLE  # calls per hour at utilisation 0.85
BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
ERLANG_TARGET, FULL_TARGET, FULL_AIM = 0.7, 1.0, 0.5
MEMORY_TARGET_GB = 1.5


def bonus() -> isim.policies.Policy:
    """The full model's policy: the survey bonus of source 001 ($100 at 95% satisfied)."""
    return isim.policies.IndividualBonus(metric="csat", threshold=0.95, amount=100.0)


def time_erlang(hours: float) -> tuple[int, float]:
    sc = isim.Scenario.erlang(AGENTS, RATE, HANDLE, hours=hours)
    t = time.perf_counter()
    run = isim.simulate(sc, seed=1, keep_calls=False)
    return int(run.summary()["calls"]), time.perf_counter() - t


def time_full(months: int) -> tuple[int, float]:
    sc = isim.Scenario.load(BASELINE).replace(**{"center.months": months})
    t = time.perf_counter()
    run = isim.simulate(sc, bonus(), seed=1, keep_calls=False)
    return int(run.summary()["calls"]), time.perf_counter() - t


def time_ciw(hours: float) -> tuple[int, float] | None:
    try:
        import ciw
    except ImportError:
        return None
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE / 60.0)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / HANDLE)],
        number_of_servers=[AGENTS],
    )
    ciw.seed(1)  # Ciw's own global stream: only here, in the benchmark
    t = time.perf_counter()
    q = ciw.Simulation(network)
    q.simulate_until_max_time(hours * 60.0)
    return len(q.get_all_records()), time.perf_counter() - t


def best(fn: Callable[[], tuple[int, float] | None], repeat: int) -> tuple[int, float] | None:
    results = []
    for _ in range(repeat):
        gc.collect()
        r = fn()
        if r is None:
            return None
        results.append(r)
    return min(results, key=lambda r: r[1] / max(r[0], 1))


def memory_per_call(months: int) -> float:
    sc = isim.Scenario.load(BASELINE).replace(**{"center.months": months})
    gc.collect()
    tracemalloc.start()
    run = isim.simulate(sc, bonus(), seed=1, keep_calls=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / run.summary()["calls"]


def large_run(agents: int, months: int) -> None:
    """One replication of the baseline scaled to ``agents`` (demand and tier 2 in proportion)."""
    sc = isim.Scenario.load(BASELINE)
    scale = agents / sc.center.tier1_agents
    sc = sc.replace(**{"center.tier1_agents": agents, "center.months": months,
                       "center.tier2_agents": max(1, round(sc.center.tier2_agents * scale)),
                       "demand.calls_per_hour": sc.demand.calls_per_hour * scale})
    t = time.perf_counter()
    run = isim.simulate(sc, bonus(), seed=1, keep_calls=False)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(f"{agents} agents x {months} months: {run.summary()['calls']:,.0f} calls in {seconds:.0f} s, "
          f"peak resident memory {peak / 1e9:.2f} GB (target < {MEMORY_TARGET_GB} GB: "
          f"ratio {peak / 1e9 / MEMORY_TARGET_GB:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one month of calls, two repeats")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", action="store_true",
                        help="peak memory of 500 agents x 12 months (in a child process)")
    parser.add_argument("--large", nargs=2, type=int, metavar=("AGENTS", "MONTHS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.large:
        large_run(*args.large)
        return
    print(f"machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
          f"python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    if args.memory:
        subprocess.run([sys.executable, __file__, "--large", "500", "12"], check=True)
        return
    months = 1 if args.quick else 6
    repeat = 2 if args.quick else args.repeat
    full = best(lambda: time_full(months), repeat)
    assert full
    hours = full[0] / RATE  # the same call volume for the queue-only models
    lean = best(lambda: lean_mmc(AGENTS, RATE, HANDLE, hours), repeat)
    erl = best(lambda: time_erlang(hours), repeat)
    if repeat > 1:  # once more after the others, so that the full model meets their load too
        again = best(lambda: time_full(months), 1)
        assert again
        full = min(full, again, key=lambda r: r[1] / max(r[0], 1))
    ciw_result = best(lambda: time_ciw(hours), 1)
    assert lean and erl and full
    per = {name: r[1] / r[0] * 1e6 for name, r in (("lean", lean), ("erlang", erl), ("full", full))}
    print(f"lean raw simpy M/M/c : {lean[0]:>8,} calls  {per['lean']:6.2f} us/call  "
          f"({lean[0] / lean[1]:,.0f} calls/s)  baseline")
    print(f"Scenario.erlang      : {erl[0]:>8,} calls  {per['erlang']:6.2f} us/call  "
          f"ratio {per['erlang'] / per['lean']:.2f}x lean  (target <= {ERLANG_TARGET}x)")
    print(f"full model (baseline): {full[0]:>8,} calls  {per['full']:6.2f} us/call  "
          f"ratio {per['full'] / per['lean']:.2f}x lean  (target <= {FULL_TARGET}x, aim {FULL_AIM}x)")
    if ciw_result is None:
        print("Ciw                  : not installed (pip install -e '.[bench]')")
    else:
        ciw_per = ciw_result[1] / ciw_result[0] * 1e6
        print(f"Ciw M/M/c            : {ciw_result[0]:>8,} calls  {ciw_per:6.2f} us/call  "
              f"incentsim erlang is {ciw_per / per['erlang']:.1f}x faster  (target > 1.0x)")
    mem = memory_per_call(months)
    print(f"memory held per call : {mem:,.0f} bytes (tracemalloc peak / calls, full model, calls not kept)")


if __name__ == "__main__":
    main()
