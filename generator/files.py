"""Writing files so that a reader never sees half of one.

A file is written to a temporary neighbour and renamed over the old one; a
folder (the built site) is swapped in with one rename. What a killed run
leaves behind (hidden ``.NAME.XXXX.tmp`` files, ``.site-PID-XXXX`` folders) is
ignored by git and removed by the next run.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import tempfile
import threading
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path through a temporary file and a rename.

    Returns False, touching nothing, when the file already holds exactly data,
    so unchanged outputs keep their bytes and times. An OSError names path
    (not the temporary file), so its message points at what the user knows.
    """
    temporary: str | None = None
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = _new_file(path)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno is not None:
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise
    return True


def _new_file(path: Path) -> tuple[int, str]:
    """A new hidden neighbour of path, open for writing: (its descriptor, its name).

    Made with the mode of any new file, 0666 less the umask, as the file it
    replaces would have been (mkstemp's 0600 would hide a page from a web
    server's user and a report from a CI runner's other steps).
    """
    while True:
        name = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), name
        except FileExistsError:
            continue


def publish_entry(entry: Path, target: Path) -> bool:
    """Make target hold the bytes of a cache entry: a hard link to it where the
    file system allows (no bytes copied, and a later run sees by the inode alone
    that nothing changed), else a copy.

    Returns False, touching nothing, when target already is that entry. Cache
    entries are never written in place, and neither is target afterwards, so
    the two cannot drift apart.
    """
    try:
        if os.path.samefile(entry, target):
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        os.link(entry, temporary)
    except OSError:
        return write_atomic(target, entry.read_bytes())
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def remove_leftovers(folder: Path) -> None:
    """Delete the temporary files of writes a killed run did not finish."""
    # os.walk, not Path.rglob: a large project has thousands of folders, and
    # rglob builds a Path for every file it passes.
    for parent, _, names in os.walk(folder):
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                path = Path(parent, name)
                if path.is_file() and not path.is_symlink():
                    path.unlink(missing_ok=True)


def staging_dir(target: Path) -> Path:
    """A new empty folder beside target, named for this process, to build into."""
    stale = target.parent.glob(f".{target.name}-*")
    for folder in stale:
        owner = folder.name.removeprefix(f".{target.name}-").split("-")[0]
        if folder.is_dir() and not folder.is_symlink() and not _alive(owner):
            shutil.rmtree(folder, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def _alive(pid: str) -> bool:
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def replace_dir(new: Path, target: Path) -> None:
    """Put folder new where target is, then delete the old target.

    Where the system can (Linux's renameat2), the two folders trade places in
    one atomic step, so a server reading target always finds the old folder or
    the new one, never none. Elsewhere it takes two renames.
    """
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new)  # now the old folder
        return
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-{os.getpid()}-", dir=target.parent))
        old.rmdir()
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old)
    else:
        new.rename(target)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def remove_stale(folder: Path, wanted: set[Path]) -> None:
    """Delete the files under folder that are not wanted, then the folders left empty."""
    if not folder.is_dir():
        return
    keep = {os.fspath(path) for path in wanted}
    for parent, folders, files in os.walk(folder, topdown=False):
        for name in files:
            path = os.path.join(parent, name)
            if path not in keep:
                os.unlink(path)
        for name in folders:
            path = os.path.join(parent, name)
            if not os.path.islink(path) and not os.listdir(path):
                os.rmdir(path)
