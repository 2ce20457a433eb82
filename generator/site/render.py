"""Render guides into Markdown pages for MkDocs + Material. No browser needed.

Pages go to ``docs/<lang>/guides/<id>.md`` and their images, converted for
the site by generator/site/images.py, to ``docs/<lang>/assets/screenshots/``;
both are generated and git-ignored.

Everything a page needs is plain Markdown written here, before the build (no
MkDocs hooks), so the same ``mkdocs.yml`` also builds with Zensical.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path, PurePath
from urllib.parse import quote, unquote, urlsplit

import budoux

from .. import platforms
from ..capture import layout, parallel
from ..capture.digests import Digests
from ..config import Config
from ..files import remove_stale, write_atomic
from ..guide import page_pictures
from ..guide.facts import FILLED_RE, in_code, is_public, outside_code, page_files
from ..guide.model import Fact, Guide, PlatformStep, SharedFact, steps_for
from ..guide.types import CIRCLED, Localized
from ..jsfiles import script
from ..safepath import own_folder, within
from .assets import install as install_assets
from .figure import SCHEME_SCRIPT, directory_urls, figure, page_prefix
from .images import StepPicture, site_pictures
from .practice import start_button, write_practice

Pictures = Mapping[tuple[str, str, str], StepPicture]  # by (platform, guide id, step id)

WORDS = {
    "ja": {
        "before": "始める前に",
        "steps": "手順",
        "sources": "参考情報",
        # A source's last review, after its link: full-width brackets in Japanese.
        "checked": "（{date}確認）",
        # A guide named in a note or warning, as Japanese quotes a title.
        "guide_link": "「{link}」",
        "related": "関連するガイド",
        "note": "補足",
        "warning": "注意",
        "guides": "手順ガイド",
        "guides_intro": "知りたいことを選んでください。",
    },
    "en": {
        "before": "Before you start",
        "steps": "Steps",
        "sources": "Sources",
        "checked": " (reviewed {date})",
        "guide_link": "{link}",
        "related": "Related guides",
        "note": "Note",
        "warning": "Warning",
        "guides": "Guides",
        "guides_intro": "Choose what you would like to do.",
    },
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")
# Block syntax that only means something at the start of a line: list markers,
# an ordered-list number, and pymdownx.tabbed's "===" (which "\" cannot escape).
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+])(?=\s|$)|^=")


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def escape(text: str) -> str:
    """YAML text as literal inline Markdown: HTML escaped, Markdown syntax neutralised.

    Whitespace runs (including newlines from block scalars) become one space, so
    the text stays one paragraph and cannot start a code block or a new list.
    """
    flat = " ".join(text.split())
    return _LINE_START.sub(_escape_line_start, _inline(flat))


def _inline(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


@cache
def _japanese_phrases() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def phrased(text: str, lang: str) -> str:
    """escape(text), and in Japanese, its phrases (BudouX) marked as the only places
    a line may break: <wbr> between them, in a span that site.css keeps from
    breaking anywhere else, so こもれびマーケット never breaks mid-word."""
    if lang != "ja":
        return escape(text)
    phrases = _japanese_phrases().parse(" ".join(text.split()))
    if len(phrases) < 2:
        return escape(text)
    joined = "<wbr>".join(_inline(phrase) for phrase in phrases)
    return '<span class="gg-phrases">' + _LINE_START.sub(_escape_line_start, joined) + "</span>"


def title_text(text: str) -> str:
    """A page title: escaped, and unable to end the <title> element.

    Material writes the title into <title> through Jinja's striptags, which
    decodes entities again, so an escaped "</title>" would come back as a real
    end tag. An invisible word joiner after "<" keeps it text.
    """
    return escape(text).replace("&lt;/", "&lt;\u2060/")


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}"
    if match.group(3):
        return f"\\{match.group(3)}"
    return "&#61;"


def _verbs(config: Config, platform: str, lang: str) -> dict[str, str]:
    verb = config.devices[platform].verb[lang]
    return {"{tap}": verb, "{Tap}": verb[:1].upper() + verb[1:]}


def step_text(text: str, config: Config, platform: str, lang: str) -> str:
    for placeholder, word in _verbs(config, platform, lang).items():
        text = text.replace(placeholder, word)
    return text


def guide_text(text: str, config: Config, guide: Guide, lang: str) -> str:
    """Text of the whole guide (title, summary, facts…), which no one platform owns:
    {tap} becomes the guide's verb, or its verbs joined when platforms differ."""
    for placeholder in ("{tap}", "{Tap}"):
        if placeholder not in text:
            continue
        found = [
            _verbs(config, p, lang)[placeholder] for p in config.platforms if p in guide.platforms
        ]
        text = text.replace(placeholder, "/".join(dict.fromkeys(found)) or placeholder)
    return text


