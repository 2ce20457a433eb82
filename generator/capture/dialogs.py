"""Native dialogs (alert, confirm, prompt) drawn over a frame, as the reader sees them.

A browser's own dialog is not part of the page, so a screenshot never shows it.
The runner records what the dialog said and which button the guide pressed; this
module draws it in the platform's style (an iOS alert, an Android dialog, the
desktop browser's dialog) over the screen behind it, and says where each button
is, so the pressed one is marked like any other target. Pure PIL, no browser.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .. import platforms
from ..platforms import DialogStyle

Rect = tuple[float, float, float, float]  # x, y, width, height in CSS px

REGULAR = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
BOLD = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)

# Punctuation that never starts a line in Japanese; it may hang past the edge instead.
NO_LINE_START = frozenset("、。，．,.)）」』】？！?!ー")

WORDS = {
    "ja": {"ok": "OK", "cancel": "キャンセル", "says": "このページの内容"},
    "en": {"ok": "OK", "cancel": "Cancel", "says": "This page says"},
}


@dataclass(frozen=True)
class Dialog:
    """A native dialog as it was shown: its kind, its text, its buttons in display
    order and the one the guide pressed, and the text typed into a prompt."""

    kind: str  # "alert", "confirm", "prompt" or "beforeunload"
    message: str
    buttons: tuple[str, ...]
    pressed: int
    prompt: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "message": self.message,
            "buttons": list(self.buttons),
            "pressed": self.pressed,
            "prompt": self.prompt,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Dialog:
        return cls(
            str(data["kind"]),
            str(data["message"]),
            tuple(str(b) for b in data["buttons"]),  # type: ignore[attr-defined]
            int(data["pressed"]),  # type: ignore[call-overload]
            None if data.get("prompt") is None else str(data["prompt"]),
        )


def dialog_for(kind: str, message: str, lang: str, accept: bool, prompt: str | None) -> Dialog:
    """The dialog with the buttons a browser shows for its kind, in the page's language."""
    words = WORDS.get(lang, WORDS["en"])
    if kind == "alert":
        return Dialog(kind, message, (words["ok"],), 0)
    return Dialog(kind, message, (words["cancel"], words["ok"]), 1 if accept else 0, prompt)


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in BOLD if bold else REGULAR:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, max(size, 1))
    return ImageFont.load_default(max(size, 1))


@cache  # a dialog's plan is asked for more than once: its mark, its frame, its drawing
def _wrap(text: str, size: int, bold: bool, width: float) -> tuple[str, ...]:
    """Lines that fit width: broken at spaces where there are any, else between characters."""
    font = _font(size, bold)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if font.getlength(line + char) <= width or not line or char in NO_LINE_START:
                line += char
                continue
            cut = line.rfind(" ")
            if cut > 0:
                lines.append(line[:cut])
                line = line[cut + 1 :] + char
            else:
                lines.append(line)
                line = char
        lines.append(line)
    return tuple(lines)


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: int
    bold: bool
    colour: tuple[int, int, int]
    anchor: str  # PIL anchor: "mt" centred, "lt" left


@dataclass(frozen=True)
class Button:
    rect: Rect
    label: str
    filled: bool
    bold: bool


@dataclass(frozen=True)
class Style:
    dim: int  # alpha of the black backdrop, 0-255
    panel: tuple[int, int, int]
    radius: float
    ink: tuple[int, int, int]
    accent: tuple[int, int, int]
    line: tuple[int, int, int] | None  # hairlines between buttons (iOS)


STYLES: dict[DialogStyle, Style] = {
    "cupertino": Style(60, (242, 242, 247), 14, (0, 0, 0), (0, 122, 255), (200, 200, 204)),
    "material": Style(82, (236, 230, 240), 28, (73, 69, 79), (103, 80, 164), None),
    "browser": Style(0, (255, 255, 255), 8, (32, 33, 36), (26, 115, 232), None),
}


@dataclass(frozen=True)
class Plan:
    """Where everything of a drawn dialog goes, in CSS px of the frame."""

    style: Style
    panel: Rect
    texts: tuple[Text, ...]
    field: Rect | None
    buttons: tuple[Button, ...]
    labels: tuple[Text, ...] = ()  # each button's label, in the order of buttons


