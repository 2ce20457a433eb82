"""The built help site in real Chromium: tabs, languages, images, layout, accessibility."""

from __future__ import annotations

import gzip
import json
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.axe_check import axe_on_every_page, blocking_violations
from tests.site_fixtures import ROOT, SITE_URL, Site, search_index

GUIDES = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))
MAX_TAB_BYTES = 1_500_000
# A guide read on an iPhone (390 CSS pixels wide) fits in this many screens of
# 844 pixels, its own platform's tab chosen: the steps, not the page around them.
IPHONE_SCREEN = 844
MAX_IPHONE_SCREENS = 6


def _guide_platforms(guide: str) -> list[str]:
    data = yaml.safe_load((ROOT / "steps" / f"{guide}.yml").read_text("utf-8"))
    return list(data.get("platforms") or ["ios", "android", "web"])


def _tab(site: Site, browser: Browser, device: dict | None = None) -> Page:
    """A tab in a fresh context that keeps the page's script errors (see _close)."""
    page = site.context(browser, **(device or {})).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def _visit(page: Page, site: Site, path: str) -> None:
    page.goto(site.url + path)
    page.wait_for_load_state("load")


def _open(site: Site, browser: Browser, path: str, device: dict | None = None) -> Page:
    page = _tab(site, browser, device)
    _visit(page, site, path)
    return page


def _every_page(
    site: Site, browser: Browser, device: dict | None = None, axe: bool = False
) -> Iterator[tuple[Page, str]]:
    """Visit every page of the site in turn, in one tab as a reader would: yields
    each path once the page has loaded, and fails on a page's script error or
    any request that left the site. One tab keeps the renderer and the HTTP
    cache of the site's scripts and styles, which a context per page would not."""
    page = _tab(site, browser, device)
    if axe:
        axe_on_every_page(page.context)
    # Every URL the page asks for, its search worker's too (the context sees
    # them; Site.context's route keeps the HTTP cache off, so each page asks
    # for all it needs).
    requested: list[str] = []
    page.requested = requested  # type: ignore[attr-defined]
    page.context.on("request", lambda request: requested.append(request.url))
    try:
        for path in site.pages():
            requested.clear()
            _visit(page, site, path)
            yield page, path
            assert not page.errors, f"{path}: script errors: {page.errors}"  # type: ignore[attr-defined]
            assert not site.external, f"{path}: requests left 127.0.0.1: {site.external}"
    finally:
        page.context.close()


def _close(page: Page, site: Site) -> None:
    errors = page.errors  # type: ignore[attr-defined]
    page.context.close()
    assert not errors, f"script errors: {errors}"
    assert not site.external, f"requests left 127.0.0.1: {site.external}"


def _selected_tab(page: Page) -> str:
    return page.locator(".tabbed-set .tabbed-labels label").evaluate_all(
        """labels => labels.find(l => document.getElementById(l.htmlFor)?.checked)
                         ?.textContent.trim()"""
    )


# What Material's script changes after the load event: it mounts the content tabs
# (only then does a click on a tab link the page's tabs and remember the choice).
_SCRIPTS_DONE = """() => !document.querySelector(".tabbed-labels:not(.tabbed-labels--linked)")"""


def _wait_for_scripts(page: Page) -> None:
    page.wait_for_function(_SCRIPTS_DONE)


def _choose_tab(page: Page, label: str) -> None:
    _wait_for_scripts(page)
    page.locator(".tabbed-labels label", has_text=label).first.click()


EDITORS_PAGES = ("", "first-guide/", "marks/", "targets/", "ci/", "your-app/", "reference/")


def test_every_page_of_both_languages_is_built(site: Site) -> None:
    pages = set(site.pages())
    for root in ("", "en/"):
        assert {f"{root}", f"{root}about-sellers/"} <= pages
        assert {f"{root}guides/{g}/" for g in GUIDES} <= pages
        assert {f"{root}editors/{p}" for p in EDITORS_PAGES} <= pages


