"""Render guides into Markdown pages for MkDocs + Material. No browser needed.

Pages go to ``docs/<lang>/guides/<id>.md`` and their images are copied to
``docs/<lang>/assets/screenshots/``; both are generated and git-ignored.

Everything a page needs is plain Markdown written here, before the build (no
MkDocs hooks), so the same ``mkdocs.yml`` also builds with Zensical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit

from PIL import Image, PngImagePlugin

from generator import layout
from generator.config import Config
from generator.facts import FILLED_RE, in_code, is_public, outside_code, page_files
from generator.files import write_atomic
from generator.model import CIRCLED_RE, Fact, Guide, Localized, PlatformStep, SharedFact, steps_for
from generator.safepath import shown
from generator.siteassets import install as install_assets
from generator.state import FIX, Damaged, png_problem
from generator.walkthrough_site import Published
from generator.walkthrough_site import control as walkthrough_control
from generator.walkthrough_site import publish as publish_walkthroughs

WORDS = {
    "ja": {
        "before": "始める前に",
        "steps": "手順",
        "facts": "この手順の根拠",
        "checked": "最終確認",
        "source": "出典",
        # How a fact's source and date follow it: full-width brackets in Japanese.
        "aside": "（{source}、{checked}）",
        "related": "関連するガイド",
        "step": "手順",
        "screen": " の画面",
        "marks": "画像の印",
        "note": "補足",
        "warning": "注意",
        "guides": "手順ガイド",
        "guides_intro": "知りたいことを選んでください。",
    },
    "en": {
        "before": "Before you start",
        "steps": "Steps",
        "facts": "What this guide rests on",
        "checked": "last reviewed",
        "source": "source",
        "aside": " ({source}; {checked})",
        "related": "Related guides",
        "step": "Step",
        "screen": " screen",
        "marks": "marked",
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
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    return _LINE_START.sub(_escape_line_start, escaped)


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
    verb = config.devices[platform].verb[lang]  # type: ignore[index]
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


def alt_text(step: PlatformStep, config: Config, platform: str, lang: str) -> str:
    """What the step's image shows, for readers who cannot see it.

    The step text names the marked elements; the circled numbers are kept in it
    and listed at the end, so a screen-reader user hears which mark is which.
    """
    w = words(lang)
    device = config.devices[platform].label[lang]  # type: ignore[index]
    text = " ".join(step_text(step.text.get(lang), config, platform, lang).split())
    marks = CIRCLED_RE.findall(text)
    if lang == "ja":
        head = f"{w['step']} {step.number}{w['screen']}（{device}）"
        tail = f"（{w['marks']}: {''.join(marks)}）" if marks else ""
    else:
        head = f"{w['step']} {step.number}{w['screen']} ({device})"
        tail = f" ({w['marks']} {' '.join(marks)})" if marks else ""
    return f"{head}: {text}{tail}"


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in block.splitlines())


def _admonition(kind: str, text: Localized | None, lang: str, config: Config, platform: str) -> str:
    if text is None:
        return ""
    shown = escape(step_text(text.get(lang), config, platform, lang))
    return f'!!! {kind} "{words(lang)[kind]}"\n\n    {shown}\n'


def image_name(platform: str, guide: str, step: str) -> str:
    return f"assets/screenshots/{platform}/{guide}/{step}.png"


def _image(path: str, alt: str, size: tuple[int, int] | None) -> str:
    """A lazy-loaded step image that links to itself: the lightbox in site.js
    opens it in place, and without JavaScript the link still shows it full size."""
    attrs = "loading=lazy decoding=async"
    if size:
        # Reserves the image's space before it loads, so the steps don't jump.
        attrs += f" width={size[0]} height={size[1]}"
    return f"[![{escape(alt)}](../{path}){{ {attrs} }}](../{path}){{ .gg-zoom }}"


def platform_section(
    guide: Guide,
    platform: str,
    lang: str,
    config: Config,
    images: Mapping[str, tuple[int, int] | None],
) -> str:
    items = []
    for step in steps_for(guide, platform):  # type: ignore[arg-type]
        parts = [escape(step_text(step.text.get(lang), config, platform, lang))]
        name = image_name(platform, guide.id, step.id)
        if name in images:
            parts.append(_image(name, alt_text(step, config, platform, lang), images[name]))
        parts.append(_admonition("note", step.note, lang, config, platform))
        parts.append(_admonition("warning", step.warning, lang, config, platform))
        block = "\n\n".join(part.rstrip() for part in parts if part)
        items.append(f"{step.number}. " + _indent(block, 4).lstrip())
    return "\n\n".join(items)


# Picks the tab before the browser lays the tabs out, so a reader's platform is
# the only one whose lazy images load: the one they chose before (Material keeps
# it in localStorage, most recent first), else the device they read on. Material
# itself restores the choice only after the page has loaded, when the first
# tab's images have already been fetched.
_CHOOSE_TAB = """<script>
(function (labels, set) {
  try {
    var agent = navigator.userAgent;
    var device = /Android/.test(agent) ? "android" : /iPhone|iPad|iPod/.test(agent) ? "ios" : "web";
    var chosen = (typeof __md_get === "function" && __md_get("__tabs")) || [];
    var wanted = chosen.concat([labels[device]]);
    var inputs = {};
    set.querySelectorAll(":scope > .tabbed-labels > label").forEach(function (label) {
      inputs[label.textContent.trim()] = document.getElementById(label.htmlFor);
    });
    for (var i = 0; i < wanted.length; i++) {
      if (inputs[wanted[i]]) { inputs[wanted[i]].checked = true; break; }
    }
  } finally {
    document.documentElement.classList.remove("gg-choosing-tab");
  }
})(LABELS, document.currentScript.previousElementSibling);
</script>"""

# Until the tab is chosen, the tabs' content is hidden (site.css), so that a
# layout the browser makes while still parsing cannot start loading the first
# tab's images. Without JavaScript the class is never set and nothing hides.
_HOLD_TABS = '<script>document.documentElement.classList.add("gg-choosing-tab")</script>'


def _choose_tab_script(config: Config, lang: str) -> str:
    labels = {p: config.devices[p].label[lang] for p in config.platforms}
    # Labels come from the configuration, not YAML; still, nothing in them may end the script.
    return _CHOOSE_TAB.replace("LABELS", json.dumps(labels).replace("</", "<\\/"))


def review_date(day: dt.date, lang: str) -> str:
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day:%B} {day.day}, {day.year}"


def _source_link(url: str, label: str) -> str:
    """A link to the source, or its address as text when readers could not open it."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if not is_public(url):
        return f"{label}: {escape(host + parts.path.rstrip('/'))}"
    # The URL is already free of whitespace (the model checks it); brackets and
    # parentheses are percent-encoded so they cannot end the Markdown link early.
    safe = quote(url, safe=":/?#@!$&'*+,;=%-._~")
    return f"[{label}: {escape(host)}]({safe})"


