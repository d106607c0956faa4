"""Result folders: where an experiment is written, and how results get there without harm.

Three rules, so a run never destroys anything it did not write and never leaves
half-written results:

1. **Where.** ``incentsim run`` files results under ``out/<slug>``, the slug
   being the scenario's name reduced to letters, digits, ``.``, ``_`` and
   ``-`` (at most :data:`MAX_SLUG` characters, never empty, never starting with a
   dot), so a name such as ``../../x`` or ``/etc`` stays inside ``out/``.
2. **What it may replace.** A target that does not exist or is empty is used. A
   target holding an incentsim experiment (a ``manifest.json``) is completed with
   ``resume`` or replaced with ``overwrite``, and refused otherwise. Any other
   non-empty folder is refused whatever the options: its files are not ours.
   Replacing removes only what incentsim writes (``manifest.json``,
   ``report.html`` and the ``*.parquet`` batches under ``agents/``, ``calls/``
   and ``summaries/``); anything else in the folder stays.
3. **How.** A run writes into a staging folder beside the target
   (``.<name>.incentsim-run-<token>``, same file system, so moves are renames)
   and moves its results into place when it ends: when it completes, and also
   when it is interrupted (Ctrl-C, SIGTERM), so finished batches are kept and
   ``--resume`` completes them. When it fails with an error, the staging folder
   is deleted and the target is exactly as before. If the process is killed
   outright (SIGKILL, power loss) the staging folder stays behind; its owner's
   lock is gone, so the next ``--resume`` of the same experiment adopts its
   finished batches, and any other run notes it and leaves it alone.

The move into place runs with SIGINT and SIGTERM held
(:func:`~incentsim.experiment.interrupts.deferred`). Replacing an experiment
moves the old manifest aside first, so a crash in the middle leaves a folder
without a manifest (refused, never read as a mixture of two experiments), with
the old results in a ``.<name>.incentsim-old-<token>`` folder beside it.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from incentsim.errors import InputError
from incentsim.experiment.interrupts import deferred
from incentsim.experiment.manifest import MANIFEST, read_manifest

#: Table folders of a result folder (summaries last: a batch with summaries is complete).
TABLES: tuple[str, ...] = ("agents", "calls", "summaries")
REPORT = "report.html"
#: Marks a staging folder and holds its owner's lock.
MARK = ".incentsim-run"
STAGING_TAG = ".incentsim-run-"
TRASH_TAG = ".incentsim-old-"
#: Longest default folder name.
MAX_SLUG = 64
#: Characters of the target's name kept in a staging folder's name.
_NAME_IN_STAGING = 50
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def slug(name: str) -> str:
    """A safe folder name for a scenario name: one path component, never empty or hidden.

    Example:
        >>> slug("../../etc/passwd"), slug(""), slug("Centre d'appels été")
        ('etc-passwd', 'scenario', 'Centre-d-appels-ete')
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
    text = re.sub(r"([-._])[-._]+", r"\1", text).strip("-._")[:MAX_SLUG].rstrip("-._")
    if not text:
        return "scenario"
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        return f"scenario-{text}"
    return text


def default_folder(names: Iterable[str], root: Path = Path("out")) -> Path:
    """``out/<slug>`` for one scenario, ``out/compare-<slug>-<slug>...`` for several."""
    names = list(names)
    if len(names) == 1:
        return root / slug(names[0])
    joined = slug("compare-" + "-".join(slug(n) for n in names))
    return root / joined


class Kind(enum.Enum):
    """What a target folder holds."""

    ABSENT = "absent"
    EMPTY = "empty"
    EXPERIMENT = "experiment"
    DAMAGED = "damaged experiment"
    FOREIGN = "foreign"


@dataclass(frozen=True)
class Target:
    """A result folder as found before a run.

    Attributes:
        path: The folder.
        kind: What it holds.
        manifest: The manifest of an experiment.
        damage: Why the manifest of a damaged experiment cannot be used.
        contents: A few of its entries (for messages).
    """

    path: Path
    kind: Kind
    manifest: dict[str, Any] | None = None
    damage: str = ""
    contents: tuple[str, ...] = ()


