"""The mock shop's flows, walked in real Chromium on every look and language."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests import mockshop_fixtures
from tests.mockshop_fixtures import (
    LANGS,
    PLATFORMS,
    SHOP,
    Shop,
    screen,
    tap,
)

# The module-scoped fixture, bound here so pytest finds it in this module.
shop = mockshop_fixtures.shop

# The phone's layout and the computer's in Japanese, and the phone's in
# English: a flow's words differ between languages, its screens and steps do
# not. Android's look is the iPhone's elements with its own styles (and back
# button), which test_mockshop_screens reads; test_guides runs every guide on
# every platform in both languages.
LOOKS = [("ios", "ja"), ("web", "ja"), ("ios", "en")]
LOOK_IDS = [f"{p}-{lang}" for p, lang in LOOKS]

TEXT = {
    "ja": {
        "seller": "木工房あおば",
        "marketplace": "こもれびマーケット",
        "hoshizora": "ほしぞら雑貨店",
        "few_days": "数日",
        "fulfil_seller": "出品者が販売、発送します",
        "fulfil_ships": "出品者が販売し、こもれびマーケットが発送します",
        "fulfil_market": "こもれびマーケットが販売、発送します",
        "missing": "商品または部品が不足している",
        "problem_section": "お届けの商品に問題がある場合",
        "sent": "送信済み",
        "buyer_seller": "出品者/購入者の連絡",
        "search": "マグ",
        "claim": "マーケットプレイス保証の申請",
        "return": "返品リクエスト",
    },
    "en": {
        "seller": "Aoba Woodworks",
        "marketplace": "Komorebi Market",
        "hoshizora": "Hoshizora Goods",
        "few_days": "a few days",
        "fulfil_seller": "Sold and shipped by a seller",
        "fulfil_ships": "Sold by a seller, shipped by Komorebi Market",
        "fulfil_market": "Sold and shipped by Komorebi Market",
        "missing": "Item or parts missing",
        "problem_section": "Problem with your delivered item?",
        "sent": "Sent",
        "buyer_seller": "Buyer/Seller Messages",
        "search": "Mug",
        "claim": "File a Marketplace Guarantee claim",
        "return": "Return request",
    },
}


def go_to_orders(page: Page) -> None:
    tap(page, "tab-account")
    assert screen(page) == "account"
    tap(page, "order-history")
    assert screen(page) == "order-list"


def go_to_messages(page: Page) -> None:
    tap(page, "tab-account")
    tap(page, "account-services")
    assert screen(page) == "account-services"
    tap(page, "messages")
    assert screen(page) == "message-list"


@pytest.mark.parametrize(("platform", "lang"), LOOKS, ids=LOOK_IDS)
def test_contact_seller_then_message_is_in_sent(shop: Shop, platform: str, lang: str) -> None:
    t = TEXT[lang]
    page = shop.open(platform, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    go_to_orders(page)
    url = page.url
    tap(page, "order-1001")
    assert screen(page) == "order-detail"
    # page.url follows the browser's report of the pushState, which may come later.
    page.wait_for_url(re.compile(r"#/orders/1001$"))
    assert page.url != url
    expect(page.get_by_test_id("order-sold-by")).to_have_text(t["seller"])
    expect(page.get_by_test_id("order-shipped-by")).to_have_text(t["seller"])
    expect(page.get_by_test_id("order-fulfilment")).to_have_text(t["fulfil_seller"])
    expect(page.get_by_role("heading", name=t["problem_section"])).to_be_visible()

    tap(page, "contact-seller")
    assert screen(page) == "message-assistant"
    expect(page.get_by_test_id("assistant-send")).to_have_count(0)
    tap(page, "assistant-choice-damaged")
    expect(page.get_by_test_id("assistant-choice-damaged")).to_have_count(0)
    tap(page, "assistant-send")  # empty: refused with an alert
    expect(page.get_by_test_id("assistant-error")).to_be_visible()
    page.get_by_test_id("assistant-message-input").fill("Corner chipped / 角が欠けています")
    tap(page, "assistant-send")
    expect(page.get_by_test_id("assistant-confirmation")).to_contain_text(t["few_days"])
    expect(page.get_by_test_id("assistant-confirmation")).to_contain_text(t["seller"])

    # The article's path to sent messages: Account > Account Services > Messages > Sent.
    go_to_messages(page)
    expect(page.get_by_test_id("message-9001")).to_be_visible()  # in すべて
    tap(page, "messages-tab-sent")
    expect(page.get_by_test_id("messages-tab-sent")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("messages-tab-sent")).to_have_text(t["sent"])
    tap(page, "message-9001")
    assert screen(page) == "message-detail"
    expect(page.get_by_test_id("message-body")).to_have_text("Corner chipped / 角が欠けています")
    tap(page, "message-order-link")
    assert screen(page) == "order-detail"

    # Not in the folder of messages from sellers.
    go_to_messages(page)
    tap(page, "messages-tab-buyer-seller")
    expect(page.get_by_test_id("message-9001")).to_have_count(0)


@pytest.mark.parametrize(("platform", "lang"), LOOKS, ids=LOOK_IDS)
def test_seller_reply_in_buyer_seller_folder(shop: Shop, platform: str, lang: str) -> None:
    t = TEXT[lang]
    page = shop.open(platform, lang, "seller-replied")
    go_to_messages(page)
    tap(page, "messages-tab-buyer-seller")
    expect(page.get_by_test_id("messages-tab-buyer-seller")).to_have_text(t["buyer_seller"])
    expect(page.get_by_test_id("message-5002")).to_be_visible()
    expect(page.get_by_test_id("message-5001")).to_have_count(0)
    tap(page, "message-5002")
    assert screen(page) == "message-detail"
    expect(page.get_by_test_id("message-from")).to_have_text(t["seller"])
    if platform == "web":
        tap(page, "breadcrumb-messages")
    else:
        tap(page, "nav-back")
    assert screen(page) == "message-list"
    tap(page, "messages-tab-sent")
    expect(page.get_by_test_id("message-5001")).to_be_visible()
    expect(page.get_by_test_id("message-5002")).to_have_count(0)


# The dark theme changes colours only: one flow on each look proves it works there.
DARK_LOOKS = [(p, "ja", "dark") for p in PLATFORMS]


@pytest.mark.parametrize(
    ("platform", "lang", "scheme"),
    [(p, lang, "light") for p, lang in LOOKS] + DARK_LOOKS,
    ids=LOOK_IDS + [f"{p}-ja-dark" for p in PLATFORMS],
)
def test_return_request_flow(shop: Shop, platform: str, lang: str, scheme: str) -> None:
    t = TEXT[lang]
    page = shop.open(platform, lang, color_scheme=scheme)
    go_to_orders(page)
    if platform == "web":
        tap(page, "order-problem-1001")  # the article clicks it on the order card
    else:
        tap(page, "order-1001")
        tap(page, "order-problem")
    assert screen(page) == "order-problem"
    expect(page.get_by_test_id("problem-reason-missing-parts")).to_have_text(t["missing"])
    tap(page, "problem-reason-missing-parts")
    assert screen(page) == "problem-options"
    # Neither contacted nor returned yet: a message, contact and return, no claim.
    expect(page.get_by_test_id("problem-status")).to_be_visible()
    expect(page.get_by_test_id("problem-contact-seller")).to_be_visible()
    expect(page.get_by_test_id("problem-return-request")).to_have_text(t["return"])
    expect(page.get_by_test_id("problem-file-claim")).to_have_count(0)

    tap(page, "problem-return-request")
    assert screen(page) == "return-request"
    expect(page.get_by_test_id("return-reason")).to_have_value("missing-parts")
    page.get_by_test_id("return-comment").fill("One bookend missing")
    tap(page, "return-submit")
    assert screen(page) == "return-confirmation"
    expect(page.get_by_test_id("return-confirmation")).to_be_visible()
    tap(page, "return-done")
    assert screen(page) == "order-detail"

    # Day 0 of the request: still no claim; the request is in the sent folder.
    tap(page, "order-problem")
    tap(page, "problem-reason-missing-parts")
    expect(page.get_by_test_id("problem-file-claim")).to_have_count(0)
    go_to_messages(page)
    tap(page, "messages-tab-sent")
    expect(page.get_by_test_id("message-9001")).to_contain_text(t["return"])


@pytest.mark.parametrize(("platform", "lang"), LOOKS, ids=LOOK_IDS)
def test_day_13_offers_no_claim(shop: Shop, platform: str, lang: str) -> None:
    page = shop.open(platform, lang, "return-requested-13-days")
    go_to_orders(page)
    tap(page, "order-1001")
    tap(page, "order-problem")
    tap(page, "problem-reason-missing-parts")
    expect(page.get_by_test_id("problem-return-request")).to_be_visible()
    expect(page.get_by_test_id("problem-contact-seller")).to_be_visible()
    expect(page.get_by_test_id("problem-file-claim")).to_have_count(0)
    expect(page.get_by_text(TEXT[lang]["claim"], exact=True)).to_have_count(0)


@pytest.mark.parametrize(("platform", "lang"), LOOKS, ids=LOOK_IDS)
def test_day_14_offers_claim_and_files_it(shop: Shop, platform: str, lang: str) -> None:
    page = shop.open(platform, lang, "no-reply-14-days")
    go_to_orders(page)
    tap(page, "order-1001")
    tap(page, "order-problem")
    tap(page, "problem-reason-missing-parts")
    claim = page.get_by_test_id("problem-file-claim")
    expect(claim).to_have_text(TEXT[lang]["claim"])
    expect(page.get_by_role("link", name=TEXT[lang]["claim"])).to_be_visible()
    tap(page, "problem-file-claim")
    assert screen(page) == "claim-form"
    tap(page, "claim-submit")
    expect(page.get_by_test_id("claim-error")).to_be_visible()
    page.get_by_test_id("claim-details").fill("No reply for two weeks")
    tap(page, "claim-submit")
    assert screen(page) == "claim-confirmation"
    expect(page.get_by_test_id("claim-number")).to_have_text("G-20261126-1001")
    tap(page, "claim-done")
    tap(page, "order-problem")
    tap(page, "problem-reason-missing-parts")
    expect(page.get_by_test_id("problem-file-claim")).to_have_count(0)
    expect(page.get_by_test_id("problem-status")).to_contain_text("G-20261126-1001")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_dark_theme_follows_the_system_setting(shop: Shop, platform: str) -> None:
    """Dark pages with light text in the dark scheme; the light scheme stays light."""

    def luminance(page: Page, selector: str, prop: str) -> float:
        rgb = page.evaluate(
            "([s, p]) => getComputedStyle(document.querySelector(s))[p]", [selector, prop]
        )
        r, g, b = (int(v) for v in re.findall(r"\d+", rgb)[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    surface = ".list" if platform != "web" else ".page"
    for scheme, dark in (("dark", True), ("light", False)):
        page = shop.open(platform, "ja", route="#/account/services", color_scheme=scheme)
        for selector, prop in (("body", "backgroundColor"), (surface, "backgroundColor")):
            assert (luminance(page, selector, prop) < 0.2) is dark, (scheme, selector)
        assert (luminance(page, ".row-title", "color") > 0.7) is dark, scheme


@pytest.mark.parametrize("lang", LANGS)
def test_two_weeks_run_from_contacting_the_seller(shop: Shop, lang: str) -> None:
    """Contacted 2 days ago: the claim's date is counted from the message. Contacted
    14 days ago without a return request: the claim is offered."""
    waiting = shop.open("ios", lang, "awaiting-reply", "#/orders/1001/problem/damaged")
    status = waiting.get_by_test_id("problem-status")
    expect(status).to_contain_text("12月8日" if lang == "ja" else "December 8")
    expect(status).to_contain_text("あと12日" if lang == "ja" else "12 days left")
    expect(waiting.get_by_test_id("problem-file-claim")).to_have_count(0)
    overdue = shop.open("ios", lang, "contacted-14-days", "#/orders/1001/problem/damaged")
    expect(overdue.get_by_test_id("problem-file-claim")).to_have_text(TEXT[lang]["claim"])
    expect(overdue.get_by_test_id("problem-status")).to_contain_text("14")


def test_today_comes_from_the_scenario_not_the_clock(shop: Shop) -> None:
    for scenario, count in (("return-requested-13-days", 0), ("no-reply-14-days", 1)):
        context = shop.browser.new_context(**shop.context_options("web"))
        page = context.new_page()
        page.clock.set_fixed_time("2031-01-01T10:00:00+09:00")
        page.goto(f"{shop.base}?platform=web&scenario={scenario}#/orders/1001/problem/damaged")
        page.wait_for_selector("body[data-ready='true']")
        expect(page.get_by_test_id("problem-file-claim")).to_have_count(count)
        context.close()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_three_fulfilment_types(shop: Shop, platform: str) -> None:
    for lang in LANGS:
        t = TEXT[lang]
        expected = {
            "1001": (t["seller"], t["seller"], t["fulfil_seller"], "contact-seller"),
            "1002": (t["hoshizora"], t["marketplace"], t["fulfil_ships"], "contact-seller"),
            "1003": (t["marketplace"], t["marketplace"], t["fulfil_market"], "contact-support"),
        }
        page = shop.open(platform, lang)
        for order, (sold, shipped, kind, contact) in expected.items():
            page.goto(
                f"{shop.base}?platform={platform}&lang={lang}&scenario=damaged-item#/orders/{order}"
            )
            page.wait_for_selector("body[data-ready='true']")
            expect(page.get_by_test_id("order-sold-by")).to_have_text(sold)
            expect(page.get_by_test_id("order-shipped-by")).to_have_text(shipped)
            expect(page.get_by_test_id("order-fulfilment")).to_have_text(kind)
            expect(page.get_by_test_id(contact)).to_be_visible()
        tap(page, "contact-support")
        assert screen(page) == "customer-service"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_marketplace_shipped_scenario(shop: Shop, platform: str) -> None:
    page = shop.open(platform, "ja", "marketplace-shipped")
    go_to_orders(page)
    order_ids = page.evaluate(
        "[...document.querySelectorAll('[data-testid]')].map(e => e.dataset.testid)"
        ".filter(id => /^order-\\d+$/.test(id))"
    )
    assert order_ids[0] == "order-1002"
    tap(page, "order-1002")
    expect(page.get_by_test_id("order-sold-by")).to_have_text("ほしぞら雑貨店")
    expect(page.get_by_test_id("order-shipped-by")).to_have_text("こもれびマーケット")
    tap(page, "contact-seller")
    expect(page.get_by_test_id("assistant-choice-missing-parts")).to_be_visible()


@pytest.mark.parametrize(("platform", "lang"), LOOKS, ids=LOOK_IDS)
def test_order_search(shop: Shop, platform: str, lang: str) -> None:
    page = shop.open(platform, lang, route="#/orders")
    box = page.get_by_test_id("order-search-input")
    box.fill(TEXT[lang]["search"])
    page.wait_for_selector("body[data-ready='true']")
    expect(page.get_by_test_id("order-1002")).to_be_visible()
    expect(page.get_by_test_id("order-1001")).to_have_count(0)
    tap(page, "order-search-submit")
    page.wait_for_url(re.compile(r"q="))
    expect(page.get_by_test_id("order-search-input")).to_have_value(TEXT[lang]["search"])
    expect(page.get_by_test_id("order-1002")).to_be_visible()
    page.get_by_test_id("order-search-input").fill("KM-20261028")
    expect(page.get_by_test_id("order-1003")).to_be_visible()
    expect(page.get_by_test_id("order-1002")).to_have_count(0)
    page.get_by_test_id("order-search-input").fill("no such thing")
    expect(page.get_by_test_id("order-search-empty")).to_be_visible()


def test_state_lasts_for_the_session_and_resets_with_another_scenario(shop: Shop) -> None:
    page = shop.open("ios", "ja", route="#/orders/1001/contact")
    tap(page, "assistant-choice-other")
    page.get_by_test_id("assistant-message-input").fill("hello")
    tap(page, "assistant-send")
    page.goto(f"{shop.base}?platform=ios&lang=en&scenario=damaged-item#/messages/sent")
    page.wait_for_selector("body[data-ready='true']")
    expect(page.get_by_test_id("message-9001")).to_be_visible()
    page.goto(f"{shop.base}?platform=ios&lang=en&scenario=awaiting-reply#/messages/sent")
    page.wait_for_selector("body[data-ready='true']")
    expect(page.get_by_test_id("message-9001")).to_have_count(0)
    expect(page.get_by_test_id("message-5001")).to_be_visible()


@pytest.mark.parametrize(
    ("device", "platform"), [("iPhone 13", "ios"), ("Pixel 7", "android"), (None, "web")]
)
def test_defaults_platform_from_user_agent_lang_ja_scenario_damaged_item(
    shop: Shop, device: str | None, platform: str
) -> None:
    options = shop.devices[device] if device else {"viewport": {"width": 1280, "height": 800}}
    context = shop.browser.new_context(**options)
    page = context.new_page()
    page.goto(shop.base + "#/orders/1001")
    page.wait_for_selector("body[data-ready='true']")
    assert page.evaluate("document.body.dataset.platform") == platform
    assert page.evaluate("document.documentElement.lang") == "ja"
    expect(page.get_by_test_id("order-sold-by")).to_have_text("木工房あおば")
    page.goto(shop.base + "#/messages/buyer-seller")
    page.wait_for_selector("body[data-ready='true']")
    expect(page.locator("[data-testid^='message-5']")).to_have_count(0)
    context.close()


def test_language_switch_keeps_scenario(shop: Shop) -> None:
    page = shop.open("android", "ja", "seller-replied")
    tap(page, "tab-menu")
    page.get_by_test_id("lang-en").click()
    page.wait_for_url(re.compile(r"lang=en"))
    page.wait_for_selector("body[data-ready='true']")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "scenario=seller-replied" in page.url
    expect(page.get_by_test_id("lang-en")).to_have_attribute("aria-current", "true")


def test_unknown_scenario_says_so(shop: Shop) -> None:
    page = shop.open("web", "en", "no-such-scenario")
    assert screen(page) == "error"
    expect(page.get_by_test_id("error-message")).to_contain_text("damaged-item")


def test_scenarios_json_is_the_fixture_source() -> None:
    data = json.loads((SHOP / "scenarios.json").read_text(encoding="utf-8"))
    required = {
        "damaged-item",
        "awaiting-reply",
        "seller-replied",
        "return-requested-13-days",
        "no-reply-14-days",
        "contacted-14-days",
        "marketplace-shipped",
    }
    assert required <= set(data)
    for name, scenario in data.items():
        assert re.fullmatch(r"[a-z0-9-]+", name)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", scenario["today"])
        kinds = {order["fulfilment"] for order in scenario["orders"]}
        assert kinds == {"marketplace", "seller-marketplace-ships", "seller"}, name


# Each word must sit on one line: Range rectangles of one line share their top.
WORD_LINES_JS = """(words) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const split = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of words) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) split.push(word);
    }
  }
  return split;
}"""


@pytest.mark.parametrize("platform", ["ios", "android"])
def test_japanese_words_are_not_broken_across_lines(shop: Shop, platform: str) -> None:
    page = shop.look(platform, "ja")
    words = ["ブックエンド", "（2個セット）", "メッセージ", "行われていません", "リクエスト"]
    words += ["木工房あおば"]
    routes = ["#/orders/1001/problem", "#/orders/1001/problem/missing-parts"]
    routes += ["#/orders/1001/contact", "#/orders/1001/return?reason=damaged"]
    for route in routes:
        shop.visit(page, platform, "ja", "damaged-item", route)
        assert page.evaluate(WORD_LINES_JS, words) == [], route


@pytest.mark.parametrize("lang", LANGS)
def test_ios_title_is_centred_clear_of_the_back_label(shop: Shop, lang: str) -> None:
    page = shop.look("ios", lang)
    width = page.viewport_size["width"]  # type: ignore[index]
    for route in ("#/orders/1001", "#/orders/1001/problem", "#/orders/1001/problem/damaged"):
        shop.visit(page, "ios", lang, "damaged-item", route)
        title = page.locator(".nav-title").bounding_box()
        back = page.get_by_test_id("nav-back").bounding_box()
        assert title and back
        assert abs(title["x"] + title["width"] / 2 - width / 2) <= 1, route
        assert back["x"] + back["width"] + 12 <= title["x"], route
