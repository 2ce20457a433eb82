"""The manifest of fingerprints that decides which jobs to capture again: the app's
files, the capture code (derived from the package's files) and each job's guide and
settings."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..config import Config, Server, capture_style
from ..files import write_atomic
from ..guide import model as guide_model
from . import layout
from .digests import WholeFolders
from .imagefile import problem as image_problem
from .jobs import Job, job_dir, job_key
from .state import Damaged, read_frames

if TYPE_CHECKING:
    pass


def intact(folder: Path, whole: WholeFolders) -> bool:
    """Whether a job folder's frames.json and every step image it lists are whole
    (no pixel is decoded: the files' structure only; raw frames are not
    committed, so a fresh clone lacks them). A folder found whole before
    whose files have not changed since is not read again. Raises UnsafePath for
    a crafted file."""
    if whole.unchanged(folder):
        return True
    try:
        meta = read_frames(folder)
    except Damaged:
        return False
    if meta is None:
        return False
    files = [layout.step_image(folder, entry["id"]) for entry in meta["steps"]]
    if not all(
        path.is_file() and not image_problem(path.read_bytes(), full=False) for path in files
    ):
        return False
    names = [layout.FRAMES, *(path.relative_to(folder).as_posix() for path in files)]
    whole.found_whole(folder, names)
    return True


MANIFEST = "manifest.json"


CODE_SUFFIXES = frozenset({".py", ".js"})


APP_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".woff2"})


def code_files() -> list[Path]:
    """The files whose change may alter what a capture produces: every module
    and script of the capture package, and the guide model it runs. The rest of
    the package (the CLI, rendering, linting) can change without recapturing."""
    package = Path(__file__).parent
    own = (p for p in package.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES)
    return [*sorted(own), Path(guide_model.__file__)]


def code_hash() -> str:
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent.parent
    for path in code_files():
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def app_hash(config: Config) -> str:
    """A hash of the app's UI files: HTML, CSS, scripts, data and images."""
    digest = hashlib.sha256()
    root = config.path("shop_dir")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() in APP_SUFFIXES:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(
    config: Config, job: Job, app: str, code: str, dumped: dict[int, Any] | None = None
) -> str:
    """Everything a job's images depend on, hashed. `dumped` keeps each guide's
    JSON form across calls: a guide has a job per platform, language and scheme."""
    dumped = {} if dumped is None else dumped
    for model in (job.guide, job.setup):
        if model is not None and id(model) not in dumped:
            dumped[id(model)] = model.model_dump(mode="json", by_alias=True)
    device = config.devices[job.platform]
    facts = {
        "guide": dumped[id(job.guide)],
        "setup": dumped[id(job.setup)] if job.setup else None,
        "platform": job.platform,
        "lang": job.lang,
        "scheme": job.scheme,
        "device": [device.descriptor, device.viewport, device.scale],
        "run": [config.start_url, config.ready, config.clock, config.timezone],
        "style": hashlib.sha256(capture_style(config).encode()).hexdigest(),
        "app": app,
        "code": code,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def read_manifest(config: Config) -> dict[str, str]:
    path = config.path("screenshots_dir") / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_manifest(config: Config, manifest: dict[str, str]) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    write_atomic(config.path("screenshots_dir") / MANIFEST, text.encode())


def update_manifest(config: Config, entries: dict[str, str]) -> None:
    """Set entries in the manifest as it is on disk now, keeping every other key."""
    manifest = read_manifest(config)
    manifest.update(entries)
    write_manifest(config, manifest)


def watched(root: Path, pattern: str) -> Iterator[Path]:
    """The paths a watch glob matches: relative to the project's folder, or absolute
    (searched from its longest part without wildcards)."""
    if not Path(pattern).is_absolute():
        yield from root.glob(pattern)
        return
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if any(c in part for c in "*?[")), len(parts))
    base = Path(*parts[:fixed])
    if fixed == len(parts):
        yield base
    else:
        yield from base.glob(str(Path(*parts[fixed:])))


def watch_hash(config: Config, server: Server) -> str:
    """A hash of the server's commands and of the files its watch globs match."""
    digest = hashlib.sha256(server.command.encode() + b"\0")
    if server.reset:
        digest.update(server.reset.encode() + b"\0")
    found = {p for pattern in server.watch for p in watched(config.root, pattern) if p.is_file()}
    for path in sorted(found):
        digest.update(Path(os.path.relpath(path, config.root)).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprints(config: Config, jobs: Sequence[Job]) -> dict[str, str]:
    """Each job's fingerprint; none when the app is elsewhere and cannot be hashed
    (a URL, or a server without watch globs)."""
    if config.base_url:
        return {}
    if config.server is not None:
        if not config.server.watch:
            return {}
        app = watch_hash(config, config.server)
    else:
        app = app_hash(config)
    code = code_hash()
    dumped: dict[int, Any] = {}
    return {job_key(job): fingerprint(config, job, app, code, dumped) for job in jobs}


def outdated(config: Config, jobs: Sequence[Job], prints: dict[str, str]) -> list[Job]:
    """The jobs whose images are missing or were made from something else."""
    manifest = read_manifest(config)
    whole = WholeFolders(config.root / ".guidegen" / "cache" / "whole-folders.json")
    found = [
        job
        for job in jobs
        if job_key(job) not in prints
        or manifest.get(job_key(job)) != prints[job_key(job)]
        or not intact(job_dir(config, job), whole)
    ]
    whole.save()
    return found
