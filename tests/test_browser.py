"""The Chromium that guidegen launches: the system's, its headless shell first,
Playwright's own only where there is none; Playwright's settings kept, no hidden
UI built."""

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

from guidegen.capture import browser as browser_module
from guidegen.capture.browser import LAUNCH_ARGS, launch, system_chromium

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


def test_the_systems_headless_shell_comes_before_its_full_browser() -> None:
    # scripts/setup.sh installs both, as CI does.
    assert FULL_CHROMIUM.is_file() and HEADLESS_SHELL.is_file()
    assert system_chromium() == str(HEADLESS_SHELL)


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
# variable when it starts), laid out as `playwright install chromium` leaves it,
# each binary a link to the system's. Prints the binary each launch ran, as
# Playwright named it: with the system's Chromium hidden, first as an install
# with --no-shell leaves it, then with the headless shell beside the full
# browser; then with the system's Chromium back.
_OWN_BROWSERS = """
import json, os, re, sys
from pathlib import Path
from playwright.sync_api import Error, sync_playwright
from guidegen.capture import browser

def parent(pid):
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

def ours(pid):
    while pid > 1:
        if pid == os.getpid():
            return True
        pid = parent(pid)
    return False

def launched(p):
    chromium = browser.launch(p)
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\\0")
            if b"--remote-debugging-pipe" in argv and ours(int(entry.name)):
                found[int(entry.name)] = (argv[0].decode(), parent(int(entry.name)))
        except (OSError, ValueError):
            continue
    chromium.close()
    # A child the browser is starting shows the browser's command line until
    # it runs its own program: only the browser itself has another parent.
    return [name for name, ppid in found.values() if ppid not in found]

full_target, shell_target, empty = sys.argv[1:4]
with sync_playwright() as p:
    full = Path(p.chromium.executable_path)
    try:
        p.chromium.launch(headless=True)
        raise SystemExit("Playwright launched a headless shell from an empty folder")
    except Error as error:
        shell = Path(re.search(r"Executable doesn't exist at (\\S+)", str(error)).group(1))
    full.parent.mkdir(parents=True)
    full.symlink_to(full_target)
    system, path = browser.SYSTEM_CANDIDATES, os.environ["PATH"]
    browser.SYSTEM_CANDIDATES, os.environ["PATH"] = (), empty
    runs = [launched(p)]
    shell.parent.mkdir(parents=True)
    shell.symlink_to(shell_target)
    runs.append(launched(p))
    browser.SYSTEM_CANDIDATES, os.environ["PATH"] = system, path
    runs.append(launched(p))
    print(json.dumps({"full": str(full), "shell": str(shell), "runs": runs}))
"""


def test_the_system_comes_first_and_playwrights_own_shell_before_its_full_browser(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != browser_module.ENV_VAR}
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "browsers")
    (tmp_path / "empty").mkdir()
    args = [str(FULL_CHROMIUM), str(HEADLESS_SHELL), str(tmp_path / "empty")]
    result = subprocess.run(
        [sys.executable, "-c", _OWN_BROWSERS, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["runs"] == [[found["full"]], [found["shell"]], [str(HEADLESS_SHELL)]]
