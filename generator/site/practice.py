"""The practice: a click-through of a guide on one platform, built from its captures.

Each marked action of a step becomes a hotspot over the box its mark was given
at capture, on the frame (screen) the mark was drawn on; the frames are the
site images of the step, light and dark. One JSON file per guide, platform and
language, under the language's ``assets/practice/``, is fetched by practice.js
only when the reader presses the start button, so a guide page carries nothing
of it but the button. A capture that changes a step's screens or boxes changes
frames.json and the site images, hence the practice on the next build.

``embed`` writes, from the same JSON, a page per practice that holds its script,
style and data inline and asks only its own site for the pictures, for another
help centre to show in an iframe.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..capture import layout
from ..capture.dialogs import WORDS as DIALOG_WORDS
from ..config import Config
from ..files import remove_stale, write_atomic
from ..guide.actions import (
    AcceptDialog,
    DismissDialog,
    EnvValue,
    Fill,
    Highlight,
    Select,
    is_marked,
)
from ..guide.model import Guide, PlatformStep, steps_for
from ..guide.types import text_in
from .images import SiteFrame, StepPicture

FOLDER = "assets/practice"  # under each language's docs folder and built section
EMBED_FOLDER = "practice"  # at the root of the built site
ASSETS = Path(__file__).parent.parent / "assets"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

WORDS = {
    "ja": {
        "start": "練習する",
        "title": "練習: {title}",
        "close": "練習を閉じる",
        "progress": "手順 {step} / {steps}",
        "hint": "ここではありません。強調された場所を{verb}してください。",
        "typed": "入力しました: {value}",
        "done": "練習は完了です。実際の画面でも同じ手順で操作できます。",
        "related": "関連するガイド",
        "again": "もう一度練習する",
        "tap": "『{name}』を{verb}",
        "fill": "『{name}』に入力",
        "select": "『{name}』で「{option}」を選ぶ",
        "check": "『{name}』を確認",
        "secret": "(非表示)",
    },
    "en": {
        "start": "Try it",
        "title": "Practice: {title}",
        "close": "Close the practice",
        "progress": "Step {step} of {steps}",
        "hint": "Not there. {Verb} the highlighted place.",
        "typed": "Typed: {value}",
        "done": "Well done: you have gone through every step. It works the same in the app.",
        "related": "Related guides",
        "again": "Practise again",
        "tap": "{Verb} “{name}”",
        "fill": "Type in “{name}”",
        "select": "Choose “{option}” in “{name}”",
        "check": "Check “{name}”",
        "secret": "(hidden)",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _verb(config: Config, platform: str, lang: str) -> str:
    return config.devices[platform].verb[lang]


def _step_text(step: PlatformStep, config: Config, platform: str, lang: str) -> str:
    verb = _verb(config, platform, lang)
    text = " ".join(step.text.get(lang).split())
    return text.replace("{tap}", verb).replace("{Tap}", verb[:1].upper() + verb[1:])


# What the text names after a circled number: up to the next number or the end
# of the clause; in Japanese, the words in 「」 when it starts with them, else up
# to the particle を.
_EN_END = re.compile(r"[,.;:!?]|\s(?:then|and)\s")


def mark_name(text: str, number: int, lang: str) -> str:
    """What the step's text calls the element of mark number, "" when it has no such mark."""
    if number > len(CIRCLED) or CIRCLED[number - 1] not in text:
        return ""
    rest = text.split(CIRCLED[number - 1], 1)[1]
    rest = re.split(f"[{CIRCLED}]", rest, maxsplit=1)[0].strip()
    if lang == "ja":
        quoted = re.match(r"「([^」]+)」", rest)
        if quoted:
            return quoted.group(1)
        return re.split(r"[を、。]", rest, maxsplit=1)[0].strip()
    quoted = re.match(r"[“\"]([^”\"]+)[”\"]", rest)
    if quoted:
        return quoted.group(1)
    return _EN_END.split(rest, maxsplit=1)[0].strip()