# Where a mark is in its picture, by thirds across and down.
_PLACES = {
    "ja": (("左上", "上部中央", "右上"), ("左側", "中央", "右側"), ("左下", "下部中央", "右下")),
    "en": (
        ("at the top left", "at the top", "at the top right"),
        ("on the left", "in the centre", "on the right"),
        ("at the bottom left", "at the bottom", "at the bottom right"),
    ),
}


def _place(x: float, y: float, lang: str) -> str:
    rows = _PLACES.get(lang, _PLACES["en"])
    return rows[min(int(y * 3), 2)][min(int(x * 3), 2)]


def alt_text(
    step: PlatformStep,
    config: Config,
    platform: str,
    lang: str,
    part: tuple[int, int] | None = None,
    spots: Sequence[tuple[int, float, float]] = (),
) -> str:
    """What the step's picture shows, for readers who cannot see it: whose
    screen (and which of the step's screens), what the step does there (its
    text names the marked elements by their circled numbers), and where in the
    picture each mark is (spots: mark number, centre as fractions of the
    picture; frames.json records them)."""
    device = config.devices[platform].label[lang]
    text = " ".join(step_text(step.text.get(lang), config, platform, lang).split())
    places = [(CIRCLED[n - 1], _place(x, y, lang)) for n, x, y in spots if 0 < n <= len(CIRCLED)]
    if lang == "ja":
        screen = f"{device}の画面" + (f"（{part[1]}つのうち{part[0]}つ目）" if part else "")
        where = "、".join(f"{mark}は{place}" for mark, place in places)
        if where and not text.endswith(("。", "！", "？", "」", "）")):
            text += "。"
        return f"{screen}。{text}" + (f"印の位置：{where}。" if where else "")
    screen = f"{device} screen" + (f" {part[0]} of {part[1]}" if part else "")
    where = ", ".join(f"{mark} {place}" for mark, place in places)
    if where and not text.endswith((".", "!", "?")):
        text += "."
    return f"{screen}: {text}" + (f" Marks: {where}." if where else "")


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in block.splitlines())


def _admonition(
    kind: str,
    text: Localized | None,
    lang: str,
    config: Config,
    platform: str,
    guides: Mapping[str, Guide],
) -> str:
    if text is None:
        return ""
    shown = _guide_links(step_text(text.get(lang), config, platform, lang), guides, lang, config)
    return f'!!! {kind} "{words(lang)[kind]}"\n\n    {shown}\n'


# {guide:ID} in a note or warning.
_GUIDE_REF = re.compile(r"\{guide:([a-z0-9-]+)\}")


def _guide_links(text: str, guides: Mapping[str, Guide], lang: str, config: Config) -> str:
    """text phrased (see phrased) with each {guide:ID} made a link to that guide,
    named by its title (lint reports an unknown id; it is left as it is written).
    The text around a reference is phrased apart, so no phrase break cuts one."""
    parts = _GUIDE_REF.split(text)
    shown = []
    for index, part in enumerate(parts):
        other = guides.get(part) if index % 2 else None
        if other is not None:
            title = escape(guide_text(other.title.get(lang), config, other, lang))
            shown.append(words(lang)["guide_link"].format(link=f"[{title}]({other.id}.md)"))
        elif index % 2:
            shown.append(escape(f"{{guide:{part}}}"))
        elif part.strip():
            # phrased() trims the words; the spaces that part them from a link stay.
            before = " " if part[0].isspace() else ""
            after = " " if part[-1].isspace() else ""
            shown.append(before + phrased(part, lang) + after)
    return "".join(shown)


def _picture(
    picture: StepPicture, step: PlatformStep, config: Config, platform: str, lang: str, prefix: str
) -> str:
    """The step's frames: lazy-loaded, each linking to its sharpest size, which
    the lightbox in site.js opens in place (without JavaScript, the link does)."""
    count = len(picture.light)
    alts = [
        alt_text(step, config, platform, lang, (number, count) if count > 1 else None, frame.spots)
        for number, frame in enumerate(picture.light, start=1)
    ]
    return figure(picture, alts, prefix)


