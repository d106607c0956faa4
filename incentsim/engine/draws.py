"""Per-call random draws (common random numbers), drawn in blocks keyed by what the calls are.

Every potential call has a fixed row of uniforms per purpose. A period's normal
new calls take their rows from streams keyed by the period, its potential
defect-day extras from streams of their own, and repeat calls from blocks of
:data:`REPEAT_BLOCK` rows in the order they are created. A call's handle time,
patience, resolution, behaviour and survey draws therefore depend only on which
call it is, never on how many draws other calls used, so two policies see the
same calls in the same way. Blocks are drawn when needed and released when no
call uses them, so memory follows the calls alive, not the horizon.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri

from incentsim.random import Streams
from incentsim.scenario import Scenario

#: (purpose, columns) of the uniform draws each call gets.
COLUMNS: dict[str, tuple[str, ...]] = {
    "handle_times": ("u_ht", "u_t2_ht"),
    "patience": ("u_patience",),
    "resolution": ("u_res", "u_esc", "u_t2_res"),
    "behaviour": ("u_rush", "u_dump", "u_beg"),
    "surveys": ("u_survey", "u_rating", "u_annoy"),
    "repeats": ("u_repeat", "u_delay"),
}

#: Rows per block of repeat calls.
REPEAT_BLOCK = 8192

#: Draws the measurement layer reads at a review (kept per call until then).
COLD: tuple[str, ...] = ("u_beg", "u_survey", "u_rating", "u_annoy")


def uniforms(streams: Streams, kind: int, index: int, size: int) -> dict[str, np.ndarray]:
    """The uniform draws of ``size`` calls, by column, from streams keyed ``(purpose, kind, index)``."""
    out = {}
    for purpose, names in COLUMNS.items():
        u = streams.generator(purpose, kind, index).random((size, len(names)))
        np.clip(u, 1e-12, 1 - 1e-12, out=u)  # inverse-CDF inputs strictly inside (0, 1)
        for k, name in enumerate(names):
            out[name] = u[:, k]
    return out


class CallLaws:
    """What a call's uniforms become: patience, handle times, repeat delay (vectorised and one by one).

    Args:
        scenario: The scenario (laws of handle time, patience, repeat delay).
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.variation = 1.0
        self.repeat_chance = scenario.customers.repeat_chance
        self.mean_delay = scenario.customers.repeat_delay_hours * 60.0
        self._set_types()

    def _set_types(self) -> None:
        # (exponential?, mean, log-spread) per call type, at the current variation.
        self.type_law: list[tuple[bool, float, float]] = []
        for ct in self.scenario.demand.call_types:
            law = ct.handle_time
            exponential = law.law == "exponential"
            sigma = 0.0 if exponential else math.sqrt(math.log1p(law.cv**2)) * self.variation
            self.type_law.append((exponential, law.mean, sigma))

    def set_variation(self, variation: float) -> None:
        """Rescale handle-time variation (process improvement) for calls answered from now on.

        Lognormal handle times keep their mean and draw while their log-spread is
        multiplied by ``variation``; exponential laws are left as they are.
        """
        if variation != self.variation:
            self.variation = variation
            self._set_types()

    def handle_times(self, call_type: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Base handle time (average agent, normal conduct) of each call."""
        out = np.empty(u.size)
        z = ndtri(u)
        for t, (exponential, mean, sigma) in enumerate(self.type_law):
            mask = call_type == t
            if exponential:
                out[mask] = -mean * np.log1p(-u[mask])
            else:
                out[mask] = mean * np.exp(sigma * z[mask] - sigma * sigma / 2.0)
        return out

    def handle_time(self, call_type: int, u: float, z: float) -> float:
        """One call's base handle time (``z`` is ``ndtri(u)``)."""
        exponential, mean, sigma = self.type_law[call_type]
        if exponential:
            return -mean * math.log1p(-u)
        return mean * math.exp(sigma * z - sigma * sigma / 2.0)

    def patience(self, u: np.ndarray) -> np.ndarray:
        """Patience in minutes (``inf`` when callers never abandon)."""
        return self.scenario.customers.patience.from_uniform(u)

    def tier2_handle_times(self, u: np.ndarray) -> np.ndarray:
        """Tier-2 handle time of each call (before the process factor)."""
        return self.scenario.tier2.handle_time.from_uniform(u)

    def repeat_after(self, u_repeat: np.ndarray, u_delay: np.ndarray) -> np.ndarray:
        """Minutes until the repeat call if an unresolved call comes back, ``inf`` if it does not."""
        delay = -self.mean_delay * np.log1p(-u_delay)
        return np.where(u_repeat < self.repeat_chance, delay, np.inf)


class RepeatDraws:
    """Draws of repeat calls, in blocks by creation order, released when no longer needed.

    Args:
        streams: The replication's streams.
        laws: The call laws.
        kind: Second stream key of repeat blocks.
    """

    def __init__(self, streams: Streams, laws: CallLaws, kind: int) -> None:
        self.streams = streams
        self.laws = laws
        self.kind = kind
        self.blocks: dict[int, dict[str, np.ndarray]] = {}
        self.lists: dict[int, dict[str, list[float]]] = {}

    def block(self, index: int) -> dict[str, np.ndarray]:
        """Block ``index`` (drawn on first use)."""
        if index not in self.blocks:
            u = uniforms(self.streams, self.kind, index, REPEAT_BLOCK)
            u["z_ht"] = ndtri(u["u_ht"])
            u["patience"] = self.laws.patience(u["u_patience"])
            u["t2_ht"] = self.laws.tier2_handle_times(u["u_t2_ht"])
            u["repeat_after"] = self.laws.repeat_after(u["u_repeat"], u["u_delay"])
            self.blocks[index] = u
            self.lists[index] = {k: u[k].tolist() for k in (
                "u_ht", "z_ht", "patience", "t2_ht", "repeat_after", "u_res", "u_esc", "u_t2_res", "u_rush",
                "u_dump")}
        return self.blocks[index]

    def row(self, r: int) -> dict[str, list[float]]:
        """The list form of the block holding repeat ``r`` (index ``r % REPEAT_BLOCK``)."""
        b = r // REPEAT_BLOCK
        if b not in self.lists:
            self.block(b)
        return self.lists[b]

    def gather(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Column ``name`` of repeats ``rows`` (vectorised)."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty(rows.size)
        if rows.size == 0:
            return out
        block = rows // REPEAT_BLOCK
        for b in np.unique(block).tolist():
            mask = block == b
            out[mask] = self.block(b)[name][rows[mask] % REPEAT_BLOCK]
        return out

    def release_below(self, r: int) -> None:
        """Forget blocks whose rows all lie below repeat ``r``."""
        for b in [b for b in self.blocks if (b + 1) * REPEAT_BLOCK <= r]:
            del self.blocks[b]
            self.lists.pop(b, None)




def call_uniforms(scenario: Scenario, streams: Streams, call_ids: np.ndarray, names: tuple[str, ...]
                  ) -> dict[str, np.ndarray]:
    """The uniform draws of calls by number, as the engine drew them (for checks and tests).

    Args:
        scenario: The scenario simulated.
        streams: The replication's streams.
        call_ids: Call numbers (``run.calls["call_id"]``).
        names: Draw columns (see :data:`COLUMNS`).
    """
    from incentsim.engine.arrivals import BASE, EXTRA, REPEAT, NewCalls
    from incentsim.engine.clock import WorkingClock

    new = NewCalls(scenario, WorkingClock(scenario), streams)
    ids = np.asarray(call_ids, dtype=np.int64)
    out = {name: np.full(ids.size, np.nan) for name in names}
    for kind, offsets, first in ((BASE, new.base_offset, 0), (EXTRA, new.extra_offset, new.n_base)):
        for period in range(offsets.size - 1):
            lo, hi = first + int(offsets[period]), first + int(offsets[period + 1])
            mask = (ids >= lo) & (ids < hi)
            if mask.any():
                u = uniforms(streams, kind, period, hi - lo)
                for name in names:
                    out[name][mask] = u[name][ids[mask] - lo]
    repeat = ids >= new.n_new
    if repeat.any():
        draws = RepeatDraws(streams, CallLaws(scenario), REPEAT)
        for name in names:
            out[name][repeat] = draws.gather(name, ids[repeat] - new.n_new)
    return out


__all__ = ["COLD", "COLUMNS", "REPEAT_BLOCK", "CallLaws", "RepeatDraws", "call_uniforms", "uniforms"]
