"""The screenshot report (report): results.json, the summaries, and merging shards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidegen.capture.report import (
    Item,
    Results,
    merge,
    read_results,
    summary_html,
    summary_markdown,
    write_images,
    write_report,
)
from guidegen.safepath import BadFile, UnsafePath

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8
WEBP = b"RIFF\x10\0\0\0WEBPVP8L" + b"\0" * 8


def shard(folder: Path, *items: Item, failures: tuple[str, ...] = ()) -> Path:
    for item in items:
        for name in (item.before, item.after, item.diff):
            if name:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(name.encode())
    write_report(folder, Results(items, {item.key: "print" for item in items}, failures))
    return folder


def test_images_are_named_for_their_step_kind_and_format(tmp_path: Path) -> None:
    names = write_images(tmp_path, "en/web/g/step-1", {"before": WEBP, "diff": PNG, "after": b""})
    assert names == {
        "before": "images/en__web__g__step-1.before.webp",
        "diff": "images/en__web__g__step-1.diff.png",
    }
    assert (tmp_path / names["diff"]).read_bytes() == PNG


def test_a_written_report_reads_back_sorted_by_status_then_key(tmp_path: Path) -> None:
    items = (
        Item("en/web/b/step-1", "unchanged"),
        Item("en/web/a/step-1", "changed", 5, 100, "images/a.before.webp", "images/a.after.webp"),
        Item("en/web/c/step-1", "new", after="images/c.after.webp"),
    )
    folder = shard(tmp_path, *items, failures=("g › step 1 › web/en: no element",))
    results = read_results(folder)
    keys = [i.key for i in results.items]
    assert keys == ["en/web/a/step-1", "en/web/c/step-1", "en/web/b/step-1"]
    assert results.failures == ("g › step 1 › web/en: no element",)
    assert results.dirty
    assert not Results((Item("k", "unchanged"),)).dirty
    summary = (folder / "summary.md").read_text()
    assert "1 changed · 1 new · 1 unchanged" in summary
    assert "- `en/web/a/step-1` 5 px (5.00%)" in summary
    assert "### 1 guide runs failed" in summary
    page = (folder / "index.html").read_text()
    assert "<img src='images/a.before.webp' alt='before: en/web/a/step-1'>" in page


def test_a_report_keeps_only_the_images_it_shows(tmp_path: Path) -> None:
    """An earlier report's pictures in the same folder go with it: a check after a
    capture that changed pictures leaves none of theirs behind."""
    shown_now = write_images(tmp_path, "en/web/a/step-1", {"before": WEBP, "after": WEBP})
    earlier = write_images(tmp_path, "en/web/b/step-1", {"diff": PNG})
    shot = write_images(tmp_path, "failed/en/web/c/1", {"screen": PNG})
    line = "c › step 1 › web/en: no element"
    items = (Item("en/web/a/step-1", "changed", 5, 100, shown_now["before"], shown_now["after"]),)
    write_report(tmp_path, Results(items, failures=(line,), shots={line: shot["screen"]}))
    kept = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "images").iterdir())
    assert kept == sorted([shown_now["before"], shown_now["after"], shot["screen"]])
    assert not (tmp_path / earlier["diff"]).exists()
    # A link in its place is refused, not followed.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.png").write_bytes(PNG)
    (tmp_path / "images" / "link.png").symlink_to(tmp_path / "elsewhere" / "keep.png")
    before = (tmp_path / "results.json").read_bytes()
    with pytest.raises(UnsafePath):
        write_report(tmp_path, Results(items))
    assert (tmp_path / "elsewhere" / "keep.png").exists()
    assert (tmp_path / "results.json").read_bytes() == before
    # So is an images folder that is a link.
    (tmp_path / "images" / "link.png").unlink()
    (tmp_path / "images").rename(tmp_path / "kept")
    (tmp_path / "images").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath):
        write_report(tmp_path, Results(items))
    assert (tmp_path / "elsewhere" / "keep.png").exists()


def test_text_from_guides_and_the_app_cannot_break_out_of_the_summaries() -> None:
    line = "g › step 1 › web/en: found '``x`` <script>alert(1)</script>'"
    results = Results(failures=(line,))
    assert "- ```g › step 1 › web/en: found '``x`` <script>" in summary_markdown(results)
    page = summary_html(results)
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("{cut", "not valid JSON"),
        ('{"items": 5}', "items must be a list"),
        ('{"items": [{"key": 1, "status": "new"}]}', "items[0].key must be a string"),
        ('{"items": [{"key": "k", "status": "odd"}]}', "items[0].status must be changed or"),
        ('{"items": [{"key": "k", "status": "new", "x": 1}]}', "items[0] must be an item"),
        ('{"items": [{"key": "k", "status": "new", "total_pixels": -1}]}', "a count"),
        ('{"items": [], "failures": [1]}', "failures must be a list of strings"),
    ],
)
def test_a_results_file_from_elsewhere_is_checked_key_by_key(
    tmp_path: Path, data: str, said: str
) -> None:
    (tmp_path / "results.json").write_text(data)
    with pytest.raises(BadFile) as refused:
        read_results(tmp_path)
    assert said in str(refused.value)
    assert str(refused.value).endswith("; pass the --report folder a guidegen capture wrote")


def test_a_results_file_cannot_point_an_image_outside_its_report(tmp_path: Path) -> None:
    item = {"key": "k", "status": "changed", "diff": "../../etc/passwd"}
    (tmp_path / "results.json").write_text(json.dumps({"items": [item]}))
    with pytest.raises(UnsafePath, match=r"items\[0\]\.diff"):
        read_results(tmp_path)


def test_shards_merge_into_one_report_with_their_images(tmp_path: Path) -> None:
    first = shard(tmp_path / "one", Item("en/web/a/s", "new", after="images/a.after.webp"))
    second = shard(
        tmp_path / "two", Item("en/web/b/s", "unchanged"), failures=("b › step 1: failed",)
    )
    merged = merge([first, second], tmp_path / "merged")
    assert [i.key for i in merged.items] == ["en/web/a/s", "en/web/b/s"]
    assert merged.manifest == {"en/web/a/s": "print", "en/web/b/s": "print"}
    assert merged.failures == ("b › step 1: failed",)
    assert read_results(tmp_path / "merged") == merged
    assert (tmp_path / "merged" / "images" / "a.after.webp").read_bytes() == b"images/a.after.webp"
