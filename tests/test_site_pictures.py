"""Step pictures on the built site in real Chromium: readable at a phone's and a
computer's size, a keyboard- and touch-friendly lightbox, light downloads, and
pictures that follow the light/dark palette."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Route, expect

from guidegen.config import Config
from tests.site_fixtures import DARK_GUIDE, ROOT, Site

GUIDES = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))
LANGS = {"ja": "", "en": "en/"}
MIN_SCALE = 0.6
MAX_HEIGHT = 0.8  # of the viewport, for phone tabs on a phone
MAX_IMAGE_BYTES = 300_000  # per guide page and chosen tab on an iPhone 13
# Everything the page costs, read to the end, on the same iPhone (a computer's
# visit: tests/test_site_phone.py).
MAX_TAB_BYTES = 1_500_000
# A guide read on an iPhone (390 CSS pixels wide) fits in this many screens of
# 844 pixels, its own platform's tab chosen: the steps, not the page around them.
IPHONE_SCREEN = 844
MAX_IPHONE_SCREENS = 6


def iphone(playwright: Playwright) -> dict:
    # Playwright's descriptor has the browser's visible area (390x664); the
    # readers' screen is 390x844.
    return {**playwright.devices["iPhone 13"], "viewport": {"width": 390, "height": 844}}


DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@contextmanager
def opened(site: Site, browser: Browser, **options: object) -> Iterator[BrowserContext]:
    context = site.context(browser, **options)
    try:
        yield context
    finally:
        context.close()
    assert not site.external, f"requests left 127.0.0.1: {site.external}"


def labels(config: Config, lang: str) -> dict[str, str]:
    return {p: config.devices[p].label[lang] for p in config.platforms}  # type: ignore[index]


def choose_tab(page: Page, label: str) -> None:
    page.locator(".tabbed-labels label", has_text=label).first.click()


_SHOWN = """() => [...document.querySelectorAll(".tabbed-block img")]
  .filter(i => i.checkVisibility())
  .map(i => ({
    alt: i.alt,
    scale: i.clientWidth / Number(i.dataset.cssWidth),
    height: i.clientHeight,
    sized: i.hasAttribute("width") && i.hasAttribute("height") && !!i.dataset.cssWidth,
  }))"""


# The computer in one language: there only the pictures' scale is read, which
# follows from their device and the window, not from their words; on the
# iPhone, where a crop's height counts, both.
@pytest.mark.parametrize(("viewport", "lang"), [("iphone", "ja"), ("iphone", "en"), ("1366", "ja")])
def test_pictures_read_at_app_size_on_a_phone_and_a_computer(
    site: Site,
    browser: Browser,
    playwright: Playwright,
    project_config: Config,
    viewport: str,
    lang: str,
) -> None:
    problems = []
    options = iphone(playwright) if viewport == "iphone" else DESKTOP
    with opened(site, browser, **options) as context:
        page = context.new_page()
        limit = MAX_HEIGHT * options["viewport"]["height"]  # type: ignore[index]
        for guide in GUIDES:
            page.goto(f"{site.url}{LANGS[lang]}guides/{guide}/")
            for platform, label in labels(project_config, lang).items():
                if not page.locator(".tabbed-labels label", has_text=label).count():
                    continue
                choose_tab(page, label)
                shown = page.evaluate(_SHOWN)
                for image in shown:
                    where = f"{viewport} {lang} {guide} {platform}: {image['alt'][:30]}"
                    if not image["sized"]:
                        problems.append(f"{where}: no width/height/data-css-width")
                    if image["scale"] < MIN_SCALE:
                        problems.append(f"{where}: scale {image['scale']:.2f}")
                    if viewport == "iphone" and image["height"] > limit:
                        problems.append(f"{where}: {image['height']} px tall")
    assert not problems, "\n".join(problems)


def test_a_tab_reached_with_the_keyboard_shows_a_focus_ring(site: Site, browser: Browser) -> None:
    with opened(site, browser, **DESKTOP) as context:
        page = context.new_page()
        page.goto(f"{site.url}guides/file-claim/")
        label = page.locator(".tabbed-labels > label").first
        ring = (
            "l => [getComputedStyle(l).outlineStyle, parseFloat(getComputedStyle(l).outlineWidth)]"
        )
        assert label.evaluate(ring)[0] == "none"
        page.locator(".tabbed-set > input").first.focus()
        page.keyboard.press("ArrowRight")  # as a keyboard reader moves between tabs
        focused = page.evaluate("() => document.activeElement.id")
        label = page.locator(f".tabbed-labels > label[for='{focused}']")
        style, width = label.evaluate(ring)
        assert style == "solid" and width >= 2


def test_multi_screen_steps_show_an_arrow_between_frames(site: Site, browser: Browser, playwright):
    for options, arrow_below in ((iphone(playwright), True), (DESKTOP, False)):
        with opened(site, browser, **options) as context:
            page = context.new_page()
            page.goto(f"{site.url}guides/file-claim/")
            choose_tab(page, "iPhone")
            step = page.locator(".tabbed-block .gg-shots--n2").filter(visible=True).first
            first, second = (step.locator("img").nth(i).bounding_box() for i in (0, 1))
            arrow = step.locator(".gg-next").bounding_box()
            assert first and second and arrow and arrow["width"] > 0 and arrow["height"] > 0
            if arrow_below:  # stacked on a phone
                assert first["y"] + first["height"] <= arrow["y"] < second["y"]
            else:  # side by side on a computer
                assert first["x"] + first["width"] <= arrow["x"] < second["x"]


def _tab_pictures(page: Page) -> list[str]:
    return (
        page.locator(".tabbed-block a.gg-zoom")
        .filter(visible=True)
        .evaluate_all("links => links.map(l => l.querySelector('img').alt)")
    )


def test_the_lightbox_works_with_the_keyboard(site: Site, browser: Browser) -> None:
    with opened(site, browser, **DESKTOP) as context:
        page = context.new_page()
        page.goto(f"{site.url}guides/file-claim/")
        choose_tab(page, "iPhone")
        alts = _tab_pictures(page)
        dialog = page.locator("dialog.gg-lightbox")
        first = page.locator(".tabbed-block a.gg-zoom").filter(visible=True).first
        first.focus()
        page.keyboard.press("Enter")
        assert dialog.evaluate("d => d.open")
        image = dialog.locator("img")
        assert image.get_attribute("alt") == alts[0]
        assert dialog.locator("figcaption").inner_text() == alts[0]
        assert image.evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
        # Focus stays inside the open lightbox.
        for _ in range(5):
            page.keyboard.press("Tab")
            assert page.evaluate("() => !!document.activeElement.closest('dialog.gg-lightbox')")
        _beside(dialog)
        # A click on the picture shows it at its natural size, a second as it was.
        fitted = image.bounding_box()
        image.click()
        expect(dialog).to_have_class(re.compile("gg-lightbox--zoomed"))
        assert image.evaluate("i => i.getBoundingClientRect().width === i.naturalWidth")
        image.click(position={"x": 5, "y": 5})
        expect(dialog).not_to_have_class(re.compile("gg-lightbox--zoomed"))
        assert image.bounding_box() == fitted and dialog.evaluate("d => d.open")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert image.get_attribute("alt") == alts[2]
        page.keyboard.press("ArrowLeft")
        assert image.get_attribute("alt") == alts[1]
        page.keyboard.press("Escape")
        expect(dialog).to_have_js_property("open", False)
        # Focus returns to the picture last shown, in the page (site.js moves it
        # there on the dialog's close event, which comes a task after the close).
        page.wait_for_function(
            "alt => document.activeElement.querySelector('img')?.alt === alt", arg=alts[1]
        )
        assert page.url.split("#")[0] == f"{site.url}guides/file-claim/", "opened in place"


def test_the_lightbox_opens_on_a_click_and_closes_beside_the_picture(
    site: Site, browser: Browser, playwright: Playwright
) -> None:
    with opened(site, browser, **iphone(playwright)) as context:
        page = context.new_page()
        page.goto(f"{site.url}en/guides/contact-seller/")
        thumbnail = page.locator(".tabbed-block a.gg-zoom img").filter(visible=True).first
        alt = thumbnail.get_attribute("alt")
        # The click a tap makes may come after tap() returns: wait for what it does.
        thumbnail.tap()
        dialog = page.locator("dialog.gg-lightbox")
        expect(dialog).to_have_js_property("open", True)
        assert dialog.locator("img").get_attribute("alt") == alt
        # The next button goes on; a tap on the backdrop, beside the picture, closes.
        dialog.locator(".gg-lightbox__next").tap()
        expect(dialog.locator("img")).not_to_have_attribute("alt", alt)
        # The picture takes its size once it has loaded.
        dialog.locator("img").evaluate("i => i.decode()")
        picture = dialog.locator("img").bounding_box()
        assert picture is not None
        _beside(dialog)
        # A tap on the picture neither closes nor zooms it (it may start a swipe
        # or a pinch: the page lets the reader pinch); a double tap zooms it to its
        # natural size. (Chromium makes a double tap a dblclick after the taps'
        # pointer events; sent here as such, as two taps' timing is Chromium's own.)
        dialog.locator("img").tap()
        assert dialog.evaluate("d => d.open && !d.classList.contains('gg-lightbox--zoomed')")
        dialog.locator("img").evaluate(
            """i => {
              const touch = {pointerType: "touch", bubbles: true};
              i.dispatchEvent(new PointerEvent("pointerdown", touch));
              i.dispatchEvent(new MouseEvent("dblclick", {bubbles: true}));
            }"""
        )
        expect(dialog).to_have_class(re.compile("gg-lightbox--zoomed"))
        assert dialog.locator("img").evaluate("i => i.clientWidth === i.naturalWidth")
        viewport = page.locator("meta[name=viewport]").get_attribute("content") or ""
        assert "user-scalable=no" not in viewport and "maximum-scale=1" not in viewport
        dialog.locator("img").evaluate(
            "i => i.dispatchEvent(new MouseEvent('dblclick', {bubbles: true}))"
        )
        expect(dialog).not_to_have_class(re.compile("gg-lightbox--zoomed"))
        page.touchscreen.tap(195, picture["y"] + picture["height"] + 120)
        expect(dialog).to_have_js_property("open", False)


def _beside(dialog) -> None:  # type: ignore[no-untyped-def]
    """The lightbox's buttons are all beside its picture, none on it."""
    picture = dialog.locator("img").bounding_box()
    for button in dialog.locator("button:enabled").all():
        box = button.bounding_box()
        assert picture and box
        apart = (
            box["x"] + box["width"] <= picture["x"]
            or box["x"] >= picture["x"] + picture["width"]
            or box["y"] + box["height"] <= picture["y"]
            or box["y"] >= picture["y"] + picture["height"]
        )
        assert apart, f"{button.get_attribute('aria-label')} lies on the picture"


