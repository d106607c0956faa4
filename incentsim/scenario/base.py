"""Shared base for scenario blocks: frozen, strict, finite, bounded; unknown keys rejected.

Every rule here applies to every field of every block, including fields added
later, so no block needs per-field code for them:

* **Strict numbers.** A number field takes a TOML integer or float, never a
  boolean or a string (``calls_per_hour = true`` is an error, not 1.0); an
  integer field takes only an integer (``months = 6.5`` and ``months = 6.0`` are
  errors).
* **Finite.** ``inf`` and ``nan`` are refused everywhere (``allow_inf_nan=False``).
* **Bounded.** A number field whose own constraints leave a side open is held
  within :data:`MAX_MAGNITUDE` on that side, so no parameter can be astronomically
  large. Fields where size drives memory or time carry tighter bounds of their
  own, and whole-scenario size limits live in :mod:`incentsim.scenario.limits`.

The limits and the reasons for them are in ``docs/reference/limits.md``.
"""

from __future__ import annotations

import functools
import math
import numbers
import types
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

#: Largest magnitude a number field may take when its own bounds leave a side open.
MAX_MAGNITUDE: float = 1e6


class Block(BaseModel):
    """A frozen, validated block of a scenario; unknown keys are errors.

    Numbers are strict (no booleans or strings), finite, and within
    :data:`MAX_MAGNITUDE` where a field sets no bound of its own.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True,
                              allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        kind = _field_kinds(cls).get(info.field_name or "")
        if kind is None:
            return value
        if kind == "floats":
            if isinstance(value, list | tuple):
                for index, item in enumerate(value):
                    _check_number(item, "float", f"entry {index}: ")
            return value
        if value is None and kind.endswith("?"):
            return value
        _check_number(value, kind.rstrip("?"))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _within_magnitude(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        kind = _field_kinds(cls).get(name)
        if kind is None or value is None:
            return value
        low_open, high_open = _open_sides(cls, name)
        items = value if kind == "floats" else (value,)
        for index, item in enumerate(items):
            if (high_open and item > MAX_MAGNITUDE) or (low_open and item < -MAX_MAGNITUDE):
                where = f"entry {index}: " if kind == "floats" else ""
                span = ("between -{limit} and {limit}" if low_open and high_open
                        else "at most {limit}" if high_open else "at least -{limit}")
                raise PydanticCustomError(
                    "number_too_large",
                    f"{where}must be {span} (the limit for a number without a bound of its own)",
                    {"limit": f"{MAX_MAGNITUDE:,.0f}"})
        return value


def _check_number(value: Any, kind: str, where: str = "") -> None:
    """Refuse booleans and strings for numbers, and non-integers for integers."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise PydanticCustomError("strict_number", f"{where}must be a number, not a boolean")
    if kind == "int":
        if not isinstance(value, numbers.Integral):
            what = "a string" if isinstance(value, str) else f"a {type(value).__name__}"
            raise PydanticCustomError("strict_int", f"{where}must be a whole number (an integer "
                                      "such as 3), not {what}", {"what": what})
        return
    if not isinstance(value, numbers.Real):
        what = "a string" if isinstance(value, str) else f"a {type(value).__name__}"
        raise PydanticCustomError("strict_number", f"{where}must be a number, not {{what}}",
                                  {"what": what})
    if isinstance(value, numbers.Integral):
        try:
            float(value)
        except OverflowError:
            raise PydanticCustomError("number_too_large", f"{where}is too large for a number") from None
    elif not math.isfinite(float(value)):
        raise PydanticCustomError("finite_number", f"{where}must be a finite number (not inf or nan)")


def _kind(annotation: Any) -> str | None:
    """``float``, ``int``, ``float?``/``int?`` (optional), ``floats`` (array of float) or None."""
    if annotation is float or annotation is int:
        return annotation.__name__
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and rest[0] in (float, int):
            return f"{rest[0].__name__}?"
    if origin in (tuple, list) and args and args[0] is float:
        return "floats"
    return None


@functools.cache
def _field_kinds(cls: type[BaseModel]) -> dict[str, str]:
    out = {}
    for name, field in cls.model_fields.items():
        kind = _kind(field.annotation)
        if kind is not None:
            out[name] = kind
    return out


def field_bound(cls: type[BaseModel], name: str, side: str) -> Any:
    """The bound a field's own constraint sets, so that code sizing a value to fit reads it from here.

    Args:
        cls: The scenario block, e.g. ``Center``.
        name: The field, e.g. ``"tier1_agents"``.
        side: ``"ge"``, ``"gt"``, ``"le"``, ``"lt"`` or ``"max_length"``.

    Raises:
        KeyError: If the field has no such bound.
    """
    for meta in cls.model_fields[name].metadata:
        value = getattr(meta, side, None)
        if value is not None:
            return value
    raise KeyError(f"{cls.__name__}.{name} has no {side} bound")


@functools.cache
def _open_sides(cls: type[BaseModel], name: str) -> tuple[bool, bool]:
    """Whether the field's own constraints leave its (low, high) side unbounded."""
    low = high = False
    for meta in cls.model_fields[name].metadata:
        if isinstance(meta, annotated_types.Ge | annotated_types.Gt):
            low = True
        if isinstance(meta, annotated_types.Le | annotated_types.Lt):
            high = True
        if isinstance(meta, annotated_types.Interval):
            low = low or meta.ge is not None or meta.gt is not None
            high = high or meta.le is not None or meta.lt is not None
    return not low, not high
