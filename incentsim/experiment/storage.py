"""Result storage: Parquet per finished batch, a JSON manifest with provenance.

Layout of a result directory::

    manifest.json              plan, provenance, status (partial | complete), timings
    summaries/<batch>.parquet  one row per replication
    agents/<batch>.parquet     one row per agent per period per replication
    calls/<batch>.parquet      one row per call (only when calls are kept)

A run writes into a staging folder beside the directory and moves its results
into place when it completes or is interrupted; a run that fails with an error
leaves the directory as it was (:mod:`incentsim.experiment.folder` has the
rules). Each batch is written as soon as it finishes, every file through a
temporary name and an atomic rename, summaries last, and the manifest's count of
finished runs is updated with it: a batch whose summaries and agents files can
be read is complete. ``resume=True`` runs only the cells (sweep point, policy,
replication) that have no complete batch, so a batch whose file is damaged is
run again. Provenance follows desmod: the manifest embeds the scenario TOML and
its hash, policies and parameters, seed, package versions, the git commit and
timings.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from incentsim.errors import InputError, Problem
from incentsim.experiment.folder import (
    MARK,
    REPORT,
    TABLES,
    Kind,
    Staging,
    claim,
    move_into_place,
    orphans,
)
from incentsim.experiment.manifest import FORMAT, MANIFEST, plan_manifest, read_manifest
from incentsim.experiment.plan import Cell, Plan
from incentsim.experiment.provenance import utc_now

if TYPE_CHECKING:
    from incentsim.experiment.experiment import Experiment

__all__ = ["FORMAT", "KEYS", "MANIFEST", "TABLES", "ResultStore", "combine", "load", "load_calls",
           "plan_manifest", "read_manifest", "read_tables", "scan", "sort_results", "write_parquet",
           "write_text"]

KEYS: list[str] = ["point", "policy", "replication"]

#: What to do about a damaged batch file.
REDO_BATCH = ("run the same command again with --resume (resume=True in Python) to redo its runs, "
              "or delete the batch's files (the same name under summaries/, agents/ and calls/) "
              "to read the rest without them")


@dataclass
class Scan:
    """The batches found in a result folder.

    Attributes:
        cells: Cells held by complete, readable batches.
        damaged: Batch files that cannot be read or are missing, with the reason.
        partners: The other files of those batches (removed with them when redone).
    """

    cells: set[Cell] = field(default_factory=set)
    damaged: dict[Path, str] = field(default_factory=dict)
    partners: set[Path] = field(default_factory=set)

    def files(self) -> list[Path]:
        """Every file of the damaged batches, to remove when they are redone."""
        return sorted({*self.damaged, *self.partners})


def scan(path: Path, keep_calls: bool = False) -> Scan:
    """Find the complete batches of a result folder, and those whose files are damaged.

    A batch is complete when its summaries file and its agents file (and its
    calls file, when calls are kept) can be read. Only Parquet footers and the
    key columns are read, so this is quick.
    """
    found = Scan()
    for file in sorted((path / "summaries").glob("*.parquet")):
        try:
            keys = pq.read_table(file, columns=KEYS).to_pydict()
            cells = {Cell(int(p), str(n), int(r))
                     for p, n, r in zip(keys["point"], keys["policy"], keys["replication"], strict=True)}
        except (pa.ArrowException, OSError, KeyError, ValueError, TypeError) as exc:
            found.damaged[file] = f"damaged: {_why(exc)}"
            found.partners |= set(_partners(path, file))
            continue
        needed = [path / "agents" / file.name] + ([path / "calls" / file.name] if keep_calls else [])
        problem = next(((p, r) for p in needed if (r := _unreadable(p))), None)
        if problem is not None:
            found.damaged[problem[0]] = problem[1]
            found.partners |= {file, *_partners(path, file)} - {problem[0]}
            continue
        found.cells |= cells
    return found


class ResultStore:
    """The result folder of a running experiment, written through a staging folder.

    Args:
        path: The result folder.
        resume: Keep and complete an earlier run of the same experiment there.
        overwrite: Replace an experiment stored there.
    """

    def __init__(self, path: str | Path, *, resume: bool = False, overwrite: bool = False) -> None:
        self.path = Path(path)
        self.resume = resume
        self.overwrite = overwrite
        self.manifest: dict[str, Any] = {}
        #: Things worth telling the user (damaged batches redone, runs adopted or left alone).
        self.notes: list[str] = []
        self._staging = Staging(self.path)
        self._replace = False
        self._damaged: list[Path] = []
        self._adopt: list[tuple[Path, dict[str, Any], Scan]] = []
        self._sessions: list[dict[str, Any]] = []
        #: Batches written by this run.
        self.batches = 0

    # ------------------------------------------------------------ checks, no writes
    def prepare(self, plan: Plan) -> set[Cell]:
        """Check the folder can take this plan and return the cells already done.

        Writes nothing, so a refusal leaves the folder as it was.

        Raises:
            InputError: If the path cannot be written; holds something that is not
                an experiment; holds an experiment and neither ``resume`` nor
                ``overwrite`` was given; or (when resuming) holds a different
                experiment or a damaged manifest.
        """
        target = claim(self.path, resume=self.resume, overwrite=self.overwrite)
        where = str(self.path)
        self._replace = target.kind in (Kind.EXPERIMENT, Kind.DAMAGED) and self.overwrite
        done: set[Cell] = set()
        wanted = set(plan.cells())
        if self.resume and target.kind is Kind.EXPERIMENT:
            assert target.manifest is not None
            _check_same(where, target.manifest, plan)
            found = scan(self.path, plan.keep_calls)
            done = found.cells & wanted
            self._damaged = found.files()
            self._sessions = list(target.manifest.get("sessions", []))
            if found.damaged:
                first, why = sorted(found.damaged.items())[0]
                self.notes.append(f"{len(found.damaged)} damaged batch(es) in {where} will be "
                                  f"replaced and their runs redone (first: "
                                  f"{_relative(first, self.path)}, {why})")
        for orphan in orphans(self.path):
            adopted = self._adoptable(orphan, plan) if self.resume else None
            if adopted is None:
                self.notes.append(f"{orphan} holds runs of an earlier run that was killed; it is left "
                                  "alone (--resume of the same experiment moves them into place; "
                                  "otherwise delete it)")
                continue
            manifest, found = adopted
            done |= found.cells & wanted
            self._adopt.append((orphan, manifest, found))
            self.notes.append(f"adopting {len(found.cells & wanted)} finished run(s) of a killed run "
                              f"from {orphan}")
        return done

    def _adoptable(self, orphan: Path, plan: Plan) -> tuple[dict[str, Any], Scan] | None:
        try:
            manifest = read_manifest(orphan)
        except InputError:
            return None
        if manifest.get("identity") != plan.identity():
            return None
        return manifest, scan(orphan, plan.keep_calls)

    # ------------------------------------------------------------ writing
    def begin(self, plan: Plan, session: dict[str, Any], done: int) -> None:
        """Adopt a killed run's batches, then open a staging folder with a ``partial`` manifest.

        Args:
            plan: The plan being run.
            session: This run's session record (started, executor, workers, ...);
                kept by reference and filled in as batches finish.
            done: Cells already completed by earlier sessions.
        """
        for orphan, manifest, found in self._adopt:
            self._adopt_orphan(plan, orphan, manifest, found)
        self._adopt = []
        self._staging.create()
        self.manifest = plan_manifest(plan)
        self.manifest["sessions"] = [*self._sessions, session]
        self.manifest["cells"]["done"] = done
        self.write_manifest()

    def _adopt_orphan(self, plan: Plan, orphan: Path, manifest: dict[str, Any], found: Scan) -> None:
        for file in found.files():
            file.unlink(missing_ok=True)
        record = plan_manifest(plan)
        old = [s for s in manifest.get("sessions", []) if s not in self._sessions]
        self._sessions += [{**s, "killed": True} for s in old]
        record["sessions"] = self._sessions
        kept = scan(self.path, plan.keep_calls).cells if (self.path / MANIFEST).exists() else set()
        record["cells"]["done"] = len((kept | found.cells) & set(plan.cells()))
        write_text(orphan / MANIFEST, json.dumps(record, indent=2, default=repr) + "\n")
        (orphan / MARK).unlink(missing_ok=True)
        move_into_place(orphan, self.path, replace=False, remove=[*self._damaged, self.path / REPORT])
        self._damaged = []

    @property
    def staging(self) -> Path | None:
        """The staging folder being written (``None`` before :meth:`begin` or after the move)."""
        return self._staging.path

    def write(self, name: str, tables: dict[str, pd.DataFrame | None]) -> None:
        """Write one batch's tables atomically (summaries last), then the manifest."""
        staging = self._staging.path
        assert staging is not None, "begin() first"
        for table in TABLES:
            frame = tables.get(table)
            if frame is not None:
                write_parquet(frame, staging / table / f"{name}.parquet")
        self.batches += 1
        self.write_manifest()

    def finish(self, status: str, wall_seconds: float) -> None:
        """Close the session and write the manifest with ``status`` (partial | complete)."""
        session = self.manifest["sessions"][-1]
        session["finished"] = utc_now()
        session["wall_seconds"] = round(wall_seconds, 6)
        self.manifest["status"] = status
        self.write_manifest()

    def commit(self) -> None:
        """Move the staged results into the result folder (see :mod:`incentsim.experiment.folder`)."""
        # New results make an earlier report describe other results: it goes with them.
        stale = [*self._damaged, self.path / REPORT] if self.batches or self._damaged else []
        self._staging.commit(replace=self._replace, remove=stale)

    def discard(self) -> None:
        """Delete the staged results: the result folder stays as it was before the run."""
        self._staging.discard()

    def write_manifest(self) -> None:
        """Write the manifest (into the staging folder) atomically."""
        staging = self._staging.path
        assert staging is not None, "begin() first"
        write_text(staging / MANIFEST, json.dumps(self.manifest, indent=2, default=repr) + "\n")


