"""Where things go on a step's picture: the crop, each mark's outline, its badge.

Pure geometry in CSS pixels of the raw frame, so a picture can be recropped
and its marks placed again without a browser. The rules:

- The crop shows what the step is about: its marks and redactions, grown to
  their containers and to a title bar or tab bar they are in or near, padded,
  then widened until no text line, control or picture is cut through.
- An outline keeps a gap around its element's text and, side by side, moves
  in or out so that its stroke crosses no text of the screen.
- A badge sits outside its outline in free space: over no text, no other
  outline or badge, inside the picture; where there is none, on the outline's
  edge or inside it, still over no text. Candidates are tried in a fixed
  order, so the same frame always gives the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.frames import Box, Frame

STROKE = 4.5  # CSS px across an outline: the red line and its white halo
BADGE = 30.0  # CSS px: the badge's diameter, halo included
GAP = 3.0  # CSS px between an outline and its badge
# Outline gaps (CSS px) to try on each side, the preferred first: a little air
# around the element, less or more where a neighbour's text is close.
SIDE_GAPS = (4.0, 5.0, 6.0, 3.0, 2.0, 8.0, 1.0, 0.0, 10.0, 12.0, -2.0, -4.0)
# A bar this close (CSS px) to what the step shows joins the crop: the title
# bar or tab bar tells the reader which screen it is.
NEAR_BAR = 96.0
MIN_CROP = (320.0, 180.0)  # smallest crop, CSS px, when the frame is larger
WIDE = 2 / 3  # a crop wider than this share of the frame takes its full width


@dataclass(frozen=True)
class Placement:
    """One mark on the picture: its outline's outer edge and its badge."""

    outline: Box
    badge: Box


def _union(boxes: Iterable[Box]) -> Box | None:
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result


def _snap(region: Box, solids: Sequence[Box], bounds: Box) -> Box:
    """Grow region until no solid rectangle straddles one of its edges."""
    left, top, right, bottom = region.x, region.y, region.right, region.bottom
    changed = True
    while changed:
        changed = False
        for s in solids:
            across = s.x < right and s.right > left
            down = s.y < bottom and s.bottom > top
            if across and s.y < top < s.bottom:
                top, changed = s.y, True
            if across and s.y < bottom < s.bottom:
                bottom, changed = s.bottom, True
            if down and s.x < left < s.right:
                left, changed = s.x, True
            if down and s.x < right < s.right:
                right, changed = s.right, True
    return Box(left, top, right - left, bottom - top).clamped(bounds)


def _at_least(region: Box, size: tuple[float, float], bounds: Box) -> Box:
    """region grown evenly to at least size, shifted back inside bounds."""
    width = min(max(region.width, size[0]), bounds.width)
    height = min(max(region.height, size[1]), bounds.height)
    x = min(max(region.x - (width - region.width) / 2, bounds.x), bounds.right - width)
    y = min(max(region.y - (height - region.height) / 2, bounds.y), bounds.bottom - height)
    return Box(x, y, width, height)


def crop_region(frame: Frame, width: float, height: float) -> Box:
    """The part of a frame (CSS px) its step's picture shows."""
    bounds = Box(0, 0, width, height)
    rule = frame.crop
    if rule.full:
        return bounds
    marks = [m.box.grown(max(SIDE_GAPS) + STROKE + GAP + BADGE) for m in frame.marks]
    if rule.element is not None:
        focus = _union([rule.element, *marks])
    else:
        focus = _union(
            [
                *marks,
                *(r.box for r in frame.redactions),
                *(m.context for m in frame.marks if m.context is not None),
                *(r.context for r in frame.redactions if r.context is not None),
            ]
        )
    if focus is None:
        return bounds
    focus = focus.clamped(bounds)
    for bar in frame.bars:
        if focus.grown(NEAR_BAR).intersects(bar):
            focus = focus.union(bar)
    region = _at_least(focus.grown(rule.padding).clamped(bounds), MIN_CROP, bounds)
    # Lines of text, controls and pictures are whole or absent; a container
    # larger than half the frame may be cut, or nothing could be cropped.
    solids = [
        b
        for b in (*frame.text, *frame.elements, *frame.panels, *frame.bars)
        if b.height <= height / 2 and b.width <= width
    ]
    region = _snap(region, solids, bounds)
    if region.width > width * WIDE:
        region = Box(0, region.y, width, region.height)
    return _snap(region, solids, bounds)


def _band(outline: Box, side: str) -> Box:
    """The strip an outline's stroke covers on one side (outline = its outer edge)."""
    if side == "top":
        return Box(outline.x, outline.y, outline.width, STROKE)
    if side == "bottom":
        return Box(outline.x, outline.bottom - STROKE, outline.width, STROKE)
    if side == "left":
        return Box(outline.x, outline.y, STROKE, outline.height)
    return Box(outline.right - STROKE, outline.y, STROKE, outline.height)


def _with_gap(box: Box, side: str, gap: float, others: float) -> Box:
    """The outline's outer edge with gap on side and others on the other sides."""
    pads = {s: others + STROKE for s in ("top", "bottom", "left", "right")}
    pads[side] = gap + STROKE
    return Box(
        box.x - pads["left"],
        box.y - pads["top"],
        box.width + pads["left"] + pads["right"],
        box.height + pads["top"] + pads["bottom"],
    )


