"""A guide's walkthrough: its step pictures one after another as a short video.

Pure in its inputs and outputs: step pictures (their files, digests and where
each frame sits in them) and caption texts go in; H.264 MP4 bytes and a WebVTT
captions track with one cue per step come out. A picture is read only when its
video is encoded: the cache is keyed by the digests. No browser is involved.
The encoder is the ffmpeg binary shipped in the ``imageio-ffmpeg`` wheel, run with one
thread and bit-exact flags so that the same inputs always give the same bytes;
results are cached by a hash of everything that goes in.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageDraw

from .. import childprocess
from ..files import write_atomic

# Bump when the pictures, timing or encoding change, so cached videos are redone.
VERSION = "3"
# The grid of times: a step lasts whole seconds. Each picture is encoded once,
# as one frame that lasts until the next (a variable frame rate): x264 then
# works on a dozen frames instead of one a second, three times faster than at
# a constant rate, for the same picture quality at the same size (that needs a
# lower CRF: repeated frames used to refine the picture they repeat).
FPS = 1
# Tried in order until the video fits: the first is sharp enough for app text.
QUALITIES = (20, 24, 28, 32, 36)
MAX_BYTES = 1_000_000
MAX_UPSCALE = 2.0

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Step:
    """One step: its caption and its picture, cut into the frames shown in turn.

    ``frames`` are (x, y, width, height) rectangles in image pixels; empty means
    the whole picture is one frame.
    """

    caption: str
    picture: Path
    digest: str  # sha256 of the picture's bytes
    frames: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Canvas:
    """The video's picture: the screen area on top, a band below for the captions
    (the browser draws them over the bottom of the video, which must not hide a
    mark at the bottom of a screen)."""

    width: int
    screen_height: int
    band: int
    background: tuple[int, int, int]

    @property
    def height(self) -> int:
        return self.screen_height + self.band


@dataclass(frozen=True)
class Walkthrough:
    video: bytes
    vtt: str
    width: int
    height: int
    seconds: float


def canvas_for(css_width: int, css_height: int, dark: bool) -> Canvas:
    """A canvas for screens of this CSS size: 2 device pixels per CSS pixel, at
    most 1280 wide, even sizes, and a caption band a third of the narrow side.

    Browsers size caption text by the video's smaller side, so a band of a
    third of it holds about four lines of captions.
    """
    width = _even(min(2 * css_width, 1280))
    screen_height = _even(width * css_height / css_width)
    band = _even(min(width, screen_height) / 3)
    background = (18, 18, 18) if dark else (241, 243, 244)
    return Canvas(width, screen_height, band, background)


def _even(value: float) -> int:
    return 2 * max(1, math.ceil(value / 2))


@cache
def reading_seconds(text: str) -> float:
    """How long a caption stays: time to read it, at least three seconds.

    Wide (CJK) characters count double, which makes Japanese and English text
    of the same content take about the same time.
    """
    units = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return max(3.0, 1.5 + units / 12)


def _frame_counts(steps: Sequence[Step]) -> list[list[int]]:
    """Video frames per picture frame: each picture at least 3 s, each step at
    least its caption's reading time, in whole video frames."""
    counts = []
    for step in steps:
        shown = max(1, len(step.frames))
        per_frame = max(3.0, reading_seconds(step.caption) / shown)
        counts.append([math.ceil(per_frame * FPS)] * shown)
    return counts


def _fit(picture: Image.Image, canvas: Canvas) -> Image.Image:
    margin = _even(canvas.width / 40)
    room_w, room_h = canvas.width - 2 * margin, canvas.screen_height - 2 * margin
    scale = min(room_w / picture.width, room_h / picture.height, MAX_UPSCALE)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    shown = picture.resize(size, Image.Resampling.LANCZOS)
    out = Image.new("RGB", (canvas.width, canvas.height), canvas.background)
    left, top = (canvas.width - size[0]) // 2, (canvas.screen_height - size[1]) // 2
    out.paste(shown, (left, top))
    # A thin frame sets a screen of the background's colour apart from it.
    edge = tuple((c + 128) // 2 for c in canvas.background)
    outline = (left - 2, top - 2, left + size[0] + 1, top + size[1] + 1)
    ImageDraw.Draw(out).rectangle(outline, outline=edge, width=2)
    return out


def _pictures(step: Step, canvas: Canvas) -> list[Image.Image]:
    with Image.open(step.picture) as image:
        whole = image.convert("RGB")
    boxes = [b for b in step.frames if _inside(b, whole.size)] or [(0, 0, *whole.size)]
    return [_fit(whole.crop((x, y, x + w, y + h)), canvas) for x, y, w, h in boxes]


def _inside(box: Box, size: tuple[int, int]) -> bool:
    x, y, w, h = box
    return w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1]