def _choose_before_load(context: BrowserContext, site: Site, label: str) -> None:
    """Stores the tab choice where Material keeps it (keyed by each site's base path), as an
    earlier visit would."""
    base = urlsplit(site.url).path
    choice = json.dumps([label])
    scopes = json.dumps([base, f"{base}en/"])
    context.add_init_script(
        f"for (const scope of {scopes}) localStorage.setItem(scope + '.__tabs', {choice!r});"
    )


_PICTURES_IN_VIEW_LOADED = """() => [...document.querySelectorAll(".tabbed-block img")]
  .filter(i => i.checkVisibility())
  .filter(i => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
  .every(i => i.complete && i.naturalWidth > 0)"""


def _scroll_to_the_end(page: Page) -> None:
    """Scrolls a screen at a time, letting each screen's pictures load."""
    y = 0
    while True:
        page.wait_for_function(_PICTURES_IN_VIEW_LOADED)
        height = page.evaluate("() => document.documentElement.scrollHeight - innerHeight")
        if y >= height:
            return
        y = min(y + 700, height)
        page.evaluate(f"() => window.scrollTo(0, {y})")


def _screenshots(requests: list[Request]) -> list[Request]:
    return [r for r in requests if "/assets/screenshots/" in r.url]


@dataclass(frozen=True)
class Visit:
    """What an iPhone downloaded for a page read to the end, and the page's length."""

    images: list[Request]
    image_bytes: int
    all_bytes: int
    length: int  # CSS px