def outline_for(box: Box, text: Sequence[Box]) -> Box:
    """The outer edge of the outline around box, its stroke clear of text."""
    near = [t for t in text if t.intersects(box.grown(max(SIDE_GAPS) + STROKE))]
    gaps = {}
    for side in ("top", "bottom", "left", "right"):
        gaps[side] = next(
            (
                gap
                for gap in SIDE_GAPS
                if not any(
                    _band(_with_gap(box, side, gap, SIDE_GAPS[0]), side).intersects(t) for t in near
                )
            ),
            SIDE_GAPS[0],
        )
    return Box(
        box.x - gaps["left"] - STROKE,
        box.y - gaps["top"] - STROKE,
        box.width + gaps["left"] + gaps["right"] + 2 * STROKE,
        box.height + gaps["top"] + gaps["bottom"] + 2 * STROKE,
    )


def _candidates(outline: Box) -> list[Box]:
    """Badge spots around an outline, in the order they are tried."""
    o, d, g = outline, BADGE, GAP
    middle_y = o.y + (o.height - d) / 2
    spots = [
        (o.x - d - g, middle_y),  # left
        (o.x, o.y - d - g),  # above, at the left end
        (o.right + g, middle_y),  # right
        (o.right - d, o.y - d - g),  # above, at the right end
        (o.x, o.bottom + g),  # below, at the left end
        (o.right - d, o.bottom + g),  # below, at the right end
    ]
    # Beside it a little lower or higher: rows of marks close together get
    # their badges one under the other.
    for shift in (d / 2, -d / 2, d, -d):
        spots.append((o.x - d - g, middle_y + shift))
        spots.append((o.right + g, middle_y + shift))
    spots += [
        (o.x - d - g, o.y - d - g),  # the corners, diagonally out
        (o.right + g, o.y - d - g),
        (o.x - d - g, o.bottom + g),
        (o.right + g, o.bottom + g),
    ]
    # Then along the top and bottom edges.
    step = d / 2
    count = max(int((o.width - d) / step), 0)
    for i in range(1, count):
        spots.append((o.x + i * step, o.y - d - g))
    for i in range(1, count):
        spots.append((o.x + i * step, o.bottom + g))
    return [Box(x, y, d, d) for x, y in spots]


def _edge_candidates(outline: Box) -> list[Box]:
    """Spots centred on an outline's corners and side middles, half in, half out:
    for an element with no free space around it, such as a full-width row."""
    o, r = outline, BADGE / 2
    centres = [
        (o.x, o.y),
        (o.right, o.y),
        (o.x, o.bottom),
        (o.right, o.bottom),
        (o.x, o.y + o.height / 2),
        (o.right, o.y + o.height / 2),
    ]
    return [Box(x - r, y - r, BADGE, BADGE) for x, y in centres]


def _inside_candidates(outline: Box) -> list[Box]:
    """Spots just inside an outline: the last free places before covering something."""
    inner = outline.grown(-STROKE - GAP)
    d = BADGE
    spots = [
        (inner.right - d, inner.y + (inner.height - d) / 2),
        (inner.x, inner.y + (inner.height - d) / 2),
        (inner.right - d, inner.y),
        (inner.x, inner.y),
    ]
    return [Box(x, y, d, d) for x, y in spots]


def _cost(spot: Box, picture: Box, text: Sequence[Box], taken: Sequence[Box]) -> float:
    """How much a badge there would hide: 0 is a free spot."""
    if not picture.contains(spot):
        return float("inf")
    return sum(spot.overlap(t) for t in text) + 4 * sum(spot.overlap(t) for t in taken)


def _inside(spot: Box, picture: Box) -> Box:
    x = min(max(spot.x, picture.x), picture.right - spot.width)
    y = min(max(spot.y, picture.y), picture.bottom - spot.height)
    return Box(x, y, spot.width, spot.height)


def place_marks(frame: Frame, picture: Box) -> list[Placement]:
    """Outline and badge of every mark of a frame, in mark order.

    A badge goes to the first spot, in a fixed order, that covers nothing:
    outside the outline, then straddling it, then inside it; then to the first
    that covers no text (only a picture or control); failing all, to the spot
    that covers least.
    """
    text = [t.grown(1) for t in frame.text]
    elements = list(frame.elements)
    outlines = [outline_for(m.box, frame.text) for m in frame.marks]
    badges: list[Box] = []
    for index, outline in enumerate(outlines):
        others = [o for i, o in enumerate(outlines) if i != index] + badges
        outside = _candidates(outline)
        # On the edge or inside, a spot is pulled into the picture: a row as
        # wide as the screen has its corners at the picture's edges.
        inside = [_inside(s, picture) for s in _inside_candidates(outline)]
        edge = [_inside(s, picture) for s in _edge_candidates(outline)]
        tries = [(spot, [*others, outline]) for spot in outside]
        tries += [(spot, others) for spot in (*edge, *inside) if spot.width <= picture.width]
        free = next(
            (s for s, taken in tries if _cost(s, picture, [*text, *elements], taken) == 0),
            None,
        ) or next((s for s, taken in tries if _cost(s, picture, text, taken) == 0), None)
        if free is None:
            spots = [_inside(s, picture) for s in outside]
            free = min(spots, key=lambda s: _cost(s, picture, text, [*others, outline]))
        badges.append(free)
    return [Placement(o, b) for o, b in zip(outlines, badges, strict=True)]