def platform_section(
    guide: Guide,
    platform: str,
    lang: str,
    config: Config,
    images: Pictures,
    prefix: str = "../../",
    guides: Mapping[str, Guide] | None = None,
) -> str:
    items = []
    for step in steps_for(guide, platform):
        parts = [phrased(step_text(step.text.get(lang), config, platform, lang), lang)]
        picture = images.get((platform, guide.id, step.id))
        if picture:
            parts.append(_picture(picture, step, config, platform, lang, prefix))
        parts.append(_admonition("note", step.note, lang, config, platform, guides or {}))
        parts.append(_admonition("warning", step.warning, lang, config, platform, guides or {}))
        block = "\n\n".join(part.rstrip() for part in parts if part)
        items.append(f"{step.number}. " + _indent(block, 4).lstrip())
    return "\n\n".join(items)


JS = Path(__file__).parent / "js"


# Picks the tab before the browser lays the tabs out, so a reader's platform is
# the only one whose lazy images load: the one they chose before (Material keeps
# it in localStorage, most recent first), else the device they read on. Material
# itself restores the choice only after the page has loaded, when the first
# tab's images have already been fetched.
_CHOOSE_TAB = "<script>\n" + script(JS, "choose_tab.js") + "\n</script>"

# Until the tab is chosen, the tabs' content is hidden (site.css), so that a
# layout the browser makes while still parsing cannot start loading the first
# tab's images. Without JavaScript the class is never set and nothing hides.
_HOLD_TABS = '<script>document.documentElement.classList.add("gg-choosing-tab")</script>'


# What a page with step pictures needs before its first set of tabs.
_BEFORE_TABS = f"{_HOLD_TABS}\n{SCHEME_SCRIPT}"


def _tab(label: str, body: str) -> str:
    """A content tab of Material's, linked across the page by its label."""
    return f'=== "{label}"\n\n{_indent(body, 4)}'


def _choose_tab_script(config: Config, lang: str) -> str:
    labels = {p: config.devices[p].label[lang] for p in config.platforms}
    # Labels come from the configuration, not YAML; still, nothing in them may end the script.
    agents = platforms.agents(config.platforms)
    return _CHOOSE_TAB.replace("AGENTS", json.dumps(agents)).replace(
        "LABELS", json.dumps(labels).replace("</", "<\\/")
    )


def review_date(day: dt.date, lang: str) -> str:
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day:%B} {day.day}, {day.year}"


def source_name(url: str) -> str:
    """A source's address to read: its host and path, the parts apart (a line
    breaks between them, never inside a word), the middle of a long path left out."""
    parts = urlsplit(url)
    host = (parts.hostname or url).removeprefix("www.")
    path = [unquote(p) for p in parts.path.split("/") if p]
    if len(path) > 3:
        path = [path[0], "…", *path[-2:]]
    return " › ".join([host, *path])


def _source_link(url: str) -> str:
    """A link to the source, or its address as text when readers could not open it."""
    name = escape(source_name(url))
    if not is_public(url):
        return name
    # The URL is already free of whitespace (the model checks it); brackets and
    # parentheses are percent-encoded so they cannot end the Markdown link early.
    safe = quote(url, safe=":/?#@!$&'*+,;=%-._~")
    return f"[{name}]({safe})"


def _sources(facts: Sequence[Fact], lang: str) -> str:
    """The facts' sources, each once with its latest review, in a collapsed box:
    there for a reader who wants them, not a screen of addresses for every other."""
    w = words(lang)
    checked: dict[str, dt.date] = {}
    for fact in facts:
        checked[fact.source] = max(fact.checked, checked.get(fact.source, fact.checked))
    lines = [
        f"    - {_source_link(url)}{w['checked'].format(date=review_date(day, lang))}"
        for url, day in checked.items()
    ]
    return f'??? info "{w["sources"]}"\n\n' + "\n".join(lines)


def guide_facts(guide: Guide, shared: Mapping[str, SharedFact]) -> list[Fact]:
    """The guide's facts in its order, shared ones looked up by id (lint checked them)."""
    return [shared[item] if isinstance(item, str) else item for item in guide.facts]


