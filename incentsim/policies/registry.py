"""Policies registered by name, so scenario files can declare them with parameters.

Every subclass of :class:`~incentsim.policies.Policy` registers itself under its
class name when its class is defined; :func:`build_policy` turns a scenario-file
table such as ``{type = "IndividualBonus", metric = "csat", threshold = 0.95}``
into the policy and checks its parameters, so a bad file gets one error naming
the type or parameter and what is allowed.

Policies of your own reach scenario files in one of two ways: a Python file
loaded with :func:`load_policy_module` (``--policy-module FILE.py`` on the
command line), or a package that publishes its policy classes under the
:data:`ENTRY_POINT_GROUP` entry-point group (read the first time the registry
is asked for its names).
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import importlib.util
import inspect
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incentsim.errors import InputError, Problem

if TYPE_CHECKING:
    from incentsim.policies.base import Policy

_REGISTRY: dict[str, type[Policy]] = {}

#: Entry-point group under which installed packages publish policy classes.
ENTRY_POINT_GROUP = "incentsim.policies"

#: Entry points already read (None until the first lookup), and those that failed to load.
_ENTRY_POINTS_READ: list[str] | None = None
_ENTRY_POINT_FAILURES: dict[str, str] = {}

#: How to make a policy of your own known, said wherever a type is unknown.
HOW_TO_ADD = ("for a policy of your own, pass the Python file that defines it with --policy-module "
              "FILE.py (command line) or load it first with "
              "isim.policies.load_policy_module('FILE.py') (Python), or publish it under the "
              f"'{ENTRY_POINT_GROUP}' entry-point group")


def register(cls: type[Policy]) -> type[Policy]:
    """Register a policy class under its class name (done automatically on subclassing)."""
    _REGISTRY[cls.__name__] = cls
    return cls


def registered() -> dict[str, type[Policy]]:
    """Registered policy classes by name (built-ins are imported first)."""
    import incentsim.policies.builtin  # noqa: F401  (registers the built-ins)

    _read_entry_points()
    return dict(_REGISTRY)


def _read_entry_points() -> None:
    """Import the policy classes installed packages publish (once per process)."""
    global _ENTRY_POINTS_READ
    if _ENTRY_POINTS_READ is not None:
        return
    _ENTRY_POINTS_READ = []
    from incentsim.policies.base import Policy

    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = entry.load()
        except Exception as exc:  # noqa: BLE001  (a broken plug-in must not break every scenario)
            _ENTRY_POINT_FAILURES[entry.name] = f"{entry.value}: {type(exc).__name__}: {exc}"
            continue
        if not (isinstance(cls, type) and issubclass(cls, Policy)):
            _ENTRY_POINT_FAILURES[entry.name] = f"{entry.value} is not a Policy subclass"
            continue
        _REGISTRY.setdefault(entry.name, cls)  # also under the entry point's own name
        _ENTRY_POINTS_READ.append(entry.name)


def load_policy_module(source: str | Path) -> list[str]:
    """Import a file (or an importable module) of policies so scenario files can name them.

    Every :class:`~incentsim.policies.Policy` subclass the module defines registers
    itself under its class name. A module loaded from a file is also marked for
    pickling by value (cloudpickle), so worker processes and Dask workers that
    cannot import the file still run its policies.

    Args:
        source: A ``.py`` file, or a dotted module name on the import path.

    Returns:
        The type names of the policy classes the module defines.

    Raises:
        InputError: If the file is missing, fails to import (its error is quoted) or
            defines no policy.

    Example:
        >>> from incentsim.policies import load_policy_module
        >>> load_policy_module("incentsim.policies.flat")
        ['Flat']
    """
    from incentsim.policies.base import Policy

    text = str(source)
    path = Path(text)
    by_file = path.suffix == ".py" or path.exists()
    try:
        if by_file:
            if not path.is_file():
                raise InputError.single("policy module", "--policy-module", f"file {text!r} not found")
            module = _import_file(path)
        else:
            module = importlib.import_module(text)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001  (quote whatever the user's code raised)
        raise InputError.single("policy module", "--policy-module",
                                f"importing {text!r} failed: {type(exc).__name__}: {exc}") from exc
    names = [cls.__name__ for cls in vars(module).values()
             if isinstance(cls, type) and issubclass(cls, Policy) and cls is not Policy
             and cls.__module__ == module.__name__]
    if not names:
        raise InputError.single("policy module", "--policy-module",
                                f"{text!r} defines no subclass of incentsim.policies.Policy")
    return names


def _import_file(path: Path) -> Any:
    name = "incentsim_user_policies_" + path.resolve().stem.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InputError.single("policy module", "--policy-module", f"{str(path)!r} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    try:  # workers cannot import a file by path: ship its classes by value
        import cloudpickle

        cloudpickle.register_pickle_by_value(module)
    except (ImportError, ValueError):
        pass
    return module


def _parameters(cls: type[Policy]) -> tuple[list[str], list[str], bool]:
    """Names of (all, required) constructor parameters, and whether it takes ``*args``."""
    names, required, star = [], [], False
    for name, p in inspect.signature(cls.__init__).parameters.items():
        if name == "self":
            continue
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            star = True
            continue
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        names.append(name)
        if p.default is inspect.Parameter.empty:
            required.append(name)
    return names, required, star


def _close(name: str, allowed: list[str]) -> str | None:
    """The allowed name ``name`` is probably a misspelling of, if any."""
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return close[0] if close and name not in allowed else None


def _suggestion(name: str, allowed: list[str]) -> str:
    close = _close(str(name), allowed)
    return f" did you mean {close!r}?" if close else ""


def build_policy(spec: Mapping[str, Any]) -> Policy:
    """Build and check a policy from a scenario-file spec ``{"type": NAME, **params}``.

    Args:
        spec: The policy's type name and its parameters.

    Raises:
        InputError: Unknown type (naming the allowed ones), unknown or missing
            parameters (naming the allowed ones) or bad parameter values (naming
            the parameter and what is allowed). It is a ``ValueError``.

    Example:
        >>> from incentsim.policies import build_policy
        >>> build_policy({"type": "HandleTimeTarget", "minutes": 6})
        HandleTimeTarget(minutes=6, sanction='warning', tolerance=0.0, periods=1, min_calls=20, process_improvement=0.0)
    """
    known = registered()
    allowed_types = ", ".join(sorted(known))
    if not isinstance(spec, Mapping) or "type" not in spec:
        typo = next((k for k in spec if _close(str(k), ["type"])), None) if isinstance(spec, Mapping) else None
        found = f" ({str(typo)!r} looks like a misspelling of it)" if typo is not None else ""
        raise InputError.single("policy", "type", f"a policy needs a 'type'{found}; allowed: "
                                f"{allowed_types}")
    kind = spec["type"]
    if not isinstance(kind, str) or kind not in known:
        broken = "".join(f"; entry point {name!r} failed to load ({why})"
                         for name, why in _ENTRY_POINT_FAILURES.items())
        raise InputError.single("policy", "type", f"unknown policy type {kind!r}; allowed: "
                                f"{allowed_types}; {HOW_TO_ADD}{broken}")
    cls = known[kind]
    params = {k: v for k, v in spec.items() if k != "type"}
    names, required, star = _parameters(cls)
    accepted = names + (["policies"] if star else [])
    problems = [Problem(name, f"unknown parameter;{_suggestion(name, accepted)} allowed: "
                              f"{', '.join(accepted) or '(none)'}")
                for name in params if name not in accepted]
    problems += [Problem(name, "required parameter is missing") for name in required
                 if name not in params]
    if problems:
        raise InputError(f"policy {kind}", problems)
    policy = cls.from_params(params)
    policy._validate()
    return policy
