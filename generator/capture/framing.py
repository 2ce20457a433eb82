"""Where things go on a step's picture: the crop, each mark's outline, its badge.

Pure geometry in CSS pixels of the raw frame, so a picture can be recropped
and its marks placed again without a browser. The rules:

- The crop shows what the step is about: its marks and redactions, grown to
  their containers, padded, then moved until no text line, sentence, control
  or picture is cut through, without the empty bands above and below. A title
  bar or tab bar shows only when a mark is in it.
- An outline keeps a gap around its element's text and, side by side, moves
  in or out so that its stroke crosses no text of the screen: thinner between
  lines a few pixels apart, around a neighbour's line that touches the
  element's rather than through it.
- A badge lies against its own outline, outside it in free space: over no
  text, no other outline or badge, no control but its own, inside the
  picture; where there is none, on the outline's edge or inside it. Candidates are tried in a fixed
  order, so the same frame always gives the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .frames import Box, Frame

STROKE = 4.5  # CSS px across an outline: the red line and its white halo
THIN_STROKE = 3.0  # CSS px: the red line alone, where lines of text are close
BADGE = 30.0  # CSS px: the badge's diameter, halo included
GAP = 3.0  # CSS px between an outline and its badge
TOUCH = GAP + 1.0  # CSS px: a badge this close to its outline's stroke belongs to it
# Outline gaps (CSS px) to try on each side, the preferred first: a little air
# around the element, less or more where a neighbour's text is close.
SIDE_GAPS = (4.0, 5.0, 6.0, 3.0, 2.0, 8.0, 1.0, 0.0, 10.0, 12.0, -2.0, -4.0)
# The room (CSS px) the preferred outline takes beyond its element's box: a
# reveal keeps this much of the screen around an element it marks (reveal.js).
MARK_ROOM = SIDE_GAPS[0] + STROKE
WIDE_GAPS = tuple(float(gap) for gap in range(14, 50, 2))  # past a touching line
PARAGRAPH_GAP = 4.0  # CSS px: lines this close are one paragraph
EMPTY_BAND = 24.0  # CSS px: a band above or below what a crop shows, this tall, goes
MIN_CROP = (320.0, 180.0)  # smallest crop, CSS px, when the frame is larger
# A crop leaving less than this (CSS px) beside it takes the frame's full
# width: slivers of a phone screen at the sides only distract.
SLIVERS = 160.0


@dataclass(frozen=True)
class Placement:
    """One mark on the picture: its outline's outer edge and stroke, its badge."""

    outline: Box
    stroke: float
    badge: Box


def _union(boxes: Iterable[Box]) -> Box | None:
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result


def _snap(region: Box, solids: Sequence[Box], bounds: Box, keep: Box) -> Box:
    """Move region's edges until no solid rectangle straddles one: outward to take
    it in, or, where that would leave bounds, inward to leave it out (keeping
    keep inside)."""
    left, top, right, bottom = region.x, region.y, region.right, region.bottom
    for _ in range(100):  # each pass moves an edge past a solid; a few do
        changed = False
        for s in solids:
            across = s.x < right and s.right > left
            down = s.y < bottom and s.bottom > top
            if across and s.y < top < s.bottom:
                top = s.y if s.y >= bounds.y or s.bottom > keep.y else s.bottom
                changed = True
            if across and s.y < bottom < s.bottom:
                bottom = s.bottom if s.bottom <= bounds.bottom or s.y < keep.bottom else s.y
                changed = True
            if down and s.x < left < s.right:
                left, changed = s.x, True
            if down and s.x < right < s.right:
                right, changed = s.right, True
        if not changed:
            break
    return Box(left, top, right - left, bottom - top).clamped(bounds)


def _leave_out(region: Box, solids: Sequence[Box], keep: Box) -> Box:
    """region with its top and bottom edges moved in past pictures and cards that
    straddle them, where keep stays inside: a crop shows the end of a grid of
    products, not more of it."""
    top, bottom = region.y, region.bottom
    for s in sorted(solids, key=lambda b: b.bottom, reverse=True):
        if s.x < region.right and s.right > region.x and s.y < top < s.bottom <= keep.y:
            top = s.bottom
    for s in sorted(solids, key=lambda b: b.y):
        if (
            s.x < region.right
            and s.right > region.x
            and s.y < bottom < s.bottom
            and s.y >= keep.bottom
        ):
            bottom = s.y
    return Box(region.x, top, region.width, bottom - top)


