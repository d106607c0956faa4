"""Headless chromium for the browser tests (Debian's chromium and chromedriver, driven by selenium).

Skips the calling test when selenium, chromium or chromedriver is missing. The
driver always quits, so no browser process outlives its test module.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: Start-up flags: headless, no sandbox (root in CI), and nothing that phones home.
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run")


def browser_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def chrome(profile: Path, width: int = 1280, height: int = 2000) -> Iterator[Any]:
    """A headless chromium driver with a fresh profile, browser and performance logs on."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    binary = browser_binary()
    driver_path = CHROMEDRIVER if CHROMEDRIVER.exists() else (Path(p) if (p := shutil.which("chromedriver")) else None)
    if binary is None or driver_path is None:
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (*FLAGS, f"--window-size={width},{height}", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (from the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def external(urls: list[str], allowed: tuple[str, ...]) -> list[str]:
    """URLs that leave the allowed prefixes (browser-internal pages aside)."""
    internal = ("chrome://", "chrome-untrusted://", "chrome-extension://", "data:", "blob:", "about:")
    return [u for u in urls if not u.startswith(internal + allowed)]


def severe(driver: Any) -> list[dict[str, Any]]:
    """Console errors since the last call."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
