"""Errors raised for bad input.

Every problem a user can fix (a malformed scenario file, an unknown policy, a CSV
with missing columns) raises :class:`InputError`. It carries every problem found
in one pass, each with the dotted path of the field and what is allowed, so a
user fixes a file in one round rather than one error at a time. The command line
turns it into one message on standard error and exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Attributes:
        field: Dotted path of the offending field (``demand.calls_per_hour``), or
            the column or option name for non-scenario inputs.
        message: What is wrong and what is allowed.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(ValueError):
    """Bad input, with every problem found listed at once.

    Args:
        source: What was being read (a file name, ``"scenario"``, ``"policy"``).
        problems: The problems found; at least one.
    """

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [f"invalid {source} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    @classmethod
    def single(cls, source: str, field: str, message: str) -> InputError:
        """Build an error with one problem."""
        return cls(source, [Problem(field, message)])