# ---------------------------------------------------------------- plain file helpers
def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame to Parquet through a temporary file and an atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def write_text(path: Path, text: str) -> None:
    """Write text through a temporary file and an atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def read_tables(path: Path, tables: Sequence[str], policy_order: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Read the finished batches of a result directory, in plan order.

    A cell stored twice (a save interrupted between writing and tidying) is read
    once: only batches whose summaries file exists count, and the first file in
    name order that holds a cell wins.

    Raises:
        InputError: Naming a batch file that cannot be read, and what to do.
    """
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in tables}
    seen: set[tuple[Any, ...]] = set()
    for file in sorted((path / "summaries").glob("*.parquet")):
        summaries = _read(file, path)
        keys = list(summaries[KEYS].itertuples(index=False, name=None))
        new_keys = set(keys) - seen
        seen.update(new_keys)
        for table in tables:
            if table == "summaries":
                frame = summaries
            else:
                other = path / table / file.name
                if not other.exists():
                    continue
                frame = _read(other, path)
            if not new_keys:
                continue
            if len(new_keys) < len(set(keys)):
                mask = [k in new_keys for k in frame[KEYS].itertuples(index=False, name=None)]
                frame = frame[mask]
            parts[table].append(frame)
    return {t: sort_results(_concat(parts[t]), policy_order) for t in tables}


