"""One writer at a time for a project's screenshots.

capture, redraw and merge hold an exclusive lock on
``.guidegen/screenshots.lock`` while they read and write the screenshots and
the manifest. A second run waits, saying which process it waits for; the
lock goes with the process that held it, however that process ends.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import Config
from ..files import remove_leftovers
from ..safepath import WRITE_FIX, UnsafePath, own_folder, shown, within


def lock_path(config: Config) -> Path:
    return config.root / ".guidegen" / "screenshots.lock"


@contextmanager
def screenshots_lock(config: Config) -> Iterator[None]:
    """Hold the screenshots' lock, waiting for it if another run has it; then clear
    what a killed run left half-written."""
    # Imported here, not at the top: the CLI imports this module, and every
    # command but the ones that write screenshots runs where fcntl is missing
    # (Windows). Not filelock: it truncates the lock file when it opens it, and
    # the file holds the holder's pid that a waiting run names.
    import fcntl

    path = lock_path(config)
    # The lock file is truncated, the leftovers of the screenshots deleted, the
    # caches written: none of it through a link a pull request put there.
    own_folder(config.root, config.root / ".guidegen" / "cache")
    if path.is_symlink():
        raise UnsafePath(f"{shown(path)}: a symlink; {WRITE_FIX}")
    within(config.root, config.path("screenshots_dir"), WRITE_FIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            print(
                f"guidegen: waiting for pid {holder}, which holds {path}; "
                "it is capturing or redrawing screenshots in this project",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        try:
            # Unbuffered: on a full disk the error names the file here, and
            # closing the file has nothing left to write.
            os.write(handle.fileno(), f"{os.getpid()}\n".encode())
        except OSError as error:
            raise OSError(error.errno, error.strerror, str(path)) from None
        try:
            remove_leftovers(config.path("screenshots_dir"))
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
