"""SIGTERM handled like Ctrl-C, and signals held while results move into place (issue 12)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from incentsim.experiment.interrupts import Interrupted, deferred, exit_code, terminate_like_interrupt

pytestmark = pytest.mark.skipif(threading.current_thread() is not threading.main_thread()
                                or not hasattr(signal, "SIGTERM") or os.name != "posix",
                                reason="signal handlers need the main thread of a POSIX process")


def test_sigterm_raises_like_ctrl_c_and_exits_143() -> None:
    with terminate_like_interrupt(), pytest.raises(KeyboardInterrupt) as info:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
    assert isinstance(info.value, Interrupted) and exit_code(info.value) == 143
    assert exit_code(KeyboardInterrupt()) == 130
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back afterwards


def test_a_signal_during_the_move_into_place_is_delivered_after_it() -> None:
    finished = False
    with terminate_like_interrupt(), pytest.raises(Interrupted) as info:
        with deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # a handler would have run by now
            finished = True
    assert finished and info.value.signum == signal.SIGTERM
