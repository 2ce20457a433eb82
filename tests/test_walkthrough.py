"""Walkthrough videos: encoding, captions, cache, and the site's use of captures (no browser)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image

from guidegen.capture.digests import Digests
from guidegen.config import Config
from guidegen.guide.model import Guide
from guidegen.site.preview import watched
from guidegen.site.render import guide_page, step_text
from guidegen.site.walkthrough import (
    Box,
    Canvas,
    Step,
    canvas_for,
    captions,
    encode,
    encode_cached,
)
from guidegen.site.walkthrough_site import Published, control, job_steps, publish

SMALL = Canvas(width=160, screen_height=240, band=60, background=(241, 243, 244))


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def two_frames() -> bytes:
    """A step picture of two 60×100 frames side by side with a 10 px gap."""
    image = Image.new("RGB", (130, 100), (200, 200, 200))
    image.paste((220, 40, 30), (0, 0, 60, 100))
    image.paste((30, 40, 220), (70, 0, 130, 100))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def as_step(folder: Path, caption: str, data: bytes, frames: tuple[Box, ...] = ()) -> Step:
    digest = hashlib.sha256(data).hexdigest()
    path = folder / f"{digest}.png"
    path.write_bytes(data)
    return Step(caption, path, digest, frames)


@pytest.fixture
def steps(tmp_path: Path) -> tuple[Step, Step]:
    return (
        as_step(tmp_path, "1. ①ボタンをタップします。", png((60, 100), (250, 250, 250))),
        as_step(
            tmp_path, "2. Tap <Send> & wait", two_frames(), ((0, 0, 60, 100), (70, 0, 60, 100))
        ),
    )


def cues(vtt: str) -> list[tuple[float, float, str]]:
    found = []
    for block in vtt.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        start, end = re.findall(r"(\d+):(\d+):(\d+)\.(\d+)", lines[1])
        seconds = [
            int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in (start, end)
        ]
        found.append((seconds[0], seconds[1], "\n".join(lines[2:])))
    return found


def probe_duration(video: bytes, tmp_path: Path) -> float:
    path = tmp_path / "probe.mp4"
    path.write_bytes(video)
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", result.stderr).groups()  # type: ignore[union-attr]
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_two_encodes_give_identical_bytes_that_fit(
    tmp_path: Path, steps: tuple[Step, Step]
) -> None:
    first = encode(steps, SMALL)
    second = encode(steps, SMALL)
    assert first.video == second.video
    assert first.vtt == second.vtt
    assert 0 < len(first.video) <= 1_000_000
    assert first.video[4:8] == b"ftyp"
    assert (first.width, first.height) == (160, 300)
    assert probe_duration(first.video, tmp_path) == first.seconds


def frames_shown(video: bytes, tmp_path: Path) -> list[tuple[float, bool, str]]:
    """Each frame the video holds: when it starts, whether it is a key frame, and
    the colour at its centre (red, blue or grey for the pictures of `steps`)."""
    path = tmp_path / "frames.mp4"
    path.write_bytes(video)
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    shown = subprocess.run(
        [*command, "-vf", "showinfo", "-f", "null", "-"], capture_output=True, text=True
    )
    times = re.findall(r"pts_time:([\d.]+).*?iskey:(\d)", shown.stderr)
    raw = subprocess.run(
        [*command, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    size = SMALL.width * SMALL.height * 3
    centre = (SMALL.screen_height // 2 * SMALL.width + SMALL.width // 2) * 3
    colours = []
    for start in range(0, len(raw), size):
        red, _, blue = raw[start + centre : start + centre + 3]
        colours.append("red" if red > 150 > blue else "blue" if blue > 150 > red else "grey")
    return [(float(t), key == "1", c) for (t, key), c in zip(times, colours, strict=True)]


def test_each_picture_is_one_frame_shown_from_its_time_on(
    tmp_path: Path, steps: tuple[Step, Step]
) -> None:
    """One frame per picture (x264 encodes a still picture once, not once a
    second), a key frame at each step, and a last frame for the final second
    that makes the video end with its captions."""
    made = encode(steps, SMALL)
    (start1, _, _), (start2, end2, _) = cues(made.vtt)
    half = start2 + (end2 - start2) / 2
    assert frames_shown(made.video, tmp_path) == [
        (start1, True, "grey"),
        (start2, True, "red"),
        (half, False, "blue"),
        (end2 - 1, False, "blue"),
    ]
    assert end2 == made.seconds


def test_a_video_too_big_for_its_budget_is_refused(steps: tuple[Step, Step]) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode(steps, SMALL, max_bytes=500)


def test_captions_have_one_escaped_cue_per_step_for_as_long_as_its_frames(
    steps: tuple[Step, Step],
) -> None:
    found = cues(captions(steps))
    assert [text for _, _, text in found] == [
        "1. ①ボタンをタップします。",
        "2. Tap &lt;Send&gt; &amp; wait",
    ]
    (start1, end1, _), (start2, end2, _) = found
    assert start1 == 0 and end1 == start2
    assert end1 - start1 >= 3, "a one-frame step shows at least three seconds"
    assert end2 - start2 >= 6, "each of the two frames shows at least three seconds"


def test_long_captions_stay_longer_and_text_cannot_end_a_cue(tmp_path: Path) -> None:
    long = as_step(
        tmp_path, "長い説明です。" * 10 + "\n\nnext line --> here", png((60, 100), (0, 0, 0))
    )
    ((start, end, text),) = cues(captions([long]))
    assert end - start > 10
    assert "\n" not in text and "-->" not in text


def test_the_cache_returns_the_same_video_without_encoding(
    tmp_path: Path, steps: tuple[Step, Step]
) -> None:
    cache = tmp_path / "cache"
    made, encoded = encode_cached(cache, steps, SMALL)
    before = made.read_bytes()
    steps[0].picture.unlink()  # a cached video needs no picture read
    again, encoded_again = encode_cached(cache, steps, SMALL)
    assert encoded and not encoded_again
    assert again == made and again.read_bytes() == before
    changed, encoded_changed = encode_cached(cache, steps[1:], SMALL)
    assert encoded_changed and changed.read_bytes() != before


def test_a_caption_edit_with_the_same_timing_reuses_the_video(
    tmp_path: Path, steps: tuple[Step, Step]
) -> None:
    made, _ = encode_cached(tmp_path / "cache", steps, SMALL)
    first = steps[0]
    edited = (Step("1. ①ボタンをタッチします。", first.picture, first.digest), steps[1])
    again, encoded = encode_cached(tmp_path / "cache", edited, SMALL)
    assert not encoded and again == made


def test_the_preview_does_not_watch_the_walkthroughs_it_writes(tmp_path: Path) -> None:
    video = tmp_path / "docs" / "ja" / "assets" / "walkthroughs" / "ios" / "demo.mp4"
    video.parent.mkdir(parents=True)
    video.write_bytes(b"")
    page = tmp_path / "docs" / "ja" / "index.md"
    page.write_text("# Home", "utf-8")
    found = set(watched(Config(root=tmp_path, languages=("ja",))))
    assert page in found and video not in found


def test_canvases_are_even_and_leave_room_for_captions() -> None:
    phone = canvas_for(390, 664, dark=False)
    assert (phone.width, phone.screen_height) == (780, 1328)
    assert phone.band >= phone.width // 4
    web = canvas_for(1280, 800, dark=True)
    assert web.width == 1280 and web.background < (64, 64, 64)
    odd = canvas_for(333, 555, dark=False)
    assert odd.width % 2 == odd.screen_height % 2 == odd.band % 2 == 0


GUIDE = Guide.model_validate(
    {
        "id": "demo",
        "title": {"ja": "デモ", "en": "Demo"},
        "summary": {"ja": "概要", "en": "Summary"},
        "platforms": ["ios"],
        "steps": [
            {"id": "one", "text": {"ja": "①を{tap}", "en": "{Tap} ①"}, "actions": [{"tap": "a"}]},
            {"id": "two", "text": {"ja": "②を{tap}", "en": "{Tap} ②"}, "actions": [{"tap": "b"}]},
        ],
    }
)


def job(config: Config) -> tuple[list[Step], Canvas] | None:
    """The walkthrough steps of GUIDE's light iPhone job in English."""
    return job_steps(
        config, GUIDE, "ios", "en", "light", step_text, Digests(config.root / "d.json")
    )


