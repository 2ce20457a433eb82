"""The Chromium that guidegen launches: Playwright's own settings kept, no hidden UI built."""

from __future__ import annotations

import re
from pathlib import Path

import playwright
from playwright.sync_api import Browser

from generator.browser import LAUNCH_ARGS


def _playwright_disabled_features() -> set[str]:
    """The features the installed Playwright disables when it launches Chromium,
    read from its driver's code (the list is not part of its API)."""
    driver = Path(playwright.__file__).parent / "driver" / "package" / "lib"
    for script in sorted(driver.rglob("*.js")):
        text = script.read_text("utf-8", errors="replace")
        found = re.search(r"disabledFeatures = \[(.*?)\]", text, re.S)
        if found:
            body = re.sub(r"//[^\n]*", "", found.group(1))
            return set(re.findall(r'"([A-Za-z]+)"', body))
    raise AssertionError(f"no disabledFeatures list under {driver}: see how Playwright sets it now")


def test_our_disabled_features_keep_every_one_playwright_disables() -> None:
    # Chromium reads only the last --disable-features: a feature left out of ours
    # would be turned back on behind Playwright's back.
    (flag,) = [arg for arg in LAUNCH_ARGS if arg.startswith("--disable-features=")]
    ours = set(flag.removeprefix("--disable-features=").split(","))
    theirs = _playwright_disabled_features()
    assert theirs, "Playwright's list was read as empty"
    assert theirs <= ours, f"add to PLAYWRIGHT_DISABLED_FEATURES: {sorted(theirs - ours)}"


def test_a_new_context_builds_no_omnibox_popup(browser: Browser) -> None:
    session = browser.new_browser_cdp_session()
    context = browser.new_context()
    try:
        context.new_page().set_content("<p>a page</p>")
        targets = session.send("Target.getTargets")["targetInfos"]
    finally:
        context.close()
        session.detach()
    assert [(t["type"], t["url"]) for t in targets] == [("page", "about:blank")]
