"""The site's run-time files (stylesheets and scripts) shipped in the package.

They are copied into every language's docs folder before a build, so a
project needs no copy of its own and an upgrade of guidegen updates them.
The copies are generated and git-ignored (``docs/*/assets/{stylesheets,javascripts,vendor}``).
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..files import remove_stale, write_atomic
from ..safepath import own_folder

ASSETS = Path(__file__).parent.parent / "assets"
# Nothing is vendored any more: the folder is listed so that a copy an older
# guidegen left there (the Mermaid runtime, 3.6 MB) is removed.
FOLDERS = ("stylesheets", "javascripts", "vendor")


def packaged() -> dict[str, bytes]:
    """Every asset file by its path under assets/, e.g. ``stylesheets/site.css``."""
    return {
        path.relative_to(ASSETS).as_posix(): path.read_bytes()
        for folder in FOLDERS
        for path in sorted((ASSETS / folder).rglob("*"))
        if path.is_file()
    }


def _targets(config: Config) -> list[Path]:
    """docs/<lang>/assets/ for every language, and the editors' guide's
    docs/editors/<lang>/assets/ when the project has one."""
    docs = config.path("docs_dir")
    targets = [docs / lang / "assets" for lang in config.languages]
    if (config.root / "mkdocs.editors.yml").is_file():
        targets += [docs / "editors" / lang / "assets" for lang in config.languages]
    return targets


def written(config: Config) -> list[Path]:
    """The folders install writes: what the preview must not watch, or its own
    build would look like an edit and start another."""
    return [target / folder for target in _targets(config) for folder in FOLDERS]


def install(config: Config) -> None:
    """Copy the assets into every folder of ``written``; drop ones no longer shipped."""
    files = packaged()
    for target in _targets(config):
        for folder in FOLDERS:
            if (target / folder).is_symlink():  # older projects linked one language's copy
                (target / folder).unlink()
            own_folder(config.root, target / folder)
        for name, data in files.items():
            write_atomic(target / name, data)
        for folder in FOLDERS:
            remove_stale(target / folder, {target / name for name in files})
