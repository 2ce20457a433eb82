"""Visiting the built help site in Chromium: tabs, pages, and the readings of
every page that the site's test files check (tests/test_site*.py)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page

from tests.axe_check import axe_on_every_page, blocking_violations
from tests.site_fixtures import DARK_GUIDE, ROOT, Site

GUIDES = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))


def guide_platforms(guide: str) -> list[str]:
    data = yaml.safe_load((ROOT / "steps" / f"{guide}.yml").read_text("utf-8"))
    return list(data.get("platforms") or ["ios", "android", "web"])


def new_tab(site: Site, browser: Browser, device: dict | None = None) -> Page:
    """A tab in a fresh context that keeps the page's script errors (see _close)."""
    page = site.context(browser, **(device or {})).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def visit(page: Page, site: Site, path: str) -> None:
    page.goto(site.url + path)
    page.wait_for_load_state("load")


def open_page(site: Site, browser: Browser, path: str, device: dict | None = None) -> Page:
    """The page at path in the site's kept tab for device, as a first visit shows
    it but for the HTTP cache: the site's storage emptied, the pointer off the
    page, no script error noted. The tab keeps its renderer, where a fresh
    context per test cost 2.5 times the CPU of a page load in a kept tab."""
    key = json.dumps(device or {}, sort_keys=True)
    page = site.tabs.get(key)
    if page is None or page.is_closed():
        page = site.tabs[key] = new_tab(site, browser, device)
    else:
        if page.url.startswith(site.url):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.mouse.move(-1, -1)
        page.errors.clear()  # type: ignore[attr-defined]
    visit(page, site, path)
    return page


def every_page(
    site: Site,
    browser: Browser,
    device: dict | None = None,
    *,
    axe: bool = False,
    requests: bool = False,
) -> Iterator[tuple[Page, str]]:
    """Visit every page of the site in turn (engine_reads), in one tab as a
    reader would: yields each path once the page has loaded, and fails on a
    page's script error or any request that left the site. One tab keeps its
    renderer, which a context per page would start anew. With axe, every page
    has axe-core from before its own scripts (axe_on_every_page): handing it to
    each page after its load (give_axe) cost five times as much CPU. With
    requests, page.requested lists every URL the page asked for."""
    page = new_tab(site, browser, device)
    if axe:
        axe_on_every_page(page.context)
    # Every URL the page asks for, its search worker's too (the context sees
    # them, also those the HTTP cache answers).
    requested: list[str] = []
    page.requested = requested  # type: ignore[attr-defined]
    if requests:
        page.context.on("request", lambda request: requested.append(request.url))
    try:
        for path in filter(partial(engine_reads, site), site.pages()):
            requested.clear()
            visit(page, site, path)
            yield page, path
            assert not page.errors, f"{path}: script errors: {page.errors}"  # type: ignore[attr-defined]
            assert not site.external, f"{path}: requests left 127.0.0.1: {site.external}"
    finally:
        page.context.close()


# The English guide the second engine's walk reads: the one with dark pictures.
SECOND_ENGINE_GUIDE = f"en/guides/{DARK_GUIDE}/"


def engine_reads(site: Site, path: str) -> bool:
    """Whether the walk of every page reads the page at path: every page of the
    default engine's site; of another engine's, every page in the first
    language, the English home page and one English guide. Another engine
    builds the same pages from the same Markdown with its own templates: the
    first language shows every kind of page in them, and the two English pages
    its language prefix, menus and pictures."""
    return (
        site.engine == "mkdocs"
        or not path.startswith("en/")
        or path in ("en/", SECOND_ENGINE_GUIDE)
    )


def no_page_faults(page: Page, site: Site) -> None:
    """What every test of an opened page ends with: no script error, no request
    that left the site."""
    errors = page.errors  # type: ignore[attr-defined]
    assert not errors, f"script errors: {errors}"
    assert not site.external, f"requests left 127.0.0.1: {site.external}"


def selected_tab(page: Page) -> str:
    return page.locator(".tabbed-set .tabbed-labels label").evaluate_all(
        """labels => labels.find(l => document.getElementById(l.htmlFor)?.checked)
                         ?.textContent.trim()"""
    )


