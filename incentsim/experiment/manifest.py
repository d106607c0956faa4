"""The manifest of a result folder: the plan, provenance and status, checked when read.

``manifest.json`` is what makes a folder an incentsim experiment. It holds
everything needed to restore or resume the experiment (scenario TOML and hash,
policies and parameters, seed, replications, what must match to resume) and the
provenance of each session that wrote to it. A manifest that cannot be parsed,
or lacks a part the results cannot be read without, is reported as damaged with
what to do, never as a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from incentsim.errors import InputError
from incentsim.experiment.plan import Plan
from incentsim.experiment.provenance import git_state, json_safe, package_versions

#: Identifies the directory layout; bumped if it changes incompatibly.
FORMAT = "incentsim-experiment/1"
MANIFEST = "manifest.json"

#: What to do about a damaged manifest.
REDO = ("the results cannot be read or resumed without it: run the experiment again into this "
        "folder with --overwrite (overwrite=True in Python), or into another folder")

#: Required parts of a manifest: key -> (type, what it should be).
_REQUIRED: dict[str, tuple[type | tuple[type, ...], str]] = {
    "status": (str, "'partial' or 'complete'"),
    "scenarios": (list, "a list of scenarios"),
    "points": (list, "a list of sweep points"),
    "sweep": (dict, "a table of swept keys"),
    "policies": (list, "a list of policies"),
    "baseline": (str, "the baseline policy's name"),
    "seed": (int, "an integer seed"),
    "replications": (int, "a number of replications"),
    "keep_calls": (bool, "true or false"),
    "identity": (dict, "a table"),
    "cells": (dict, "a table of planned and done runs"),
    "sessions": (list, "a list of sessions"),
}


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


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read and check a result directory's manifest.

    Raises:
        InputError: If there is no manifest, or it is not JSON, of another format,
            or lacks a part the results cannot be read without (naming it and
            saying what to do).
    """
    file = Path(path) / MANIFEST
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(f"result folder {path}", MANIFEST, "not found; is this a directory written by "
                                "isim.compare(..., out=...), Experiment.save or incentsim run?") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(f"result folder {path}", MANIFEST, f"cannot be read ({exc}); {REDO}") from None
    try:
        manifest = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError.single(f"result folder {path}", MANIFEST, f"is damaged (not JSON: {exc}); {REDO}") from None
    if not isinstance(manifest, dict):
        raise InputError.single(f"result folder {path}", MANIFEST, f"is damaged (not a JSON object); {REDO}")
    if manifest.get("format") != FORMAT:
        raise InputError.single(f"result folder {path}", f"{MANIFEST}.format",
                                f"expected {FORMAT!r}, got {_short(manifest.get('format'))}: not a "
                                "result folder this version of incentsim can read")
    damage = manifest_damage(manifest)
    if damage:
        raise InputError.single(f"result folder {path}", MANIFEST, f"is damaged ({damage}); {REDO}")
    return manifest


def manifest_damage(manifest: dict[str, Any]) -> str:
    """What is missing or malformed in a manifest of the right format ('' if nothing)."""
    for key, (kind, what) in _REQUIRED.items():
        value = manifest.get(key)
        if key not in manifest:
            return f"{key!r} is missing"
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"{key!r} should be {what}, got {_short(value)}"
    if not manifest["policies"] or not all(isinstance(p, dict) and isinstance(p.get("name"), str)
                                           for p in manifest["policies"]):
        return "'policies' should list each policy with its name"
    if not manifest["scenarios"] or not all(
            isinstance(s, dict) and all(isinstance(s.get(k), str) for k in ("name", "hash", "toml"))
            for s in manifest["scenarios"]):
        return "'scenarios' should list each scenario with its name, hash and TOML"
    if not isinstance(manifest["cells"].get("planned"), int):
        return "'cells' should hold the number of planned runs"
    return ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