def test_a_request_that_leaves_the_site_is_refused_and_named(site: Site, browser: Browser) -> None:
    # What every site test relies on to fail a page that needs the network.
    page = _open(site, browser, "")
    outcome = page.evaluate(
        """async () => {
            const inside = await fetch("sitemap.xml").then((r) => r.status);
            const outside = await fetch("https://cdn.example.net/x.js").then(
                () => "loaded", () => "refused");
            return [inside, outside];
        }"""
    )
    leaving, site.external[:] = list(site.external), []
    page.context.close()
    assert outcome == [200, "refused"]
    assert leaving == ["https://cdn.example.net/x.js"]


@pytest.mark.parametrize("root", ["", "en/"])
def test_readers_pages_link_the_editors_guide_from_the_footer_only(
    site: Site, browser: Browser, root: str
) -> None:
    page = _open(site, browser, root + "guides/check-sent/")
    assert not page.locator(".md-nav a[href*='editors']").count(), "no editors' page in the nav"
    page.locator("a.gg-footer-link").click()
    page.wait_for_url(site.url + root + "editors/")
    assert page.locator(".md-nav a[href*='reference']").count(), "the editors' nav"
    page.locator("a.gg-footer-link").click()
    page.wait_for_url(site.url + root)
    _close(page, site)


def test_a_platform_chosen_on_one_guide_is_shown_on_the_next(engine_site: Site, browser: Browser):
    site = engine_site
    first, second = "guides/contact-seller/", "guides/check-replies/"
    page = _open(site, browser, first)
    _choose_tab(page, "Android")
    page.goto(site.url + second)
    assert _selected_tab(page) == "Android"
    page.reload()
    assert _selected_tab(page) == "Android", "the choice is remembered across page loads"
    _close(page, site)


@pytest.mark.parametrize(
    "start", ["guides/contact-seller/", "about-sellers/", "", "editors/marks/"]
)
def test_the_language_switcher_keeps_the_page(engine_site: Site, browser: Browser, start: str):
    site = engine_site
    page = _open(site, browser, start)
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site.url + "en/" + start)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="日本語").click()
    page.wait_for_url(site.url + start)
    _close(page, site)


def _load_all_images(page: Page) -> list[dict]:
    """Load every image, also lazy ones in hidden tabs, and describe each."""
    return page.evaluate(
        """async () => {
          const images = [...document.images];
          for (const image of images) image.loading = "eager";
          await Promise.all(images.map((image) => image.decode().catch(() => null)));
          return images.map((image) => ({
            src: image.currentSrc || image.src,
            alt: image.getAttribute("alt"),
            width: image.naturalWidth,
          }));
        }"""
    )