def _visit(
    site: Site, browser: Browser, playwright: Playwright, path: str, label: str, scheme: str
) -> Visit:
    with opened(site, browser, color_scheme=scheme, **iphone(playwright)) as context:
        _choose_before_load(context, site, label)
        page = context.new_page()
        finished: list[Request] = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(site.url + path)
        _scroll_to_the_end(page)
        length = page.evaluate("() => document.documentElement.scrollHeight")
        images = [r for r in finished if r.resource_type == "image"]
        return Visit(
            images,
            sum(r.sizes()["responseBodySize"] for r in images),
            sum(r.sizes()["responseBodySize"] for r in finished),
            length,
        )


@pytest.mark.parametrize("guide", GUIDES)
def test_a_phone_downloads_little_per_chosen_tab(
    site: Site, browser: Browser, playwright: Playwright, project_config: Config, guide: str
) -> None:
    over = []
    # A tab's Japanese pictures weigh as much as its English ones or more (denser
    # glyphs, the same sizes): English is read on the guide with dark pictures.
    langs = LANGS if guide == DARK_GUIDE else {"ja": LANGS["ja"]}
    for lang, root in langs.items():
        for platform, label in labels(project_config, lang).items():
            schemes = ("light", "dark") if guide == DARK_GUIDE else ("light",)
            for scheme in schemes:
                path = f"{root}guides/{guide}/"
                visit = _visit(site, browser, playwright, path, label, scheme)
                shots = _screenshots(visit.images)
                where = f"{lang} {guide} {platform} {scheme}"
                print(f"{where}: {visit.image_bytes / 1000:.0f} KB, {len(shots)}")
                assert all(f"/screenshots/{platform}/" in r.url for r in shots), label
                if visit.image_bytes > MAX_IMAGE_BYTES:
                    over.append(f"{where}: {visit.image_bytes} bytes of pictures")
                if visit.all_bytes > MAX_TAB_BYTES:
                    over.append(f"{where}: {visit.all_bytes} bytes in all")
                if (lang, platform, scheme) == ("ja", "ios", "light"):
                    screens = visit.length / IPHONE_SCREEN
                    print(f"{guide} ios: {screens:.1f} iPhone screens")
                    if screens > MAX_IPHONE_SCREENS:
                        over.append(f"{guide}: {screens:.1f} iPhone screens")
    assert not over, "\n".join(over)