def write_job(folder: Path, frames: dict[str, list[dict]]) -> None:
    """A capture job folder: step pictures, raw frames and frames.json."""
    (folder / "raw").mkdir(parents=True)
    for step, step_frames in frames.items():
        for number, _ in enumerate(step_frames, 1):
            (folder / "raw" / f"{step}-{number}.png").write_bytes(png((60, 100), (9, 9, 9)))
    (folder / "one.webp").write_bytes(png((60, 100), (250, 250, 250)))
    (folder / "two.webp").write_bytes(two_frames())
    meta = {
        "scale": 2.0,
        "steps": [{"id": step, "frames": fs} for step, fs in frames.items()],
    }
    (folder / "frames.json").write_text(json.dumps(meta), "utf-8")


def test_frames_are_cut_where_frames_json_puts_them(tmp_path: Path) -> None:
    folder = tmp_path / "screenshots" / "en" / "ios" / "demo"
    write_job(
        folder,
        {
            "one": [{"raw": "raw/one-1.png"}],
            "two": [
                {"raw": "raw/two-1.png", "at": [0, 0, 60, 50]},
                {"raw": "raw/two-2.png", "at": [70, 50, 60, 50]},
            ],
        },
    )
    steps, canvas = job(Config(root=tmp_path))
    assert [s.caption for s in steps] == ["1. Tap ①", "2. Tap ②"]
    assert steps[0].frames == ()
    assert steps[1].frames == ((0, 0, 60, 50), (70, 50, 60, 50))
    assert (canvas.width, canvas.screen_height) == (60, 100), "raw 60×100 at scale 2 is 30×50 CSS"


