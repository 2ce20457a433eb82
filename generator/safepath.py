"""Paths and data taken from files the project does not control.

frames.json, the manifest and a shard's results.json can come from a pull
request. A path read from one is joined to its folder, resolved (symlinks
too) and refused unless it stays inside; the refusal names the file and the
key, so a crafted file can neither read nor write nor delete anything else.
"""

from __future__ import annotations

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
