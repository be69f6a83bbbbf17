"""A real headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by
Selenium; tests that need it skip cleanly where either is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Screenshots land here (``CORPUS_TEST_ARTIFACTS`` to change it); look at them.
ARTIFACTS = Path(os.environ.get("CORPUS_TEST_ARTIFACTS") or REPO / "test-artifacts")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)


def find(names: tuple[str, ...], extra: tuple[str, ...] = ()) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in extra if Path(path).is_file()), None)


def start_chromium(javascript: bool = True):  # type: ignore[no-untyped-def]
    """A headless Chromium session (``pytest.skip`` when there is no browser to drive)."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install .[test])")
    from selenium.webdriver.chrome.service import Service

    browser = find(BROWSERS)
    driver = find(DRIVERS, ("/usr/lib/chromium/chromedriver",))
    if browser is None or driver is None:
        pytest.skip("no chromium and chromedriver here (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ar", "--disable-gpu"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(driver), options=options)


def screenshot(session, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save the whole page as ``ARTIFACTS/name.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = session.execute_script("return document.documentElement.scrollHeight") if _scripts_run(session) else 1000
    session.set_window_size(1280, min(max(int(height), 600), 4000))
    session.save_screenshot(str(path))
    return path


def _scripts_run(session) -> bool:  # type: ignore[no-untyped-def]
    try:
        return session.execute_script("return true") is True
    except Exception:  # noqa: BLE001 - JavaScript disabled
        return False
