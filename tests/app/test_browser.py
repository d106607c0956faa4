"""``incentsim app`` in a real headless browser: it loads, a change and a run change the numbers.

The page is served by the command itself (a subprocess, runs in-process with
``--workers 1``) on a free local port and driven with selenium in Debian's
headless chromium. Console errors fail the test, and so does any request to a
host other than the local server (Panel must serve its own JavaScript and CSS).
The server and the browser are stopped whatever happens.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chrome, external, free_port, requested_urls, severe

pytest.importorskip("panel")
pytest.importorskip("selenium")

from app_scenarios import tiny  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

#: Finds elements by CSS selector through every shadow root (Panel renders into shadow DOM).
DEEP = """
const selector = arguments[0];
function walk(root) {
  let found = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found = found.concat(walk(el.shadowRoot));
  return found;
}
return walk(document);
"""


def deep(driver: Any, selector: str) -> list[Any]:
    return driver.execute_script(DEEP, selector)


def texts(driver: Any, selector: str) -> list[str]:
    """Text of every match, read in one script (no element handle can go stale)."""
    return driver.execute_script(DEEP.replace("return walk(document);",
                                              "return walk(document).map(e => e.innerText);"), selector)


def click(driver: Any, selector: str, text: str) -> None:
    """Click the first enabled match whose text is ``text`` (waiting for it)."""
    script = DEEP.replace("return walk(document);", """
      const el = walk(document).find(e => e.innerText.trim() === arguments[1] && !e.disabled);
      if (el) { el.click(); return true; } return false;""")
    wait_for(lambda: driver.execute_script(script, selector, text), 30, f"{selector} {text!r}")


def wait_for(check: Any, timeout: float = 60.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("app")
    scenario = tiny().save(folder / "tiny.toml")
    port = free_port()
    env = {**os.environ, "MPLBACKEND": "Agg"}
    command = [sys.executable, "-m", "incentsim", "app", str(scenario), "--port", str(port), "--no-show",
               "--workers", "1", "-n", "2"]
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"server exited: {(folder / 'server.log').read_text()}")
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0
        wait_for(up, 60, "the server")
        yield f"http://localhost:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        log.close()


@pytest.fixture(scope="module")
def page(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chrome(tmp_path_factory.mktemp("chromium-app"), 1280, 1400) as driver:
        driver.get(server)
        wait_for(lambda: "Run" in [t.strip() for t in texts(driver, "button")], 60, "the Run button")
        yield driver


def results(driver: Any) -> str:
    return " | ".join(texts(driver, "table.whatif-results td"))


def run_and_wait(driver: Any, run: int) -> str:
    click(driver, "button", "Run")
    done = f"Run {run}: 2 of 2 replications finished"
    wait_for(lambda: any(done in t for t in texts(driver, ".whatif-status")), 90, f"the results of run {run}")
    enabled = DEEP.replace("return walk(document);",
                           "return walk(document).some(e => e.innerText.trim() === 'Run' && !e.disabled);")
    wait_for(lambda: driver.execute_script(enabled, "button"), 30, "the run to end")
    return results(driver)


def test_page_loads_runs_and_a_change_changes_the_numbers(page: Any, server: str) -> None:
    assert "what if" in page.title.lower()
    assert "Press Run" in " ".join(texts(page, ".whatif-status"))
    first = run_and_wait(page, 1)
    assert "flat (baseline)" in first and "%" in first and "$" in first and " to " in first
    seed = deep(page, "input[placeholder=seed]")[0]
    seed.clear()
    seed.send_keys("7", Keys.TAB)  # a number input commits its value when it loses focus
    time.sleep(0.5)
    second = run_and_wait(page, 2)
    assert second != first
    if os.environ.get("INCENTSIM_SCREENSHOTS"):  # a picture to look at: INCENTSIM_SCREENSHOTS=DIR
        page.save_screenshot(str(Path(os.environ["INCENTSIM_SCREENSHOTS"]) / "incentsim-app.png"))


def test_teacher_tab_steps_the_red_bead_even_during_a_run(page: Any) -> None:
    click(page, "button", "Run")  # the Teacher tab is built while the server is busy running
    click(page, ".bk-tab", "Teacher")
    click(page, "button", "Next day")
    wait_for(lambda: any("Day 1:" in t for t in texts(page, ".red-bead-story")), 30, "day 1")


def test_no_console_errors_and_no_request_leaves_the_machine(page: Any, server: str) -> None:
    assert severe(page) == []
    urls = requested_urls(page)
    assert any(u.startswith(server) for u in urls)
    assert external(urls, (server.rstrip("/"), server.replace("localhost", "127.0.0.1").rstrip("/"),
                           "ws://localhost")) == []
