"""Content hashes and picture sizes of files, remembered by each file's size,
modification time and inode.

Render keys its caches by the hash of every committed picture it publishes, and
cuts frames by each picture's size. A thousand guides hold gigabytes of
pictures, so reading them all on every run would cost more than the rest of
render. Like git's index, a file whose size, time and inode are those seen when
it was read is not read again. A file changed within the clock's resolution of
its reading could keep its size and time, so what is read of a file that new
is not remembered. The same holds for the parts of a JSON file (frames.json)
that render reads: a few hundred bytes of each file's tens of kilobytes.

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

from ..files import write_atomic

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
        data = _read(record)
        data = data if isinstance(data, dict) else {}
        self._known = _entries(data.get("pictures"), _stat_entry(6, str))
        self._used: set[str] = set()
        self._parsed = _entries(data.get("parsed"), _stat_entry(5, list))
        self._parsed_used: set[str] = set()
        self._unsettled: dict[str, list[Any]] = {}
        self._this_run: dict[str, Known] = {}
        self._changed = False

    def picture(self, path: Path, stat: os.stat_result | None = None) -> Known:
        """The file's digest and, when it opens as a picture, its size; `stat`,
        when the caller has it already, saves a system call. OSError when the
        file cannot be read. Within one run, a file asked about again gets the
        first answer, unlooked-at."""
        key = os.fsdecode(os.path.abspath(path))
        answered = self._this_run.get(key)
        if answered is not None:
            return answered
        stat = stat or path.stat()
        seen = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        self._used.add(key)
        entry = self._known.get(key)
        if entry is not None and entry[:3] == seen:
            width, height = entry[4], entry[5]
            size = (width, height) if isinstance(width, int) and isinstance(height, int) else None
            known = Known(str(entry[3]), size)
        else:
            data = path.read_bytes()
            known = Known(hashlib.sha256(data).hexdigest(), _size(data))
            if time.time_ns() - stat.st_mtime_ns > SETTLED_NS:
                width, height = known.size or (None, None)
                self._known[key] = [*seen, known.digest, width, height]
                self._changed = True
        self._this_run[key] = known
        return known

    def parsed(self, path: Path, keep: frozenset[str]) -> Any:
        """A JSON file's value with only the object keys in keep, at any depth
        (what is not kept is never looked at, so a reader that checks what it
        uses checks the whole value). OSError or ValueError as json.loads
        raises them."""
        stat = path.stat()
        key = os.fsdecode(os.path.abspath(path))
        seen = [stat.st_size, stat.st_mtime_ns, stat.st_ino, sorted(keep)]
        # A file too new to remember is still read once per run: two stages read frames.json.
        for known in (self._parsed.get(key), self._unsettled.get(key)):
            if known is not None and known[:4] == seen:
                self._parsed_used.add(key)
                return known[4]
        value = _kept(json.loads(path.read_bytes()), keep)
        if time.time_ns() - stat.st_mtime_ns > SETTLED_NS:
            self._parsed[key] = [*seen, value]
            self._parsed_used.add(key)
            self._changed = True
        else:
            self._unsettled[key] = [*seen, value]
        return value

    def save(self) -> None:
        """Write the record of the files asked about, if it changed (of two runs
        at once, the last wins)."""
        kept = {k: v for k, v in self._known.items() if k in self._used}
        parsed = {k: v for k, v in self._parsed.items() if k in self._parsed_used}
        if self._changed or len(kept) < len(self._known) or len(parsed) < len(self._parsed):
            record = {"pictures": kept, "parsed": parsed}
            write_atomic(self._record, json.dumps(record, separators=(",", ":")).encode())
            self._known, self._parsed, self._changed = kept, parsed, False


def _read(record: Path) -> Any:
    """A record's value; None when it cannot be read."""
    try:
        return json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _entries(data: Any, valid: Callable[[object], bool]) -> dict[str, list[Any]]:
    """The entries that have the expected shape."""
    return {k: v for k, v in data.items() if valid(v)} if isinstance(data, dict) else {}


def _kept(value: Any, keep: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _kept(v, keep) for k, v in value.items() if k in keep}
    if isinstance(value, list):
        return [_kept(v, keep) for v in value]
    return value


def _stat_entry(length: int, fourth: type) -> Callable[[object], bool]:
    """A check that an entry is [size, time, inode, a `fourth`, ...] of `length` items."""

    def valid(value: object) -> bool:
        return (
            isinstance(value, list)
            and len(value) == length
            and all(isinstance(v, int) for v in value[:3])
            and isinstance(value[3], fourth)
        )

    return valid


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
        self._known = _entries(_read(record), _listing)
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