def sort_results(frame: pd.DataFrame, policy_order: Sequence[str]) -> pd.DataFrame:
    """Rows in plan order (point, policy, replication), keeping each run's own row order."""
    if frame.empty or not set(KEYS) <= set(frame.columns):
        return frame.reset_index(drop=True)
    rank = {name: i for i, name in enumerate(policy_order)}
    order = pd.DataFrame({"point": frame["point"].to_numpy(),
                          "policy": frame["policy"].map(rank).fillna(len(rank)).to_numpy(),
                          "replication": frame["replication"].to_numpy()})
    index = order.sort_values(KEYS, kind="mergesort").index
    return frame.iloc[index].reset_index(drop=True)


def combine(frames: Iterable[pd.DataFrame], policy_order: Sequence[str]) -> pd.DataFrame:
    """Concatenate result frames and put them in plan order."""
    return sort_results(_concat(list(frames)), policy_order)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if f is not None]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def load(path: str | Path) -> Experiment:
    """Restore an experiment saved by ``compare(..., out=...)``, ``Experiment.save`` or ``incentsim run``.

    A partial run (interrupted) loads too: its manifest says ``partial`` and the
    frames hold the cells that finished; the manifest's count of finished runs is
    the count found on disk. Per-call records, when they were kept, are read on
    first use of :attr:`Experiment.calls`.

    Args:
        path: The result directory.

    Raises:
        InputError: If the directory has no readable manifest, or a batch file is
            damaged (naming the file and what to do).
    """
    from incentsim.experiment.experiment import Experiment

    path = Path(path)
    try:
        manifest = read_manifest(path)
    except InputError as exc:
        left = orphans(path)
        if left and not (path / MANIFEST).exists():
            raise InputError.single(f"result folder {path}", MANIFEST, f"not found; a run that was killed left its "
                                    f"finished batches in {left[0]}: run the same command with "
                                    "--resume to move them into place") from None
        raise exc from None
    found = scan(path, keep_calls=False)
    if found.damaged:
        raise InputError(f"result folder {path}", [
            Problem(_relative(f, path), f"{why}; {REDO_BATCH}") for f, why in sorted(found.damaged.items())])
    order = [p["name"] for p in manifest["policies"]]
    frames = read_tables(path, ["agents", "summaries"], order)
    summaries = frames["summaries"]
    planned = manifest["cells"]["planned"]
    if not summaries.empty and set(KEYS) <= set(summaries.columns):
        manifest["cells"]["done"] = int(min(len(summaries.drop_duplicates(KEYS)), planned))
    else:
        manifest["cells"]["done"] = 0
    return Experiment(summaries=summaries, agents=frames["agents"], calls=None,
                      manifest=manifest, path=path)


