"""What is remembered of files by their stat: digests, picture sizes and whole folders."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

from PIL import Image

from guidegen.capture.digests import SETTLED_NS, Digests, WholeFolders
from guidegen.files import publish_entry


def webp(colour: tuple[int, int, int], size: tuple[int, int] = (8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="WEBP", lossless=True)
    return out.getvalue()


def aged(path: Path, data: bytes, seconds: int = 60) -> None:
    """Write data, dated as if written a while ago (settled)."""
    path.write_bytes(data)
    then = os.stat(path).st_mtime_ns - seconds * 1_000_000_000
    os.utime(path, ns=(then, then))


def new(path: Path, data: bytes) -> None:
    """Write data, dated a minute ahead: too new to trust however long the test
    then takes on a loaded machine (its age, now minus its time, stays negative)."""
    path.write_bytes(data)
    ahead = os.stat(path).st_mtime_ns + 60 * 1_000_000_000
    os.utime(path, ns=(ahead, ahead))


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    picture, record = tmp_path / "a.webp", tmp_path / "digests.json"
    red = webp((255, 0, 0))
    aged(picture, red)
    first = Digests(record).picture(picture)
    assert first.digest == hashlib.sha256(red).hexdigest() and first.size == (8, 6)
    digests = Digests(record)
    digests.picture(picture)
    digests.save()
    # Other bytes under the same size, time and inode: the record answers, unread.
    stat = picture.stat()
    blue = webp((0, 0, 255))
    assert len(blue) == len(red)
    with picture.open("r+b") as file:
        file.write(blue)
    os.utime(picture, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Digests(record).picture(picture).digest == first.digest
    # Any change of time (what every write makes) reads it again.
    os.utime(picture, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert Digests(record).picture(picture).digest == hashlib.sha256(blue).hexdigest()


def test_a_run_looks_at_a_picture_once(tmp_path: Path) -> None:
    picture = tmp_path / "a.webp"
    aged(picture, webp((1, 1, 1)))
    digests = Digests(tmp_path / "digests.json")
    first = digests.picture(picture)
    aged(picture, webp((2, 2, 2), (9, 9)))
    assert digests.picture(picture) == first
    assert Digests(tmp_path / "digests.json").picture(picture).size == (9, 9)


def test_a_file_too_new_to_trust_its_time_is_not_remembered(tmp_path: Path) -> None:
    picture, record = tmp_path / "a.webp", tmp_path / "digests.json"
    new(picture, webp((1, 2, 3)))
    digests = Digests(record)
    digests.picture(picture)
    digests.save()
    assert not record.exists()
    assert SETTLED_NS >= 1_000_000_000


def test_a_damaged_picture_has_no_size_and_a_bad_record_is_ignored(tmp_path: Path) -> None:
    picture, record = tmp_path / "a.webp", tmp_path / "digests.json"
    aged(picture, webp((9, 9, 9))[:20])
    record.write_text('{"x": [1, 2], "y": "z"', "utf-8")
    digests = Digests(record)
    assert digests.picture(picture).size is None
    digests.save()
    assert Digests(record).picture(picture).size is None


def test_the_record_keeps_only_the_files_of_its_last_run(tmp_path: Path) -> None:
    record = tmp_path / "digests.json"
    one, two = tmp_path / "1.webp", tmp_path / "2.webp"
    aged(one, webp((1, 1, 1)))
    aged(two, webp((2, 2, 2)))
    digests = Digests(record)
    digests.picture(one)
    digests.picture(two)
    digests.save()
    assert str(two) in record.read_text("utf-8")
    digests = Digests(record)
    digests.picture(one)
    digests.save()
    assert str(one) in record.read_text("utf-8") and str(two) not in record.read_text("utf-8")


KEEP = frozenset({"steps", "id", "marks", "number"})


def test_a_json_file_is_kept_in_part_and_not_read_again_until_it_changes(
    tmp_path: Path,
) -> None:
    frames, record = tmp_path / "frames.json", tmp_path / "digests.json"
    value = {
        "steps": [{"id": "a", "marks": [{"number": 1, "box": [1, 2, 3, 4]}], "text": [[5]]}],
        "elements": [[1, 2, 3, 4]],
    }
    aged(frames, json.dumps(value).encode())
    kept = {"steps": [{"id": "a", "marks": [{"number": 1}]}]}
    digests = Digests(record)
    assert digests.parsed(frames, KEEP) == kept
    digests.save()
    # Other bytes under the same size, time and inode: the record answers, unread.
    stat = frames.stat()
    other = json.dumps(value).replace('"a"', '"b"').encode()
    with frames.open("r+b") as file:
        file.write(other)
    os.utime(frames, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Digests(record).parsed(frames, KEEP) == kept
    # Asked for other keys, or after any change of time, it is read again.
    wider = Digests(record).parsed(frames, KEEP | {"text"})
    assert wider["steps"][0]["id"] == "b" and wider["steps"][0]["text"] == [[5]]
    os.utime(frames, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert Digests(record).parsed(frames, KEEP)["steps"][0]["id"] == "b"


def test_a_json_file_too_new_to_trust_is_read_once_per_run_and_not_remembered(
    tmp_path: Path,
) -> None:
    frames, record = tmp_path / "frames.json", tmp_path / "digests.json"
    new(frames, b'{"steps": []}')
    digests = Digests(record)
    assert digests.parsed(frames, KEEP) == {"steps": []}
    stat = frames.stat()
    frames.write_text('{"steps":[1]}', "utf-8")  # as long, and dated as before
    os.utime(frames, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert digests.parsed(frames, KEEP) == {"steps": []}
    digests.save()
    assert Digests(record).parsed(frames, KEEP) == {"steps": [1]}


def test_a_whole_folder_is_known_until_a_file_in_it_changes(tmp_path: Path) -> None:
    folder, record = tmp_path / "job", tmp_path / "whole.json"
    (folder / "raw").mkdir(parents=True)
    aged(folder / "frames.json", b"{}")
    aged(folder / "raw" / "a-1.webp", webp((5, 5, 5)))
    whole = WholeFolders(record)
    assert not whole.unchanged(folder)
    whole.found_whole(folder, ["frames.json", "raw/a-1.webp"])
    whole.save()
    assert WholeFolders(record).unchanged(folder)
    (folder / "raw" / "a-1.webp").write_bytes(b"cut")
    assert not WholeFolders(record).unchanged(folder)
    (folder / "raw" / "a-1.webp").unlink()
    (folder / "raw" / "a-1.webp").symlink_to(folder / "frames.json")
    assert not WholeFolders(record).unchanged(folder), "a symlink is never taken as whole"


def test_a_folder_with_new_files_is_not_remembered_as_whole(tmp_path: Path) -> None:
    folder, record = tmp_path / "job", tmp_path / "whole.json"
    folder.mkdir()
    new(folder / "frames.json", b"{}")
    whole = WholeFolders(record)
    whole.found_whole(folder, ["frames.json"])
    whole.save()
    assert not WholeFolders(record).unchanged(folder)


def test_an_entry_is_published_as_a_link_once(tmp_path: Path) -> None:
    entry, target = tmp_path / "cache" / "e.webp", tmp_path / "docs" / "a" / "t.webp"
    entry.parent.mkdir()
    entry.write_bytes(b"picture")
    assert publish_entry(entry, target)
    assert target.read_bytes() == b"picture" and os.path.samefile(entry, target)
    assert not publish_entry(entry, target), "already that file: nothing to do"
    other = tmp_path / "cache" / "f.webp"
    other.write_bytes(b"another")
    assert publish_entry(other, target) and target.read_bytes() == b"another"
    assert entry.read_bytes() == b"picture", "replacing a target never writes into an entry"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_without_hard_links_an_entry_is_copied(tmp_path: Path, monkeypatch) -> None:
    def refuse(*_: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    entry, target = tmp_path / "e.webp", tmp_path / "docs" / "t.webp"
    entry.write_bytes(b"picture")
    assert publish_entry(entry, target)
    assert target.read_bytes() == b"picture" and not os.path.samefile(entry, target)
    assert not publish_entry(entry, target), "the same bytes: nothing written"
