"""The scenario library shipped with the package (the repository's ``scenarios/`` folder).

Each file opens with a comment stating the claim it explores and its source. Load
one by name with :meth:`incentsim.Scenario.shipped`; the command line accepts a
shipped name wherever it takes a scenario file (``incentsim run forced_ranking``),
and ``incentsim run`` with no file runs ``baseline``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from incentsim.errors import InputError


def shipped_dir() -> Path:
    """Folder of the shipped scenario files."""
    return Path(str(files("incentsim") / "scenarios"))


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (file stems), sorted."""
    folder = shipped_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def shipped_path(name: str) -> Path:
    """Path of a shipped scenario by name (``"baseline"`` or ``"baseline.toml"``).

    Raises:
        InputError: For an unknown name, listing the shipped ones.
    """
    stem = name[:-5] if name.endswith(".toml") else name
    if stem not in shipped_names():
        allowed = ", ".join(shipped_names()) or "(none installed)"
        raise InputError.single("scenario", "name", f"no shipped scenario {name!r}; shipped: {allowed}")
    return shipped_dir() / f"{stem}.toml"


def resolve(spec: str | Path) -> Path:
    """A scenario file from a path, or from a shipped scenario's name.

    Raises:
        InputError: If ``spec`` is neither an existing file nor a shipped name.
    """
    path = Path(spec)
    if path.is_file():
        return path
    if path.parent == Path(".") and path.suffix in ("", ".toml"):
        stem = path.stem
        if stem in shipped_names():
            return shipped_dir() / f"{stem}.toml"
    allowed = ", ".join(shipped_names()) or "(none installed)"
    raise InputError.single(str(spec), "file",
                            f"cannot read: no such file (or name a shipped scenario: {allowed})")