def test_older_captures_without_at_are_cut_by_their_raw_frames_sizes(tmp_path: Path) -> None:
    folder = tmp_path / "screenshots" / "en" / "ios" / "demo"
    write_job(
        folder,
        {
            "one": [{"raw": "raw/one-1.png"}],
            "two": [{"raw": "raw/two-1.png"}, {"raw": "raw/two-2.png"}],
        },
    )
    steps, _ = job(Config(root=tmp_path))
    assert steps[1].frames == ((0, 0, 60, 100), (70, 0, 60, 100))


def test_paths_in_frames_json_never_leave_the_job_folder(tmp_path: Path) -> None:
    folder = tmp_path / "screenshots" / "en" / "ios" / "demo"
    write_job(folder, {"one": [{"raw": "raw/one-1.png"}]})
    (tmp_path / "secret.png").write_bytes(png((30, 100), (0, 0, 0)))
    meta = {
        "scale": 1,
        "steps": [
            {"id": "one", "frames": [{"raw": "../../../../../secret.png"}]},
            {"id": "two", "frames": [{"raw": "/etc/passwd"}, {"raw": "../../../../../secret.png"}]},
        ],
    }
    (folder / "frames.json").write_text(json.dumps(meta), "utf-8")
    steps, canvas = job(Config(root=tmp_path))
    assert steps[1].frames == (), "the whole picture, not a layout guessed from outside files"
    assert canvas.width == 120, "the canvas comes from the step picture (60 px at scale 1)"


def test_odd_frames_json_and_a_broken_picture_do_not_stop_a_build(tmp_path: Path) -> None:
    folder = tmp_path / "screenshots" / "en" / "ios" / "demo"
    write_job(folder, {"one": [{"raw": "raw/one-1.png"}]})
    meta = {"scale": "big", "steps": [{"id": "one", "frames": 7}, {"id": "two", "frames": "x"}]}
    (folder / "frames.json").write_text(json.dumps(meta), "utf-8")
    config = Config(root=tmp_path)
    steps, _ = job(config)
    assert [s.frames for s in steps] == [(), ()]
    (folder / "two.webp").write_bytes(b"not a png")
    assert job(config) is None


