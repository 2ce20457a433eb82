"""axe-core on a page: the violations that block a reader, one line each.

Shared by the mock-shop screens and the built site, so both hold pages to the
same bar and describe a failure the same way.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_AXE = Axe()
BLOCKING = ("serious", "critical")


def blocking_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page, each with up to three
    of the elements it found them on."""
    found = []
    for violation in _AXE.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(
                f"{violation['id']} ({violation['impact']}: {violation['help']}) at {targets}"
            )
    return found
