"""Typed reads of widget values (Panel types them as optional)."""

from __future__ import annotations

from typing import Any


def int_of(widget: Any) -> int:
    """A number widget's value as an int (0 if empty)."""
    value = widget.value
    return int(value) if value is not None else 0


def float_of(widget: Any) -> float:
    """A number widget's value as a float (0.0 if empty)."""
    value = widget.value
    return float(value) if value is not None else 0.0
