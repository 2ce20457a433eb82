"""Fixtures and helpers shared by the mock-shop tests (real Chromium, real server).

Kept out of conftest.py on purpose: other test modules own that file. The
browser is conftest's session-wide one when there is one (only one sync
Playwright may run per thread, and a launch costs CPU), else our own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from guidegen.capture.browser import launch
from guidegen.server import serve
from tests.site_fixtures import StaticHost

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "mockshop"
PLATFORMS = ("ios", "android", "web")
LANGS = ("ja", "en")
DEVICES = {"ios": "iPhone 13", "android": "Pixel 7"}
READY = "body[data-ready='true']"


@dataclass
class Shop:
    """The served shop and one browser; open() and look() give a kept page per look."""

    browser: Browser
    devices: dict[str, dict[str, Any]]
    base: str
    _pages: dict[tuple[str, str, str], Page] = field(default_factory=dict)
    _visits: int = 0

    def context_options(
        self, platform: str, lang: str = "ja", scheme: str = "light"
    ) -> dict[str, Any]:
        options: dict[str, Any] = {
            "locale": "ja-JP" if lang == "ja" else "en-US",
            "timezone_id": "Asia/Tokyo",
            "reduced_motion": "reduce",
            "color_scheme": scheme,
        }
        if platform in DEVICES:
            options |= self.devices[DEVICES[platform]]
        else:
            options |= {"viewport": {"width": 1280, "height": 800}}
        return options

    def open(
        self,
        platform: str,
        lang: str = "ja",
        scenario: str = "damaged-item",
        route: str = "",
        color_scheme: str = "light",
    ) -> Page:
        """The look's page at the start URL (plus an optional #/route), from a clean
        session (visit). The shop keeps its state in sessionStorage alone, so the
        page is as a fresh context would show it, and its renderer stays warm: a
        fresh context per test cost 2.5 times the CPU of a load in a kept tab."""
        page = self.look(platform, lang, color_scheme)
        self.visit(page, platform, lang, scenario, route)
        return page

    def look(self, platform: str, lang: str = "ja", scheme: str = "light") -> Page:
        """One reusable page per look and colour scheme, for tests that only read screens."""
        key = (platform, lang, scheme)
        if key not in self._pages:
            context = self.browser.new_context(**self.context_options(platform, lang, scheme))
            self._pages[key] = context.new_page()
        return self._pages[key]

    def visit(self, page: Page, platform: str, lang: str, scenario: str, route: str) -> None:
        """Load a screen from a clean session (as a fresh context would start)."""
        if page.url.startswith(self.base):
            page.evaluate("sessionStorage.clear()")
        # A query of its own for each visit: a URL that differed from the last one
        # only after '#' would change the screen in place instead of starting the
        # app anew (a detour through about:blank costs a third more CPU).
        self._visits += 1
        query = f"?platform={platform}&lang={lang}&scenario={scenario}&visit={self._visits}"
        page.goto(self.base + query + route)
        page.wait_for_selector(READY)


@pytest.fixture(scope="module")
def shop(request: pytest.FixtureRequest) -> Iterator[Shop]:
    own = None
    try:
        playwright: Playwright = request.getfixturevalue("playwright")
        browser: Browser = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        own = sync_playwright().start()
        playwright = own
        browser = launch(playwright)
    before = set(browser.contexts)
    try:
        with serve(SHOP, handler=StaticHost) as base:
            yield Shop(browser, playwright.devices, base)
    finally:
        if own is not None:
            browser.close()
            own.stop()
        else:  # the session's browser: leave it as this module found it
            for context in set(browser.contexts) - before:
                context.close()


def tap(page: Page, testid: str) -> None:
    page.get_by_test_id(testid).click()
    page.wait_for_selector(READY)


def screen(page: Page) -> str:
    return page.locator("[data-screen]").first.get_attribute("data-screen") or ""


def visible_testids(page: Page) -> list[str]:
    """data-testid of every element, visible or not, as 'id' or 'id!hidden'."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid]')].map((el) => {
            const r = el.getBoundingClientRect();
            const shown = r.width > 0 && r.height > 0 &&
                getComputedStyle(el).visibility !== 'hidden';
            return el.dataset.testid + (shown ? '' : '!hidden');
        })"""
    )


def untagged_controls(page: Page) -> list[str]:
    """Interactive elements without a data-testid (there should be none)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
            .filter((el) => !el.dataset.testid)
            .map((el) => el.outerHTML.slice(0, 80))"""
    )


# Actions that bring a freshly loaded route to a screen that needs clicks.
def _assistant_write(page: Page) -> None:
    tap(page, "assistant-choice-damaged")


def _assistant_sent(page: Page) -> None:
    tap(page, "assistant-choice-damaged")
    page.get_by_test_id("assistant-message-input").fill("角が欠けていました。")
    tap(page, "assistant-send")


def _assistant_error(page: Page) -> None:
    tap(page, "assistant-choice-damaged")
    tap(page, "assistant-send")


def _return_done(page: Page) -> None:
    tap(page, "return-submit")


def _claim_error(page: Page) -> None:
    tap(page, "claim-submit")


def _claim_done(page: Page) -> None:
    page.get_by_test_id("claim-details").fill("片方が入っていませんでした。")
    tap(page, "claim-submit")


# Every screen of the shop: (name, scenario, route, actions after load).
Screen = tuple[str, str, str, Callable[[Page], None] | None]
SCREENS: list[Screen] = [
    ("home", "damaged-item", "#/", None),
    ("search-results", "damaged-item", "#/search?q=mug", None),
    ("account", "damaged-item", "#/account", None),
    ("account-services", "damaged-item", "#/account/services", None),
    ("service-placeholder", "damaged-item", "#/account/services/payments", None),
    ("order-list", "damaged-item", "#/orders", None),
    ("order-list-search", "damaged-item", "#/orders?q=zzz", None),
    ("order-detail", "damaged-item", "#/orders/1001", None),
    ("order-detail-marketplace", "damaged-item", "#/orders/1003", None),
    ("customer-service", "damaged-item", "#/orders/1003/support", None),
    ("assistant-choose", "damaged-item", "#/orders/1001/contact", None),
    ("assistant-write", "damaged-item", "#/orders/1001/contact", _assistant_write),
    ("assistant-error", "damaged-item", "#/orders/1001/contact", _assistant_error),
    ("assistant-sent", "damaged-item", "#/orders/1001/contact", _assistant_sent),
    ("messages-all", "seller-replied", "#/messages", None),
    ("messages-buyer-seller", "seller-replied", "#/messages/buyer-seller", None),
    ("messages-sent", "seller-replied", "#/messages/sent", None),
    ("messages-empty", "damaged-item", "#/messages/sent", None),
    ("message-detail", "seller-replied", "#/messages/view/5002", None),
    ("order-problem", "damaged-item", "#/orders/1001/problem", None),
    ("problem-options", "damaged-item", "#/orders/1001/problem/missing-parts", None),
    ("problem-options-14", "no-reply-14-days", "#/orders/1001/problem/missing-parts", None),
    ("problem-options-contacted", "awaiting-reply", "#/orders/1001/problem/damaged", None),
    ("return-request", "damaged-item", "#/orders/1001/return?reason=missing-parts", None),
    ("return-confirmation", "damaged-item", "#/orders/1001/return", _return_done),
    ("claim-form", "no-reply-14-days", "#/orders/1001/claim", None),
    ("claim-error", "no-reply-14-days", "#/orders/1001/claim", _claim_error),
    ("claim-not-eligible", "return-requested-13-days", "#/orders/1001/claim", None),
    ("claim-confirmation", "no-reply-14-days", "#/orders/1001/claim", _claim_done),
    ("cart", "damaged-item", "#/cart", None),
    ("menu", "damaged-item", "#/menu", None),
]
