"""Site images: frames cut from step pictures, WebP widths, dark pictures, the figure HTML."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path, PurePath

import pytest
from PIL import Image

from guidegen.capture.annotate import GAP_CSS
from guidegen.capture.digests import Digests
from guidegen.capture.frames import Box
from guidegen.config import Config
from guidegen.guide.model import Guide, steps_for
from guidegen.site import images as site_images
from guidegen.site.figure import directory_urls, figure, page_prefix
from guidegen.site.images import (
    NARROW_LIMIT,
    NARROW_MAX,
    NARROW_MIN,
    PictureError,
    narrow_crop,
    site_pictures,
    widths,
)
from guidegen.site.render import alt_text
from tests.conftest import ROOT

GAP = GAP_CSS * 3


def guide(platforms: list[str]) -> Guide:
    return Guide.model_validate(
        {
            "id": "demo",
            "title": {"ja": "デモ", "en": "Demo"},
            "summary": {"ja": "概要", "en": "Summary"},
            "platforms": platforms,
            "steps": [{"id": "two", "text": {"ja": "①と②", "en": "① and ②"}}],
        }
    )


def two_frames(
    colours: tuple[str, str], side_by_side: bool = True, frame: tuple[int, int] = (390, 660)
) -> tuple[Image.Image, list[Image.Image]]:
    """A step picture as annotate.compose lays out two screens (by default
    130x220 CSS px at 3x), and the raw frames it was made from."""
    raws = [Image.new("RGB", frame, colour) for colour in colours]
    if side_by_side:
        image = Image.new("RGB", (2 * frame[0] + GAP, frame[1]), "grey")
        image.paste(raws[1], (frame[0] + GAP, 0))
    else:
        image = Image.new("RGB", (frame[0], 2 * frame[1] + GAP), "grey")
        image.paste(raws[1], (0, frame[1] + GAP))
    image.paste(raws[0], (0, 0))
    return image, raws


def write_job(
    folder: Path,
    picture: Image.Image | tuple[Image.Image, list[Image.Image]],
    frames: list[dict],
    scale: float = 3.0,
) -> None:
    image, raws = picture if isinstance(picture, tuple) else (picture, [])
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    image.save(folder / "two.webp", lossless=True)
    for number, raw in enumerate(raws, start=1):
        raw.save(folder / "raw" / f"two-{number}.webp", lossless=True)
    steps = [{"id": "two", "number": 1, "frames": frames}]
    (folder / "frames.json").write_text(json.dumps({"scale": scale, "steps": steps}))


def frames_meta(*marks: int) -> list[dict]:
    return [
        {"raw": f"raw/two-{m}.webp", "marks": [{"number": m, "box": [0, 0, 9, 9]}]} for m in marks
    ]


def colour(path: Path) -> tuple[int, ...]:
    with Image.open(path) as image:
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def near(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(abs(x - y) < 12 for x, y in zip(a, b, strict=True))


def test_older_captures_are_cut_into_their_frames_by_the_composition_geometry(tmp_path):
    config = Config(root=tmp_path, languages=("en",))
    job = tmp_path / "screenshots/en/ios/demo"
    write_job(job, two_frames(("red", "blue")), frames_meta(1, 2))
    pictures, written = site_pictures(
        config, [guide(["ios"])], "en", Digests(config.root / "digests.json")
    )
    picture = pictures[("ios", "demo", "two")]
    assert picture.side_by_side and picture.dark == ()
    first, second = picture.light
    assert (first.css_width, first.css_height, first.marks) == (130, 220, (1,))
    assert second.marks == (2,)
    # 0.75x, 1x, 1.5x and 2x of the CSS width; the 3x capture is never served whole.
    assert [v.width for v in first.variants] == [98, 130, 195, 260]
    docs = tmp_path / "docs/en"
    assert near(colour(docs / first.variants[-1].name), (255, 0, 0))
    assert near(colour(docs / second.variants[0].name), (0, 0, 255))
    assert {docs / v.name for f in picture.light for v in f.variants} == written


def test_web_frames_stack_and_a_recorded_at_rect_wins(tmp_path):
    config = Config(root=tmp_path, languages=("en",))
    job = tmp_path / "screenshots/en/web/demo"
    image = Image.new("RGB", (1280, 900), "white")
    image.paste(Image.new("RGB", (600, 400), "green"), (10, 20))
    frames = frames_meta(1, 2)
    frames[0] |= {"at": [10, 20, 600, 400], "crop": [100, 50, 600, 400]}
    frames[1] |= {"at": [0, 450, 1280, 450]}
    write_job(job, image, frames, scale=1.0)
    pictures, _ = site_pictures(
        config, [guide(["web"])], "en", Digests(config.root / "digests.json")
    )
    first, second = pictures[("web", "demo", "two")].light
    assert (first.css_width, first.css_height) == (600, 400)
    assert [v.width for v in first.variants] == [450, 600]  # no upscaling past the capture
    assert (second.css_width, second.css_height) == (1280, 450)
    assert near(colour(tmp_path / "docs/en" / first.variants[-1].name), (0, 128, 0))


def test_stacked_web_frames_without_at_are_split(tmp_path):
    config = Config(root=tmp_path, languages=("en",))
    picture = two_frames(("red", "blue"), side_by_side=False, frame=(1280, 800))
    write_job(tmp_path / "screenshots/en/web/demo", picture, frames_meta(1, 2), scale=1.0)
    pictures, _ = site_pictures(
        config, [guide(["web"])], "en", Digests(config.root / "digests.json")
    )
    first, second = pictures[("web", "demo", "two")].light
    assert [(f.css_width, f.css_height) for f in (first, second)] == [(1280, 800), (1280, 800)]
    assert near(colour(tmp_path / "docs/en" / second.variants[0].name), (0, 0, 255))


def test_without_raw_frames_an_older_picture_is_shown_whole(tmp_path):
    config = Config(root=tmp_path, languages=("en",))
    job = tmp_path / "screenshots/en/ios/demo"
    write_job(job, two_frames(("red", "blue"))[0], frames_meta(1, 2))
    pictures, _ = site_pictures(
        config, [guide(["ios"])], "en", Digests(config.root / "digests.json")
    )
    (whole,) = pictures[("ios", "demo", "two")].light
    assert (whole.css_width, whole.css_height) == ((2 * 390 + GAP) / 3, 220)


def test_dark_pictures_come_from_the_dark_job_folder(tmp_path):
    config = Config(root=tmp_path, languages=("en",), color_schemes=("light", "dark"))
    job = tmp_path / "screenshots/en/ios/demo"
    write_job(job, two_frames(("white", "white")), frames_meta(1, 2))
    write_job(job / "dark", two_frames(("black", "black")), frames_meta(1, 2))
    pictures, _ = site_pictures(
        config, [guide(["ios"])], "en", Digests(config.root / "digests.json")
    )
    picture = pictures[("ios", "demo", "two")]
    assert picture.dark[0].variants[0].name == "assets/screenshots/ios/demo/dark/two.1.98.webp"
    assert near(colour(tmp_path / "docs/en" / picture.dark[1].variants[0].name), (0, 0, 0))
    html = figure(picture, ["a", "b"], "../../")
    assert html.count("data-gg-dark-srcset=") == 2
    assert 'data-gg-dark-href="../../assets/screenshots/ios/demo/dark/two.1.260.webp"' in html


def test_a_light_only_picture_has_no_dark_attributes(tmp_path):
    config = Config(root=tmp_path, languages=("en",))
    job = tmp_path / "screenshots/en/ios/demo"
    write_job(job, two_frames(("red", "blue")), frames_meta(1, 2))
    # Left from a time the project captured dark: not shown once it no longer does.
    write_job(job / "dark", two_frames(("black", "black")), frames_meta(1, 2))
    pictures, _ = site_pictures(
        config, [guide(["ios"])], "en", Digests(config.root / "digests.json")
    )
    html = figure(pictures[("ios", "demo", "two")], ["first", "second"], "../")
    assert "data-gg-dark" not in html
    assert html.count('<span class="gg-next" aria-hidden="true"></span>') == 1
    assert 'class="gg-shots gg-shots--row gg-shots--n2"' in html
    assert 'src="../assets/screenshots/ios/demo/two.1.130.webp"' in html  # 1x without srcset


def test_encodings_are_cached_by_content(tmp_path):
    config = Config(root=tmp_path, languages=("en",))
    write_job(tmp_path / "screenshots/en/ios/demo", two_frames(("red", "blue")), frames_meta(1, 2))
    _, written = site_pictures(
        config, [guide(["ios"])], "en", Digests(config.root / "digests.json")
    )
    cache = tmp_path / ".guidegen/cache/site"
    entries = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(entries) == 8
    for path in written:
        path.unlink()
    site_pictures(config, [guide(["ios"])], "en", Digests(config.root / "digests.json"))
    assert all(path.is_file() for path in written)
    # Served again from the cache: no entry was written anew.
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == entries
    # A damaged entry is not served: it is encoded again.
    damaged = sorted(cache.iterdir())[0]
    damaged.write_bytes(b"damaged")
    site_pictures(config, [guide(["ios"])], "en", Digests(config.root / "digests.json"))
    assert all(path.read_bytes() != b"damaged" for path in written)
    assert len(list(cache.iterdir())) == 8


def test_the_same_picture_in_two_guides_is_encoded_once(tmp_path, monkeypatch):
    config = Config(root=tmp_path, languages=("en",))
    copy = guide(["ios"]).model_copy(update={"id": "copy"})
    for name in ("demo", "copy"):
        write_job(
            tmp_path / f"screenshots/en/ios/{name}", two_frames(("red", "blue")), frames_meta(1, 2)
        )
    encoded = []
    real = site_images._encode
    monkeypatch.setattr(site_images, "_encode", lambda *a: encoded.append(a[1:]) or real(*a))
    _, written = site_pictures(
        config, [guide(["ios"]), copy], "en", Digests(config.root / "digests.json")
    )
    assert len(written) == 16 and len(encoded) == 8
    for path in written:
        twin = Path(str(path).replace("/demo/", "/copy/"))
        assert os.path.samefile(path, twin), "both are links to the one cache entry"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda meta: meta.update(scale="x"), "'scale' must be a positive number"),
        (lambda meta: meta["steps"][0]["frames"][0].update(at=[0, 0, 5]), ".at: expected"),
        (lambda meta: meta["steps"][0]["frames"][0].update(at=[0, 0, 9999, 9]), "outside"),
        (lambda meta: meta["steps"].append("x"), "steps[1]: expected"),
    ],
)
def test_a_broken_frames_json_names_itself_and_the_fix(tmp_path, change, message):
    config = Config(root=tmp_path, languages=("en",))
    job = tmp_path / "screenshots/en/ios/demo"
    frames = frames_meta(1, 2)
    frames[1]["at"] = [0, 0, 10, 10]
    write_job(job, two_frames(("red", "blue")), frames)
    meta = json.loads((job / "frames.json").read_text())
    change(meta)
    (job / "frames.json").write_text(json.dumps(meta))
    with pytest.raises(PictureError, match=r"frames\.json") as error:
        site_pictures(config, [guide(["ios"])], "en", Digests(config.root / "digests.json"))
    assert message in str(error.value) and "guidegen" in str(error.value)


def test_widths_follow_the_css_width_and_the_pixels_there_are():
    assert [w for w, _ in widths(390, 1170)] == [292, 390, 585, 780]
    assert [w for w, _ in widths(412, 1082)] == [309, 412, 618, 824]
    assert [w for w, _ in widths(1280, 1280)] == [960, 1280]
    assert widths(100, 50) == [(50, 80)]
    qualities = [q for _, q in widths(390, 1170)]
    assert qualities == sorted(qualities, reverse=True)  # denser, more compressed


def test_urls_are_relative_to_the_built_page(tmp_path):
    mkdocs = tmp_path / "mkdocs.yml"
    guide = PurePath("guides", "ID.md")
    assert page_prefix(guide, directory_urls(mkdocs)) == "../../"  # MkDocs' default: guides/ID/
    mkdocs.write_text("site_name: x\nuse_directory_urls: false\n")
    assert page_prefix(guide, directory_urls(mkdocs)) == "../"


def test_alt_text_says_whose_screen_what_is_done_and_where_each_mark_is():
    step = steps_for(guide(["ios"]), "ios")[0]
    config = Config(root=Path("."))
    # No step number and no label: the screen, the step's words, the marks' places.
    assert alt_text(step, config, "ios", "ja", (2, 2), [(2, 0.9, 0.1)]) == (
        "iPhoneの画面（2つのうち2つ目）。①と②。印の位置：②は右上。"
    )
    assert alt_text(step, config, "ios", "en", (1, 2), [(1, 0.5, 0.5), (2, 0.1, 0.9)]) == (
        "iPhone screen 1 of 2: ① and ②. Marks: ① in the centre, ② at the bottom left."
    )
    assert alt_text(step, config, "ios", "ja") == "iPhoneの画面。①と②"
    # Japanese: full-width punctuation, no half-width space.
    alt = alt_text(step, config, "ios", "ja", None, [(1, 0.1, 0.5)])
    assert not re.search(r"[:()]| (?=[^\x00-\x7f])", alt), alt


def test_site_images_are_webp_and_much_lighter_than_the_capture(tmp_path):
    source = ROOT / "screenshots/ja/ios/contact-seller/contact.webp"
    config = Config(root=tmp_path, languages=("ja",))
    job = tmp_path / "screenshots/ja/ios/demo"
    with Image.open(source) as image:
        write_job(job, image, frames_meta(1))
    pictures, _ = site_pictures(
        config, [guide(["ios"])], "ja", Digests(config.root / "digests.json")
    )
    frame = pictures[("ios", "demo", "two")].light[0]
    sizes = []
    for variant in frame.variants:
        data = (tmp_path / "docs/ja" / variant.name).read_bytes()
        assert Image.open(io.BytesIO(data)).format == "WEBP"
        sizes.append(len(data))
    # The capture is at twice the CSS width: the sharpest size is as wide, but
    # lossy; the size of a 1x screen has a quarter of the pixels.
    one_x = [v.width for v in frame.variants].index(frame.css_width)
    assert sizes[-1] < len(source.read_bytes()) * 0.7, sizes
    assert sizes[one_x] < len(source.read_bytes()) / 3, sizes


def test_a_desktop_frame_is_cut_for_narrow_screens_around_its_marks() -> None:
    crop = Box(0, 0, 1280, 500)
    # A button at the right: the cut is as wide as NARROW_MIN at least, around it.
    button = (Box(1000, 100, 120, 40), Box(1130, 105, 30, 30), None)
    part = narrow_crop(crop, [button], [Box(900, 60, 100, 20)])
    assert part is not None and NARROW_MIN <= part.width <= NARROW_MAX
    assert part.x <= 1000 and part.right >= 1160
    assert part.y == 60, "a text line across the top edge is taken in whole"
    # A row across the screen: from its start, with its badge.
    row = (Box(100, 300, 1080, 60), Box(70, 315, 30, 30), Box(100, 280, 1080, 100))
    part = narrow_crop(crop, [row], [])
    assert part is not None and part.width == NARROW_MAX
    assert part.x <= 70 and part.right > 100 + 300
    # Marks further apart than NARROW_MAX: all of them while NARROW_LIMIT allows.
    apart = [
        (Box(116, 188, 509, 57), Box(82, 202, 30, 30), None),
        (Box(615, 188, 77, 57), Box(615, 155, 30, 30), None),
    ]
    part = narrow_crop(crop, apart, [])
    assert part is not None and NARROW_MAX < part.width <= NARROW_LIMIT
    assert part.x <= 82 and part.right >= 692
    # Narrow enough already, or nothing marked: no second cut.
    assert narrow_crop(Box(0, 0, 500, 400), [button], []) is None
    assert narrow_crop(crop, [], []) is None


def test_a_narrow_cut_leaves_out_a_line_it_would_cut_at_its_side_above_or_below_the_marks():
    crop = Box(0, 0, 1280, 500)
    button = (Box(100, 200, 120, 40), Box(66, 205, 30, 30), None)
    above, below = Box(80, 150, 793, 21), Box(80, 262, 700, 21)
    label = Box(110, 210, 100, 20)
    part = narrow_crop(crop, [button], [above, below, label])
    assert part is not None and part.right < above.right
    assert part.y >= above.bottom and part.bottom <= below.y, part
    assert part.contains(button[0]) and part.contains(button[1]) and part.contains(label)
