"""What a guide run saw, as plain data: frames, marks, redactions, page geometry.

The runner fills these in a browser; annotate, capture and redraw read them.
Nothing here imports Playwright, so commands that only draw or render never
load it. ``frame_from_entry`` and ``frame_entry`` are the frames.json form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..guide.model import PlatformStep
from ..guide.types import ColorScheme, Platform
from .dialogs import Dialog


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS pixels of the viewport."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def union(self, other: Box) -> Box:
        left, top = min(self.x, other.x), min(self.y, other.y)
        return Box(
            left, top, max(self.right, other.right) - left, max(self.bottom, other.bottom) - top
        )

    def grown(self, by: float) -> Box:
        return Box(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def overlap(self, other: Box) -> float:
        """The area both rectangles cover; 0 when they only touch."""
        width = min(self.right, other.right) - max(self.x, other.x)
        height = min(self.bottom, other.bottom) - max(self.y, other.y)
        return width * height if width > 0 and height > 0 else 0.0

    def intersects(self, other: Box) -> bool:
        return self.overlap(other) > 0

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def clamped(self, bounds: Box) -> Box:
        left, top = max(self.x, bounds.x), max(self.y, bounds.y)
        right, bottom = min(self.right, bounds.right), min(self.bottom, bounds.bottom)
        return Box(left, top, max(right - left, 0), max(bottom - top, 0))

    def values(self) -> list[float]:
        return [round(v, 2) for v in (self.x, self.y, self.width, self.height)]


@dataclass(frozen=True)
class Mark:
    number: int
    box: Box
    context: Box | None = None  # the nearest container that makes the element recognisable


@dataclass(frozen=True)
class Redaction:
    style: str  # "blur" or "mask"
    box: Box
    context: Box | None = None


@dataclass(frozen=True)
class CropRule:
    """What a step asked to show: everything, one element's area, or the default."""

    full: bool = False
    element: Box | None = None
    padding: float = 16.0


@dataclass(frozen=True)
class Frame:
    png: bytes
    marks: tuple[Mark, ...]
    redactions: tuple[Redaction, ...]
    text: tuple[Box, ...] = ()  # text on the screen, one rectangle per line
    bars: tuple[Box, ...] = ()  # title bars, tab bars and other fixed bars
    elements: tuple[Box, ...] = ()  # controls and pictures a crop must not cut through
    panels: tuple[Box, ...] = ()  # painted boxes (cards, buttons) a crop keeps whole
    # Every interactive element on the screen (links, buttons, fields, ARIA
    # widgets): a badge on one of them would read as pointing at it.
    controls: tuple[Box, ...] = ()
    crop: CropRule = CropRule()
    dialog: Dialog | None = None  # a native dialog to draw over png (it is not in a screenshot)


@dataclass(frozen=True)
class StepShot:
    step: PlatformStep
    frames: tuple[Frame, ...]


@dataclass(frozen=True)
class Run:
    guide: str
    platform: Platform
    lang: str
    device: str
    scale: float
    viewport: tuple[int, int]
    steps: tuple[StepShot, ...]
    scheme: ColorScheme = "light"


@dataclass(frozen=True)
class Failure:
    guide: str
    step: int
    platform: str
    lang: str
    action: str
    reason: str
    screen: str
    screenshot: bytes | None
    scheme: ColorScheme = "light"
    step_id: str = ""
    where: str = ""  # file:line of the step, filled in by whoever knows the file
    # A target missing from the settled screen: drift, which the message names in
    # full, so the run is not run again with a trace.
    missing: bool = False

    def line(self, screenshot_path: str | None = None) -> str:
        step = f"step {self.step}"
        if self.step_id:
            step += f" '{self.step_id}'"
        if self.where:
            step += f" ({self.where})"
        run = f"{self.platform}/{self.lang}"
        if self.scheme != "light":
            run += f"/{self.scheme}"
        text = (
            f"{self.guide} › {step} › {run}: {self.action} — {self.reason} (screen: {self.screen})"
        )
        return f"{text}; screenshot: {screenshot_path}" if screenshot_path else text


def _box(values: Any) -> Box | None:
    """A box from frames.json, or None for anything that is not four numbers."""
    if (
        isinstance(values, list)
        and len(values) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    ):
        return Box(*values)
    return None


def _boxes(values: Any) -> tuple[Box, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(box for box in map(_box, values) if box is not None)


def _optional(box: Box | None) -> dict[str, list[float]]:
    return {} if box is None else {"context": box.values()}


def frame_from_entry(entry: dict[str, Any], png: bytes) -> Frame:
    """A frame from its frames.json entry; keys older files lack get defaults."""
    rule = entry.get("framing") or {}
    return Frame(
        png,
        tuple(Mark(m["number"], Box(*m["box"]), _box(m.get("context"))) for m in entry["marks"]),
        tuple(
            Redaction(r["style"], Box(*r["box"]), _box(r.get("context")))
            for r in entry["redactions"]
        ),
        text=_boxes(entry.get("text")),
        bars=_boxes(entry.get("bars")),
        elements=_boxes(entry.get("elements")),
        panels=_boxes(entry.get("panels")),
        controls=_boxes(entry.get("controls")),
        crop=CropRule(
            full=rule.get("full") is True,
            element=_box(rule.get("element")),
            padding=float(rule.get("padding", CropRule.padding)),
        ),
    )


def frame_entry(
    frame: Frame,
    raw: str,
    *,
    crop: Box,
    at: Box,
    badges: Sequence[Box],
    outlines: Sequence[tuple[Box, float]],
) -> dict[str, Any]:
    """The frames.json form of a frame and of where its drawing put things."""
    rule: dict[str, Any] = {"padding": frame.crop.padding}
    if frame.crop.full:
        rule["full"] = True
    if frame.crop.element is not None:
        rule["element"] = frame.crop.element.values()
    return {
        "raw": raw,
        "marks": [
            {
                "number": m.number,
                "box": m.box.values(),
                **_optional(m.context),
                "badge": badge.values(),
                "outline": outline.values(),
                "stroke": stroke,
            }
            for m, badge, (outline, stroke) in zip(frame.marks, badges, outlines, strict=True)
        ],
        "redactions": [
            {"style": r.style, "box": r.box.values(), **_optional(r.context)}
            for r in frame.redactions
        ],
        "text": [b.values() for b in frame.text],
        "bars": [b.values() for b in frame.bars],
        "elements": [b.values() for b in frame.elements],
        "panels": [b.values() for b in frame.panels],
        "controls": [b.values() for b in frame.controls],
        "framing": rule,
        "crop": crop.values(),
        "at": at.values(),
    }