def _timestamp(frames: int) -> str:
    millis = frames * 1000 // FPS
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _cue_text(text: str) -> str:
    # A cue's text is a small markup language: &, < and > must be escaped, and
    # a blank line would end the cue.
    flat = " ".join(text.split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def captions(steps: Sequence[Step]) -> str:
    """The WebVTT track: one cue per step, for as long as its frames are shown."""
    lines = ["WEBVTT", ""]
    start = 0
    for number, (step, counts) in enumerate(zip(steps, _frame_counts(steps), strict=True), 1):
        end = start + sum(counts)
        lines += [f"step-{number}", f"{_timestamp(start)} --> {_timestamp(end)}"]
        lines += [_cue_text(step.caption), ""]
        start = end
    return "\n".join(lines)


def _ffmpeg_command(source: Path, target: Path, quality: int, keys: Sequence[float]) -> list[str]:
    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(source),
        "-vf",
        "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-tune",
        "stillimage",
        "-crf",
        str(quality),
        "-profile:v",
        "high",
        "-threads",
        "1",
        "-g",
        str(FPS * 600),
        # A still picture gains nothing from B-frames, and with them x264 shifts
        # the timestamps so that the MP4 claims a shorter video.
        "-bf",
        "0",
        # A key frame at each step, so that seeking to a step shows it at once.
        "-force_key_frames",
        ",".join(f"{t:.3f}" for t in keys),
        "-colorspace",
        "bt709",
        "-color_primaries",
        "bt709",
        "-color_trc",
        "bt709",
        "-color_range",
        "tv",
        "-an",
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-movflags",
        "+faststart",
        "-y",
        str(target),
    ]


def _listing(pictures: Sequence[tuple[str, int]]) -> str:
    """ffmpeg's concat list: each picture file shown for its count of 1/FPS seconds.

    A picture's frame lasts until the next one's; the last frame would last one
    image frame of the demuxer (1/25 s by default, 1/FPS with the framerate
    option), so the last picture comes twice: for all but its final second, then
    for that second, which ends the video exactly at the end of its captions.
    """
    lines = ["ffconcat version 1.0"]
    *before, (last, count) = pictures
    shown = [*before, (last, count - 1)] if count > 1 else list(before)
    for name, frames in shown:
        lines += [f"file '{name}'", f"option framerate {FPS}", f"duration {frames / FPS:.6f}"]
    lines += [f"file '{last}'", f"option framerate {FPS}"]
    return "\n".join(lines) + "\n"


def encode(steps: Sequence[Step], canvas: Canvas, max_bytes: int = MAX_BYTES) -> Walkthrough:
    """The walkthrough of these steps: a video at most max_bytes long, and its captions.

    Raises ValueError when no quality setting fits the steps into max_bytes.
    """
    if not steps:
        raise ValueError("a walkthrough needs at least one step")
    counts = _frame_counts(steps)
    total = sum(sum(c) for c in counts)
    keys, at = [], 0
    for step_counts in counts:
        keys.append(at / FPS)
        at += sum(step_counts)
    with tempfile.TemporaryDirectory(prefix="guidegen-walk-") as folder:
        work = Path(folder)
        entries = []
        index = 0
        for step, step_counts in zip(steps, counts, strict=True):
            for picture, count in zip(_pictures(step, canvas), step_counts, strict=True):
                name = work / f"{index:04d}.ppm"
                picture.save(name)
                entries.append((name.name, count))
                index += 1
        listing = work / "frames.ffconcat"
        listing.write_text(_listing(entries), "utf-8")
        target = work / "walkthrough.mp4"
        for quality in QUALITIES:
            command = _ffmpeg_command(listing, target, quality, keys)
            result = childprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise RuntimeError(
                    f"ffmpeg failed to encode a walkthrough: {result.stderr.strip()}"
                )
            video = target.read_bytes()
            if len(video) <= max_bytes:
                return Walkthrough(video, captions(steps), canvas.width, canvas.height, total / FPS)
    raise ValueError(f"the walkthrough does not fit in {max_bytes} bytes at any quality")


@cache
def _ffmpeg_version() -> str:
    """The encoder's version (asked once per process: it runs ffmpeg)."""
    return str(imageio_ffmpeg.get_ffmpeg_version())


def cache_key(steps: Sequence[Step], canvas: Canvas, max_bytes: int = MAX_BYTES) -> str:
    """A hash of everything the video depends on, the encoder's version included.

    Captions are not in the video, only their timing: an edit of a step's text
    that keeps its timing needs no new encoding (which matters to the preview).
    """
    recipe = {
        "version": VERSION,
        "ffmpeg": _ffmpeg_version(),
        "fps": FPS,
        "qualities": QUALITIES,
        "max_bytes": max_bytes,
        "canvas": asdict(canvas),
        "steps": [
            {
                "png": s.digest,
                "frames": [list(b) for b in s.frames],
                "counts": counts,
            }
            for s, counts in zip(steps, _frame_counts(steps), strict=True)
        ],
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def encode_cached(
    cache: Path, steps: Sequence[Step], canvas: Canvas, max_bytes: int = MAX_BYTES
) -> tuple[Path, bool]:
    """encode(), but a video made before from the same inputs is taken from cache.

    Returns the cached video's path and whether it was encoded now. Its captions
    are captions(steps): they are not in the video.
    """
    path = cache / f"{cache_key(steps, canvas, max_bytes)}.mp4"
    if path.is_file():
        return path, False
    write_atomic(path, encode(steps, canvas, max_bytes).video)
    return path, True
