"""Named random streams: reproducible, executor-independent common random numbers.

Every replication of every policy draws from the same tree of
:class:`numpy.random.SeedSequence` objects. The root is ``(seed, replication)``;
each purpose (arrivals, handle times, surveys, ...) has a fixed child key derived
from its *name*, not from the order in which streams were requested. Two runs
that share ``seed`` and ``replication`` therefore get identical arrivals, call
types, handle-time and patience draws whatever the policy does, which is what
makes a paired difference between policies isolate the policy.

Per-call randomness is drawn in blocks indexed by call number (see
:mod:`incentsim.engine.draws`), so a behaviour that makes one call use more
draws never shifts the draws of later calls.
"""

from __future__ import annotations

import zlib
from typing import Final

import numpy as np

#: Purposes with a stream of their own. Adding a name never changes the others.
PURPOSES: Final[tuple[str, ...]] = (
    "arrivals",
    "call_types",
    "handle_times",
    "patience",
    "resolution",
    "defects",
    "people",
    "customers",
    "repeats",
    "tier2",
    "surveys",
    "qa",
    "behaviour",
    "attrition",
    "hiring",
    "policy",
    "perception",
)


def purpose_key(purpose: str) -> int:
    """Return the fixed 32-bit child key of a purpose name.

    Args:
        purpose: A stream name from :data:`PURPOSES`.

    Raises:
        ValueError: For an unknown name, listing the allowed ones.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown random stream {purpose!r}; allowed: {', '.join(PURPOSES)}")
    return zlib.crc32(purpose.encode("utf-8"))


def seed_sequence(seed: int, replication: int, purpose: str, *extra: int) -> np.random.SeedSequence:
    """The seed sequence for one purpose of one replication.

    Args:
        seed: The experiment's seed (a non-negative integer).
        replication: Replication index (0, 1, ...).
        purpose: Stream name from :data:`PURPOSES`.
        *extra: Further integer keys, e.g. a block number for draws made in chunks.

    Returns:
        A seed sequence that depends only on the arguments.
    """
    if seed < 0 or replication < 0:
        raise ValueError("seed and replication must be non-negative integers")
    return np.random.SeedSequence(
        entropy=int(seed), spawn_key=(int(replication), purpose_key(purpose), *map(int, extra))
    )


class Streams:
    """The random streams of one replication.

    Args:
        seed: The experiment's seed.
        replication: Replication index; replication ``r`` of every policy shares streams.

    Example:
        >>> s = Streams(seed=7, replication=0)
        >>> a = s.generator("arrivals").random(3)
        >>> b = Streams(seed=7, replication=0).generator("arrivals").random(3)
        >>> bool((a == b).all())
        True
    """

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = int(seed)
        self.replication = int(replication)

    def generator(self, purpose: str, *extra: int) -> np.random.Generator:
        """A fresh generator for ``purpose`` (and optional block keys).

        Each call returns a new generator at the start of its stream, so the draws
        a caller gets never depend on what other code drew before.
        """
        ss = seed_sequence(self.seed, self.replication, purpose, *extra)
        return np.random.Generator(np.random.PCG64(ss))

    def __repr__(self) -> str:
        return f"Streams(seed={self.seed}, replication={self.replication})"