# Scrolls through the page a screen at a time, waiting at each screen for the
# pictures it shows (a lazy picture starts loading once it is near the screen).
_READ_TO_THE_END = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  for (let top = 0; ; top += innerHeight) {
    scrollTo(0, top);
    await frame();
    await frame();
    const shown = [...document.images].filter((image) => {
      const box = image.getBoundingClientRect();
      return image.checkVisibility() && box.bottom > 0 && box.top < innerHeight;
    });
    await Promise.all(shown.map((image) => image.decode().catch(() => null)));
    if (top + innerHeight >= document.documentElement.scrollHeight) break;
  }
}"""

# Whether the header's site name is cut (an ellipsis, or lines clamped away),
# and each katakana word of four letters or more in the page's text whose
# letters stand on more than one line. The text is a help page's article, or
# the main of an embeddable practice page (site/practice/), which has neither
# the site's header nor an article.
_TITLE_AND_WORDS = """() => {
  const name = document.querySelector(".md-header__topic:first-child .md-ellipsis");
  const cut = !!name && (name.scrollWidth > name.clientWidth + 1
    || name.scrollHeight > name.clientHeight + 1);
  const split = [];
  const text = document.querySelector("article")
    || document.querySelector("body.gg-practice-embed > main");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.checkVisibility()) continue;
    for (const match of node.data.matchAll(/[\u30a1-\u30fa\u30fc]{4,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return [cut, split];
}"""

# What a host sends compressed (gzip, as web servers do by default for text).
_TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".vtt")


def _transferred(site: Site, urls: list[str]) -> dict[str, int]:
    """The bytes each of the site's URLs costs a reader: its file, gzipped if text."""
    sizes = {}
    for url in dict.fromkeys(urls):
        if not url.startswith(site.url):
            continue
        path = unquote(urlsplit(url).path).removeprefix(urlsplit(site.url).path)
        file = site.root / "site" / path
        if file.is_dir():
            file = file / "index.html"
        data = file.read_bytes()
        sizes[path] = len(gzip.compress(data, 6)) if file.suffix in _TEXT else len(data)
    return sizes


@dataclass(frozen=True)
class PageReading:
    """What the page at path shows a reader once its scripts are done."""

    path: str
    overflow: int  # CSS pixels wider than the window
    images: list[dict]  # on IMAGES_ON, every image, lazy ones too, loaded: src, alt, width
    violations: list[str]  # axe's serious or critical ones, when axe ran
    # On the phone, read to the end: the bytes of every file it loaded, by path.
    transferred: dict[str, int]
    # On the phone: whether the site's name in the header is cut short, and
    # the katakana words of the page's text that break across two lines.
    title_cut: bool = False
    split_words: tuple[str, ...] = ()


Read = Callable[[Site, str], list[PageReading]]
# axe reads the desktop pages of the default engine: its test is the only one that needs it.
AXE_ON = ("mkdocs", "desktop")
# Every image is loaded on the desktop, where the image test reads them: on the
# phone, whose pictures are three times as large, the readings are for width.
IMAGES_ON = "desktop"


@pytest.fixture(scope="module")
def readings(browser: Browser, devices: dict[str, dict]) -> Read:
    """read(site, device name): a PageReading of every page, loaded once per
    engine and device for all the tests below that check every page."""
    done: dict[tuple[str, str], list[PageReading]] = {}

    def read(site: Site, device: str) -> list[PageReading]:
        if (site.engine, device) not in done:
            found = []
            axe = (site.engine, device) == AXE_ON
            for page, path in _every_page(site, browser, devices[device], axe):
                _wait_for_scripts(page)
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                violations = blocking_violations(page) if axe else []
                images = _load_all_images(page) if device == IMAGES_ON else []
                transferred, cut, split = {}, False, ()
                if device == "phone":
                    cut, split = page.evaluate(_TITLE_AND_WORDS)
                    page.evaluate(_READ_TO_THE_END)
                    transferred = _transferred(site, page.requested)  # type: ignore[attr-defined]
                found.append(
                    PageReading(path, overflow, images, violations, transferred, cut, tuple(split))
                )
            done[(site.engine, device)] = found
        return done[(site.engine, device)]

    return read


def test_every_image_loads_and_has_alt_text(engine_site: Site, readings: Read) -> None:
    problems = []
    count = 0
    for reading in readings(engine_site, IMAGES_ON):
        for image in reading.images:
            count += 1
            if image["width"] == 0:
                problems.append(f"{reading.path}: {image['src']} did not load")
            if not (image["alt"] or "").strip():
                problems.append(f"{reading.path}: {image['src']} has no alt text")
    assert count > 0
    assert not problems, "\n".join(problems)


def test_the_committed_pages_are_as_render_writes_them(site: Site) -> None:
    """A page with a picture marker is rewritten by render: what is committed
    must be what render makes of the committed screenshots, or a build churns git."""
    pages = [p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*.md")]
    stale = [
        str(page)
        for page in pages
        if "guides" not in page.parts
        and (site.root / page).read_bytes() != (ROOT / page).read_bytes()
    ]
    assert pages and not stale, f"run guidegen render and commit: {stale}"


def test_step_images_are_lazy_and_open_in_a_lightbox(site: Site, browser: Browser) -> None:
    page = _open(site, browser, "guides/contact-seller/")
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
    _close(page, site)


@pytest.mark.parametrize("device_name", ["phone", "desktop"])
def test_no_page_scrolls_sideways(site: Site, readings: Read, device_name: str) -> None:
    wide = [
        f"{r.path}: {r.overflow}px too wide" for r in readings(site, device_name) if r.overflow > 0
    ]
    assert not wide, "\n".join(wide)


# What a phone may download for one page, read to the end (issue 26).
MAX_PAGE_BYTES = 350_000


def test_every_page_a_phone_reads_to_the_end_weighs_under_the_budget(
    site: Site, readings: Read
) -> None:
    heavy = []
    for reading in readings(site, "phone"):
        weight = sum(reading.transferred.values())
        assert reading.transferred, f"{reading.path}: no request seen"
        if weight > MAX_PAGE_BYTES:
            largest = sorted(reading.transferred.items(), key=lambda item: -item[1])[:5]
            heavy.append(f"{reading.path}: {weight} bytes; largest: {largest}")
    assert not heavy, "\n".join(heavy)


def test_on_a_phone_the_title_fits_and_japanese_words_stay_whole(
    site: Site, readings: Read
) -> None:
    problems = []
    for reading in readings(site, "phone"):
        if reading.title_cut:
            problems.append(f"{reading.path}: the site's name is cut in the header")
        if not reading.path.startswith("en/") and reading.split_words:
            problems.append(f"{reading.path}: broken across lines: {reading.split_words}")
    assert not problems, "\n".join(problems)


def test_axe_finds_no_serious_or_critical_violation(site: Site, readings: Read) -> None:
    found = [f"{r.path}: {v}" for r in readings(site, AXE_ON[1]) for v in r.violations]
    assert not found, "\n".join(found)


def test_the_home_flow_chart_is_html_linked_dark_aware_and_unsearched(
    engine_site: Site, browser: Browser
) -> None:
    """The chart is HTML in the page: nothing draws it at run time, a screen
    reader reads its boxes in order, each box links its page, its colours follow
    the palette, and its words stay out of the search index (its text is the
    list under it, which the index holds)."""
    site = engine_site
    for root in ("", "en/"):
        page = _open(site, browser, root)
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
        _close(page, site)
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
    page = _open(site, browser, "guides/escape-check/")
    assert page.evaluate("() => window.pwned") is None
    # An invisible word joiner keeps "</" from closing <title>; readers don't see it.
    assert page.locator("h1").inner_text().replace("\u2060", "").startswith("</title><script>")
    assert "<b>bold</b>" in page.locator("article").inner_text()
    assert page.title().replace("\u2060", "").startswith("</title><script>")
    _close(page, site)


DEVICES = {"ios": "iPhone 13", "android": "Pixel 7"}


def _first_visit(site: Site, browser: Browser, playwright, path: str, platform: str) -> dict:
    """What a first-time reader on the platform's device downloads, reading to the end."""
    device = (
        dict(playwright.devices[DEVICES[platform]])
        if platform in DEVICES
        else {"viewport": {"width": 1280, "height": 800}}
    )
    context = site.context(browser, **device)
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers["content-length"])))
    page.goto(site.url + path)
    tab = _selected_tab(page)
    height = page.evaluate("() => document.body.scrollHeight")
    for _ in range(0, height, 300):
        page.mouse.wheel(0, 300)
    page.wait_for_function(
        "() => [...document.images].filter(i => i.checkVisibility()).every(i => i.complete)"
    )
    length = page.evaluate("() => document.documentElement.scrollHeight")
    context.close()
    return {"tab": tab, "sizes": sizes, "length": length}


