"""Helpers shared by CLI commands: turning bad input into one message and exit code 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from incentsim.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

#: Exit code for bad input.
EXIT_BAD_INPUT = 2


def handle_input_errors(func: F) -> F:
    """Decorate a click command so :class:`InputError` prints once and exits with code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]
