"""The frames.json form of a frame: what a capture records survives a redraw, and
an unchanged picture's kept entry gains the fields a newer capture measures."""

from __future__ import annotations

from guidegen.capture.frames import Box, Frame, Mark, frame_entry, frame_from_entry
from guidegen.capture.settle import _with_new_fields


def test_controls_go_to_frames_json_and_come_back():
    controls = (Box(16, 229, 358, 49), Box(16, 277, 358, 65))
    frame = Frame(b"", (Mark(1, Box(16, 229.5, 358, 48)),), (), controls=controls)
    badge, outline = Box(340, 238, 30, 30), Box(7.5, 221, 375, 65)
    entry = frame_entry(
        frame,
        "raw/a-1.png",
        crop=Box(0, 0, 390, 400),
        at=Box(0, 0, 780, 800),
        badges=[badge],
        outlines=[(outline, 4.5)],
    )
    assert entry["controls"] == [[16, 229, 358, 49], [16, 277, 358, 65]]
    assert frame_from_entry(entry, b"").controls == controls


def test_a_kept_entry_gains_new_fields_and_keeps_its_own():
    kept = {"id": "reason", "frames": [{"raw": "raw/reason-1.png", "crop": [0, 0, 390, 300]}]}
    fresh = {
        "id": "reason",
        "frames": [
            {"raw": "raw/reason-1.png", "crop": [0, 1, 390, 299], "controls": [[1, 2, 3, 4]]}
        ],
    }
    merged = _with_new_fields(kept, fresh)
    assert merged["frames"] == [
        {"raw": "raw/reason-1.png", "crop": [0, 0, 390, 300], "controls": [[1, 2, 3, 4]]}
    ]


def test_a_kept_entry_takes_the_raw_frame_name_a_capture_makes_now():
    """Raw frames were WebP (raw/<step>-<n>.webp); an unchanged picture's entry
    names them as this capture writes them, so redraw finds them."""
    kept = {"id": "reason", "frames": [{"raw": "raw/reason-1.webp", "crop": [0, 0, 390, 300]}]}
    fresh = {"id": "reason", "frames": [{"raw": "raw/reason-1.png", "crop": [0, 1, 390, 299]}]}
    merged = _with_new_fields(kept, fresh)
    assert merged["frames"] == [{"raw": "raw/reason-1.png", "crop": [0, 0, 390, 300]}]
