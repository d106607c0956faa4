"""Engine speed and memory against the lean raw-simpy limit (and Ciw, if installed).

Run ``python benchmarks/engine.py`` (``--quick`` for a shorter run). It times, in
one process and on the same call volume:

* the lean raw-simpy M/M/c (``benchmarks/lean.py``): the floor;
* ``Scenario.erlang`` (55 agents, utilisation 0.85) under ``Flat``: target at most 2x the lean time per call;
* the full model (baseline scenario: behaviour, surveys, QA, reviews, recording): target at most 3x;
* Ciw on the same plain M/M/c (benchmark-only dependency): target, incentsim faster;
* memory held per call of the full model (tracemalloc peak / calls).

Each timing is the best of ``--repeat`` runs, interleaved, so that a busy machine
slows all of them alike. Figures print with their ratio to the baseline and target.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from lean import lean_mmc

import incentsim as isim

AGENTS = 55
HANDLE = 6.0
RATE = AGENTS * 0.85 * 60 / HANDLE  # calls per hour at utilisation 0.85


def time_erlang(hours: float) -> tuple[int, float]:
    sc = isim.Scenario.erlang(AGENTS, RATE, HANDLE, hours=hours)
    t = time.perf_counter()
    run = isim.simulate(sc, seed=1, keep_calls=False)
    return int(run.summary()["calls"]), time.perf_counter() - t


def time_full(months: int) -> tuple[int, float]:
    sc = isim.Scenario.load(Path(__file__).parent.parent / "scenarios" / "baseline.toml")
    sc = sc.replace(**{"center.months": months})
    t = time.perf_counter()
    run = isim.simulate(sc, seed=1, keep_calls=False)
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
    sc = isim.Scenario.load(Path(__file__).parent.parent / "scenarios" / "baseline.toml")
    sc = sc.replace(**{"center.months": months})
    gc.collect()
    tracemalloc.start()
    run = isim.simulate(sc, seed=1, keep_calls=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / run.summary()["calls"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one month of calls, two repeats")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    months = 1 if args.quick else 6
    repeat = 2 if args.quick else args.repeat
    baseline = isim.Scenario.load(Path(__file__).parent.parent / "scenarios" / "baseline.toml")
    c = baseline.center
    # about the baseline's call volume (new calls plus about 12% repeats)
    hours = c.hours_per_day * c.days_per_month * months * baseline.demand.calls_per_hour * 1.12 / RATE
    print(f"machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
          f"python {platform.python_version()}")
    lean = best(lambda: lean_mmc(AGENTS, RATE, HANDLE, hours), repeat)
    erl = best(lambda: time_erlang(hours), repeat)
    full = best(lambda: time_full(months), repeat)
    ciw_result = best(lambda: time_ciw(hours), 1)
    assert lean and erl and full
    per = {name: r[1] / r[0] * 1e6 for name, r in (("lean", lean), ("erlang", erl), ("full", full))}
    print(f"lean raw simpy M/M/c : {lean[0]:>8,} calls  {per['lean']:6.2f} us/call  "
          f"({lean[0] / lean[1]:,.0f} calls/s)  baseline")
    print(f"Scenario.erlang      : {erl[0]:>8,} calls  {per['erlang']:6.2f} us/call  "
          f"ratio {per['erlang'] / per['lean']:.2f}x lean  (target <= 2.0x)")
    print(f"full model (baseline): {full[0]:>8,} calls  {per['full']:6.2f} us/call  "
          f"ratio {per['full'] / per['lean']:.2f}x lean  (target <= 3.0x)")
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
