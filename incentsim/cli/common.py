"""Helpers shared by CLI commands: bad input as one message and exit code 2; policies of your own."""

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


def _load_policy_modules(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    from incentsim.policies.registry import load_policy_module

    for value in values:
        try:
            load_policy_module(value)
        except InputError as exc:
            raise click.BadParameter("; ".join(p.message for p in exc.problems), ctx, param) from None


def policy_module_option(func: F) -> F:
    """Add ``--policy-module FILE.py`` (repeatable): load policies of your own before the scenario.

    The option is eager and consumed by its callback, so the command's function
    never sees it and scenario files can name the module's policy classes.
    """
    option = click.option(
        "--policy-module", "policy_modules", multiple=True, metavar="FILE.py", expose_value=False,
        is_eager=True, callback=_load_policy_modules,
        help="A Python file (or module) defining policies the scenario names by class name; repeatable.")
    return option(func)  # type: ignore[return-value]
