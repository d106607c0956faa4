"""Policies registered by name, so scenario files can declare them with parameters.

Every subclass of :class:`~incentsim.policies.Policy` registers itself under its
class name when its class is defined; :func:`build_policy` turns a scenario-file
table such as ``{type = "IndividualBonus", metric = "csat", threshold = 0.95}``
into the policy and checks its parameters, so a bad file gets one error naming
the type or parameter and what is allowed.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from incentsim.errors import InputError, Problem

if TYPE_CHECKING:
    from incentsim.policies.base import Policy

_REGISTRY: dict[str, type[Policy]] = {}


def register(cls: type[Policy]) -> type[Policy]:
    """Register a policy class under its class name (done automatically on subclassing)."""
    _REGISTRY[cls.__name__] = cls
    return cls


def registered() -> dict[str, type[Policy]]:
    """Registered policy classes by name (built-ins are imported first)."""
    import incentsim.policies.builtin  # noqa: F401  (registers the built-ins)

    return dict(_REGISTRY)


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
        HandleTimeTarget(minutes=6, sanction='warning', tolerance=0.0, periods=1, threat=None, min_calls=20)
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
        raise InputError.single("policy", "type",
                                f"unknown policy type {kind!r}; allowed: {allowed_types}")
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