def inspect(path: Path) -> Target:
    """Find what a target folder holds, writing nothing.

    Raises:
        InputError: If the path is a file or cannot be listed.
    """
    try:
        if not path.exists() and not path.is_symlink():
            return Target(path, Kind.ABSENT)
        if not path.is_dir():
            raise InputError.single(f"output folder {path}", "out", "is a file; give a folder for the results")
        entries = sorted(os.listdir(path))
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError.single(f"output folder {path}", "out", f"cannot be used: {_reason(exc)}") from None
    if not entries:
        return Target(path, Kind.EMPTY)
    shown = tuple(e + "/" if (path / e).is_dir() else e for e in entries[:5]) + (
        ("...",) if len(entries) > 5 else ())
    if MANIFEST not in entries:
        return Target(path, Kind.FOREIGN, contents=shown)
    try:
        manifest = read_manifest(path)
    except InputError as exc:
        return Target(path, Kind.DAMAGED, damage=exc.problems[0].message, contents=shown)
    return Target(path, Kind.EXPERIMENT, manifest=manifest, contents=shown)


def claim(path: Path, *, resume: bool = False, overwrite: bool = False) -> Target:
    """Check a run may write its results at ``path``, writing nothing.

    Args:
        path: The result folder.
        resume: The run completes an experiment stored there.
        overwrite: The run replaces an experiment stored there.

    Returns:
        What the folder holds now.

    Raises:
        InputError: If the path cannot be written; holds something that is not an
            experiment; holds an experiment and neither ``resume`` nor ``overwrite``
            is given; holds a damaged experiment and ``overwrite`` is not given; or
            both options are given.
    """
    if resume and overwrite:
        raise InputError.single("options", "overwrite", "give --resume (complete the stored run) "
                                "or --overwrite (replace it), not both")
    check_writable(path)
    target = inspect(path)
    where = f"output folder {path}"
    if target.kind is Kind.FOREIGN:
        raise InputError.single(where, "out", f"is not empty and holds no incentsim experiment (it "
                                f"has {', '.join(target.contents)}); nothing there is touched: "
                                "choose another --out, or empty the folder first")
    if target.kind is Kind.DAMAGED and not overwrite:
        raise InputError.single(where, MANIFEST, target.damage)
    if target.kind is Kind.EXPERIMENT and not (resume or overwrite):
        assert target.manifest is not None
        cells = target.manifest["cells"]
        names = ", ".join(repr(s["name"]) for s in target.manifest["scenarios"])
        raise InputError.single(where, "out", f"already holds an experiment ({names}, "
                                f"{cells.get('done', '?')} of {cells['planned']} runs): give "
                                "--resume to complete it, --overwrite to replace it (resume=True or "
                                "overwrite=True in Python), or choose another --out")
    return target


def check_writable(path: Path) -> None:
    """Check results can be written at ``path`` (and staged beside it), before any work.

    Raises:
        InputError: Naming the part of the path that is a file, missing rights, or
            an unusable name (NUL byte, too long).
    """
    try:
        if "\x00" in str(path):
            raise ValueError("the path holds a NUL byte")
        if len(os.fsencode(path.absolute().name)) > 255:
            raise ValueError("the folder's name is longer than the 255 bytes a file system allows")
        probe = path.absolute()
        while not probe.exists():
            if probe.is_symlink():
                raise InputError.single(f"output folder {path}", "out", f"{probe} is a broken symbolic link")
            probe = probe.parent
        if not probe.is_dir():
            raise InputError.single(f"output folder {path}", "out", f"cannot be created: {probe} is a file")
        places = [probe] if probe != path.absolute() else [probe, probe.parent]
        for place in places:
            if not os.access(place, os.W_OK | os.X_OK):
                raise InputError.single(f"output folder {path}", "out", f"cannot be written: no permission to "
                                        f"write in {place}")
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError.single(f"output folder {path}", "out", f"cannot be used: {_reason(exc)}") from None


def owned_files(path: Path) -> list[Path]:
    """What incentsim wrote in a result folder: manifest first, then report, then batches."""
    out = [path / MANIFEST] if (path / MANIFEST).exists() else []
    if (path / REPORT).is_file():
        out.append(path / REPORT)
    for table in TABLES:
        folder = path / table
        if folder.is_dir():
            out += sorted(folder.glob("*.parquet")) + sorted(folder.glob(".*.tmp"))
    return out