def test_publish_writes_light_and_dark_and_removes_stale_ones(tmp_path: Path) -> None:
    light = tmp_path / "screenshots" / "ja" / "ios" / "demo"
    write_job(light, {"one": [{"raw": "raw/one-1.png"}], "two": [{"raw": "raw/two-1.png"}]})
    write_job(light / "dark", {"one": [{"raw": "raw/one-1.png"}]})
    config = Config(root=tmp_path, languages=("ja",), color_schemes=("light", "dark"))
    stale = tmp_path / "docs" / "ja" / "assets" / "walkthroughs" / "web" / "gone.mp4"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    walks = publish(config, [GUIDE], "ja", step_text, Digests(tmp_path / "digests.json"))
    names = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "docs").rglob("*.*"))
    assert names == [
        "docs/ja/assets/walkthroughs/ios/demo-dark.mp4",
        "docs/ja/assets/walkthroughs/ios/demo-dark.vtt",
        "docs/ja/assets/walkthroughs/ios/demo.mp4",
        "docs/ja/assets/walkthroughs/ios/demo.vtt",
    ]
    assert [p.scheme for p in walks[("ios", "demo")]] == ["light", "dark"]
    vtt = (tmp_path / "docs/ja/assets/walkthroughs/ios/demo.vtt").read_text("utf-8")
    assert [text for _, _, text in cues(vtt)] == ["1. ①をタップ", "2. ②をタップ"]


def test_guides_with_the_same_pictures_share_one_encoding(tmp_path: Path, capsys) -> None:
    for name in ("demo", "copy"):
        write_job(
            tmp_path / "screenshots" / "ja" / "ios" / name, {"one": [{"raw": "raw/one-1.png"}]}
        )
    config = Config(root=tmp_path, languages=("ja",))
    copy = GUIDE.model_copy(update={"id": "copy"})
    publish(config, [GUIDE, copy], "ja", step_text, Digests(tmp_path / "digests.json"))
    assert "1 encoded" in capsys.readouterr().out
    videos = tmp_path / "docs" / "ja" / "assets" / "walkthroughs" / "ios"
    assert os.path.samefile(videos / "demo.mp4", videos / "copy.mp4")


def test_the_control_escapes_its_text_and_names_both_schemes() -> None:
    walks = {
        ("ios", "demo"): [
            Published("light", "assets/walkthroughs/ios/demo.mp4", "a.vtt", 780, 1588),
            Published("dark", "assets/walkthroughs/ios/demo-dark.mp4", "b.vtt", 780, 1588),
        ]
    }
    html = control(walks, "ios", "demo", "en", '<script>"x"</script>')
    assert "<script>" not in html and "&lt;script&gt;&quot;x&quot;" in html
    assert 'data-video-dark="assets/walkthroughs/ios/demo-dark.mp4"' in html
    assert ">Play all steps</button>" in html and "<video" not in html
    assert control(walks, "web", "demo", "en", "Computer") == ""
    only_dark = {("ios", "demo"): walks[("ios", "demo")][1:]}
    html = control(only_dark, "ios", "demo", "en", "iPhone")
    assert 'data-video="assets/walkthroughs/ios/demo-dark.mp4"' in html
    assert "data-video-dark" not in html


def test_a_scheme_the_project_does_not_capture_gets_no_walkthrough(tmp_path: Path) -> None:
    light = tmp_path / "screenshots" / "ja" / "ios" / "demo"
    write_job(light, {"one": [{"raw": "raw/one-1.png"}]})
    write_job(light / "dark", {"one": [{"raw": "raw/one-1.png"}]})
    walks = publish(
        Config(root=tmp_path, languages=("ja",)),
        [GUIDE],
        "ja",
        step_text,
        Digests(tmp_path / "digests.json"),
    )
    assert [p.scheme for p in walks[("ios", "demo")]] == ["light"]


def test_each_tab_with_a_walkthrough_has_its_button(tmp_path: Path) -> None:
    walks = {("ios", "demo"): [Published("light", "v.mp4", "v.vtt", 2, 2)]}
    page = guide_page(GUIDE, "ja", Config(root=tmp_path), {}, walkthroughs=walks)
    ios_tab = page.split('=== "iPhone"')[1]
    assert ios_tab.index("すべての手順を再生") < ios_tab.index("1. ")


def test_the_canvas_follows_the_viewport_frames_json_records(tmp_path: Path) -> None:
    folder = tmp_path / "screenshots" / "en" / "ios" / "demo"
    write_job(folder, {"one": [{"raw": "raw/one-1.png"}]})
    meta = json.loads((folder / "frames.json").read_text("utf-8"))
    (folder / "frames.json").write_text(json.dumps({**meta, "viewport": [200, 400]}), "utf-8")
    _, canvas = job(Config(root=tmp_path))  # type: ignore[misc]
    assert (canvas.width, canvas.screen_height) == (400, 800), "2 device pixels per CSS pixel"
