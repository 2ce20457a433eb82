"""Finding and launching Chromium.

The browser is looked up in this order: the GUIDEGEN_CHROMIUM environment
variable, then the system's Chromium: its headless shell (Debian's
chromium-headless-shell), else the full browser (Debian's chromium puts the real
binary in /usr/lib/chromium; /usr/bin/chromium is a wrapper script that adds
flags of its own). Playwright's own browser is the fallback, for machines that
can download it (`playwright install chromium`); nothing here downloads one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

# Playwright is imported only for type checking here, so that commands that
# never start a browser (lint, render) do not pay for importing it.
if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

ENV_VAR = "GUIDEGEN_CHROMIUM"

# The headless shell is the same engine without the browser's windows and
# toolbar: it draws the same pixels (a forced capture of the example project
# wrote 0 files) for half the CPU per launch and per browser context, which
# every guide run opens.
SYSTEM_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)

# Playwright launches Chromium with a --disable-features list of its own, and
# Chromium reads only the last --disable-features it is given: so ours repeats
# Playwright's (as of 1.65; a test checks that it still holds all of them).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# Full Chromium, headless, still builds its omnibox pop-ups (WebUI pages, each in
# a renderer of its own) for every new window, and every browser context opens
# one: about 0.15 s of CPU per context, for a toolbar nobody sees.
OMNIBOX_POPUPS = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")

# Quiet and offline: no sync, no component downloads, no first-run UI, and
# font hinting off so glyphs render the same on every machine.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--font-render-hinting=none",
    "--disable-lcd-text",
    "--force-color-profile=srgb",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + OMNIBOX_POPUPS),
)


class BrowserNotFound(Exception):
    pass


def configured_chromium() -> str | None:
    """The Chromium binary GUIDEGEN_CHROMIUM names; None when it is not set.
    Needs no Playwright, so a wrong setting is said before anything starts."""
    from_env = os.environ.get(ENV_VAR)
    if not from_env:
        return None
    if Path(from_env).is_file():
        return from_env
    raise BrowserNotFound(
        f"{ENV_VAR}={from_env} is not a file; point it at a Chromium binary or unset it"
    )


def system_chromium() -> str | None:
    """The system's Chromium, its headless shell first; None when there is none."""
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return (
        shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def chosen_chromium() -> str | None:
    """The Chromium binary a launch starts now; None for Playwright's own."""
    return configured_chromium() or system_chromium()


def launch(playwright: Playwright, *extra_args: str) -> Browser:
    """Chromium, headless, with LAUNCH_ARGS and then extra_args."""
    args = [*LAUNCH_ARGS, *extra_args]
    executable = chosen_chromium()
    if executable is not None:
        return _launch(playwright, executable, args)
    return _launch_playwrights_own(playwright, args)


def _launch(playwright: Playwright, executable: str, args: list[str]) -> Browser:
    from playwright.sync_api import Error

    try:
        return playwright.chromium.launch(executable_path=executable, args=args, headless=True)
    except Error as error:
        why = str(error).splitlines()[0].removeprefix("BrowserType.launch: ")
        raise BrowserNotFound(
            f"Chromium at {executable} did not start ({why}); "
            f"point {ENV_VAR} at a working Chromium binary, or unset it"
        ) from None


def _launch_playwrights_own(playwright: Playwright, args: list[str]) -> Browser:
    """Playwright's own browser, where `playwright install chromium` could download
    it. Left to choose, Playwright runs its headless shell, which that command puts
    beside the full browser; an install without it (--no-shell) has only the full one."""
    from playwright.sync_api import Error

    try:
        return playwright.chromium.launch(args=args, headless=True)
    except Error:
        full = playwright.chromium.executable_path
        if Path(full).is_file():
            return _launch(playwright, full, args)
    raise BrowserNotFound(
        "no Chromium found: install Debian's packages (apt-get install "
        f"chromium-headless-shell fonts-noto-cjk), or set {ENV_VAR} to a Chromium binary"
    )
