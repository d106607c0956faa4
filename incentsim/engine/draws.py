"""Per-call random draws, indexed by call number (common random numbers).

Every potential call has a fixed row of uniforms per purpose, drawn in blocks:
block 0 holds the new calls of the whole horizon (its size is fixed by the
arrivals, which no policy changes); repeat calls take rows from further blocks in
the order they are created. A call's handle time, patience, resolution,
behaviour and survey draws therefore depend only on its number, never on how many
draws earlier calls used, so two policies see the same calls in the same way.
"""

from __future__ import annotations

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


class CallDraws:
    """Uniform draws and the quantities derived from them, per call number.

    Args:
        scenario: The scenario (laws of handle time, patience, repeat delay).
        streams: The replication's streams.
        n_new: Number of potential new calls (block 0).
        call_type: Call-type index of each new call.
    """

    def __init__(self, scenario: Scenario, streams: Streams, n_new: int,
                 call_type: np.ndarray) -> None:
        self.scenario = scenario
        self.streams = streams
        self.n_new = n_new
        self.blocks = 0
        self.uniform: dict[str, np.ndarray] = {}
        self.call_type: list[int] = call_type.tolist()
        # Python lists: the hot loop reads single items, where lists beat arrays.
        self.patience: list[float] = []
        self.t2_handle_time: list[float] = []
        self.repeat_delay: list[float] = []
        self.cols: dict[str, list[float]] = {}
        self.z_ht = np.empty(0)
        self.base_handle_time: list[list[float]] = [[] for _ in scenario.demand.call_types]
        self.variation = 1.0
        self._add_block(n_new)

    @property
    def capacity(self) -> int:
        """Call numbers available so far."""
        return len(self.patience)

    def _block_uniforms(self, block: int, size: int) -> dict[str, np.ndarray]:
        out = {}
        for purpose, names in COLUMNS.items():
            gen = self.streams.generator(purpose, 1, block)
            u = gen.random((size, len(names)))
            # Keep inverse-CDF inputs strictly inside (0, 1).
            np.clip(u, 1e-12, 1 - 1e-12, out=u)
            for k, name in enumerate(names):
                out[name] = u[:, k]
        return out

    def _add_block(self, size: int) -> None:
        sc = self.scenario
        u = self._block_uniforms(self.blocks, size)
        self.blocks += 1
        for name, arr in u.items():
            self.uniform[name] = np.concatenate([self.uniform[name], arr]) if name in self.uniform else arr
            self.cols.setdefault(name, []).extend(arr.tolist())
        self.patience.extend(sc.customers.patience.from_uniform(u["u_patience"]).tolist())
        self.t2_handle_time.extend(sc.tier2.handle_time.from_uniform(u["u_t2_ht"]).tolist())
        mean_delay = sc.customers.repeat_delay_hours * 60.0
        self.repeat_delay.extend((-mean_delay * np.log1p(-u["u_delay"])).tolist())
        z = ndtri(u["u_ht"])
        self.z_ht = np.concatenate([self.z_ht, z])
        for t, ct in enumerate(sc.demand.call_types):
            self.base_handle_time[t].extend(_handle_times(ct.handle_time, u["u_ht"], z,
                                                          self.variation).tolist())

    def ensure(self, index: int) -> None:
        """Make sure call number ``index`` has draws (adds repeat-call blocks as needed)."""
        while index >= self.capacity:
            self._add_block(REPEAT_BLOCK)

    def set_variation(self, variation: float, start: int = 0) -> None:
        """Rescale handle-time variation (process improvement) for calls from ``start`` on.

        Lognormal handle times keep their mean and draw while their log-spread is
        multiplied by ``variation``; exponential laws are left as they are.
        """
        if variation == self.variation:
            return
        self.variation = variation
        u = self.uniform["u_ht"][start:]
        z = self.z_ht[start:]
        for t, ct in enumerate(self.scenario.demand.call_types):
            self.base_handle_time[t][start:] = _handle_times(ct.handle_time, u, z, variation).tolist()


def _handle_times(law: object, u: np.ndarray, z: np.ndarray, variation: float) -> np.ndarray:
    from incentsim.scenario.laws import Duration

    assert isinstance(law, Duration)
    if law.law == "exponential" or variation == 1.0:
        return law.from_uniform(u)
    sigma = np.sqrt(np.log1p(law.cv**2)) * variation
    return law.mean * np.exp(sigma * z - sigma * sigma / 2.0)
