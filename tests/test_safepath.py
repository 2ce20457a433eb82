"""Paths from files a pull request can change stay in their folder (safepath)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guidegen.safepath import (
    UnsafePath,
    inside,
    link_out,
    own_folder,
    regular_files,
    tree_within,
    within,
)

SOURCE = Path("frames.json")


def test_inside_joins_a_relative_path_that_stays_in_the_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, "raw/a.webp", SOURCE, "raw", "fix") == tmp_path / "raw/a.webp"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("../x", "leads outside"),
        ("raw/../../x", "leads outside"),
        ("/etc/passwd", "leads outside"),
        (".", "leads outside"),
        ("", "must be a relative path"),
        (7, "must be a relative path"),
        (None, "must be a relative path"),
        ("a\0b", "must be a relative path"),
    ],
)
def test_inside_refuses_what_leaves_the_folder_naming_file_and_key(
    tmp_path: Path, value: object, said: str
) -> None:
    with pytest.raises(UnsafePath) as refused:
        inside(tmp_path, value, SOURCE, "steps[0].raw", "delete it")
    message = str(refused.value)
    assert message.startswith("frames.json: steps[0].raw ")
    assert said in message and message.endswith("; delete it")


def test_inside_refuses_a_link_inside_that_leads_out(tmp_path: Path) -> None:
    folder = tmp_path / "job"
    folder.mkdir()
    (folder / "raw").symlink_to(tmp_path)
    with pytest.raises(UnsafePath, match="leads outside"):
        inside(folder, "raw/secret", SOURCE, "raw", "fix")


def test_regular_files_lists_files_and_refuses_links_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.png").write_bytes(b"1")
    (tmp_path / "two.png").write_bytes(b"2")
    assert regular_files(tmp_path, "fix") == [tmp_path / "a" / "one.png", tmp_path / "two.png"]
    (tmp_path / "leak.png").symlink_to("/etc/passwd")
    with pytest.raises(UnsafePath, match=r"leak\.png: a symlink; fix"):
        regular_files(tmp_path, "fix")
    (tmp_path / "leak.png").unlink()
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(UnsafePath, match="pipe: not a regular file; fix"):
        regular_files(tmp_path, "fix")


def test_link_out_finds_the_first_link_leading_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "elsewhere"
    (root / "docs").mkdir(parents=True)
    outside.mkdir()
    (root / "docs" / "in").symlink_to(root / "docs")
    (root / "docs" / "out").symlink_to(outside)
    (root / "docs" / "gone").symlink_to(tmp_path / "nothing")
    assert link_out(root, root / "docs" / "in" / "page.md") is None
    assert link_out(root, root / "docs" / "out" / "page.md") == (
        root / "docs" / "out",
        str(outside),
    )
    assert link_out(root, root / "docs" / "gone") == (root / "docs" / "gone", "nowhere that exists")
    assert link_out(root, root / "not" / "there") is None


def test_the_root_itself_may_be_reached_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "real" / "steps").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    assert within(tmp_path / "linked", tmp_path / "linked" / "steps") == (
        tmp_path / "linked" / "steps"
    )


def test_within_names_the_link_where_it_leads_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "steps").symlink_to("/etc")
    monkeypatch.chdir(tmp_path / "project")
    with pytest.raises(UnsafePath) as refused:
        within(tmp_path / "project", tmp_path / "project" / "steps" / "a.yml", "the fix")
    assert str(refused.value) == "steps: a symlink to /etc, outside the project folder; the fix"


def test_own_folder_refuses_a_link_even_inside_and_a_file_in_its_place(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "cache").symlink_to(tmp_path / "real")
    with pytest.raises(UnsafePath, match="a symlink to"):
        own_folder(tmp_path, tmp_path / "cache")
    (tmp_path / "out").write_text("x")
    with pytest.raises(UnsafePath, match="a file where guidegen writes a folder"):
        own_folder(tmp_path, tmp_path / "out")
    assert own_folder(tmp_path, tmp_path / "real") == tmp_path / "real"
    assert own_folder(tmp_path, tmp_path / "new") == tmp_path / "new"


def test_tree_within_follows_links_inside_once_and_refuses_one_deep_down_leading_out(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    (docs / "a" / "b").mkdir(parents=True)
    (docs / "a" / "loop").symlink_to(docs)  # followed once, not for ever
    assert tree_within(tmp_path, docs) == docs
    (docs / "a" / "b" / "out").symlink_to("/etc")
    with pytest.raises(UnsafePath, match=r"out: a symlink to /etc"):
        tree_within(tmp_path, docs)