def paragraphs(text: Sequence[Box]) -> list[Box]:
    """Lines of text that touch one another, one above the other, as one block:
    a crop between them would cut a sentence in half."""
    blocks: list[Box] = []
    for line in sorted(text, key=lambda b: (b.y, b.x)):
        for index, block in enumerate(blocks):
            beside = line.x < block.right and line.right > block.x
            if beside and line.y <= block.bottom + PARAGRAPH_GAP and line.bottom > block.y:
                blocks[index] = block.union(line)
                break
        else:
            blocks.append(line)
    return blocks


def shown_bars(bars: Sequence[Box], about: Sequence[Box]) -> list[Box]:
    """The bars a crop shows: those a mark is in, and a bar's second row (a bar
    touching one shown)."""
    shown = [bar for bar in bars if any(bar.intersects(b) for b in about)]
    for bar in bars:
        if bar not in shown and any(bar.intersects(s.grown(1)) for s in shown):
            shown.append(bar)
    return shown


def _between_bars(bounds: Box, bars: Sequence[Box], focus: Box) -> Box:
    """bounds less the bars above and below focus: a title bar or tab bar tells
    the reader little the step's words do not, and takes a third of a crop."""
    top = max([bounds.y, *(b.bottom for b in bars if b.bottom <= focus.y)])
    bottom = min([bounds.bottom, *(b.y for b in bars if b.y >= focus.bottom)])
    return Box(bounds.x, top, bounds.width, bottom - top)


def _trimmed(region: Box, content: Sequence[Box], keep: Box, padding: float) -> Box:
    """region without the empty bands above and below what it shows."""
    inside = [c.clamped(region) for c in content if c.intersects(region)]
    shown = _union([keep, *(c for c in inside if c.height < region.height)])
    if shown is None:
        return region
    top = max(region.y, shown.y - padding)
    bottom = min(region.bottom, shown.bottom + padding)
    # A sliver less is no better picture, and would only move the crop.
    top = top if top - region.y >= EMPTY_BAND else region.y
    bottom = bottom if region.bottom - bottom >= EMPTY_BAND else region.bottom
    return Box(region.x, top, region.width, bottom - top)


def _at_least(region: Box, size: tuple[float, float], bounds: Box) -> Box:
    """region grown evenly to at least size, shifted back inside bounds."""
    width = min(max(region.width, size[0]), bounds.width)
    height = min(max(region.height, size[1]), bounds.height)
    x = min(max(region.x - (width - region.width) / 2, bounds.x), bounds.right - width)
    y = min(max(region.y - (height - region.height) / 2, bounds.y), bounds.bottom - height)
    return Box(x, y, width, height)


def crop_region(frame: Frame, width: float, height: float) -> Box:
    """The part of a frame (CSS px) its step's picture shows.

    Without the bars no mark is in, unless a badge finds no free spot there
    (a row of tabs just under a title bar has its badge in the bar)."""
    region = _crop(frame, width, height, leave_bars=True)
    if badges_fit(frame, place_marks(frame, region), region):
        return region
    return _crop(frame, width, height, leave_bars=False)


def _crop(frame: Frame, width: float, height: float, *, leave_bars: bool) -> Box:
    bounds = Box(0, 0, width, height)
    rule = frame.crop
    if rule.full:
        return bounds
    marks = [outline_for(m.box, frame.text)[0].grown(GAP + BADGE) for m in frame.marks]
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
    # A bar shows when a mark is in it or the step asks for its area.
    about = [m.box for m in frame.marks] + ([rule.element] if rule.element is not None else [])
    shown = shown_bars(frame.bars, about)
    for bar in shown:
        focus = focus.union(bar)
    # The marks' badges may go to either side: the bars are judged by what is marked.
    core = _union([*about, *(r.box for r in frame.redactions), *shown]) or focus
    left = [b for b in frame.bars if b not in shown] if leave_bars else []
    inner = _between_bars(bounds, left, core)
    focus = focus.clamped(inner)
    region = _at_least(focus.grown(rule.padding).clamped(inner), MIN_CROP, inner)
    # Lines of text, sentences, controls and pictures are whole or absent; a
    # container larger than half the frame may be cut, or nothing could be cropped.
    text = [*frame.text, *paragraphs(frame.text)]
    things = [*frame.elements, *frame.panels, *frame.controls, *shown]
    solids = [b for b in (*text, *things) if b.height <= height / 2 and b.width <= width]
    region = _leave_out(region, [b for b in solids if not b.intersects(focus)], focus)
    region = _snap(region, solids, inner, focus)
    # A container's empty end is no reason to show it: trimmed to what is in it.
    held = _union([*marks, *(r.box for r in frame.redactions), *shown])
    if rule.element is not None:
        held = _union([rule.element, *marks])
    region = _trimmed(region, [*text, *things], (held or focus).clamped(inner), rule.padding)
    if width - region.width < SLIVERS:
        region = Box(0, region.y, width, region.height)
    return _snap(region, solids, inner, focus)


