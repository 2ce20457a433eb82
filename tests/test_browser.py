"""The Chromium that guidegen launches: the headless shell when the system has it,
Playwright's own settings kept, no hidden UI built."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import playwright
import pytest
from playwright.sync_api import Playwright

from generator import browser as browser_module
from generator.browser import LAUNCH_ARGS, find_chromium, launch

FULL_CHROMIUM = Path("/usr/lib/chromium/chromium")
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")


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


def test_the_headless_shell_comes_before_the_full_browser(
    playwright: Playwright, monkeypatch: pytest.MonkeyPatch
) -> None:
    # scripts/setup.sh installs both, as CI does.
    assert FULL_CHROMIUM.is_file() and HEADLESS_SHELL.is_file()
    monkeypatch.delenv(browser_module.ENV_VAR, raising=False)
    if Path(playwright.chromium.executable_path).is_file():
        pytest.skip("Playwright's own Chromium comes first on this machine")
    assert find_chromium(playwright) == str(HEADLESS_SHELL)


def test_a_new_context_builds_no_omnibox_popup(
    playwright: Playwright, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The full browser is the one that builds the pop-ups; the headless shell has
    # no toolbar, so the flag is checked where it matters.
    monkeypatch.setenv(browser_module.ENV_VAR, str(FULL_CHROMIUM))
    chromium = launch(playwright)
    try:
        session = chromium.new_browser_cdp_session()
        chromium.new_context().new_page().set_content("<p>a page</p>")
        targets = session.send("Target.getTargets")["targetInfos"]
    finally:
        chromium.close()
    assert [(t["type"], t["url"]) for t in targets] == [("page", "about:blank")]


# Runs in a child with its own Playwright browsers folder (the driver reads the
# variable when it starts): first as `playwright install --no-shell chromium`
# leaves it, then with the headless shell beside the full browser, each a link
# to the system's binary. Prints the binary each launch ran.
_OWN_BROWSERS = """
import json, os, re, sys
from pathlib import Path
from playwright.sync_api import Error, sync_playwright
from generator.browser import launch

def ours(pid):
    while pid > 1:
        if pid == os.getpid():
            return True
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return False

def launched(p):
    browser = launch(p)
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                exe = os.readlink(entry / "exe")
                if "chromium" in exe and ours(int(entry.name)):
                    found.add(exe)
            except OSError:
                continue
    browser.close()
    return sorted(found)

full_target, shell_target = sys.argv[1:3]
with sync_playwright() as p:
    full = Path(p.chromium.executable_path)
    try:
        p.chromium.launch(headless=True)
        raise SystemExit("Playwright launched a headless shell from an empty folder")
    except Error as error:
        shell = Path(re.search(r"Executable doesn't exist at (\\S+)", str(error)).group(1))
    full.parent.mkdir(parents=True)
    full.symlink_to(full_target)
    without_shell = launched(p)
    shell.parent.mkdir(parents=True)
    shell.symlink_to(shell_target)
    print(json.dumps([without_shell, launched(p)]))
"""


def test_playwrights_own_headless_shell_comes_before_its_full_browser(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != browser_module.ENV_VAR}
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", _OWN_BROWSERS, str(FULL_CHROMIUM), str(HEADLESS_SHELL)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    without_shell, with_shell = json.loads(result.stdout)
    assert without_shell == [str(FULL_CHROMIUM)]
    assert with_shell == [str(HEADLESS_SHELL)]