# What Material's script changes after the load event: it mounts the content tabs
# (only then does a click on a tab link the page's tabs and remember the choice).
_SCRIPTS_DONE = """() => !document.querySelector(".tabbed-labels:not(.tabbed-labels--linked)")"""


def wait_for_scripts(page: Page) -> None:
    page.wait_for_function(_SCRIPTS_DONE)


def choose_tab(page: Page, label: str) -> None:
    wait_for_scripts(page)
    page.locator(".tabbed-labels label", has_text=label).first.click()


def load_all_images(page: Page) -> list[dict]:
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


# What a reader who scrolls to the end loads: every picture the page shows,
# lazy ones too (a lazy picture loads once it nears the screen, and a reader
# scrolling through brings each near), not those of hidden tabs. The pictures
# are made eager and waited for until loaded or failed, not decoded: scrolling
# a screen at a time painted every screen, and cost the phone's reading of
# every page 17 CPU-s against 12.
_READ_TO_THE_END = """async () => {
  const shown = [...document.images].filter((image) => image.checkVisibility());
  for (const image of shown) image.loading = "eager";
  await Promise.all(shown.map((image) => image.complete ? null
    : new Promise((resolve) => {
        image.addEventListener("load", resolve, {once: true});
        image.addEventListener("error", resolve, {once: true});
      })));
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
    axe_read: bool = False  # whether axe read the page (axe_reads)


Read = Callable[[Site, str], list[PageReading]]
# axe reads the desktop pages of the default engine: its test is the only one that needs it.
AXE_ON = ("mkdocs", "desktop")


def axe_reads(path: str) -> bool:
    """Whether axe reads the page at path: every page in the first language
    (each kind of page, the embeddable practice pages too) and the English home
    page. axe checks what the templates make of a page, and an English page is
    its Japanese page's template with other words; the home page shows that
    the second language's lang attributes and menus hold too."""
    return not path.startswith("en/") or path == "en/"


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
            for page, path in every_page(
                site, browser, devices[device], axe=axe, requests=device == "phone"
            ):
                wait_for_scripts(page)
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                violations = []
                if axe and axe_reads(path):
                    violations = blocking_violations(page)
                images = load_all_images(page) if device == IMAGES_ON else []
                transferred, cut, split = {}, False, ()
                if device == "phone":
                    cut, split = page.evaluate(_TITLE_AND_WORDS)
                    page.evaluate(_READ_TO_THE_END)
                    # The search's files are asked for after the load (at the
                    # search's first message): a page's weight counts them too.
                    page.wait_for_load_state("networkidle")
                    transferred = _transferred(site, page.requested)  # type: ignore[attr-defined]
                found.append(
                    PageReading(
                        path,
                        overflow,
                        images,
                        violations,
                        transferred,
                        cut,
                        tuple(split),
                        axe and axe_reads(path),
                    )
                )
            done[(site.engine, device)] = found
        return done[(site.engine, device)]

    return read


DEVICES = {"ios": "iPhone 13", "android": "Pixel 7"}


def first_visit(site: Site, browser: Browser, playwright, path: str, platform: str) -> dict:
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
    tab = selected_tab(page)
    height = page.evaluate("() => document.body.scrollHeight")
    for _ in range(0, height, 300):
        page.mouse.wheel(0, 300)
    page.wait_for_function(
        "() => [...document.images].filter(i => i.checkVisibility()).every(i => i.complete)"
    )
    length = page.evaluate("() => document.documentElement.scrollHeight")
    context.close()
    return {"tab": tab, "sizes": sizes, "length": length}


def too_wide(found: list[PageReading]) -> list[str]:
    """Each page that a reader must scroll sideways, and by how much."""
    return [f"{r.path}: {r.overflow}px too wide" for r in found if r.overflow > 0]


def image_problems(found: list[PageReading]) -> list[str]:
    """Each image, of pages read on IMAGES_ON, that did not load or has no alt text."""
    images = [(r.path, image) for r in found for image in r.images]
    assert images, "no image on any page"
    problems = []
    for path, image in images:
        if image["width"] == 0:
            problems.append(f"{path}: {image['src']} did not load")
        if not (image["alt"] or "").strip():
            problems.append(f"{path}: {image['src']} has no alt text")
    return problems