@pytest.mark.parametrize("guide", GUIDES)
def test_a_guide_page_weighs_under_the_budget_per_tab(
    site: Site, browser: Browser, playwright, guide: str
) -> None:
    for platform in _guide_platforms(guide):
        visit = _first_visit(site, browser, playwright, f"guides/{guide}/", platform)
        weight = sum(visit["sizes"].values())
        images = [url for url in visit["sizes"] if "/assets/screenshots/" in url]
        print(f"{guide} {platform}: {weight / 1e6:.2f} MB, {len(images)} images")
        assert all(f"/screenshots/{platform}/" in url for url in images), (
            f"{guide} on {platform} ({visit['tab']} tab) also loaded {images}"
        )
        assert weight < MAX_TAB_BYTES, f"{guide} on {platform}: {weight} bytes"
        if platform == "ios":
            screens = visit["length"] / IPHONE_SCREEN
            print(f"{guide} ios: {screens:.1f} iPhone screens")
            assert screens <= MAX_IPHONE_SCREENS, f"{guide}: {screens:.1f} iPhone screens"


def test_a_first_time_reader_sees_the_tab_of_their_device(
    site: Site, browser: Browser, playwright
) -> None:
    for platform, label in (("ios", "iPhone"), ("android", "Android"), ("web", "パソコン")):
        visit = _first_visit(site, browser, playwright, "guides/contact-seller/", platform)
        assert visit["tab"] == label


