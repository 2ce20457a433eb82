"""The built help site: every page, of both engines, on the desktop (images, alt
text, width, accessibility), and the files of the build (pages, links, sitemap).
A phone's reading is in test_site_phone.py, clicks through pages in test_site_clicks.py:
three files, so that three workers share the site's checks."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest

from tests.site_fixtures import ROOT, SITE_URL, Site
from tests.site_pages import AXE_ON, GUIDES, IMAGES_ON, Read, image_problems, too_wide

EDITORS_PAGES = ("", "first-guide/", "marks/", "targets/", "ci/", "your-app/", "reference/")


def test_every_page_of_both_languages_is_built(site: Site) -> None:
    pages = set(site.pages())
    for root in ("", "en/"):
        assert {f"{root}", f"{root}about-sellers/"} <= pages
        assert {f"{root}guides/{g}/" for g in GUIDES} <= pages
        assert {f"{root}editors/{p}" for p in EDITORS_PAGES} <= pages


def test_every_image_loads_and_has_alt_text(site: Site, readings: Read) -> None:
    # Zensical's site: in test_site_clicks.py, whose worker builds it and reads its pages.
    problems = image_problems(readings(site, IMAGES_ON))
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


def test_no_page_scrolls_sideways_on_the_desktop(site: Site, readings: Read) -> None:
    wide = too_wide(readings(site, "desktop"))
    assert not wide, "\n".join(wide)


def test_axe_finds_no_serious_or_critical_violation(site: Site, readings: Read) -> None:
    read = [r for r in readings(site, AXE_ON[1]) if r.axe_read]
    kinds = {r.path.split("/")[0] for r in read}
    assert {"", "en", "guides", "editors", "about-sellers", "practice"} <= kinds, kinds
    found = [f"{r.path}: {v}" for r in read for v in r.violations]
    assert not found, "\n".join(found)


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


def test_the_sitemap_lists_every_page_at_the_sites_url(engine_site: Site) -> None:
    for root, pages in (("", ["", "guides/check-sent/"]), ("en/", ["", "guides/file-claim/"])):
        sitemap = (engine_site.root / "site" / root / "sitemap.xml").read_text("utf-8")
        listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
        assert {SITE_URL + root + p for p in pages} <= listed, sitemap[:500]
