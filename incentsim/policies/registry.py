"""Policies registered by name, so scenario files can declare them with parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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


def build_policy(spec: Mapping[str, Any]) -> Policy:
    """Build a policy from a scenario-file spec ``{"type": NAME, **params}``.

    Raises:
        ValueError: Unknown type (naming the allowed ones) or bad parameters.
    """
    known = registered()
    if not isinstance(spec, Mapping) or "type" not in spec:
        raise ValueError(f"needs a 'type'; allowed: {', '.join(sorted(known))}")
    kind = spec["type"]
    if kind not in known:
        raise ValueError(f"unknown policy type {kind!r}; allowed: {', '.join(sorted(known))}")
    params = {k: v for k, v in spec.items() if k != "type"}
    try:
        return known[kind](**params)
    except TypeError as exc:
        raise ValueError(f"{kind}: {exc}") from None