_CJK = "[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
# A line break in a Markdown paragraph reaches the page as a line break, which a
# browser shows as a space: in Japanese, a gap in the middle of a word.
# After Japanese punctuation, a space before a Latin word is just as out of place.
_SOFT_BREAK = re.compile(f"{_CJK}\n\\s*{_CJK}|[、。（）「」：]\n\\s*\\S")
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_INLINE = "a|abbr|b|em|i|kbd|mark|small|span|strong|sub|sup"
_BLOCK_TAG = re.compile(rf"</?(?!(?:{_INLINE})\b)[a-zA-Z][^>]*>")


def test_japanese_text_never_breaks_a_line_between_two_characters(engine_site: Site) -> None:
    gaps = []
    for path in engine_site.pages():
        if path.startswith("en/"):
            continue
        page = (engine_site.root / "site" / path / "index.html").read_text("utf-8")
        for article in _ARTICLE.findall(page):
            article = re.sub(r"<(pre|code)\b.*?</\1>", "x", article, flags=re.S)
            # Blocks end where their tags are; only text within one block runs on.
            text = unescape(re.sub(r"<[^>]+>", "", _BLOCK_TAG.sub("\0", article)))
            gaps += [
                f"{path}: {text[max(0, m.start() - 10) : m.end() + 10]!r}"
                for m in _SOFT_BREAK.finditer(text)
            ]
    assert not gaps, "\n".join(gaps)


def test_readable_japanese_anchors(site: Site) -> None:
    html = (site.root / "site/guides/contact-seller/index.html").read_text("utf-8")
    assert 'id="手順"' in html
    assert 'id="関連するガイド"' in html
    assert not re.search(r'id="_\d+"', html)


def _ids(html: str) -> set[str]:
    return {unquote(i) for i in re.findall(r'\sid="([^"]+)"', html)}


# Hosts that never lead anywhere (RFC 2606 and 6761 names).
_RESERVED_HOST = re.compile(r"(^|\.)(example|test|invalid|localhost)$|^example\.(com|net|org)$")


def _resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, 443)
    except OSError:
        return False
    return True


def _links(html: str) -> Iterator[str]:
    """Every URL a page links or loads: <a> and <link> href, <img> src and srcset."""
    yield from re.findall(r'<(?:a|link) [^>]*href="([^"]+)"', html)
    for tag in re.findall(r"<img [^>]*>", html):
        yield from re.findall(r'\bsrc="([^"]+)"', tag)
        for srcset in re.findall(r'\bsrcset="([^"]+)"', tag):
            yield from (item.split()[0] for item in srcset.split(",") if item.strip())


