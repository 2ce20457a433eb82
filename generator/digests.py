"""Content hashes and picture sizes of files, remembered by each file's size,
modification time and inode.

Render keys its caches by the hash of every committed picture it publishes, and
cuts frames by each picture's size. A thousand guides hold gigabytes of
pictures, so reading them all on every run would cost more than the rest of
render. Like git's index, a file whose size, time and inode are those seen when
it was read is not read again. A file changed within the clock's resolution of
its reading could keep its size and time, so what is read of a file that new
is not remembered.

The record lives in the project's cache folder (never committed); a record that
cannot be read counts as empty, since it only saves work. It keeps the files
asked about in the run that saves it (render asks about every picture), so
it does not grow with files long gone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

from PIL import Image

from generator.files import write_atomic

# A file younger than this when read may still change without its time doing so.
SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class Known:
    digest: str  # sha256 of the bytes, hex
    size: tuple[int, int] | None  # width and height in pixels; None when not a picture


class Digests:
    """What is known of files by their content, read again only when they change."""

    def __init__(self, record: Path) -> None:
        self._record = record
        self._known: dict[str, list[Any]] = _read(record, _entry)
        self._used: set[str] = set()
        self._parsed: dict[Path, Any] = {}
        self._changed = False

    def picture(self, path: Path, stat: os.stat_result | None = None) -> Known:
        """The file's digest and, when it opens as a picture, its size; `stat`,
        when the caller has it already, saves a system call. OSError when the
        file cannot be read."""
        stat = stat or path.stat()
        key = os.fsdecode(os.path.abspath(path))
        seen = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        self._used.add(key)
        entry = self._known.get(key)
        if entry is not None and entry[:3] == seen:
            width, height = entry[4], entry[5]
            size = (width, height) if isinstance(width, int) and isinstance(height, int) else None
            return Known(str(entry[3]), size)
        data = path.read_bytes()
        known = Known(hashlib.sha256(data).hexdigest(), _size(data))
        if time.time_ns() - stat.st_mtime_ns > SETTLED_NS:
            width, height = known.size or (None, None)
            self._known[key] = [*seen, known.digest, width, height]
            self._changed = True
        return known

    def parsed(self, path: Path) -> Any:
        """A JSON file's value, read once per run (several stages read the same
        frames.json). OSError or ValueError as json.loads raises them."""
        if path not in self._parsed:
            self._parsed[path] = json.loads(path.read_bytes())
        return self._parsed[path]

    def save(self) -> None:
        """Write the record of the files asked about, if it changed (of two runs
        at once, the last wins)."""
        kept = {k: v for k, v in self._known.items() if k in self._used}
        if self._changed or len(kept) < len(self._known):
            write_atomic(self._record, json.dumps(kept, separators=(",", ":")).encode())
            self._known, self._changed = kept, False


def _read(record: Path, valid: Callable[[object], bool]) -> dict[str, list[Any]]:
    """A record's entries that have the expected shape; none when it cannot be read."""
    try:
        data = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if valid(v)} if isinstance(data, dict) else {}


def _entry(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 6
        and all(isinstance(v, int) for v in value[:3])
        and isinstance(value[3], str)
    )


def _size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.size
    except Exception:  # Pillow raises many kinds for a damaged file
        return None


class WholeFolders:
    """Folders whose files were all found whole, remembered by each file's size,
    time and inode: a folder none of whose files changed since is whole still,
    without a byte read. Only regular files count (a symlink never matches)."""

    def __init__(self, record: Path) -> None:
        self._record = record
        self._known: dict[str, list[Any]] = _read(record, _listing)
        self._changed = False

    def unchanged(self, folder: Path) -> bool:
        """Whether folder was found whole and none of its files changed since."""
        entry = self._known.get(os.fsdecode(os.path.abspath(folder)))
        if entry is None:
            return False
        names, seen = entry
        return _stats(folder, names) == seen

    def found_whole(self, folder: Path, names: list[str]) -> None:
        """Remember that these files of folder (relative names) were found whole."""
        seen = _stats(folder, names)
        now = time.time_ns()
        if seen is not None and all(now - int(s[1]) > SETTLED_NS for s in seen):
            self._known[os.fsdecode(os.path.abspath(folder))] = [list(names), seen]
            self._changed = True

    def save(self) -> None:
        """Write the record if something was added, without folders that are gone."""
        if self._changed:
            kept = {k: v for k, v in self._known.items() if os.path.isdir(k)}
            write_atomic(self._record, json.dumps(kept, separators=(",", ":")).encode())
            self._known, self._changed = kept, False


def _listing(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], list)
        and all(isinstance(n, str) for n in value[0])
        and isinstance(value[1], list)
    )


def _stats(folder: Path, names: list[str]) -> list[list[int]] | None:
    base = os.fsdecode(folder)
    found = []
    for name in names:
        try:
            stat = os.stat(os.path.join(base, name), follow_symlinks=False)
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            return None
        found.append([stat.st_size, stat.st_mtime_ns, stat.st_ino])
    return found