def style_of(platform: str) -> DialogStyle:
    """The platform's dialog style (its profile's); a browser's for a platform
    the registry does not know (a frames.json from elsewhere)."""
    try:
        return platforms.profile(platform).dialog
    except KeyError:
        return "browser"


def plan(dialog: Dialog, platform: str, viewport: tuple[int, int], lang: str) -> Plan:
    width, height = viewport
    kind = style_of(platform)
    style = STYLES[kind]
    if kind == "cupertino":
        layout = _ios(dialog, style, width, height)
    elif kind == "material":
        layout = _android(dialog, style, width, height)
    else:
        layout = _web(dialog, style, width, lang)
    size = 17 if kind == "cupertino" else 14
    labels = tuple(
        Text(
            x + w / 2,
            y + h / 2,
            button.label,
            size,
            button.bold,
            (255, 255, 255) if button.filled else style.accent,
            "mm",
        )
        for button in layout.buttons
        for x, y, w, h in [button.rect]
    )
    return replace(layout, labels=labels)


def text_box(text: Text) -> Rect:
    """The box a drawn text's letters cover, in CSS px, a pixel wider on each side."""
    left, top, right, bottom = _font(text.size, text.bold).getbbox(text.text, anchor=text.anchor)
    return (text.x + left - 1, text.y + top - 1, right - left + 2, bottom - top + 2)


def words(layout: Plan, dialog: Dialog) -> list[Rect]:
    """Where the dialog's text is, in CSS px: its title and message, the text typed
    into a prompt, each button's label. A mark's badge must cover none of it."""
    found = [text_box(text) for text in (*layout.texts, *layout.labels)]
    if layout.field is not None and dialog.prompt:
        x, y, _, h = layout.field
        found.append(text_box(Text(x + 6, y + h / 2, dialog.prompt, 14, False, (0, 0, 0), "lm")))
    return found


def _ios(dialog: Dialog, style: Style, width: int, height: int) -> Plan:
    panel_w, pad = 270.0, 16.0
    lines = _wrap(dialog.message, 17, True, panel_w - 2 * pad)
    body = 20 + 22 * len(lines) + (42 if dialog.prompt is not None else 0) + 18
    panel_h = body + 44
    x, y = (width - panel_w) / 2, (height - panel_h) / 2
    texts = tuple(
        Text(x + panel_w / 2, y + 20 + 22 * i, line, 17, True, style.ink, "mt")
        for i, line in enumerate(lines)
    )
    field = None
    if dialog.prompt is not None:
        field = (x + pad, y + 20 + 22 * len(lines) + 12, panel_w - 2 * pad, 26.0)
    each = panel_w / len(dialog.buttons)
    buttons = tuple(
        Button((x + i * each, y + body, each, 44.0), label, False, i == dialog.pressed)
        for i, label in enumerate(dialog.buttons)
    )
    return Plan(style, (x, y, panel_w, panel_h), texts, field, buttons)


def _android(dialog: Dialog, style: Style, width: int, height: int) -> Plan:
    panel_w, pad = min(312.0, width - 48.0), 24.0
    lines = _wrap(dialog.message, 16, False, panel_w - 2 * pad)
    body = pad + 24 * len(lines) + (56 if dialog.prompt is not None else 0) + 24
    panel_h = body + 40 + pad
    x, y = (width - panel_w) / 2, (height - panel_h) / 2
    texts = tuple(
        Text(x + pad, y + pad + 24 * i, line, 16, False, style.ink, "lt")
        for i, line in enumerate(lines)
    )
    field = None
    if dialog.prompt is not None:
        field = (x + pad, y + pad + 24 * len(lines) + 8, panel_w - 2 * pad, 40.0)
    buttons = []
    right = x + panel_w - pad
    for index in reversed(range(len(dialog.buttons))):
        label = dialog.buttons[index]
        w = _font(14, True).getlength(label) + 24
        buttons.append(Button((right - w, y + body, w, 40.0), label, False, True))
        right -= w + 8
    return Plan(style, (x, y, panel_w, panel_h), texts, field, tuple(reversed(buttons)))


