"""Removing what a run no longer makes."""

from __future__ import annotations

from pathlib import Path

from guidegen.files import remove_stale


def test_stale_files_and_the_folders_they_leave_empty_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "assets"
    kept = folder / "ios" / "demo" / "one.webp"
    gone = [folder / "ios" / "demo" / "old.webp", folder / "web" / "gone" / "two.webp"]
    for path in [kept, *gone]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    outside = tmp_path / "elsewhere.webp"
    outside.write_bytes(b"x")
    (folder / "link").symlink_to(tmp_path)
    remove_stale(folder, {kept})
    assert kept.is_file() and not any(path.exists() for path in gone)
    assert not (folder / "web").exists(), "a folder left empty goes too"
    assert outside.is_file(), "a symlinked folder is not followed"
    remove_stale(tmp_path / "missing", set())
