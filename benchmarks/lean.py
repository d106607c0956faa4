"""The lean raw-simpy M/M/c reference: agents pulling calls from a ``simpy.Store``.

It has nothing but the queueing core (no abandonment, no records beyond a
counter), so its time per call is the floor a simpy engine can reach; the
benchmarks report incentsim's time per call as a ratio to it.
"""

from __future__ import annotations

import time

import numpy as np
import simpy


def lean_mmc(agents: int, calls_per_hour: float, mean_handle_time: float, hours: float,
             seed: int = 0) -> tuple[int, float]:
    """Run the lean model; return (calls handled, seconds)."""
    rng = np.random.default_rng(seed)
    n = int(rng.poisson(calls_per_hour * hours))
    gaps = rng.exponential(60.0 / calls_per_hour, n).tolist()
    handle = rng.exponential(mean_handle_time, n).tolist()
    started = time.perf_counter()
    env = simpy.Environment()
    store = simpy.Store(env)
    done = [0]

    def source(env: simpy.Environment) -> object:
        for gap, ht in zip(gaps, handle, strict=True):
            yield env.timeout(gap)
            store.put(ht)

    def agent(env: simpy.Environment) -> object:
        while True:
            ht = yield store.get()
            yield env.timeout(ht)
            done[0] += 1

    env.process(source(env))
    for _ in range(agents):
        env.process(agent(env))
    env.run()
    return done[0], time.perf_counter() - started


if __name__ == "__main__":
    calls, seconds = lean_mmc(55, 55 * 0.85 * 60 / 6.0, 6.0, 2000)
    print(f"lean simpy M/M/c: {calls} calls in {seconds:.2f} s = {calls / seconds:,.0f} calls/s")
