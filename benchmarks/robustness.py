"""Budget of ``incentsim robustness``: per-run cost now, the run count of a design, its wall time.

The analysis is three stages of ordinary runs (see ``incentsim/robustness/run.py``)::

    runs = P * ( R0                                  # nominal: the scenario as written
               + r * (k + 1)                         # Morris screening, in the screening world
               + N * (min(top, k) + 3) * R )         # Sobol (+1 group: the other assumptions)

with P policies, k assumptions, R0 nominal replications, r trajectories, N Sobol base rows,
``top`` assumptions given indices of their own and R replications per Sobol point.
Wall time on W workers is about ``(runs_full * c_full + runs_screen * c_screen) / W``.

Usage::

    python benchmarks/robustness.py                    # per-run costs and the estimate (~2 min)
    python benchmarks/robustness.py --run              # also run the default design on 2 local workers
    python benchmarks/robustness.py --run --screening  # the quick mode only
    python benchmarks/robustness.py --run --dask 2     # on a Dask LocalCluster of 2 workers

Per-run cost is the best of ``--repeat`` runs of each policy, serially through
``compare`` (so a run's task overhead is counted), in the scenario as written and in the
screening world, in CPU seconds: the machine may be shared, and other processes lengthen
wall time far more than CPU time. Load averages are printed with each figure. ``--run``
also reports the CPU time the whole analysis used (this process and its workers), whose
half is the wall time to expect on two idle cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import incentsim as isim
from incentsim.experiment import SerialExecutor
from incentsim.robustness import run as rob
from incentsim.robustness.assumptions import assumptions_for
from incentsim.robustness.design import screening_world

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
BUDGET_SECONDS = 30 * 60


def load() -> str:
    """The load averages, for reading a timing in context."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f}"


def per_run_cost(scenario: isim.Scenario, repeat: int) -> float:
    """Mean over policies of the best-of-``repeat`` CPU seconds per run, through ``compare``.

    CPU time (not wall time) is measured because the machine may be shared: other
    processes lengthen a run's wall time, much less its CPU time. Wall time is printed too.
    """
    plan_policies = isim.experiment.Plan.build(scenario, None, 1, 0).policies
    costs = []
    for name, policy in plan_policies.items():
        best, best_wall = float("inf"), float("inf")
        for r in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            isim.compare(scenario, {name: policy}, 1, r, SerialExecutor())
            best = min(best, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - started)
        costs.append(best)
        print(f"    {name:22s} {best:6.2f} s CPU ({best_wall:6.2f} s wall)", flush=True)
    return sum(costs) / len(costs)


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(BASELINE))
    parser.add_argument("--repeat", type=int, default=2, help="runs per policy for the per-run cost")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--run", action="store_true", help="also run the design and time it")
    parser.add_argument("--screening", action="store_true", help="the quick mode (Morris only)")
    parser.add_argument("--dask", type=int, default=0, metavar="N", help="run on a Dask LocalCluster of N workers")
    parser.add_argument("--samples", type=int, default=rob.DEFAULT_SAMPLES)
    args = parser.parse_args()

    scenario = isim.Scenario.load(args.scenario)
    policies = len(isim.experiment.Plan.build(scenario, None, 1, 0).policies)
    k = len(assumptions_for(scenario)[0])
    print(f"scenario {scenario.name}: {policies} policies, {k} assumptions; {load()}", flush=True)
    print("  per-run cost, scenario as written:", flush=True)
    full = per_run_cost(scenario, args.repeat)
    world = screening_world(scenario, rob.SCREENING_SCALE, rob.SCREENING_MONTHS)
    print(f"  per-run cost, screening world ({world.center.tier1_agents} agents, {world.center.months} months):",
          flush=True)
    screen = per_run_cost(world, args.repeat)
    print(f"  mean CPU per run: {full:.2f} s as written, {screen:.3f} s screening world; {load()}", flush=True)
    runs = rob.estimated_runs(policies, k, samples=args.samples, screening=args.screening)
    seconds = (runs["nominal"] + runs["sobol"]) * full + runs["screening"] * screen
    wall = seconds / args.workers
    print(f"  design ({'screening only' if args.screening else 'default'}): {runs} -> {sum(runs.values())} runs, "
          f"{seconds:.0f} core-seconds, about {wall / 60:.1f} min on {args.workers} workers "
          f"(budget {BUDGET_SECONDS / 60:.0f} min: ratio {wall / BUDGET_SECONDS:.2f})", flush=True)
    if not args.run:
        return
    executor = None
    cluster = client = None
    if args.dask:
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True)
        client = Client(cluster)
        executor = client.get_executor()
    else:
        executor = isim.experiment.local_executor(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"  running ... {load()}", flush=True)
        before = _cpu()
        started = time.perf_counter()
        result = isim.robustness(scenario, samples=args.samples, screening=args.screening, executor=executor,
                                 out=Path(tmp) / "out", progress=True)
        measured = time.perf_counter() - started
        if not args.dask:
            executor.shutdown(wait=True)  # workers exit, so their CPU time is counted below
        used = _cpu() - before
    where = f"Dask LocalCluster({args.dask})" if args.dask else f"{args.workers} local workers"
    print(f"  measured wall time {measured / 60:.1f} min on {where}, "
          f"estimate {wall / 60:.1f} min (ratio {measured / wall:.2f}); {load()}", flush=True)
    if not args.dask:
        print(f"  CPU used by the analysis and its workers: {used:.0f} s, i.e. {used / args.workers / 60:.1f} min "
              f"on {args.workers} idle cores", flush=True)
    for name, stage in result.manifest["stages"].items():
        print(f"    {name:10s} {stage['runs']:5d} runs {stage['wall_seconds']:8.1f} s wall "
              f"{stage['compute_seconds']:9.1f} s compute", flush=True)
    print(result.describe())
    if client is not None and cluster is not None:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
