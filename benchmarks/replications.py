"""Replication throughput: parallel efficiency of the local pool and the headline comparison.

Two figures, each printed with its ratio to a target or baseline:

1. Parallel efficiency of replications on the local process pool (loky):
   ``T_serial / (workers x T_parallel)`` for the same replications, run serially
   in this process and then on a warmed pool. Target: at least 0.85 on 2 cores.
2. Wall time of the headline comparison: six built-in policies x 30
   replications of the shipped baseline (55 agents, 6 months), with its ratio
   to the serial-equivalent time (the sum of the time each task spent
   simulating), i.e. the speed-up the pool delivered.

Usage::

    python benchmarks/replications.py            # full: ~10 minutes on 2 cores
    python benchmarks/replications.py --quick    # a minute: 1-month scenario, fewer replications
    python benchmarks/replications.py --part efficiency   # one figure only

Timings on a shared machine include whatever else runs there; ``load average``
is printed so a low figure can be read in context.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import incentsim as isim
from incentsim.experiment import SerialExecutor, local_executor
from incentsim.experiment.executors import available_cpus

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
EFFICIENCY_TARGET = 0.85


def headline_policies() -> dict[str, isim.policies.Policy]:
    """The six built-in schemes of the headline comparison."""
    p = isim.policies
    return {
        "flat": p.Flat(),
        "individual_bonus": p.IndividualBonus(metric="csat", threshold=0.95, amount=100.0),
        "team_bonus": p.TeamBonus(metric="csat", threshold=0.85, amount=100.0),
        "handle_time_target": p.HandleTimeTarget(minutes=6.0),
        "forced_ranking": p.ForcedRanking(metrics=["csat"]),
        "deming": p.DemingManagement(),
    }


def warm_worker(hold: float) -> None:
    """Run a tiny replication in a pool worker (every lazy import done), then hold it a moment."""
    from incentsim.experiment.task import as_stored

    run = isim.simulate(isim.Scenario.load(BASELINE).replace(**{"center.months": 1,
                        "center.days_per_month": 1}), seed=0, keep_calls=False)
    as_stored(run.agents)
    time.sleep(hold)


def efficiency(scenario: isim.Scenario, replications: int, workers: int) -> None:
    """Time the same replications serially and on the pool; print the efficiency."""
    policies = {"flat": isim.policies.Flat()}
    pool = local_executor(workers)
    # Warm every worker (start-up and imports are paid once per session, not per run):
    # tasks that hold a worker for a moment land one per worker.
    for future in [pool.submit(warm_worker, 1.0) for _ in range(workers)]:
        future.result()
    started = time.perf_counter()
    serial = isim.compare(scenario, policies, replications, seed=1, executor=SerialExecutor())
    t_serial = time.perf_counter() - started
    started = time.perf_counter()
    parallel = isim.compare(scenario, policies, replications, seed=1, executor=pool, batch_size=1)
    t_parallel = time.perf_counter() - started
    assert serial.summaries.equals(parallel.summaries), "pool results differ from serial"
    value = t_serial / (workers * t_parallel)
    busy = parallel.manifest["sessions"][-1]["compute_seconds"] / (workers * t_parallel)
    print(f"parallel efficiency: {replications} replications of {scenario.name!r} "
          f"({scenario.center.tier1_agents} agents, {scenario.center.months} month(s)), "
          f"{workers} workers")
    print(f"  serial {t_serial:.2f} s, pool {t_parallel:.2f} s -> efficiency {value:.3f} "
          f"(target >= {EFFICIENCY_TARGET}: ratio to target {value / EFFICIENCY_TARGET:.2f})")
    print(f"  pool utilisation {busy:.3f} (time workers spent simulating / (workers x wall); "
          "below the efficiency's denominator only by scheduling and transfer overhead)")


def headline(scenario: isim.Scenario, replications: int, workers: int) -> None:
    """Run the headline comparison on the pool; print its wall time and speed-up."""
    policies = headline_policies()
    started = time.perf_counter()
    exp = isim.compare(scenario, policies, replications, seed=0, executor=local_executor(workers))
    wall = time.perf_counter() - started
    compute = exp.manifest["sessions"][-1]["compute_seconds"]
    runs = len(exp.summaries)
    print(f"headline comparison: {len(policies)} policies x {replications} replications of "
          f"{scenario.name!r} ({scenario.center.tier1_agents} agents, {scenario.center.months} "
          f"months), {workers} workers")
    print(f"  policies: {', '.join(repr(p) for p in policies.values())}")
    print(f"  wall {wall:.1f} s ({wall / runs:.2f} s per run); serial-equivalent {compute:.1f} s "
          f"-> speed-up {compute / wall:.2f} (ratio to the ideal {workers}: "
          f"{compute / wall / workers:.2f})")


def main() -> None:
    """Parse options and run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one-month replications, fewer of them (about a minute)")
    parser.add_argument("--part", choices=["both", "efficiency", "headline"], default="both",
                        help="which figure to measure (default both)")
    parser.add_argument("--workers", type=int, default=min(2, available_cpus()),
                        help="pool workers (default: 2, or fewer CPUs if fewer)")
    args = parser.parse_args()
    base = isim.Scenario.load(BASELINE)
    print(f"cpus available {available_cpus()}, load average {os.getloadavg()[0]:.2f} "
          f"(other work on the machine slows the pool)")
    one_month = base.replace(**{"center.months": 1})
    if args.part in ("both", "efficiency"):
        # The full run times the replications users run (six months each); --quick uses
        # one-month replications, where fixed per-task costs weigh more.
        if args.quick:
            efficiency(one_month, 4 * args.workers, args.workers)
        else:
            efficiency(base, 4 * args.workers, args.workers)
    if args.part in ("both", "headline"):
        headline(one_month if args.quick else base, 4 if args.quick else 30, args.workers)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