def load_calls(path: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    """Per-call records stored under ``path`` (empty when calls were not kept)."""
    order = [p["name"] for p in manifest["policies"]]
    return read_tables(path, ["calls"], order)["calls"]


def _check_same(where: str, stored_manifest: dict[str, Any], plan: Plan) -> None:
    stored, wanted = stored_manifest.get("identity", {}), plan.identity()
    labels = {"scenario_hashes": "scenario", "point_hashes": "sweep", "policies": "policies",
              "seed": "seed", "sweep": "sweep", "keep_calls": "keep_calls"}
    problems = [Problem(labels[key], f"differs from the stored run in {where} "
                        f"(stored {_short(stored.get(key))}, now {_short(wanted[key])}); "
                        "resume only the same experiment, or choose another --out")
                for key in labels if stored.get(key) != wanted[key]]
    if int(stored_manifest.get("replications", 0)) > plan.replications:
        problems.append(Problem("replications", f"the stored run has "
                                f"{stored_manifest['replications']}; resume with at least that many"))
    if problems:
        raise InputError(f"resume of {where}", _dedupe(problems))


def _read(file: Path, root: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(file)
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        raise InputError.single(f"result folder {root}", _relative(file, root),
                                f"damaged: {_why(exc)}; {REDO_BATCH}") from None


def _unreadable(file: Path) -> str:
    """Why a batch file cannot be used ('' if it can)."""
    if not file.exists():
        return "missing, though its batch's summaries are there"
    try:
        pq.ParquetFile(file).metadata  # noqa: B018 - reading the footer is the check
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        return f"damaged: {_why(exc)}"
    return ""


def _partners(root: Path, file: Path) -> list[Path]:
    return [root / t / file.name for t in TABLES if t != file.parent.name
            and (root / t / file.name).exists()]


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _relative(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root))
    except ValueError:
        return str(file)


def _short(value: Any) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= 80 else text[:77] + "..."


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(p.field, p)
    return list(seen.values())
