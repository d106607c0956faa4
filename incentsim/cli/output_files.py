"""Writing a command's output files safely: checked before any work, written whole or not at all.

A file is written under a temporary name in its own folder and renamed into place, so a
crash never leaves half a file and a reader never sees one. Temporary files are created
with mode ``0o666`` less the umask, like any file the user's programs write (``mkstemp``
would make them ``0o600``, readable by their owner only). Without ``overwrite`` the final
step is a hard link, which fails if the name was taken meanwhile, so an existing file is
never replaced unless asked.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from incentsim.errors import InputError, Problem

__all__ = ["atomic_write_text", "atomic_writer", "check_new_file", "check_writable_folder"]


def _nearest_existing(path: Path) -> Path:
    current = path.absolute()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def check_writable_folder(folder: Path, option: str) -> Problem | None:
    """A problem if ``folder`` cannot be used (or created) as an output folder, else None."""
    if folder.exists():
        if not folder.is_dir():
            return Problem(option, f"{folder} exists and is not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            return Problem(option, f"{folder} is not writable")
        return None
    base = _nearest_existing(folder)
    if not base.is_dir():
        return Problem(option, f"cannot create {folder}: {base} is a file, not a folder")
    if not os.access(base, os.W_OK | os.X_OK):
        return Problem(option, f"cannot create {folder}: {base} is not writable")
    return None


def check_new_file(path: Path, option: str, overwrite: bool) -> Problem | None:
    """A problem if a new file cannot be written at ``path`` (or exists and ``overwrite`` is off)."""
    if path.exists() or path.is_symlink():
        if path.is_dir():
            return Problem(option, f"{path} is a folder; give a file name")
        if not overwrite:
            return Problem(option, f"{path} already exists; choose another name or pass --force to replace it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return Problem(option, f"folder {parent} does not exist" if not parent.exists()
                       else f"{parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        return Problem(option, f"folder {parent} is not writable")
    return None


@contextlib.contextmanager
def atomic_writer(path: Path, overwrite: bool = True) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path`` for binary writing; move it into place on success.

    Raises:
        FileExistsError: If ``overwrite`` is off and ``path`` exists when the file is moved.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the name is taken: never replaces a file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)


def atomic_write_text(path: Path, text: str, *, overwrite: bool, option: str = "--out") -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all.

    Raises:
        InputError: If the file exists and ``overwrite`` is off, or it cannot be written.
    """
    try:
        with atomic_writer(path, overwrite=overwrite) as handle:
            handle.write(text.encode("utf-8"))
    except FileExistsError:
        raise InputError.single("options", option,
                                f"{path} already exists; choose another name or pass --force to replace it") from None
    except OSError as exc:
        raise InputError.single("options", option, f"cannot write {path}: {exc.strerror or exc}") from None