def bands(outline: Box, stroke: float) -> list[Box]:
    """The strips an outline's stroke covers (outline = its outer edge): top,
    bottom, left, right."""
    return [
        Box(outline.x, outline.y, outline.width, stroke),
        Box(outline.x, outline.bottom - stroke, outline.width, stroke),
        Box(outline.x, outline.y, stroke, outline.height),
        Box(outline.right - stroke, outline.y, stroke, outline.height),
    ]


SIDES = ("top", "bottom", "left", "right")


def _outline(box: Box, gaps: dict[str, float], stroke: float) -> Box:
    return Box(
        box.x - gaps["left"] - stroke,
        box.y - gaps["top"] - stroke,
        box.width + gaps["left"] + gaps["right"] + 2 * stroke,
        box.height + gaps["top"] + gaps["bottom"] + 2 * stroke,
    )


def _clear_gaps(
    box: Box, text: Sequence[Box], stroke: float, tries: Sequence[float]
) -> dict[str, float] | None:
    """A gap per side whose stroke crosses no text, or None if a side has none."""
    gaps: dict[str, float] = {}
    for index, side in enumerate(SIDES):
        for gap in tries:
            trial = _outline(box, {**dict.fromkeys(SIDES, SIDE_GAPS[0]), side: gap}, stroke)
            if not any(bands(trial, stroke)[index].intersects(t) for t in text):
                gaps[side] = gap
                break
        else:
            return None
    outline = _outline(box, gaps, stroke)
    if any(band.intersects(t) for band in bands(outline, stroke) for t in text):
        return None
    return gaps


def outline_for(box: Box, text: Sequence[Box]) -> tuple[Box, float]:
    """The outer edge and stroke width of the outline around box, clear of text.

    Rows of text a few pixels apart leave no room for the full stroke: there
    the outline is drawn thinner, without its halo, between the lines. Where
    a neighbour's line touches the element's, the outline takes that line in
    rather than cross it.
    """
    wide = SIDE_GAPS + WIDE_GAPS
    near = [t for t in text if t.intersects(box.grown(max(wide) + STROKE))]
    for stroke, tries in ((STROKE, SIDE_GAPS), (THIN_STROKE, SIDE_GAPS), (STROKE, wide)):
        gaps = _clear_gaps(box, near, stroke, tries)
        if gaps is not None:
            return _outline(box, gaps, stroke), stroke
    return _outline(box, dict.fromkeys(SIDES, SIDE_GAPS[0]), STROKE), STROKE


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
    """Spots just inside an outline: the last free places before covering something.
    Then along its middle from the right, where a row's words leave room."""
    inner = outline.grown(-THIN_STROKE - GAP)
    d = BADGE
    middle_y = inner.y + (inner.height - d) / 2
    spots = [
        (inner.right - d, middle_y),
        (inner.x, middle_y),
        (inner.right - d, inner.y),
        (inner.x, inner.y),
    ]
    step = d / 2
    for i in range(1, max(int((inner.width - d) / step), 0)):
        spots.append((inner.right - d - i * step, middle_y))
    return [Box(x, y, d, d) for x, y in spots]


def visible_part(box: Box, bars: Sequence[Box]) -> Box | None:
    """What shows of box where fixed bars lie over the page: a picture scrolled
    under a tab bar is hidden there, and the marked tab is not inside it.
    None when a bar hides all of it; a box in a bar is the bar's own."""
    for bar in bars:
        if related(bar, box) or not bar.intersects(box):
            continue
        top, bottom = box.y, box.bottom
        if bar.y <= top < bar.bottom:
            top = bar.bottom
        if bar.y < bottom <= bar.bottom:
            bottom = bar.y
        if bottom <= top:
            return None
        box = Box(box.x, top, box.width, bottom - top)
    return box


def related(a: Box, b: Box) -> bool:
    """Whether one box holds the other, give or take the pixel a measure rounds."""
    return a.grown(1).contains(b) or b.grown(1).contains(a)


