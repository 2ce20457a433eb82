"""Regenerate mockshop/preview/*.png: one small screenshot per screen and look.

Run from the repository root:  python mockshop/make_previews.py

Screens are reached through the shop's own URLs and clicks (no test hooks), in
Japanese, at device scale factor 1 so the files stay small. The dark theme's
previews go to preview/<platform>/dark/.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guidegen.capture.browser import launch  # noqa: E402
from guidegen.server import serve  # noqa: E402

SHOP = ROOT / "mockshop"
OUT = SHOP / "preview"
PLATFORMS = ("ios", "android", "web")
SCHEMES = ("light", "dark")
DEVICES = {"ios": "iPhone 13", "android": "Pixel 7"}


def ready(page: Page) -> None:
    page.wait_for_selector("body[data-ready='true']")


def tap(page: Page, testid: str) -> None:
    page.get_by_test_id(testid).click()
    ready(page)


def assistant_write(page: Page) -> None:
    tap(page, "assistant-choice-damaged")


def assistant_sent(page: Page) -> None:
    tap(page, "assistant-choice-damaged")
    page.get_by_test_id("assistant-message-input").fill(
        "届いたブックエンドの角が欠けていました。交換をお願いできますか。"
    )
    tap(page, "assistant-send")


def sent_after_assistant(page: Page) -> None:
    assistant_sent(page)
    tap(page, "assistant-view-messages")


def return_done(page: Page) -> None:
    tap(page, "return-submit")


def claim_done(page: Page) -> None:
    page.get_by_test_id("claim-details").fill("セットの片方が入っていませんでした。")
    tap(page, "claim-submit")


# (file stem, scenario, hash route, optional actions after loading)
Shot = tuple[str, str, str, Callable[[Page], None] | None]
SHOTS: list[Shot] = [
    ("01-home", "damaged-item", "#/", None),
    ("02-account", "damaged-item", "#/account", None),
    ("03-order-list", "damaged-item", "#/orders", None),
    ("04-order-detail-seller", "damaged-item", "#/orders/1001", None),
    ("05-order-detail-marketplace-ships", "marketplace-shipped", "#/orders/1002", None),
    ("06-order-detail-marketplace", "damaged-item", "#/orders/1003", None),
    ("07-assistant-choose", "damaged-item", "#/orders/1001/contact", None),
    ("08-assistant-write", "damaged-item", "#/orders/1001/contact", assistant_write),
    ("09-assistant-sent", "damaged-item", "#/orders/1001/contact", assistant_sent),
    ("10-account-services", "damaged-item", "#/account/services", None),
    ("11-messages-all", "seller-replied", "#/messages", None),
    ("12-messages-buyer-seller", "seller-replied", "#/messages/buyer-seller", None),
    ("13-messages-sent", "damaged-item", "#/orders/1001/contact", sent_after_assistant),
    ("14-message-detail", "seller-replied", "#/messages/view/5002", None),
    ("15-order-problem", "damaged-item", "#/orders/1001/problem", None),
    ("16-problem-options-new", "damaged-item", "#/orders/1001/problem/missing-parts", None),
    ("17-return-request", "damaged-item", "#/orders/1001/return?reason=missing-parts", None),
    ("18-return-confirmation", "damaged-item", "#/orders/1001/return", return_done),
    (
        "19-problem-options-day13",
        "return-requested-13-days",
        "#/orders/1001/problem/missing-parts",
        None,
    ),
    ("20-problem-options-day14", "no-reply-14-days", "#/orders/1001/problem/missing-parts", None),
    ("21-claim-form", "no-reply-14-days", "#/orders/1001/claim", None),
    ("22-claim-confirmation", "no-reply-14-days", "#/orders/1001/claim", claim_done),
]


def shrink(path: Path) -> None:
    """Palette PNG: previews are for looking at, and this makes them several times smaller."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def capture(browser: Browser, devices: dict, base: str, platform: str, scheme: str) -> list[Path]:
    options: dict = {
        "locale": "ja-JP",
        "timezone_id": "Asia/Tokyo",
        "reduced_motion": "reduce",
        "color_scheme": scheme,
    }
    folder = OUT / platform if scheme == "light" else OUT / platform / scheme
    if platform in DEVICES:
        options |= {**devices[DEVICES[platform]], "device_scale_factor": 1}
    else:
        options |= {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
    written = []
    for stem, scenario, route, act in SHOTS:
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(f"{base}?platform={platform}&lang=ja&scenario={scenario}{route}")
        ready(page)
        if act:
            act(page)
        path = folder / f"{stem}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), animations="disabled", caret="hide")
        shrink(path)
        written.append(path)
        context.close()
    return written


def main() -> int:
    with serve(SHOP) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            for scheme in SCHEMES:
                for platform in PLATFORMS:
                    for path in capture(browser, p.devices, base, platform, scheme):
                        print(path.relative_to(ROOT), path.stat().st_size)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
