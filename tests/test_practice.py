"""The practice on the built site (generator/site/practice.py, practice.js): every
guide's click-through completed on a phone and a computer, through taps on the
hotspot, and every tab's data in both languages; a wrong tap; the keyboard; Escape; what
it costs a page before it is started; the embeddable page; and its data
following the captures."""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, Playwright, Request, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from guidegen.config import load_config
from guidegen.guide.model import Guide
from guidegen.site.images import SiteFrame, StepPicture, Variant
from guidegen.site.practice import guide_practice, mark_name
from tests.axe_check import blocking_violations, give_axe
from tests.site_fixtures import DARK_GUIDE, ROOT, Site

GUIDES = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))
LANGS = {"ja": "", "en": "en/"}
BUDGET = 20 * 1024

# Where the hotspot's centre is, and the element the browser finds there.
# "instant": a site's smooth scrolling would leave the hotspot where it was
# when its box is read.
_CENTRE = """(hot) => {
  hot.scrollIntoView({block: "center", behavior: "instant"});
  const r = hot.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const i = hot.parentNode.querySelector("img").getBoundingClientRect();
  const box = [(r.left - i.left) / i.width, (r.top - i.top) / i.height,
               r.width / i.width, r.height / i.height];
  const found = document.elementFromPoint(x, y);
  return {x, y, box, top: found === hot, found: found ? found.outerHTML.slice(0, 120) : null};
}"""


@pytest.fixture(scope="module")
def contexts(browser: Browser, playwright: Playwright, site: Site) -> Iterator[dict[str, Page]]:
    """One page per device, reused by every test of the module."""
    phone = site.context(browser, **playwright.devices["iPhone 13"])
    desktop = site.context(browser, viewport={"width": 1366, "height": 900})
    yield {"phone": phone.new_page(), "desktop": desktop.new_page()}
    phone.close()
    desktop.close()


def _platforms(guide: str) -> list[str]:
    data = yaml.safe_load((ROOT / "steps" / f"{guide}.yml").read_text("utf-8"))
    return list(data.get("platforms") or ["ios", "android", "web"])


def _data(site: Site, lang: str, platform: str, guide: str) -> dict | None:
    path = site.root / "site" / LANGS[lang] / "assets/practice" / platform / f"{guide}.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def _tabs(page: Page) -> list[tuple[str, str]]:
    """The platform tabs of the page's steps: (label's for, practice data URL)."""
    return page.eval_on_selector_all(
        "[data-practice-start]",
        """(buttons) => buttons.map((b) => {
          const block = b.closest(".tabbed-block");
          const set = block.closest(".tabbed-set");
          const index = [...set.querySelector(".tabbed-content").children].indexOf(block);
          const input = set.querySelectorAll(":scope > input")[index];
          return [input.id, b.getAttribute("data-practice-src")];
        })""",
    )


def _start(page: Page, tab: str) -> Page:
    page.locator(f"label[for='{tab}']").click()
    button = page.locator("[data-practice-start]:visible")
    expect(button).to_have_count(1)
    button.click()
    expect(page.locator("[data-practice-hotspot]")).to_be_visible()
    return page


def _tap(page: Page, phone: bool, box: list[float] | None = None) -> None:
    """Tap the hotspot's centre, once it is the topmost element there (and,
    given the box of its mark, as fractions of the screen, over that box)."""
    hot = page.locator("[data-practice-hotspot]")
    # The practice may still be opening (a transition): wait until the hotspot is
    # on top, and fail naming what covers it if it never is.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"(hot) => ({_CENTRE})(hot).top", arg=hot.element_handle())
    where = hot.evaluate(_CENTRE)
    assert where["top"], f"{where['found']} covers the hotspot {hot.get_attribute('data-position')}"
    if box is not None:
        assert where["box"] == pytest.approx(box, abs=0.01)
    if phone:
        page.touchscreen.tap(where["x"], where["y"])
    else:
        page.mouse.click(where["x"], where["y"])


def _tap_beside(page: Page, phone: bool) -> None:
    """Tap the screen of the practice where the hotspot is not: the corner of
    the stage farthest from the hotspot's centre."""
    where = page.locator(".gg-practice-stage").evaluate(
        """(stage) => {
          stage.scrollIntoView({block: "center"});
          const s = stage.getBoundingClientRect();
          const h = stage.querySelector("[data-practice-hotspot]").getBoundingClientRect();
          const x = h.left + h.width / 2 < s.left + s.width / 2 ? s.right - 3 : s.left + 3;
          const y = h.top + h.height / 2 < s.top + s.height / 2 ? s.bottom - 3 : s.top + 3;
          const top = document.elementFromPoint(x, y);
          return {x, y, beside: stage.contains(top) && !top.matches("[data-practice-hotspot]")};
        }"""
    )
    assert where["beside"], "no place of the screen outside the hotspot"
    if phone:
        page.touchscreen.tap(where["x"], where["y"])
    else:
        page.mouse.click(where["x"], where["y"])