def guide_facts(guide: Guide, shared: Mapping[str, SharedFact]) -> list[Fact]:
    """The guide's facts in its order, shared ones looked up by id (lint checked them)."""
    return [shared[item] if isinstance(item, str) else item for item in guide.facts]


def guide_page(
    guide: Guide,
    lang: str,
    config: Config,
    images: Mapping[str, tuple[int, int] | None],
    guides: Mapping[str, Guide] | None = None,
    shared: Mapping[str, SharedFact] | None = None,
    walkthroughs: Mapping[tuple[str, str], Sequence[Published]] | None = None,
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
        "---",
        f"# {title_text(text(guide.title))}",
        escape(text(guide.summary)),
    ]
    if guide.prerequisites:
        lines = "\n".join(f"    - {escape(text(p))}" for p in guide.prerequisites)
        out.append(f'!!! info "{w["before"]}"\n\n{lines}')
    tabs = []
    for platform in config.platforms:
        if platform not in guide.platforms:
            continue
        label = config.devices[platform].label[lang]
        section = platform_section(guide, platform, lang, config, images)
        play = walkthrough_control(walkthroughs or {}, platform, guide.id, lang, label)
        section = f"{play}\n\n{section}" if play else section
        tabs.append(f'=== "{label}"\n\n{_indent(section, 4)}')
    out.append(f"## {w['steps']}\n\n{_HOLD_TABS}\n\n" + "\n\n".join(tabs))
    out.append(_choose_tab_script(config, lang))
    if guide.facts:
        facts = [
            f"- {escape(text(f.text))}"
            + w["aside"].format(
                source=_source_link(f.source, w["source"]),
                checked=f"{w['checked']}: {review_date(f.checked, lang)}",
            )
            for f in guide_facts(guide, shared or {})
        ]
        out.append(f"## {w['facts']}\n\n" + "\n".join(facts))
    related = [guides[r] for r in guide.related if guides and r in guides]
    if related:
        links = [
            f"- [{escape(text(r.title, r))}]({r.id}.md): {escape(text(r.summary, r))}"
            for r in related
        ]
        out.append(f"## {w['related']}\n\n" + "\n".join(links))
    return "\n\n".join(out) + "\n"


def guides_index(guides: Sequence[Guide], lang: str, config: Config) -> str:
    """docs/<lang>/guides/index.md: every guide, by title, so a nav that lists this
    page shows a new guide without editing the MkDocs configuration."""
    w = words(lang)

    def text(value: Localized, guide: Guide) -> str:
        return guide_text(value.get(lang), config, guide, lang)

    ordered = sorted(guides, key=lambda g: text(g.title, g))
    links = [
        f"- [{escape(text(g.title, g))}]({g.id}.md): {escape(text(g.summary, g))}" for g in ordered
    ]
    head = "---\n# Generated by guidegen from the guides in steps/: do not edit.\n---"
    return "\n\n".join([head, f"# {w['guides']}", w["guides_intro"], "\n".join(links)]) + "\n"


