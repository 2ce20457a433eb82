"""Step pictures on the built site in real Chromium: readable at a phone's and a
computer's size, a keyboard- and touch-friendly lightbox, light downloads, and
pictures that follow the light/dark palette."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, expect

from generator.config import Config
from tests.site_fixtures import DARK_GUIDE, ROOT, Site

GUIDES = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))
LANGS = {"ja": "", "en": "en/"}
MIN_SCALE = 0.6
MAX_HEIGHT = 0.8  # of the viewport, for phone tabs on a phone
MAX_IMAGE_BYTES = 300_000  # per guide page and chosen tab on an iPhone 13


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


@pytest.mark.parametrize("lang", LANGS)
def test_pictures_read_at_app_size_on_a_phone_and_a_computer(
    site: Site, browser: Browser, playwright: Playwright, project_config: Config, lang: str
) -> None:
    problems = []
    for viewport, options in (("iphone", iphone(playwright)), ("1366", DESKTOP)):
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
        page.touchscreen.tap(195, picture["y"] + picture["height"] + 120)
        expect(dialog).to_have_js_property("open", False)


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


def _visit(
    site: Site, browser: Browser, playwright: Playwright, path: str, label: str, scheme: str
) -> tuple[list[Request], int]:
    with opened(site, browser, color_scheme=scheme, **iphone(playwright)) as context:
        _choose_before_load(context, site, label)
        page = context.new_page()
        finished: list[Request] = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(site.url + path)
        _scroll_to_the_end(page)
        images = [r for r in finished if r.resource_type == "image"]
        weight = sum(r.sizes()["responseBodySize"] for r in images)
    return images, weight


@pytest.mark.parametrize("guide", GUIDES)
def test_a_phone_downloads_little_per_chosen_tab(
    site: Site, browser: Browser, playwright: Playwright, project_config: Config, guide: str
) -> None:
    over = []
    for lang, root in LANGS.items():
        for platform, label in labels(project_config, lang).items():
            schemes = ("light", "dark") if guide == DARK_GUIDE else ("light",)
            for scheme in schemes:
                path = f"{root}guides/{guide}/"
                images, weight = _visit(site, browser, playwright, path, label, scheme)
                shots = _screenshots(images)
                print(f"{lang} {guide} {platform} {scheme}: {weight / 1000:.0f} KB, {len(shots)}")
                assert all(f"/screenshots/{platform}/" in r.url for r in shots), label
                if weight > MAX_IMAGE_BYTES:
                    over.append(f"{lang} {guide} {platform} {scheme}: {weight} bytes")
    assert not over, "\n".join(over)


_DARK = re.compile(r"/assets/screenshots/[^/]+/[^/]+/dark/")


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

        for scheme, toggle in (("slate", "__palette_1"), ("default", "__palette_0")):
            requested.clear()
            page.locator(f"label[for={toggle}]").click()
            page.wait_for_function(
                f"() => document.body.dataset.mdColorScheme === {scheme!r}"
                " && [...document.querySelectorAll('.tabbed-block img')]"
                "      .filter(i => i.checkVisibility())"
                f"     .every(i => {'' if scheme == 'slate' else '!'}/\\/dark\\//.test(i.src))"
            )
            _scroll_to_the_end(page)
            shots = [u for u in requested if "/assets/screenshots/" in u]
            wanted_dark = scheme == "slate"
            assert shots, scheme
            assert all(bool(_DARK.search(u)) == wanted_dark for u in shots), shots
            assert page.evaluate("() => window.stayed") is True, "the page reloaded"


def test_a_dark_reader_never_loads_a_light_picture(
    site: Site, browser: Browser, playwright: Playwright
) -> None:
    images, _ = _visit(site, browser, playwright, f"guides/{DARK_GUIDE}/", "iPhone", "dark")
    shots = [r.url for r in _screenshots(images)]
    assert shots and all(_DARK.search(u) for u in shots), shots