# Each guide's practice is played to the end once, on its first tab: half of
# the guides on a phone in Japanese, the other half on a computer in English.
# The other language's practice, a guide's other tabs and the other device's
# run of a guide are the same code over other captures: every tab of every
# guide, in both languages on both devices, took 90 s of the suite's 5 minutes,
# every guide on both devices 24 s.
# test_every_embeddable_page_has_its_language_title_and_alt_texts reads every
# practice's data, on every tab in both languages, without a browser.
PLAYED = [guide for guide in GUIDES if guide != "escape-check"]
HALVES = {"phone": PLAYED[0::2], "desktop": PLAYED[1::2]}


@pytest.mark.parametrize(("device", "lang"), [("phone", "ja"), ("desktop", "en")])
def test_the_practices_complete_on_each_device(
    contexts: dict[str, Page], site: Site, device: str, lang: str
) -> None:
    page = contexts[device]
    done = 0
    for guide in HALVES[device]:
        page.goto(f"{site.url}{LANGS[lang]}guides/{guide}/")
        tabs = _tabs(page)
        assert tabs, f"{lang} {guide}: no practice button"
        tab, src = tabs[0]
        data = _data(site, lang, src.split("/")[-2], guide)
        assert data is not None
        _start(page, tab)
        hot = page.locator("[data-practice-hotspot]")
        total = len(data["hotspots"])
        wrong = total // 2 + 1
        for k in range(1, total + 1):
            expect(hot).to_have_attribute("data-position", f"{k}/{total}")
            spot = data["hotspots"][k - 1]
            expect(hot).to_have_accessible_name(spot["name"])
            expect(page.locator("[data-practice] [aria-live]")).to_contain_text(spot["text"])
            if k == wrong:
                _tap_beside(page, device == "phone")
                expect(page.locator("[data-practice-hint]")).to_be_visible()
                expect(hot).to_have_attribute("data-position", f"{k}/{total}")
            _tap(page, device == "phone", spot["box"])
        finished = page.locator("[data-practice-done]")
        expect(finished).to_be_visible()
        expect(finished.locator("a")).to_have_count(len(data["related"]))
        page.keyboard.press("Escape")
        expect(page.locator("[data-practice]")).to_have_count(0)
        done += 1
    assert done == len(HALVES[device]) >= 3
    assert not site.external


def test_a_wrong_tap_shows_the_hint_and_does_not_advance(
    contexts: dict[str, Page], site: Site
) -> None:
    page = contexts["phone"]
    page.goto(f"{site.url}en/guides/contact-seller/")
    (tab, _), *_ = _tabs(page)
    _start(page, tab)
    hot = page.locator("[data-practice-hotspot]")
    _tap(page, phone=True)
    expect(hot).to_have_attribute("data-position", "2/9")
    hint = page.locator("[data-practice-hint]")
    expect(hint).to_be_hidden()
    stage = page.locator(".gg-practice-stage")
    box, spot = stage.bounding_box(), hot.bounding_box()
    assert box is not None and spot is not None
    # A corner of the screen away from the hotspot.
    x = box["x"] + 5 if spot["x"] > box["x"] + 40 else box["x"] + box["width"] - 5
    page.touchscreen.tap(x, box["y"] + 5)
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Your Orders")
    expect(hint).to_contain_text("Tap ① the Account tab")
    expect(hot).to_have_attribute("data-position", "2/9")
    assert "gg-practice-hinted" in (stage.get_attribute("class") or "")
    _tap(page, phone=True)
    expect(hint).to_be_hidden()
    expect(hot).to_have_attribute("data-position", "3/9")
    give_axe(page)
    assert blocking_violations(page) == []


def test_the_hotspot_waits_for_its_screens_picture(browser: Browser, site: Site) -> None:
    """Over the previous screen's picture a hotspot marks the wrong place, and a
    tap aimed at it lands beside it: it is shown once its own picture is there,
    on a stage already shaped like its screen. (The embeddable page, in a
    context of its own: no picture of a guide page is in its cache.)"""
    data = _data(site, "en", "web", "contact-seller")
    assert data is not None
    spots = data["hotspots"]
    k = next(k for k in range(1, len(spots)) if spots[k]["screen"] != spots[k - 1]["screen"])
    context = site.context(browser, viewport={"width": 1366, "height": 900})
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    try:
        page = context.new_page()
        page.goto(f"{site.url}practice/en/web/contact-seller/")
        hot = page.locator("[data-practice-hotspot]")
        for position in range(1, k + 1):
            expect(hot).to_have_attribute("data-position", f"{position}/{len(spots)}")
            if position < k:
                _tap(page, phone=False)
        page.route("**/assets/screenshots/**", hold)
        with page.expect_request("**/assets/screenshots/**"):
            _tap(page, phone=False)
        expect(hot).to_be_hidden()
        screen = data["screens"][spots[k]["screen"]]
        stage = page.locator(".gg-practice-stage")
        expect(stage).to_have_css("aspect-ratio", f"{screen['width']} / {screen['height']}")
        while not held:  # each call into the browser delivers the route's events
            page.evaluate("0")
        for route in held:
            route.continue_()
        expect(hot).to_be_visible()
        expect(hot).to_have_attribute("data-position", f"{k + 1}/{len(spots)}")
    finally:
        context.close()


