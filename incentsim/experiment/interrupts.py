"""Interrupts: Ctrl-C and SIGTERM stop a run the same way, and never mid-commit.

A long run is stopped by Ctrl-C (SIGINT) at a terminal, and by SIGTERM from a
job scheduler, ``timeout``, ``kill`` or a container stopping. Both should keep
the batches that finished and leave a folder ``--resume`` can complete, so
:func:`terminate_like_interrupt` makes SIGTERM raise :class:`Interrupted` (a
:class:`KeyboardInterrupt`) in the main thread as SIGINT does. The exit code
follows the shell convention, 128 + the signal number: 130 after Ctrl-C, 143
after SIGTERM.

Moving results into place must not be cut in half by a second signal, so
:func:`deferred` holds SIGINT and SIGTERM for the few milliseconds it takes and
delivers them afterwards.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

#: The signals that stop a run.
STOP_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A run stopped by a signal (Ctrl-C or SIGTERM).

    Args:
        signum: The signal received.
    """

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)


#: The last stop signal received while :func:`terminate_like_interrupt` was active.
_received: int | None = None


def received() -> int | None:
    """The stop signal received during the current run, if any."""
    return _received


def exit_code(exc: BaseException) -> int:
    """Shell exit code for a run stopped by ``exc``: 128 + the signal number (130 for Ctrl-C)."""
    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    return 128 + int(signum)


def _raise(signum: int, frame: FrameType | None) -> None:
    global _received
    _received = signum
    raise Interrupted(signum)


@contextlib.contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread.

    Outside the main thread (where Python cannot set handlers) it does nothing.
    """
    global _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received = None
    previous = {s: signal.signal(s, _raise) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        _received = None


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM during the block; deliver any that arrived after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    previous: dict[signal.Signals, Any] = {s: signal.signal(s, hold) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        if pending:
            _deliver(pending[0], previous[signal.Signals(pending[0])])


def _deliver(signum: int, handler: Callable[[int, FrameType | None], Any] | int | None) -> None:
    if callable(handler):
        handler(signum, None)
    elif signum == signal.SIGINT:
        raise KeyboardInterrupt
    else:
        signal.raise_signal(signum)
