"""Stopping ``incentsim run`` with signals (issue 12), with real processes and two workers.

SIGTERM once killed the main process and left loky workers and the resource
tracker running; Ctrl-C with two workers printed loky's ``InvalidStateError:
CANCELLED`` traceback after the clean message. Now both keep the finished
batches, print one clean message, exit 128 + the signal, and leave no process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from strategies_experiment import small_baseline

POLICIES = {"flat": {"type": "Flat"}, "aht": {"type": "HandleTimeTarget", "minutes": 6.0}}


def alive(group: int) -> list[str]:
    """Processes of a process group that are still running (zombies excluded)."""
    ps = subprocess.run(["ps", "-o", "stat=,args=", "-g", str(group)], capture_output=True, text=True)
    return [line for line in ps.stdout.splitlines() if line.strip() and not line.lstrip().startswith("Z")]


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and ps -g as on Linux")
@pytest.mark.parametrize("how, code", [("SIGTERM to the main process", 143),
                                       ("Ctrl-C to the whole group", 130)])
def test_a_signal_keeps_finished_batches_and_leaves_no_process(tmp_path: Path, how: str,
                                                                 code: int) -> None:
    path = small_baseline(name="small", policies=POLICIES, baseline="flat").save(tmp_path / "s.toml")
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from incentsim.cli import main; main()", "run", str(path),
               "-n", "20", "--workers", "2", "--out", str(out), "--no-report"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.incentsim-run-*/summaries/*.parquet")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    if how.startswith("SIGTERM"):
        os.kill(proc.pid, signal.SIGTERM)
    else:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode == code, text
    assert "--resume" in text and "Traceback" not in text and "InvalidStateError" not in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "partial" and manifest["cells"]["done"] > 0
    deadline = time.monotonic() + 15
    while alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive(proc.pid) == []  # no worker, no resource tracker
