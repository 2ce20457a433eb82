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


def install(config: Config) -> list[Path]:
    """Copy the assets into docs/<lang>/assets/ for every language, and into the
    editors' guide's docs/editors/<lang>/assets/ when the project has one; drop
    ones no longer shipped. Returns the folders written (what the preview must
    not watch)."""
    files = packaged()
    written: list[Path] = []
    docs = config.path("docs_dir")
    targets = [docs / lang / "assets" for lang in config.languages]
    if (config.root / "mkdocs.editors.yml").is_file():
        targets += [docs / "editors" / lang / "assets" for lang in config.languages]
    for target in targets:
        for folder in FOLDERS:
            if (target / folder).is_symlink():  # older projects linked one language's copy
                (target / folder).unlink()
            own_folder(config.root, target / folder)
        for name, data in files.items():
            write_atomic(target / name, data)
        for folder in FOLDERS:
            remove_stale(target / folder, {target / name for name in files})
            written.append(target / folder)
    return written
