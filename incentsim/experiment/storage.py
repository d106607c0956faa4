"""Result storage: Parquet per finished batch, a JSON manifest with provenance.

Layout of a result directory::

    manifest.json              plan, provenance, status (partial | complete), timings
    summaries/<batch>.parquet  one row per replication
    agents/<batch>.parquet     one row per agent per period per replication
    calls/<batch>.parquet      one row per call (only when calls are kept)

Each batch is written as soon as it finishes, every file through a temporary
name and an atomic rename, summaries last: a batch whose summaries file exists
is complete. An interrupted run therefore keeps every finished batch, and
``resume=True`` runs only the cells (sweep point, policy, replication) that have
no summaries yet. Provenance follows desmod: the manifest embeds the scenario
TOML and its hash, policies and parameters, seed, package versions, the git
commit and timings.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow.parquet as pq

from incentsim.errors import InputError, Problem
from incentsim.experiment.plan import Cell, Plan
from incentsim.experiment.provenance import git_state, json_safe, package_versions, utc_now

if TYPE_CHECKING:
    from incentsim.experiment.experiment import Experiment

#: Identifies the directory layout; bumped if it changes incompatibly.
FORMAT = "incentsim-experiment/1"
MANIFEST = "manifest.json"
TABLES: tuple[str, ...] = ("agents", "calls", "summaries")  # summaries last: marks completion
KEYS: list[str] = ["point", "policy", "replication"]


def plan_manifest(plan: Plan) -> dict[str, Any]:
    """The manifest of a plan, before any timings: everything needed to restore or resume it."""
    return {
        "format": FORMAT,
        "status": "partial",
        "scenarios": [{"name": s.name, "hash": s.hash, "toml": s.to_toml()} for s in plan.scenarios],
        "points": [{"index": p.index, "scenario": p.scenario.name,
                    "scenario_hash": p.scenario.hash, "sweep": json_safe(dict(p.sweep))}
                   for p in plan.points],
        "sweep": json_safe(dict(plan.sweep)),
        "policies": plan.policy_records(),
        "baseline": plan.baseline,
        "seed": plan.seed,
        "replications": plan.replications,
        "keep_calls": plan.keep_calls,
        "identity": plan.identity(),
        "cells": {"planned": len(plan.cells()), "done": 0},
        "versions": package_versions(),
        "git": git_state(),
        "sessions": [],
    }


class ResultStore:
    """A result directory being written by a running experiment.

    Args:
        path: The directory (created by :meth:`begin`, not before).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.manifest: dict[str, Any] = {}

    # ------------------------------------------------------------ checks, no writes
    def completed_cells(self, plan: Plan, resume: bool) -> set[Cell]:
        """Check the directory can take this plan and return the cells already done.

        Writes nothing, so a refusal leaves the directory as it was.

        Args:
            plan: The plan about to run.
            resume: Whether to keep and complete an earlier run of the same plan.

        Raises:
            InputError: If the path is a file, or (when resuming) the stored run
                differs in scenario, sweep, policies, seed or kept calls, or has
                more replications than the plan.
        """
        if self.path.exists() and not self.path.is_dir():
            raise InputError.single("out", "out", f"{self.path} is a file; give a directory")
        manifest_path = self.path / MANIFEST
        if not resume or not manifest_path.exists():
            return set()
        previous = read_manifest(self.path)
        stored, wanted = previous.get("identity", {}), plan.identity()
        labels = {"scenario_hashes": "scenario", "point_hashes": "sweep", "policies": "policies",
                  "seed": "seed", "sweep": "sweep", "keep_calls": "keep_calls"}
        problems = [Problem(labels[key], f"differs from the stored run in {self.path} "
                            f"(stored {_short(stored.get(key))}, now {_short(wanted[key])}); "
                            "resume only the same experiment, or choose another --out")
                    for key in labels if stored.get(key) != wanted[key]]
        if int(previous.get("replications", 0)) > plan.replications:
            problems.append(Problem("replications", f"the stored run has "
                                    f"{previous['replications']}; resume with at least that many"))
        if problems:
            raise InputError(f"resume of {self.path}", _dedupe(problems))
        self.manifest = previous
        wanted_cells = set(plan.cells())
        return {c for c in stored_cells(self.path) if c in wanted_cells}

    # ------------------------------------------------------------ writing
    def begin(self, plan: Plan, session: dict[str, Any], done: int) -> None:
        """Create the directory and write a ``partial`` manifest opening a new session.

        A fresh run (nothing completed) first removes results an earlier run left
        here; other files in the directory are left alone.

        Args:
            plan: The plan being run.
            session: This run's session record (started, executor, workers, ...);
                kept by reference and filled in as batches finish.
            done: Cells already completed by earlier sessions.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            folder = self.path / table
            if folder.exists() and not done:
                shutil.rmtree(folder)
            folder.mkdir(exist_ok=True)
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink()
        sessions = self.manifest.get("sessions", []) if done else []
        self.manifest = plan_manifest(plan)
        self.manifest["sessions"] = [*sessions, session]
        self.manifest["cells"]["done"] = done
        self.write_manifest()

    def write(self, name: str, tables: dict[str, pd.DataFrame | None]) -> None:
        """Write one batch's tables atomically (summaries last)."""
        for table in TABLES:
            frame = tables.get(table)
            if frame is not None:
                write_parquet(frame, self.path / table / f"{name}.parquet")

    def finish(self, status: str, wall_seconds: float) -> None:
        """Close the session and write the manifest with ``status`` (partial | complete)."""
        session = self.manifest["sessions"][-1]
        session["finished"] = utc_now()
        session["wall_seconds"] = round(wall_seconds, 6)
        self.manifest["status"] = status
        self.write_manifest()

    def write_manifest(self) -> None:
        """Write the manifest atomically."""
        write_text(self.path / MANIFEST, json.dumps(self.manifest, indent=2, default=repr) + "\n")


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


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read and check a result directory's manifest.

    Raises:
        InputError: If there is no readable manifest of a known format.
    """
    file = Path(path) / MANIFEST
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError.single(str(path), MANIFEST, "not found; is this a directory written by "
                                "isim.compare(..., out=...), Experiment.save or incentsim run?") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError.single(str(path), MANIFEST, f"unreadable: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError.single(str(path), f"{MANIFEST}.format",
                                f"expected {FORMAT!r}, got {manifest.get('format')!r}"
                                if isinstance(manifest, dict) else "not a JSON object")
    return manifest


def stored_cells(path: Path) -> set[Cell]:
    """Cells with a finished summaries file under ``path``."""
    cells: set[Cell] = set()
    for file in sorted((path / "summaries").glob("*.parquet")):
        keys = pq.read_table(file, columns=KEYS).to_pydict()
        cells.update(Cell(int(p), str(n), int(r))
                     for p, n, r in zip(keys["point"], keys["policy"], keys["replication"], strict=True))
    return cells


def read_tables(path: Path, tables: Sequence[str], policy_order: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Read the finished batches of a result directory, in plan order.

    A cell stored twice (a save interrupted between writing and tidying) is read
    once: only batches whose summaries file exists count, and the first file in
    name order that holds a cell wins.
    """
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in tables}
    seen: set[tuple[Any, ...]] = set()
    for file in sorted((path / "summaries").glob("*.parquet")):
        summaries = pd.read_parquet(file)
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
                frame = pd.read_parquet(other)
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
    frames hold the cells that finished. Per-call records, when they were kept,
    are read on first use of :attr:`Experiment.calls`.

    Args:
        path: The result directory.

    Raises:
        InputError: If the directory has no readable manifest.
    """
    from incentsim.experiment.experiment import Experiment

    path = Path(path)
    manifest = read_manifest(path)
    order = [p["name"] for p in manifest["policies"]]
    frames = read_tables(path, ["agents", "summaries"], order)
    return Experiment(summaries=frames["summaries"], agents=frames["agents"], calls=None,
                      manifest=manifest, path=path)


def load_calls(path: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    """Per-call records stored under ``path`` (empty when calls were not kept)."""
    order = [p["name"] for p in manifest["policies"]]
    return read_tables(path, ["calls"], order)["calls"]


def _short(value: Any) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= 80 else text[:77] + "..."


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(p.field, p)
    return list(seen.values())