def _web(dialog: Dialog, style: Style, width: int, lang: str) -> Plan:
    panel_w, pad = min(448.0, width - 32.0), 20.0
    lines = _wrap(dialog.message, 14, False, panel_w - 2 * pad)
    says = WORDS.get(lang, WORDS["en"])["says"]
    body = pad + 28 + 20 * len(lines) + (44 if dialog.prompt is not None else 0) + 16
    panel_h = body + 32 + pad
    x, y = (width - panel_w) / 2, 16.0
    texts = (
        Text(x + pad, y + pad, says, 16, True, style.ink, "lt"),
        *(
            Text(x + pad, y + pad + 28 + 20 * i, line, 14, False, style.ink, "lt")
            for i, line in enumerate(lines)
        ),
    )
    field = None
    if dialog.prompt is not None:
        field = (x + pad, y + pad + 28 + 20 * len(lines) + 8, panel_w - 2 * pad, 32.0)
    buttons = []
    right = x + panel_w - pad
    for index in reversed(range(len(dialog.buttons))):
        label = dialog.buttons[index]
        w = max(_font(14, True).getlength(label) + 32, 72)
        last = index == len(dialog.buttons) - 1
        buttons.append(Button((right - w, y + body, w, 32.0), label, last, True))
        right -= w + 8
    return Plan(style, (x, y, panel_w, panel_h), texts, field, tuple(reversed(buttons)))


def _px(rect: Rect, scale: float) -> tuple[int, int, int, int]:
    x, y, w, h = rect
    return (round(x * scale), round(y * scale), round((x + w) * scale), round((y + h) * scale))


def draw(png: bytes, dialog: Dialog, platform: str, scale: float, lang: str) -> bytes:
    """The frame with the dialog drawn over it (and the page behind dimmed as the platform does)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    viewport = (round(image.width / scale), round(image.height / scale))
    layout = plan(dialog, platform, viewport, lang)
    style = layout.style
    if style.dim:
        shade = Image.new("RGB", image.size, (0, 0, 0))
        image = Image.blend(image, shade, style.dim / 255)
    canvas = ImageDraw.Draw(image)
    box = _px(layout.panel, scale)
    kind = style_of(platform)
    if kind == "browser":  # the browser's dialog casts a shadow on the page
        shadow = tuple(v + round(2 * scale) for v in box)
        canvas.rounded_rectangle(shadow, radius=round(style.radius * scale), fill=(190, 190, 190))
    canvas.rounded_rectangle(box, radius=round(style.radius * scale), fill=style.panel)
    for text in layout.texts:
        canvas.text(
            (round(text.x * scale), round(text.y * scale)),
            text.text,
            fill=text.colour,
            font=_font(round(text.size * scale), text.bold),
            anchor=text.anchor,
        )
    if layout.field is not None:
        field = _px(layout.field, scale)
        canvas.rounded_rectangle(
            field, radius=round(4 * scale), fill=(255, 255, 255), outline=(160, 160, 160)
        )
        canvas.text(
            (field[0] + round(6 * scale), (field[1] + field[3]) // 2),
            dialog.prompt or "",
            fill=(32, 33, 36),
            font=_font(round(14 * scale)),
            anchor="lm",
        )
    for button in layout.buttons:
        rect = _px(button.rect, scale)
        if style.line is not None:  # iOS: hairlines above and between the buttons
            canvas.line((rect[0], rect[1], rect[2], rect[1]), fill=style.line, width=1)
            if rect[0] > box[0]:
                canvas.line((rect[0], rect[1], rect[0], rect[3]), fill=style.line, width=1)
        if kind == "browser":
            canvas.rounded_rectangle(
                rect,
                radius=round(16 * scale),
                fill=style.accent if button.filled else (255, 255, 255),
                outline=style.accent if not button.filled else None,
            )
    for label in layout.labels:
        canvas.text(
            (round(label.x * scale), round(label.y * scale)),
            label.text,
            fill=label.colour,
            font=_font(round(label.size * scale), label.bold),
            anchor=label.anchor,
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