def hotspot_name(action: Any, name: str, verb: str, lang: str) -> str:
    """The hotspot's accessible name: what to do, and to which element."""
    w = words(lang)
    values = {"name": name, "verb": verb, "Verb": verb[:1].upper() + verb[1:]}
    if isinstance(action, Fill):
        return w["fill"].format(**values)
    if isinstance(action, Select):
        return w["select"].format(option=text_in(action.select.option, lang), **values)
    if isinstance(action, Highlight):
        return w["check"].format(**values)
    return w["tap"].format(**values)


def _kind(action: Any) -> str:
    if isinstance(action, Fill):
        return "fill"
    if isinstance(action, Select):
        return "select"
    if isinstance(action, Highlight):
        return "check"
    if isinstance(action, AcceptDialog | DismissDialog):
        return "dialog"
    return "tap"


def _value(action: Any, lang: str) -> str | None:
    if isinstance(action, Fill):
        value = action.fill.value
        # A value from the environment is a secret: never in the practice either.
        return words(lang)["secret"] if isinstance(value, EnvValue) else text_in(value, lang)
    if isinstance(action, Select):
        return text_in(action.select.option, lang)
    return None


def _variants(frame: SiteFrame) -> list[list[Any]]:
    return [[v.name, v.width] for v in frame.variants]


def _fraction(box: Sequence[float], crop: Sequence[float]) -> list[float]:
    """A mark's box (CSS px of the raw frame) as fractions of the frame's crop."""
    cx, cy, cw, ch = crop
    left = min(max((box[0] - cx) / cw, 0.0), 1.0)
    top = min(max((box[1] - cy) / ch, 0.0), 1.0)
    right = min(max((box[0] + box[2] - cx) / cw, 0.0), 1.0)
    bottom = min(max((box[1] + box[3] - cy) / ch, 0.0), 1.0)
    return [round(left, 5), round(top, 5), round(right - left, 5), round(bottom - top, 5)]