def guide_page(
    guide: Guide,
    lang: str,
    config: Config,
    images: Pictures,
    guides: Mapping[str, Guide] | None = None,
    shared: Mapping[str, SharedFact] | None = None,
    prefix: str = "../../",
    practices: Collection[tuple[str, str]] = (),
) -> str:
    """One guide as a Material page: summary, prerequisites, a tab per platform
    (linked across the site by their labels), facts with sources, related guides."""
    w = words(lang)

    def text(value: Localized, owner: Guide = guide) -> str:
        return guide_text(value.get(lang), config, owner, lang)

    # The description lands unescaped in a <meta> attribute, so it is HTML-escaped
    # here; JSON quoting makes it a valid YAML string whatever it contains.
    description = json.dumps(html.escape(" ".join(text(guide.summary).split())))
    out = [
        "---\n"
        f"# Generated by guidegen from {config.steps_dir}/{guide.id}.yml:"
        " edit that file, not this page.\n"
        f"description: {description}\n"
        # The table of contents gives its column to the pictures, so they read at app size.
        "hide: [toc]\n"
        "---",
        f"# {title_text(text(guide.title))}",
        phrased(text(guide.summary), lang),
    ]
    facts = guide_facts(guide, shared or {})
    # What to know before starting: the prerequisites, then the rules the guide rests on.
    before = [*guide.prerequisites, *(f.text for f in facts)]
    if before:
        lines = "\n".join(f"    - {phrased(text(item), lang)}" for item in before)
        out.append(f'!!! info "{w["before"]}"\n\n{lines}')
    tabs = []
    for platform in config.platforms:
        if platform not in guide.platforms:
            continue
        label = config.devices[platform].label[lang]
        section = platform_section(guide, platform, lang, config, images, prefix, guides)
        if (platform, guide.id) in practices:
            section = f"{start_button(platform, guide.id, lang, prefix)}\n\n{section}"
        tabs.append(_tab(label, section))
    out.append(f"## {w['steps']}\n\n{_BEFORE_TABS}\n\n" + "\n\n".join(tabs))
    out.append(_choose_tab_script(config, lang))
    related = [guides[r] for r in guide.related if guides and r in guides]
    if related:
        links = [f"- [{escape(text(r.title, r))}]({r.id}.md)" for r in related]
        out.append(f"## {w['related']}\n\n" + "\n".join(links))
    if facts:
        out.append(_sources(facts, lang))
    return "\n\n".join(out) + "\n"


def guides_index(guides: Sequence[Guide], lang: str, config: Config) -> str:
    """docs/<lang>/guides/index.md: every guide, those in guide_order first in its
    order, then the rest by title, so a nav that lists this page shows a new guide
    without editing the MkDocs configuration."""
    w = words(lang)

    def text(value: Localized, guide: Guide) -> str:
        return guide_text(value.get(lang), config, guide, lang)

    place = {guide_id: index for index, guide_id in enumerate(config.guide_order)}
    ordered = sorted(
        guides,
        key=lambda g: (place.get(g.id, len(place)), "" if g.id in place else text(g.title, g)),
    )
    links = [
        f"- [{escape(text(g.title, g))}]({g.id}.md): {escape(text(g.summary, g))}" for g in ordered
    ]
    head = "---\n# Generated by guidegen from the guides in steps/: do not edit.\n---"
    return "\n\n".join([head, f"# {w['guides']}", w["guides_intro"], "\n".join(links)]) + "\n"


def fill_facts(text: str, shared: Mapping[str, SharedFact], lang: str) -> str:
    """A hand-written page with each marked fact's current text between its markers."""

    out, done = [], 0
    for match in outside_code(FILLED_RE.finditer(text), in_code(text)):
        fact = shared.get(match.group("id"))
        if fact is not None:
            filled = f"{match.group('open')}{escape(fact.text.get(lang))}<!-- /fact -->"
            out += [text[done : match.start()], filled]
            done = match.end()
    return "".join([*out, text[done:]])


