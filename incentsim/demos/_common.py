"""What the teaching demos share: a seeded generator per demo, narration, atomic figure files.

Each demo owns its randomness (no global state): an integer seed becomes a
:class:`numpy.random.SeedSequence` keyed by the demo's name, so two demos run with
the same seed still draw independent numbers, and the same seed always gives the
same story. A :class:`numpy.random.Generator` may be passed instead of a seed.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from incentsim.errors import InputError

#: A seed (non-negative integer) or a ready generator.
SeedLike = int | np.random.Generator


def demo_rng(seed: SeedLike, demo: str) -> np.random.Generator:
    """The generator for one demo.

    Args:
        seed: Non-negative integer seed, or a generator used as is.
        demo: Demo name; it keys the stream so different demos draw different numbers.

    Raises:
        InputError: If ``seed`` is neither a non-negative integer nor a generator.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError.single(demo, "seed", f"must be a non-negative integer (got {seed!r})")
    sequence = np.random.SeedSequence(entropy=int(seed),
                                      spawn_key=(zlib.crc32(demo.encode("utf-8")),))
    return np.random.Generator(np.random.PCG64(sequence))


def check_int(source: str, field: str, value: object, minimum: int,
              maximum: int | None = None) -> int:
    """Return ``value`` as an int if it is a whole number in range, else raise :class:`InputError`."""
    whole = int(value) if isinstance(value, int | np.integer) and not isinstance(value, bool) else None
    if whole is None or whole < minimum or (maximum is not None and whole > maximum):
        allowed = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise InputError.single(source, field, f"must be a whole number {allowed} (got {value!r})")
    return whole


def narrator(enabled: bool) -> Callable[[str], None]:
    """A ``say(text)`` function that prints when ``enabled`` and is silent otherwise."""
    def say(text: str) -> None:
        if enabled:
            print(text)
    return say


def check_figure_path(path: str | Path) -> Path:
    """Check that a figure can be written to ``path``; call it before doing the work.

    Raises:
        InputError: If the folder does not exist or the suffix is not a known image format.
    """
    path = Path(path)
    suffix = path.suffix.lstrip(".").lower()
    if suffix not in _FORMATS:
        raise InputError.single("figure", "out", f"unknown image format {path.suffix!r}; "
                                f"allowed: {', '.join('.' + f for f in _FORMATS)}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single("figure", "out", f"folder {str(folder)!r} does not exist")
    return path


#: Image formats a figure may be written in.
_FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "jpg", "jpeg", "webp", "tif", "tiff", "eps")


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` to ``path`` atomically: a reader never sees a half-written file.

    The format follows the file suffix (``.png``, ``.svg``, ``.pdf``, ...). The
    figure is drawn to a temporary file in the same folder, then renamed over ``path``.

    Raises:
        InputError: If the folder does not exist or the suffix is not a known image format.
    """
    path = check_figure_path(path)
    suffix = path.suffix.lstrip(".").lower()
    return atomic_write(path, lambda tmp: figure.savefig(tmp, format=suffix, dpi=120,
                                                         bbox_inches="tight"))


def atomic_write(path: str | Path, write: Callable[[str], object]) -> Path:
    """Call ``write(temporary_name)`` and rename the result over ``path``.

    The temporary file lies in the same folder (so the rename is atomic) and gets
    the permissions a plain ``open(path, "w")`` would have.
    """
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                   dir=path.parent if str(path.parent) else ".")
    os.close(handle)
    try:
        write(tmp)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