def test_keyboard_only_run_and_escape_gives_focus_back(
    contexts: dict[str, Page], site: Site
) -> None:
    page = contexts["desktop"]
    page.goto(f"{site.url}guides/contact-seller/")
    start = page.locator("[data-practice-start]:visible")
    start.focus()
    page.keyboard.press("Enter")
    hot = page.locator("[data-practice-hotspot]")
    expect(hot).to_be_focused()
    expect(hot).to_have_accessible_name("『注文履歴』をクリック")
    total = int((hot.get_attribute("data-position") or "").split("/")[1])
    for k in range(1, total + 1):
        expect(hot).to_have_attribute("data-position", f"{k}/{total}")
        expect(hot).to_be_focused()
        page.keyboard.press("Enter" if k % 2 else " ")
    expect(page.locator("[data-practice-done]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("[data-practice]")).to_have_count(0)
    expect(start).to_be_focused()
    # Escape in the middle of a run, from the hotspot, too.
    page.keyboard.press("Enter")
    expect(hot).to_be_focused()
    page.keyboard.press("Enter")
    expect(hot).to_have_attribute("data-position", f"2/{total}")
    page.keyboard.press("Escape")
    expect(page.locator("[data-practice]")).to_have_count(0)
    expect(start).to_be_focused()


def test_the_practice_shows_dark_pictures_and_keeps_still_for_reduced_motion(
    browser: Browser, site: Site
) -> None:
    context = site.context(
        browser,
        color_scheme="dark",
        reduced_motion="reduce",
        viewport={"width": 1366, "height": 900},
    )
    try:
        page = context.new_page()
        page.goto(f"{site.url}en/guides/{DARK_GUIDE}/")
        page.locator("[data-practice-start]:visible").click()
        image = page.locator("[data-practice] img")
        expect(image).to_have_attribute("src", re.compile(r".*/dark/.*"))
        expect(page.locator("[data-practice-hotspot]")).to_be_visible()
        _tap_beside(page, phone=False)
        expect(page.locator("[data-practice-hint]")).to_be_visible()
        hot = page.locator("[data-practice-hotspot]")
        assert hot.evaluate("(h) => getComputedStyle(h).animationName") == "none"
    finally:
        context.close()


def test_the_practice_costs_a_page_at_most_20_kb_before_it_starts(
    contexts: dict[str, Page], site: Site
) -> None:
    page = contexts["desktop"]
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    try:
        page.goto(f"{site.url}en/guides/file-claim/")
        page.wait_for_load_state("load")
        practice = [u for u in requested if "practice" in u]
        assert sorted(u.rsplit("/", 1)[1] for u in practice) == ["practice.css", "practice.js"]
        # What Chromium fetched for it, gzip-compressed as a host sends text,
        # and the start buttons in the page's HTML.
        files = [site.root / "site" / u.removeprefix(site.url) for u in practice]
        buttons = "".join(
            page.eval_on_selector_all(
                "[data-practice-start]", "(b) => b.map((x) => x.parentNode.outerHTML)"
            )
        ).encode()
        parts = [file.read_bytes() for file in files] + [buttons]
        cost = sum(len(gzip.compress(part, 6)) for part in parts)
        assert cost <= BUDGET, cost
        requested.clear()
        # The tab shown is the one last chosen in this context (Material keeps it).
        start = page.locator("[data-practice-start]:visible")
        data = start.get_attribute("data-practice-src") or ""
        assert data.endswith("/file-claim.json"), data
        start.click()
        expect(page.locator("[data-practice-hotspot]")).to_be_visible()
        fetched = "/".join(data.split("/")[-3:])  # practice/PLATFORM/file-claim.json
        assert any(u.endswith(f"/assets/{fetched}") for u in requested), data
    finally:
        page.remove_listener("request", record)


def test_the_embedded_page_makes_no_request_outside_its_origin(
    browser: Browser, site: Site
) -> None:
    context = browser.new_context(viewport={"width": 600, "height": 800})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        page.goto(f"{site.url}practice/ja/ios/contact-seller/")
        hot = page.locator("[data-practice-hotspot]")
        expect(hot).to_be_visible()
        expect(page.locator("[data-practice] img")).to_have_js_property("complete", True)
        assert page.locator("[data-practice] img").evaluate("(i) => i.naturalWidth") > 0
        total = int((hot.get_attribute("data-position") or "").split("/")[1])
        for _ in range(total):
            _tap(page, phone=False)
        expect(page.locator("[data-practice-done]")).to_be_visible()
        origin = site.url.split("/help/")[0] + "/"
        assert requested and all(u.startswith(origin) for u in requested), requested
        assert len([p for p in (site.root / "site" / "practice").rglob("index.html")]) >= 2 * 6
    finally:
        context.close()


def test_every_embeddable_page_has_its_language_title_and_alt_texts(site: Site) -> None:
    """What differs between the embeddable pages, which share one template (the
    site's page tests walk a sample in Chromium): the language, the title, and
    the alt text of each screen, which practice.js gives the picture."""
    pages = sorted((site.root / "site" / "practice").glob("*/*/*/index.html"))
    assert len(pages) == 2 * sum(len(_platforms(g)) for g in GUIDES if g != "escape-check")
    for page in pages:
        lang = page.parent.parent.parent.name
        text = page.read_text("utf-8")
        assert f'<html lang="{lang}">' in text, page
        data = json.loads(re.search(r'id="gg-practice-data">(.*?)</script>', text, re.S)[1])
        assert f"<title>{html.escape(data['words']['title'])}</title>" in text, page
        assert data["screens"] and all(s["alt"].strip() for s in data["screens"]), page
        # Each hotspot on a screen of its own practice, its box inside that screen
        # (fractions of it), as the walk on the first tab taps them.
        for spot in data["hotspots"]:
            assert 0 <= spot["screen"] < len(data["screens"]), page
            x, y, width, height = spot["box"]
            assert x >= 0 and y >= 0 and width > 0 and height > 0, page
            assert x + width <= 1 + 1e-9 and y + height <= 1 + 1e-9, page


def test_the_practice_follows_the_captures(tmp_path: Path) -> None:
    """A capture that moves a mark moves its hotspot; the names come from the text."""
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    job = Path("screenshots/en/ios/contact-seller")
    (tmp_path / job).mkdir(parents=True)
    meta = json.loads((ROOT / job / "frames.json").read_text("utf-8"))
    config = load_config(tmp_path)
    guide = Guide.model_validate(
        yaml.safe_load((ROOT / "steps/contact-seller.yml").read_text("utf-8"))
    )
    images: dict[tuple[str, str, str], StepPicture] = {}
    for step in meta["steps"]:
        frames = tuple(
            SiteFrame(390, 300, (), (Variant(f"{step['id']}.{n}.390.webp", 390, 300),))
            for n, _ in enumerate(step["frames"], 1)
        )
        images[("ios", "contact-seller", step["id"])] = StepPicture(frames, (), True)

    def first_box() -> list[float]:
        (job_dir := tmp_path / job).mkdir(parents=True, exist_ok=True)
        (job_dir / "frames.json").write_text(json.dumps(meta), "utf-8")
        data = guide_practice(config, guide, "ios", "en", images, {}, True)
        assert data is not None
        return data["hotspots"][0]["box"]

    before = first_box()
    meta["steps"][0]["frames"][0]["marks"][0]["box"][0] += 39
    after = first_box()
    assert after[0] == pytest.approx(before[0] + 0.1, abs=1e-4)
    assert mark_name("Check ① Sold by, then tap ② Contact seller.", 2, "en") == "Contact seller"
    assert mark_name("①「注文履歴」を{tap}します。", 1, "ja") == "注文履歴"


def test_the_practice_works_on_a_zensical_site(browser: Browser, zensical_site: Site) -> None:
    """Its data and pictures are found from a page Zensical built (relative URLs)."""
    context = zensical_site.context(browser, viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{zensical_site.url}en/guides/check-sent/")
        page.locator("[data-practice-start]:visible").click()
        hot = page.locator("[data-practice-hotspot]")
        expect(hot).to_be_visible()
        expect(page.locator("[data-practice] img")).to_have_js_property("complete", True)
        assert page.locator("[data-practice] img").evaluate("(i) => i.naturalWidth") > 0
        total = int((hot.get_attribute("data-position") or "").split("/")[1])
        for _ in range(total):
            _tap(page, phone=False)
        expect(page.locator("[data-practice-done]")).to_be_visible()
        embedded = zensical_site.root / "site/practice/en/web/check-sent/index.html"
        assert embedded.is_file()
        assert not zensical_site.external
    finally:
        context.close()
