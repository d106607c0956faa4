"""Problems with a scenario: pydantic's errors as dotted-path problems, and cross-field checks.

Field checks (types, ranges) live on the blocks; checks that need several blocks
(an intraday profile's length against the opening hours, a declared baseline,
the scenario's size) live here and read the raw nested dict, skipping whatever
the field checks will report, so that a file with bad fields *and* cross-field
problems gets every problem in one message. An unknown key gets the closest
allowed key as a suggestion (``center.month``: did you mean ``months``?).
"""

from __future__ import annotations

import difflib
import math
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from incentsim.errors import Problem
from incentsim.scenario.limits import size_problems

#: Longest rendering of an offending value in a message.
MAX_SHOWN = 60


def cross_field_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Checks across blocks, on a raw (possibly invalid) nested scenario dict.

    A check whose inputs are missing or unusable is skipped: the field checks
    report those.
    """
    out = []
    profile = _get(data, "demand", "intraday_profile")
    hours = _get(data, "center", "hours_per_day")
    if hours is _MISSING:
        from incentsim.scenario.operation import Center

        hours = Center.model_fields["hours_per_day"].default
    usable_hours = isinstance(hours, int | float) and not isinstance(hours, bool) and \
        math.isfinite(hours) and 0 < hours <= 24
    if isinstance(profile, list | tuple) and profile and usable_hours:
        need = math.ceil(hours)
        if len(profile) != need:
            out.append(Problem("demand.intraday_profile",
                               f"has {len(profile)} entries; it needs ceil(center.hours_per_day) "
                               f"= {need}, one per opening hour"))
    baseline, policies = data.get("baseline", ""), data.get("policies", {})
    if isinstance(baseline, str) and baseline and isinstance(policies, Mapping) \
            and baseline not in policies:
        allowed = ", ".join(map(str, policies)) or "(no policies declared)"
        out.append(Problem("baseline", f"{baseline!r} is not a declared policy; allowed: {allowed}"))
    return out + size_problems(data)


def validation_problems(exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors as problems with dotted paths, readable messages and suggestions."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc)
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            msg = unknown_key_message(root, loc)
        elif "input" in err and err["type"] != "missing" and not isinstance(err["input"], dict | list):
            msg = f"{msg} (got {shown(err['input'])})"
        out.append(Problem(path or "scenario", msg))
    return out


def unknown_key_message(root: type[BaseModel], loc: Sequence[Any]) -> str:
    """``unknown key`` with the closest allowed key, or the allowed keys."""
    allowed = _allowed_keys(root, loc[:-1])
    if not allowed:
        return "unknown key (check the spelling against the scenario reference)"
    key = str(loc[-1])
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if not close:
        close = [a for a in allowed if a.lower() == key.lower() or a.startswith(key) or key.startswith(a)][:1]
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key; allowed: {', '.join(allowed)}"


def shown(value: Any) -> str:
    """A value as it appears in a message, cut to :data:`MAX_SHOWN` characters."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"an integer of {len(str(abs(value)))} digits"
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return f"a {type(value).__name__}"
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."


def _allowed_keys(root: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return []
        model = _block(fields[part].annotation)
        if model is None:
            return []
    fields = getattr(model, "model_fields", None)
    return list(fields) if fields else []


def _block(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


_MISSING = object()


def _get(data: Mapping[str, Any], block: str, key: str) -> Any:
    node = data.get(block, {})
    if not isinstance(node, Mapping):
        return None
    return node.get(key, _MISSING)