def touches(badge: Box, outline: Box, stroke: float, picture: Box) -> bool:
    """Whether a badge lies against its outline's stroke, outside or inside it.
    Where the outline runs past the picture, the picture's edge stands for it."""
    seen = outline.clamped(picture)
    return badge.intersects(seen.grown(TOUCH)) and not seen.grown(-stroke - TOUCH).contains(badge)


def _cost(spot: Box, picture: Box, text: Sequence[Box], taken: Sequence[Box]) -> float:
    """How much a badge there would hide: 0 is a free spot."""
    if not picture.contains(spot):
        return float("inf")
    return sum(spot.overlap(t) for t in text) + 4 * sum(spot.overlap(t) for t in taken)


def _inside(spot: Box, picture: Box) -> Box:
    x = min(max(spot.x, picture.x), picture.right - spot.width)
    y = min(max(spot.y, picture.y), picture.bottom - spot.height)
    return Box(x, y, spot.width, spot.height)


def badges_fit(frame: Frame, placements: Sequence[Placement], picture: Box) -> bool:
    """Whether every badge lies against its own outline, inside the picture, over
    no text, no other mark and no control but its own."""
    for index, (mark, placement) in enumerate(zip(frame.marks, placements, strict=True)):
        badge = placement.badge
        others = [p for i, p in enumerate(placements) if i != index]
        if (
            not picture.contains(badge)
            or not touches(badge, placement.outline, placement.stroke, picture)
            or any(badge.intersects(t) for t in frame.text)
            or any(badge.intersects(c) for c in frame.controls if not related(c, mark.box))
            or any(badge.intersects(p.badge) or badge.intersects(p.outline) for p in others)
        ):
            return False
    return True


def place_marks(frame: Frame, picture: Box) -> list[Placement]:
    """Outline and badge of every mark of a frame, in mark order.

    A badge lies against its own outline and covers no text, no other badge
    or outline, and no control but its own (or one holding it or held in it):
    a reader taps by the number. It goes to the first spot, in a fixed order,
    that keeps to that and covers no picture or neighbouring card either:
    outside the outline, then straddling it, then inside it; then to the
    spot that keeps to that alone and covers least of pictures and cards;
    failing all, to the spot that covers least.
    """
    text = [t.grown(1) for t in frame.text]
    drawn = [outline_for(m.box, frame.text) for m in frame.marks]
    outlines = [outline for outline, _ in drawn]
    badges: list[Box] = []
    # Cards, not the bars or full-width bands a badge may well sit on.
    cards = [
        p
        for p in frame.panels
        if p.width < 0.9 * picture.width and not any(p.intersects(bar) for bar in frame.bars)
    ]
    # Of what lies under a bar, only what shows counts.
    shown = (visible_part(b, frame.bars) for b in (*frame.elements, *cards))
    seen = [b for b in shown if b is not None]
    for index, (outline, stroke) in enumerate(drawn):
        box = frame.marks[index].box
        controls = [c for c in frame.controls if not related(c, box)]
        # Pictures and the cards beside the element are worth keeping clear too,
        # and so is an icon in it, which the reader looks for; the element itself
        # and the card it is in are not.
        solids = [b for b in seen if not b.grown(1).contains(box)]
        others = [o for i, o in enumerate(outlines) if i != index] + badges
        outside = _candidates(outline)
        # On the edge or inside, a spot is pulled into the picture: a row as
        # wide as the screen has its corners at the picture's edges.
        inside = [_inside(s, picture) for s in _inside_candidates(outline)]
        edge = [_inside(s, picture) for s in _edge_candidates(outline)]
        tries = [(spot, [*others, outline]) for spot in outside]
        tries += [(spot, others) for spot in (*edge, *inside) if spot.width <= picture.width]
        # A badge away from its outline would seem to belong to what it is beside.
        tries = [t for t in tries if touches(t[0], outline, stroke, picture)] or tries
        free = next(
            (s for s, taken in tries if _cost(s, picture, [*text, *controls, *solids], taken) == 0),
            None,
        )
        if free is None:
            # Off text and controls, a badge grazing a picture's edge beats one on its face.
            clear = [s for s, taken in tries if _cost(s, picture, [*text, *controls], taken) == 0]
            free = min(clear, key=lambda s: _cost(s, picture, solids, []), default=None)
        if free is None:
            # Words hidden are worse than a neighbouring control's edge.
            free = min(
                (spot for spot, _ in tries),
                key=lambda s: _cost(s, picture, text, others) + _cost(s, picture, controls, []) / 4,
            )
        badges.append(free)
    return [
        Placement(outline, stroke, badge)
        for (outline, stroke), badge in zip(drawn, badges, strict=True)
    ]