_DARK = re.compile(r"/assets/screenshots/[^/]+/[^/]+/dark/")
_LIGHT = re.compile(r"/assets/screenshots/[^/]+/[^/]+/[^/]+\.webp")
# Pictures in view that are shown (not hidden) with a picture that is not yet
# the one their srcset now asks for.
_OLD_SCHEME_SHOWN = """() => [...document.querySelectorAll(".tabbed-block img")]
  .filter(i => i.checkVisibility({visibilityProperty: true}))
  .filter(i => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
  .filter(i => i.currentSrc && !i.getAttribute("srcset").includes(i.currentSrc.split("/").pop()))
  .map(i => i.currentSrc)"""


def test_pictures_follow_the_palette_without_a_reload(
    site: Site, browser: Browser, playwright: Playwright
) -> None:
    with opened(site, browser, **iphone(playwright)) as context:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(f"{site.url}guides/{DARK_GUIDE}/")
        page.wait_for_function(_PICTURES_IN_VIEW_LOADED)
        page.evaluate("() => { window.stayed = true; }")
        light = [u for u in requested if "/assets/screenshots/" in u]
        assert light and not any(_DARK.search(u) for u in light)

        held: list[Route] = []
        for scheme, toggle in (("slate", "__palette_1"), ("default", "__palette_0")):
            requested.clear()
            # A slow network: the other scheme's pictures are held back at first.
            held.clear()
            wanted = _DARK if scheme == "slate" else _LIGHT
            page.route(wanted, lambda route: held.append(route))
            page.locator(f"label[for={toggle}]").click()
            page.wait_for_function(
                f"() => document.body.dataset.mdColorScheme === {scheme!r}"
                " && [...document.querySelectorAll('.tabbed-block img')]"
                "      .filter(i => i.checkVisibility())"
                f"     .every(i => {'' if scheme == 'slate' else '!'}/\\/dark\\//.test(i.src))"
            )
            # Until they arrive, no picture of the old scheme shows on the page.
            assert page.evaluate(_OLD_SCHEME_SHOWN) == [], scheme
            for route in held:
                route.continue_()
            page.unroute(wanted)
            _scroll_to_the_end(page)
            assert page.evaluate(_OLD_SCHEME_SHOWN) == []
            shots = [u for u in requested if "/assets/screenshots/" in u]
            wanted_dark = scheme == "slate"
            assert shots, scheme
            assert all(bool(_DARK.search(u)) == wanted_dark for u in shots), shots
            assert page.evaluate("() => window.stayed") is True, "the page reloaded"


def test_a_dark_reader_never_loads_a_light_picture(
    site: Site, browser: Browser, playwright: Playwright
) -> None:
    visit = _visit(site, browser, playwright, f"guides/{DARK_GUIDE}/", "iPhone", "dark")
    shots = [r.url for r in _screenshots(visit.images)]
    assert shots and all(_DARK.search(u) for u in shots), shots
