"""Every committed picture: no badge and no outline covers text a reader needs,
each badge is on its own control, and each crop is one an editor would choose.

Reads the text rectangles (DOM Range rects), controls and bars the capture
recorded in each frames.json, and where capture put each crop, outline and
badge. Needs no browser, so it runs over every guide, platform and language
in a moment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidegen.capture.frames import Box
from guidegen.capture.framing import (
    BADGE,
    EMPTY_BAND,
    GAP,
    STROKE,
    bands,
    related,
    shown_bars,
    touches,
    visible_part,
)
from guidegen.site.images import narrow_crop

ROOT = Path(__file__).resolve().parent.parent
FRAMES = sorted((ROOT / "screenshots").glob("**/frames.json"))
# Text this close (CSS px) to a marked element is its neighbours' text.
NEIGHBOURHOOD = 64.0


def box(values: list[float]) -> Box:
    return Box(*values)


def frames(path: Path) -> list[tuple[str, dict[str, Any]]]:
    meta = json.loads(path.read_text("utf-8"))
    return [
        (f"{entry['id']} frame {index}", frame)
        for entry in meta["steps"]
        for index, frame in enumerate(entry["frames"], start=1)
    ]


@pytest.mark.parametrize(
    "path", FRAMES, ids=[p.parent.relative_to(ROOT / "screenshots").as_posix() for p in FRAMES]
)
def test_no_mark_covers_text_of_the_marked_element_or_its_neighbours(path: Path):
    problems = []
    for name, frame in frames(path):
        marks = frame["marks"]
        if marks and not frame.get("text"):
            problems.append(f"{name}: no text rectangles recorded; run guidegen capture")
            continue
        text = [box(t) for t in frame.get("text", [])]
        crop = box(frame["crop"])
        outlines = [box(m["outline"]) for m in marks]
        badges = [box(m["badge"]) for m in marks]
        for index, mark in enumerate(marks):
            number, outline, badge = mark["number"], outlines[index], badges[index]
            near = [t for t in text if t.intersects(box(mark["box"]).grown(NEIGHBOURHOOD))]
            for line in near:
                if badge.intersects(line):
                    problems.append(f"{name}: badge {number} covers text at {line.values()}")
                if any(b.intersects(line) for b in bands(outline, mark.get("stroke", STROKE))):
                    problems.append(f"{name}: outline {number} crosses text at {line.values()}")
            if not crop.contains(badge):
                problems.append(f"{name}: badge {number} is outside the picture")
            for other in range(len(marks)):
                if other != index and (
                    badge.intersects(outlines[other]) or badge.intersects(badges[other])
                ):
                    problems.append(f"{name}: badge {number} covers mark {marks[other]['number']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path", FRAMES, ids=[p.parent.relative_to(ROOT / "screenshots").as_posix() for p in FRAMES]
)
def test_each_badge_is_against_its_own_outline_and_on_no_other_control_text_picture_or_badge(
    path: Path,
):
    problems = []
    for name, frame in frames(path):
        if "controls" not in frame:
            problems.append(f"{name}: no controls recorded; run guidegen capture")
            continue
        crop = box(frame["crop"])
        controls = [box(c) for c in frame["controls"]]
        text = [box(t) for t in frame["text"]]
        # What shows of the pictures and controls: a bar hides what is under it.
        shown = (visible_part(box(e), [box(b) for b in frame["bars"]]) for e in frame["elements"])
        pictures = [e for e in shown if e is not None]
        marks = frame["marks"]
        for index, mark in enumerate(marks):
            number, own, badge = mark["number"], box(mark["box"]), box(mark["badge"])
            if not touches(badge, box(mark["outline"]), mark["stroke"], crop):
                problems.append(f"{name}: badge {number} is away from its outline")
            for control in controls:
                if badge.intersects(control) and not related(control, own):
                    problems.append(f"{name}: badge {number} is on a control at {control.values()}")
            for line in text:
                if badge.intersects(line):
                    problems.append(f"{name}: badge {number} covers text at {line.values()}")
            # It may graze a picture beside or in its element (an icon), not lie
            # on its face; it may lie on the card its element is in.
            centre = Box(badge.x + badge.width / 2, badge.y + badge.height / 2, 0.01, 0.01)
            for picture in pictures:
                if picture.intersects(centre) and not picture.grown(1).contains(own):
                    problems.append(f"{name}: badge {number} is on a picture at {picture.values()}")
            for other in marks[index + 1 :]:
                if badge.intersects(box(other["badge"])):
                    problems.append(f"{name}: badges {number} and {other['number']} overlap")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path", FRAMES, ids=[p.parent.relative_to(ROOT / "screenshots").as_posix() for p in FRAMES]
)
def test_each_crop_cuts_no_line_of_text_and_shows_no_bar_or_empty_band_without_a_mark(path: Path):
    problems = []
    for name, frame in frames(path):
        crop = box(frame["crop"])
        if frame["framing"].get("full"):
            continue
        for line in map(box, frame["text"]):
            # A pixel's rounding at an edge is no cut.
            if crop.intersects(line.grown(-1)) and not crop.grown(1).contains(line):
                problems.append(f"{name}: the crop cuts the line of text at {line.values()}")
        if not frame["marks"] and not frame["redactions"]:
            continue  # the whole screen, as the step asked
        # A bar holds a mark when the mark's element or its badge is in it.
        about = [box(m[key]) for m in frame["marks"] for key in ("box", "badge")]
        if "element" in frame["framing"]:
            about.append(box(frame["framing"]["element"]))
        bars = [box(b) for b in frame["bars"]]
        marked = shown_bars(bars, about)
        for bar in bars:
            if crop.overlap(bar) / max(bar.width, 1) > 4 and bar not in marked:
                problems.append(f"{name}: the crop shows a bar with no mark at {bar.values()}")
        # Past the padding and a badge's room beside a mark, an empty band shows nothing.
        things = [box(b) for key in ("text", "elements", "controls", "panels") for b in frame[key]]
        things += [box(m[key]) for m in frame["marks"] for key in ("outline", "badge")]
        inside = [t.clamped(crop) for t in things if t.intersects(crop)]
        inside = [t for t in inside if t.height < crop.height]
        margin = frame["framing"]["padding"] + GAP + BADGE + EMPTY_BAND
        if inside and min(t.y for t in inside) - crop.y > margin:
            problems.append(f"{name}: an empty band above what the crop shows")
        if inside and crop.bottom - max(t.bottom for t in inside) > margin:
            problems.append(f"{name}: an empty band below what the crop shows")
    assert not problems, "\n".join(problems)


WEB_FRAMES = [p for p in FRAMES if p.relative_to(ROOT / "screenshots").parts[1] == "web"]


@pytest.mark.parametrize(
    "path",
    WEB_FRAMES,
    ids=[p.parent.relative_to(ROOT / "screenshots").as_posix() for p in WEB_FRAMES],
)
def test_a_narrow_screens_cut_holds_every_badge_and_cuts_no_line_at_its_top_or_bottom(
    path: Path,
):
    """The part of a computer's picture a phone shows (site_images.narrow_crop):
    narrower than the picture, so lines run past its sides, but none is cut
    across at its top or bottom, and every badge is in it."""
    problems = []
    for name, frame in frames(path):
        drawn = [
            (box(m["outline"]), box(m["badge"]), box(m["context"]) if "context" in m else None)
            for m in frame["marks"]
        ]
        text = [box(t) for t in frame["text"]]
        part = narrow_crop(box(frame["crop"]), drawn, text)
        if part is None:
            continue
        for line in text:
            across = part.intersects(line.grown(-1)) and line.x < part.right and line.right > part.x
            whole = part.y - 1 <= line.y and line.bottom <= part.bottom + 1
            if across and not whole:
                problems.append(f"{name}: the narrow cut cuts the line at {line.values()}")
        # Beside the marks a line may run past a side; above or below them it is left out.
        marked = [outline.union(badge) for outline, badge, _ in drawn]
        top, bottom = min(m.y for m in marked), max(m.bottom for m in marked)
        for line in text:
            past = line.x < part.x - 1 or line.right > part.right + 1
            apart = line.bottom <= top or line.y >= bottom
            if past and apart and part.intersects(line.grown(-1)):
                problems.append(f"{name}: the narrow cut cuts the line at {line.values()}")
        for _, badge, _ in drawn:
            if not part.grown(1).contains(badge):
                problems.append(f"{name}: badge at {badge.values()} is outside the narrow cut")
    assert not problems, "\n".join(problems)