def _frames_meta(config: Config, guide: str, platform: str, lang: str) -> dict[str, Any]:
    folder = layout.job_dir(config.path("screenshots_dir"), guide, platform, lang, "light")
    try:
        meta = json.loads(layout.frames_file(folder).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    steps = meta.get("steps") if isinstance(meta, dict) else None
    if not isinstance(steps, list):
        return {}
    return {s["id"]: s for s in steps if isinstance(s, dict) and "id" in s}


def guide_practice(
    config: Config,
    guide: Guide,
    platform: str,
    lang: str,
    images: Mapping[tuple[str, str, str], StepPicture],
    guides: Mapping[str, Guide],
    directory_urls: bool,
) -> dict[str, Any] | None:
    """The practice of one guide on one platform, None when no step has a hotspot."""
    # render makes the pages that hold the practice's button, and imports this module.
    from .render import alt_text

    w = words(lang)
    verb = _verb(config, platform, lang)
    metas = _frames_meta(config, guide.id, platform, lang)
    steps = steps_for(guide, platform)
    screens: list[dict[str, Any]] = []
    hotspots: list[dict[str, Any]] = []
    for step in steps:
        picture = images.get((platform, guide.id, step.id))
        frames = metas.get(step.id, {}).get("frames", [])
        if picture is None or len(frames) != len(picture.light):
            continue
        actions = {n: a for n, a in enumerate([a for a in step.actions if is_marked(a)], 1)}
        text = _step_text(step, config, platform, lang)
        count = len(frames)
        for index, (meta, light) in enumerate(zip(frames, picture.light, strict=True)):
            marks = sorted(meta.get("marks", []), key=lambda m: m["number"])
            if not marks:
                continue
            dark = picture.dark[index] if len(picture.dark) == len(picture.light) else None
            part = (index + 1, count) if count > 1 else None
            screens.append(
                {
                    "width": light.css_width,
                    "height": light.css_height,
                    # The same words as the step's picture on the page: the screen shown.
                    "alt": alt_text(step, config, platform, lang, part, light.spots),
                    "light": _variants(light),
                    "dark": _variants(dark) if dark else [],
                }
            )
            for mark in marks:
                action = actions.get(mark["number"])
                if action is None:
                    continue
                name = mark_name(text, mark["number"], lang)
                if isinstance(action, AcceptDialog | DismissDialog):
                    key = "ok" if isinstance(action, AcceptDialog) else "cancel"
                    name = DIALOG_WORDS.get(lang, DIALOG_WORDS["en"])[key]
                name = name or CIRCLED[(mark["number"] - 1) % len(CIRCLED)]
                hotspots.append(
                    {
                        "step": step.number,
                        "text": text,
                        "screen": len(screens) - 1,
                        "box": _fraction(mark["box"], meta["crop"]),
                        "kind": _kind(action),
                        "name": hotspot_name(action, name, verb, lang),
                        "value": _value(action, lang),
                    }
                )
    if not hotspots:
        return None
    ending = "/" if directory_urls else ".html"
    related = [
        {"title": guides[r].title.get(lang), "href": f"guides/{r}{ending}"}
        for r in guide.related
        if r in guides
    ]
    title = guide.title.get(lang)
    return {
        "lang": lang,
        "title": title,
        "steps": len(steps),
        "screens": screens,
        "hotspots": hotspots,
        "related": related,
        "words": {
            "title": w["title"].format(title=title),
            "close": w["close"],
            "progress": w["progress"],
            "hint": w["hint"].format(verb=verb, Verb=verb[:1].upper() + verb[1:]),
            "typed": w["typed"],
            "done": w["done"],
            "related": w["related"],
            "again": w["again"],
        },
    }


def data_name(platform: str, guide: str) -> str:
    """The practice's JSON, relative to the language's docs folder."""
    return f"{FOLDER}/{platform}/{guide}.json"


def write_practice(
    config: Config,
    guides: Sequence[Guide],
    lang: str,
    images: Mapping[tuple[str, str, str], StepPicture],
    directory_urls: bool,
) -> set[tuple[str, str]]:
    """Write the practice of every guide and platform of a language; return the
    (platform, guide id) pairs that have one. Older files are removed."""
    docs = config.path("docs_dir") / lang
    by_id = {g.id: g for g in guides}
    written: set[Path] = set()
    found: set[tuple[str, str]] = set()
    for guide in guides:
        for platform in (p for p in guide.platforms if p in config.platforms):
            data = guide_practice(config, guide, platform, lang, images, by_id, directory_urls)
            if data is None:
                continue
            target = docs / data_name(platform, guide.id)
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            write_atomic(target, text.encode())
            written.add(target)
            found.add((platform, guide.id))
    remove_stale(docs / FOLDER, written)
    return found


def start_button(platform: str, guide: str, lang: str, prefix: str) -> str:
    """The start button of a tab: hidden until practice.js runs, which fetches
    the practice (URLs relative to the page as served) only when it is pressed."""
    src = html.escape(prefix + data_name(platform, guide))
    return (
        f'<div class="gg-practice-start" hidden><button type="button" class="md-button"'
        f' data-practice-start data-practice-src="{src}"'
        f' data-practice-root="{html.escape(prefix)}">{words(lang)["start"]}</button></div>'
    )


_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body class="gg-practice-embed">
<main>
<div class="gg-practice-start" hidden><button type="button" data-practice-start \
data-practice-root="{root}">{start}</button></div>
</main>
<script type="application/json" id="gg-practice-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""


def embed(site: Path, languages: Sequence[str]) -> int:
    """Write site/practice/<lang>/<platform>/<guide>/index.html for every practice
    in a built site whose first language sits at its root; returns how many."""
    css = (ASSETS / "stylesheets" / "practice.css").read_text("utf-8")
    js = (ASSETS / "javascripts" / "practice.js").read_text("utf-8")
    count = 0
    for position, lang in enumerate(languages):
        section = "" if position == 0 else f"{lang}/"
        for source in sorted((site / section / FOLDER).glob("*/*.json")):
            platform, guide = source.parent.name, source.stem
            data = json.loads(source.read_text("utf-8"))
            # From site/practice/LANG/PLATFORM/GUIDE/ up to the language's section.
            root = "../../../../" + section
            page = _PAGE.format(
                lang=html.escape(lang),
                title=html.escape(data["words"]["title"]),
                css=css.replace("</", "<\\/"),
                root=html.escape(root),
                start=html.escape(words(lang)["start"]),
                data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
                js=js.replace("</", "<\\/"),
            )
            target = site / EMBED_FOLDER / lang / platform / guide / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, "utf-8")
            count += 1
    return count
