"""The built help site in real Chromium, clicked through as a reader does: tabs,
languages, the footer, the lightbox, the home chart, search, a sub-path; and
every image of Zensical's site."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, expect

from tests.site_fixtures import Site, search_index
from tests.site_pages import (
    IMAGES_ON,
    SECOND_ENGINE_GUIDE,
    Read,
    choose_tab,
    image_problems,
    load_all_images,
    no_page_faults,
    open_page,
    selected_tab,
)


def test_every_image_of_the_zensical_site_loads_and_has_alt_text(
    zensical_site: Site, readings: Read
) -> None:
    # Here, not in test_site.py: this file's worker builds Zensical's site and
    # reads its pages (engine_reads) while test_site.py's worker reads MkDocs's.
    found = readings(zensical_site, IMAGES_ON)
    read = {reading.path for reading in found}
    assert {"", "about-sellers/", "editors/", "en/", SECOND_ENGINE_GUIDE} <= read, read
    problems = image_problems(found)
    assert not problems, "\n".join(problems)


def test_a_request_that_leaves_the_site_is_refused_and_named(site: Site, browser: Browser) -> None:
    # What every site test relies on to fail a page that needs the network.
    page = open_page(site, browser, "")
    # The same server by another name is another site: a name this machine
    # resolves, so only the tests' browser (conftest.OFFLINE) refuses it.
    elsewhere = site.url.replace("127.0.0.1", "localhost") + "sitemap.xml"
    outcome = page.evaluate(
        """async (elsewhere) => {
            const inside = await fetch("sitemap.xml").then((r) => r.status);
            const fetched = (url) => fetch(url, {mode: "no-cors"}).then(
                () => "loaded", () => "refused");
            const outside = await fetched("https://cdn.example.net/x.js");
            return [inside, outside, await fetched(elsewhere)];
        }""",
        elsewhere,
    )
    leaving, site.external[:] = list(site.external), []
    assert outcome == [200, "refused", "refused"]
    assert leaving == ["https://cdn.example.net/x.js", elsewhere]


@pytest.mark.parametrize("root", ["", "en/"])
def test_readers_pages_link_the_editors_guide_from_the_footer_only(
    site: Site, browser: Browser, root: str
) -> None:
    page = open_page(site, browser, root + "guides/check-sent/")
    assert not page.locator(".md-nav a[href*='editors']").count(), "no editors' page in the nav"
    page.locator("a.gg-footer-link").click()
    page.wait_for_url(site.url + root + "editors/")
    assert page.locator(".md-nav a[href*='reference']").count(), "the editors' nav"
    page.locator("a.gg-footer-link").click()
    page.wait_for_url(site.url + root)
    no_page_faults(page, site)


def test_a_platform_chosen_on_one_guide_is_shown_on_the_next(engine_site: Site, browser: Browser):
    site = engine_site
    first, second = "guides/contact-seller/", "guides/check-replies/"
    page = open_page(site, browser, first)
    choose_tab(page, "Android")
    page.goto(site.url + second)
    assert selected_tab(page) == "Android"
    page.reload()
    assert selected_tab(page) == "Android", "the choice is remembered across page loads"
    no_page_faults(page, site)


@pytest.mark.parametrize(
    "start", ["guides/contact-seller/", "about-sellers/", "", "editors/marks/"]
)
def test_the_language_switcher_keeps_the_page(engine_site: Site, browser: Browser, start: str):
    site = engine_site
    page = open_page(site, browser, start)
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site.url + "en/" + start)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="日本語").click()
    page.wait_for_url(site.url + start)
    no_page_faults(page, site)


def test_step_images_are_lazy_and_open_in_a_lightbox(site: Site, browser: Browser) -> None:
    page = open_page(site, browser, "guides/contact-seller/")
    first = page.locator(".tabbed-block img").filter(visible=True).first
    assert first.get_attribute("loading") == "lazy"
    assert "①" in (first.get_attribute("alt") or "")
    first.scroll_into_view_if_needed()
    first.click()
    dialog = page.locator("dialog.gg-lightbox")
    assert dialog.evaluate("d => d.open")
    # The lightbox loads the picture's largest size only now: wait for it.
    assert dialog.locator("img").evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
    page.keyboard.press("Escape")
    expect(dialog).to_have_js_property("open", False)
    assert page.url == site.url + "guides/contact-seller/", "the image opened in place"
    no_page_faults(page, site)


def test_the_home_flow_chart_is_html_linked_dark_aware_and_unsearched(
    engine_site: Site, browser: Browser
) -> None:
    """The chart is HTML in the page: nothing draws it at run time, a screen
    reader reads its boxes in order, each box links its page, its colours follow
    the palette, and its words stay out of the search index (its text is the
    list under it, which the index holds)."""
    site = engine_site
    for root in ("", "en/"):
        page = open_page(site, browser, root)
        first = page.locator("article :is(h1, h2, p)").first
        assert first.evaluate("e => e.tagName") == "H1", "front matter leaked into the page"
        chart = page.locator("article figure.gg-flow")
        assert chart.get_attribute("aria-label"), "the chart is named"
        assert chart.bounding_box()["height"] > 200
        boxes = chart.locator("a.gg-flow__box")
        hrefs = boxes.evaluate_all("as => as.map(a => a.href)")
        guides = ("contact-seller", "check-replies", "return-request", "file-claim")
        wanted = ["guides/seller-types/", "about-sellers/"] + [f"guides/{g}/" for g in guides]
        assert hrefs == [site.url + root + w for w in wanted], "boxes in reading order"
        loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        assert not [u for u in loaded if "mermaid" in u.lower()], loaded
        light = boxes.first.evaluate("a => getComputedStyle(a).borderTopColor")
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
        assert boxes.first.evaluate("a => getComputedStyle(a).borderTopColor") != light
        words = chart.locator("a, p").all_inner_texts()
        no_page_faults(page, site)
        index = json.loads(search_index(site.root / "site" / root).read_text("utf-8"))
        home = " ".join(
            doc["title"] + " " + doc["text"]
            for doc in index.get("docs", index.get("items", []))
            if doc["location"].split("#")[0] in ("", "index.html")
        )
        assert home and "flowchart" not in home and "%%{" not in home
        for word in words:
            assert f">{word.strip()}<" not in home, f"the chart's {word!r} is in the search index"
    assert not (site.root / "site" / "assets" / "vendor").exists(), "nothing vendored ships"


def test_guide_text_with_html_is_shown_as_text(site: Site, browser: Browser) -> None:
    page = open_page(site, browser, "guides/escape-check/")
    assert page.evaluate("() => window.pwned") is None
    # An invisible word joiner keeps "</" from closing <title>; readers don't see it.
    assert page.locator("h1").inner_text().replace("\u2060", "").startswith("</title><script>")
    assert "<b>bold</b>" in page.locator("article").inner_text()
    assert page.title().replace("\u2060", "").startswith("</title><script>")
    no_page_faults(page, site)


def test_from_a_sub_path_a_reader_can_click_through(engine_site: Site, browser: Browser) -> None:
    """Served from /help/ as built for https://example.org/help/: the home, the
    navigation, a guide's images, search, the language switch and 404.html."""
    site = engine_site
    page = open_page(site, browser, "")
    page.locator(".md-nav a[href*='check-sent']").first.click()
    page.wait_for_url(site.url + "guides/check-sent/")
    assert all(image["width"] > 0 for image in load_all_images(page))
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site.url + "en/guides/check-sent/")
    page.goto(site.url + "404.html")
    # Material's own stylesheet paints the header; without it the page is unstyled.
    header = page.locator("header.md-header")
    assert header.evaluate("h => getComputedStyle(h).position") in ("sticky", "fixed")
    page.locator("a.md-header__button.md-logo, a.md-logo").first.click()
    page.wait_for_url(site.url)
    no_page_faults(page, site)


def test_the_search_box_opens_results_under_the_sub_path(site: Site, browser: Browser) -> None:
    page = open_page(site, browser, "en/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("sent")
    box.press("End")
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url(re.compile(re.escape(site.url + "en/guides/")))
    no_page_faults(page, site)