def test_every_link_of_every_page_leads_somewhere(engine_site: Site) -> None:
    """The crawl, on both engines: every page of both languages and both
    sections, every <a>, <link> and <img>; internal links must reach a built
    file (and anchor) inside the site, other hosts must not be reserved names
    and must resolve when this machine has DNS."""
    root = engine_site.root / "site"
    served = urlsplit(engine_site.url).path  # the sub-path the site is served from
    broken: list[str] = []
    hosts: dict[str, str] = {}
    for page in sorted(root.rglob("*.html")):
        html = page.read_text("utf-8")
        where = page.relative_to(root)
        for href in _links(html):
            href = unescape(href)
            parts = urlsplit(href)
            if parts.scheme in ("mailto", "tel", "javascript", "data"):
                continue
            if parts.netloc:
                hosts.setdefault(parts.hostname or "", f"{where} -> {href}")
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(served):
                    broken.append(f"{where} -> {href} (outside the site's folder {served})")
                    continue
                target = root / path.removeprefix(served)
            else:
                target = (page.parent / path).resolve() if path else page
                if not target.is_relative_to(root.resolve()):
                    broken.append(f"{where} -> {href} (outside the site's folder {served})")
                    continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{where} -> {href}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _ids(target.read_text("utf-8"))
            ):
                broken.append(f"{where} -> {href} (no such anchor)")
    hosts.pop(urlsplit(SITE_URL).hostname or "", None)  # the site's own canonical URLs
    for host, first in sorted(hosts.items()):
        if _RESERVED_HOST.search(host):
            broken.append(f"{first} (a reserved name that leads nowhere)")
    if _resolves("pypi.org"):  # a machine without DNS cannot tell
        broken += [
            f"{first} (host does not resolve)" for h, first in hosts.items() if not _resolves(h)
        ]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.en.yml"])
def test_every_guide_is_in_the_navigation(config: str) -> None:
    listed = set(re.findall(r"guides/([a-z0-9-]+)\.md", (ROOT / config).read_text("utf-8")))
    assert set(GUIDES) <= listed, f"add {sorted(set(GUIDES) - listed)} to nav in {config}"


def test_from_a_sub_path_a_reader_can_click_through(engine_site: Site, browser: Browser) -> None:
    """Served from /help/ as built for https://example.org/help/: the home, the
    navigation, a guide's images, search, the language switch and 404.html."""
    site = engine_site
    page = _open(site, browser, "")
    page.locator(".md-nav a[href*='check-sent']").first.click()
    page.wait_for_url(site.url + "guides/check-sent/")
    assert all(image["width"] > 0 for image in _load_all_images(page))
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site.url + "en/guides/check-sent/")
    page.goto(site.url + "404.html")
    # Material's own stylesheet paints the header; without it the page is unstyled.
    header = page.locator("header.md-header")
    assert header.evaluate("h => getComputedStyle(h).position") in ("sticky", "fixed")
    page.locator("a.md-header__button.md-logo, a.md-logo").first.click()
    page.wait_for_url(site.url)
    _close(page, site)


def test_the_search_box_opens_results_under_the_sub_path(site: Site, browser: Browser) -> None:
    page = _open(site, browser, "en/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("sent")
    box.press("End")
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url(re.compile(re.escape(site.url + "en/guides/")))
    _close(page, site)


def test_the_sitemap_lists_every_page_at_the_sites_url(engine_site: Site) -> None:
    for root, pages in (("", ["", "guides/check-sent/"]), ("en/", ["", "guides/file-claim/"])):
        sitemap = (engine_site.root / "site" / root / "sitemap.xml").read_text("utf-8")
        listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
        assert {SITE_URL + root + p for p in pages} <= listed, sitemap[:500]