def _size(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size
    except OSError:
        return None


def copy_images(
    config: Config, guides: Sequence[Guide], lang: str
) -> dict[str, tuple[int, int] | None]:
    """Copy each guide's captured step images into the language's docs folder.

    Returns the copied images with their pixel size (None when unreadable).
    """
    docs = config.path("docs_dir") / lang
    found: dict[str, tuple[int, int] | None] = {}
    for guide in guides:
        for platform in (p for p in guide.platforms if p in config.platforms):
            for step in steps_for(guide, platform):
                folder = layout.job_dir(
                    config.path("screenshots_dir"), guide.id, platform, lang, "light"
                )
                source = layout.step_image(folder, step.id)
                if not source.is_file():
                    continue
                name = image_name(platform, guide.id, step.id)
                png = site_image(config, source)
                write_atomic(docs / name, png)
                found[name] = _size(docs / name)
    return found


def site_image(config: Config, source: Path) -> bytes:
    """The step image as the site serves it: the same size, in 256 colours.

    App screens are flat colour and text, so a palette keeps them looking the
    same at under half the bytes, which matters to a reader on a phone. The
    committed capture stays lossless for pixel comparison. Results are cached
    by the source's hash, so a rebuild converts only new or changed images; a
    cached file's own hash is in its name and checked before use, so a damaged
    one is made again, never published.
    """
    raw = source.read_bytes()
    key = hashlib.sha256(raw).hexdigest()
    folder = config.root / ".guidegen" / "cache" / "site"
    for cached in folder.glob(f"{key}-*.png"):
        data = cached.read_bytes()
        if cached.name == f"{key}-{hashlib.sha256(data).hexdigest()}.png":
            return data
        cached.unlink(missing_ok=True)
    try:
        with Image.open(io.BytesIO(raw)) as image:
            info = {k: v for k, v in image.text.items() if isinstance(v, str)}
            palette = image.convert("RGB").quantize(
                256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
            )
    except Exception as error:  # Pillow raises many kinds for a damaged file
        problem = png_problem(raw) or f"not a readable PNG ({error})"
        raise Damaged(f"{shown(source)}: {problem}; {FIX}") from None
    meta = PngImagePlugin.PngInfo()
    for key, value in sorted(info.items()):
        meta.add_text(key, value)
    out = io.BytesIO()
    palette.save(out, format="PNG", pnginfo=meta, optimize=True)
    write_atomic(folder / f"{key}-{hashlib.sha256(out.getvalue()).hexdigest()}.png", out.getvalue())
    return out.getvalue()


def _remove_stale(folder: Path, wanted: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


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


def render_pages(config: Config, shared: Mapping[str, SharedFact]) -> list[Path]:
    """Bring the facts on the hand-written pages up to date; return the pages changed."""
    changed = []
    docs = config.path("docs_dir")
    for page in page_files(config):
        lang = page.relative_to(docs).parts[0]
        text = page.read_text("utf-8")
        filled = fill_facts(text, shared, lang)
        if filled != text:
            write_atomic(page, filled.encode())
            changed.append(page)
    return changed


def render(
    config: Config, guides: Sequence[Guide], shared: Mapping[str, SharedFact] | None = None
) -> list[str]:
    """Write every guide page in every language and fill the facts on the hand-written
    pages; return the images that are missing."""
    shared = shared or {}
    render_pages(config, shared)
    missing: list[str] = []
    by_id = {g.id: g for g in guides}
    install_assets(config)
    for lang in config.languages:
        docs = config.path("docs_dir") / lang
        images = copy_images(config, guides, lang)
        walkthroughs = publish_walkthroughs(config, guides, lang, step_text)
        for guide in guides:
            for platform in (p for p in guide.platforms if p in config.platforms):
                for step in steps_for(guide, platform):
                    if image_name(platform, guide.id, step.id) not in images:
                        key = layout.step_key(guide.id, platform, lang, "light", step.id)
                        missing.append(f"{key}.png")
            page = guide_page(guide, lang, config, images, by_id, shared, walkthroughs)
            write_atomic(docs / "guides" / f"{guide.id}.md", page.encode())
        pages = {docs / "guides" / f"{g.id}.md" for g in guides}
        if config.guide_index:
            index = docs / "guides" / "index.md"
            write_atomic(index, guides_index(guides, lang, config).encode())
            pages.add(index)
        _remove_stale(docs / "guides", pages)
        _remove_stale(docs / "assets" / "screenshots", {docs / name for name in images})
    return missing
