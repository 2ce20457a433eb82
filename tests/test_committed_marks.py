"""Every committed picture: no badge and no outline covers text a reader needs.

Reads the text rectangles (DOM Range rects) the capture recorded in each
frames.json, and where capture put each mark's outline and badge. Needs no
browser, so it runs over every guide, platform and language in a moment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.frames import Box
from generator.framing import STROKE, bands

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