def _picture_tabs(
    text: str, lang: str, config: Config, images: Pictures, guides: Mapping[str, Guide], prefix: str
) -> dict[tuple[str, str], list[str]]:
    """The tab blocks of every guide step a page's picture markers name."""
    tabs: dict[tuple[str, str], list[str]] = {}
    for match in page_pictures.FILLED_RE.finditer(text):
        guide = guides.get(match.group("guide"))
        if guide is None:
            continue
        blocks = []
        for platform in (p for p in config.platforms if p in guide.platforms):
            step = next((s for s in steps_for(guide, platform) if s.id == match["step"]), None)
            picture = images.get((platform, guide.id, match.group("step")))
            if step is not None and picture:
                label = config.devices[platform].label[lang]
                shown = _picture(picture, step, config, platform, lang, prefix)
                blocks.append(_tab(label, shown))
        tabs[(guide.id, match.group("step"))] = blocks
    return tabs


def render_pages(
    config: Config,
    shared: Mapping[str, SharedFact],
    lang: str,
    images: Pictures,
    guides: Mapping[str, Guide],
    directory_urls: bool,
) -> list[Path]:
    """Bring the facts and step pictures on a language's hand-written pages up to
    date; return the pages changed."""
    changed = []
    docs = config.path("docs_dir") / lang
    choose = _choose_tab_script(config, lang)
    for page in page_files(config):
        if not page.is_relative_to(docs):
            continue
        text = page.read_text("utf-8")
        prefix = page_prefix(page.relative_to(docs), directory_urls)
        tabs = _picture_tabs(text, lang, config, images, guides, prefix)
        filled = page_pictures.fill(fill_facts(text, shared, lang), tabs, _BEFORE_TABS, choose)
        if filled != text:
            write_atomic(page, filled.encode())
            changed.append(page)
    return changed


def render(
    config: Config, guides: Sequence[Guide], shared: Mapping[str, SharedFact] | None = None
) -> list[str]:
    """Write every guide page in every language and fill the facts and step pictures
    on the hand-written pages; return the images that are missing. The languages
    are rendered at the same time, each on a core of its own."""
    # Checked before anything is written: a pull request that links a folder
    # render cleans would have it delete and write outside the project.
    within(config.root, config.path("screenshots_dir"))
    # The caches of site images inside may be links, shared between
    # checkouts: an entry is used only when its bytes match the hash in its
    # name, and only such entries are ever replaced.
    own_folder(config.root, config.root / ".guidegen" / "cache")
    for lang in config.languages:
        docs = config.path("docs_dir") / lang
        for folder in (layout.GUIDE_PAGES, layout.SITE_PICTURES):
            own_folder(config.root, docs / folder)
    install_assets(config)
    urls = directory_urls(config.root / "mkdocs.yml")

    def one(lang: str) -> list[str]:
        return render_language(config, guides, shared or {}, lang, urls)

    return [name for missing in parallel.each(one, config.languages) for name in missing]


def render_language(
    config: Config,
    guides: Sequence[Guide],
    shared: Mapping[str, SharedFact],
    lang: str,
    urls: bool,
) -> list[str]:
    """Render one language (see render); return its images that are missing."""
    missing: list[str] = []
    by_id = {g.id: g for g in guides}
    prefix = page_prefix(PurePath("guides", "ID.md"), urls)
    # One record per language: the languages' files differ, and each is rendered apart.
    digests = Digests(config.root / ".guidegen" / "cache" / f"digests.{lang}.json")
    docs = config.path("docs_dir") / lang
    images, written = site_pictures(config, guides, lang, digests)
    render_pages(config, shared, lang, images, by_id, urls)
    practices = write_practice(config, guides, lang, images, urls)
    for guide in guides:
        for platform in (p for p in guide.platforms if p in config.platforms):
            for step in steps_for(guide, platform):
                if (platform, guide.id, step.id) not in images:
                    key = layout.step_key(guide.id, platform, lang, "light", step.id)
                    missing.append(key + layout.IMAGE_SUFFIX)
        page = guide_page(guide, lang, config, images, by_id, shared, prefix, practices)
        write_atomic(docs / "guides" / f"{guide.id}.md", page.encode())
    pages = {docs / "guides" / f"{g.id}.md" for g in guides}
    if config.guide_index:
        index = docs / "guides" / "index.md"
        write_atomic(index, guides_index(guides, lang, config).encode())
        pages.add(index)
    remove_stale(docs / layout.GUIDE_PAGES, pages)
    remove_stale(docs / layout.SITE_PICTURES, written)
    digests.save()
    return missing
