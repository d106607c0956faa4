"""The HTML report in a real headless browser (Debian's chromium and chromedriver, driven by selenium).

It must render (title, comparison table), every image must load, and the browser
console must show no errors. Skipped only when chromium or chromedriver is not installed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _browser_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    binary = _browser_binary()
    driver_path = CHROMEDRIVER if CHROMEDRIVER.exists() else (Path(p) if (p := shutil.which("chromedriver")) else None)
    if binary is None or driver_path is None:
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,1600",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def loaded(driver, report_file: Path):
    driver.get(report_file.resolve().as_uri())
    driver.execute_script("return document.readyState")  # page load is complete when get() returns
    return driver


def test_report_renders_title_and_tables(loaded, experiment):
    from selenium.webdriver.common.by import By

    assert loaded.title.startswith("incentsim report: ")
    tables = loaded.find_elements(By.CSS_SELECTOR, "table.comparison")
    assert len(tables) >= 5 and all(t.is_displayed() for t in tables)
    first = [td.text.split("\n")[0] for td in tables[0].find_elements(By.CSS_SELECTOR, "tbody td.policy")]
    assert first == experiment.policies
    assert loaded.find_element(By.CSS_SELECTOR, "p.verdict").text.strip()


def test_every_column_is_visible_at_1280_pixels(loaded):
    """A screenshot-level check: no table is wider than the window, and every cell lies inside it."""
    width = loaded.execute_script("return document.documentElement.clientWidth")
    assert width <= 1280
    assert loaded.execute_script("return document.documentElement.scrollWidth") <= width
    outside = loaded.execute_script("""
        const w = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('table.comparison th, table.comparison td'))
          .filter(c => { const r = c.getBoundingClientRect(); return r.left < 0 || r.right > w || r.width < 40; })
          .map(c => c.innerText.slice(0, 40));""")
    assert outside == []
    if os.environ.get("INCENTSIM_SCREENSHOTS"):  # a picture to look at: INCENTSIM_SCREENSHOTS=DIR
        loaded.save_screenshot(str(Path(os.environ["INCENTSIM_SCREENSHOTS"]) / "incentsim-report-1280.png"))


def test_every_image_loads(loaded):
    states = loaded.execute_script(
        "return Array.from(document.images).map(img => "
        "({complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, alt: img.alt}));")
    assert len(states) >= 5
    broken = [s["alt"] for s in states if not (s["complete"] and s["width"] > 0 and s["height"] > 0)]
    assert not broken, f"images that did not load: {broken}"


def test_no_console_errors(loaded):
    entries = loaded.get_log("browser")
    severe = [e for e in entries if e.get("level") == "SEVERE"]
    assert not severe, f"console errors: {severe}"


def test_no_network_requests_beyond_the_file(loaded):
    urls = loaded.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);")
    assert [u for u in urls if not u.startswith(("data:", "file:"))] == []