class Staging:
    """A folder beside the target where a run writes until its results move into place.

    Args:
        target: The result folder the run is for.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path: Path | None = None
        self._lock: IO[str] | None = None
        self._created: list[Path] = []

    def create(self) -> Path:
        """Create the staging folder (and the target's missing parents) and take its lock."""
        self._created = _make_parents(self.target.parent)
        name = f".{self.target.name[:_NAME_IN_STAGING]}{STAGING_TAG}{secrets.token_hex(4)}"
        self.path = self.target.parent / name
        os.mkdir(self.path)
        for table in TABLES:
            os.mkdir(self.path / table)
        self._lock = _take_lock(self.path / MARK, {"target": self.target.name, "pid": os.getpid()})
        return self.path

    def commit(self, *, replace: bool, remove: Iterable[Path] = ()) -> None:
        """Move the staged results into the target.

        Args:
            replace: Replace the experiment in the target (its owned files go).
            remove: Files of the target to remove (damaged batches of a resumed run,
                a report that no longer describes the results).
        """
        if self.path is None:
            return
        with deferred():
            self._release()
            (self.path / MARK).unlink(missing_ok=True)
            move_into_place(self.path, self.target, replace=replace, remove=remove)
            self.path = None

    def discard(self) -> None:
        """Delete the staging folder and any parents created for it: the target is untouched."""
        if self.path is None:
            return
        with deferred():
            self._release()
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
            for folder in reversed(self._created):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if still empty

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def move_into_place(source: Path, target: Path, *, replace: bool, remove: Iterable[Path] = ()) -> None:
    """Move a staged result folder into ``target``, manifest last.

    An absent or empty target is replaced by one rename. Otherwise the staged
    batches join the target's (``replace``: after the target's owned files are
    moved aside), the files in ``remove`` go, and the manifest is swapped in last.

    Raises:
        InputError: If an absent target was created by someone else meanwhile
            (the staged results are left where they are, and the message says where).
    """
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        try:
            os.rename(source, target)
            return
        except OSError:
            if not target.exists() or any(target.iterdir()):
                raise InputError.single(str(target), "out", f"was created by something else while "
                                        f"this run went on; its results are in {source}") from None
            raise
    trash = target.parent / f".{target.name[:_NAME_IN_STAGING]}{TRASH_TAG}{secrets.token_hex(4)}"
    os.mkdir(trash)
    stale = owned_files(target) if replace else list(remove)
    for file in stale:  # the manifest first, when replacing
        if file.exists():
            relative = file.relative_to(target)
            (trash / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(file, trash / relative)
    for table in TABLES:
        files = sorted((source / table).glob("*.parquet"))
        if files:
            (target / table).mkdir(exist_ok=True)
        for file in files:
            os.replace(file, target / table / file.name)
    os.replace(source / MANIFEST, target / MANIFEST)
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(source, ignore_errors=True)


def orphans(target: Path) -> list[Path]:
    """Staging folders for ``target`` whose run was killed (their lock is free)."""
    parent = target.parent
    prefix = f".{target.name[:_NAME_IN_STAGING]}{STAGING_TAG}"
    try:
        candidates = sorted(p for p in parent.iterdir() if p.name.startswith(prefix) and p.is_dir())
    except OSError:
        return []
    out = []
    for folder in candidates:
        try:
            mark = json.loads((folder / MARK).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(mark, dict) and mark.get("target") == target.name and not _in_use(folder / MARK):
            out.append(folder)
    return out


def stored_manifest(target: Path) -> dict[str, Any] | None:
    """The manifest of the run stored in ``target``, else of a killed run's staging folder beside it.

    ``None`` when neither holds a readable manifest (no experiment there yet).
    """
    for folder in [target, *orphans(target)]:
        try:
            return read_manifest(folder)
        except InputError:
            continue
    return None


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        os.mkdir(path)
    return list(reversed(missing))


def _take_lock(file: Path, mark: dict[str, Any]) -> IO[str]:
    handle = file.open("w", encoding="utf-8")
    handle.write(json.dumps(mark))
    handle.flush()
    try:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - not POSIX: liveness is judged by the pid
        pass
    return handle


def _in_use(file: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        try:
            pid = int(json.loads(file.read_text(encoding="utf-8"))["pid"])
            os.kill(pid, 0)
        except (OSError, ValueError, KeyError, TypeError):
            return False
        return True
    try:
        with file.open("r", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        return True
    return False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
