"""Paths and data taken from files the project does not control.

frames.json, the manifest and a shard's results.json can come from a pull
request. A path read from one is joined to its folder, resolved (symlinks
too) and refused unless it stays inside; the refusal names the file and the
key, so a crafted file can neither read nor write nor delete anything else.

A pull request can also add symlinks. Every folder guidegen reads, writes or
cleans is checked here before use: a link on the way to it that leads out of
its folder is refused naming the link, and a folder guidegen fills and cleans
may not be a link at all. The walks that clean or publish never follow one.
"""

from __future__ import annotations

import os
from pathlib import Path


class BadFile(Exception):
    """A file guidegen cannot use: one line naming the file, the key and the fix (exit 2)."""


class UnsafePath(BadFile):
    """A path in a file points outside the folder it belongs to."""


def shown(path: Path) -> str:
    """A path as a user reads it: relative to the working folder when inside it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def inside(folder: Path, value: object, source: Path, key: str, fix: str) -> Path:
    """folder / value, when value is a relative path that stays inside folder."""
    if not isinstance(value, str) or not value or "\0" in value:
        raise UnsafePath(
            f"{shown(source)}: {key} must be a relative path, not {value!r:.60}; {fix}"
        )
    base = folder.resolve()
    target = (base / value).resolve()
    if target == base or not target.is_relative_to(base):
        raise UnsafePath(
            f"{shown(source)}: {key} {value!r:.60} leads outside {shown(folder)}; {fix}"
        )
    return folder / value


def regular_files(folder: Path, fix: str) -> list[Path]:
    """Every file under folder, refusing a symlink or a special file (without reading it)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            raise UnsafePath(f"{shown(path)}: a symlink; {fix}")
        if path.is_file():
            found.append(path)
        elif not path.is_dir():
            raise UnsafePath(f"{shown(path)}: not a regular file; {fix}")
    return found


WRITE_FIX = "guidegen writes and deletes files there; delete the link and run again"
READ_FIX = "guidegen reads only files inside the project; put the files themselves there"


def link_out(root: Path, path: Path) -> tuple[Path, str] | None:
    """The first symlink on the way from root down to path (path included) that
    leads outside root, and where it leads; None when there is none. A path not
    below root has only its own name checked.

    root itself may be reached through a link (where a project lives is its
    user's choice); below it, a link out is a pull request reaching for a file
    that is not the project's."""
    root, path = Path(os.path.abspath(root)), Path(os.path.abspath(path))
    if not path.is_relative_to(root):
        root = path.parent
    base = root.resolve()
    step = root
    for part in path.relative_to(root).parts:
        step = step / part
        if not step.is_symlink():
            if not step.exists():
                return None  # nothing further down is there to follow
            continue
        try:
            target = step.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling, or a loop
            return step, "nowhere that exists"
        if not target.is_relative_to(base):
            return step, str(target)
    return None


def _place(root: Path) -> str:
    name = shown(root)
    return "the project folder" if name == "." else name


def within(root: Path, path: Path, fix: str = READ_FIX) -> Path:
    """path, refused (UnsafePath naming the link) when a symlink on its way down
    from root leads outside root."""
    found = link_out(root, path)
    if found is not None:
        link, target = found
        raise UnsafePath(f"{shown(link)}: a symlink to {target}, outside {_place(root)}; {fix}")
    return path


def own_folder(root: Path, folder: Path, fix: str = WRITE_FIX) -> Path:
    """A folder guidegen fills and cleans: within root, and no symlink itself,
    since cleaning through a link deletes whatever it points at."""
    within(root, folder, fix)
    if folder.is_symlink():
        raise UnsafePath(f"{shown(folder)}: a symlink to {os.readlink(folder)}; {fix}")
    if folder.exists() and not folder.is_dir():
        raise UnsafePath(f"{shown(folder)}: a file where guidegen writes a folder; move it away")
    return folder


def tree_within(root: Path, folder: Path, fix: str = READ_FIX) -> Path:
    """folder, refused when it or any symlink below it leads outside root. Links
    that stay inside are followed, as a site engine follows them, each real
    folder once."""
    within(root, folder, fix)
    seen: set[str] = set()
    todo = [os.fspath(folder)] if folder.is_dir() else []
    while todo:
        current = todo.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_symlink():
                    within(root, Path(entry.path), fix)
                if entry.is_dir():
                    todo.append(entry.path)
    return folder
