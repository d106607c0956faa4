"""Provenance: what produced a saved result, recorded next to it.

Every saved experiment carries the scenario (TOML text and hash), the policies
and their parameters, the seed, package versions, the git commit of the working
directory where there is one, and timings. The idea is desmod's (each result
file embeds its full configuration and runtime), so a number in a report can be
traced back to exactly what made it.
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import json
import platform
import subprocess
from pathlib import Path
from typing import Any

#: Packages whose versions are recorded in every manifest.
RECORDED_PACKAGES: tuple[str, ...] = ("incentsim", "simpy", "numpy", "pandas", "pyarrow", "loky")


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape results.

    Returns:
        Package name -> version string; ``"not installed"`` for a missing package.
    """
    versions = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_state(cwd: str | Path | None = None) -> dict[str, Any] | None:
    """The git commit of the working directory, if it is inside a git repository.

    Args:
        cwd: Directory to ask about (default: the current directory).

    Returns:
        ``{"commit": sha, "dirty": bool}`` or ``None`` outside a repository or
        when git is not installed.
    """
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


def utc_now() -> str:
    """The current time in ISO 8601, UTC, to the second."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def json_safe(value: Any) -> Any:
    """A JSON-safe copy of ``value``: tuples become lists, numpy scalars plain numbers.

    Anything JSON cannot hold is replaced by its ``repr``, so a policy parameter
    of an unusual type is still recorded, if only as text.
    """
    return json.loads(json.dumps(value, default=_fallback))


def _fallback(value: Any) -> Any:
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return repr(value)
