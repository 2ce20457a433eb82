"""The site engines: one strict build of each section of the site.

The site has a section per MkDocs configuration: the readers' site in the first
language (``mkdocs.yml`` at the root of the site), one per other language
(``mkdocs.LANG.yml`` in ``LANG/``) and, when ``mkdocs.editors.yml`` exists, the
editors' guide (``editors/``, ``LANG/editors/``). Each has its own navigation
and its own search index, so readers never meet the editors' pages.

Both engines read the same configuration files. What differs per build (the
output folder, the public URL) goes into a small configuration that inherits
the section's own and is deleted afterwards: Zensical has no ``-d`` option,
and neither engine takes the site URL on the command line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config


class SectionMissing(Exception):
    """A configuration file the site needs is not there."""


@dataclass(frozen=True)
class Section:
    config: Path
    folder: str  # where in the site: "" for its root, else e.g. "en" or "en/editors"


def sections(config: Config) -> list[Section]:
    """Every section of the site, each after the section whose folder holds it."""
    root = config.root
    found = [Section(root / "mkdocs.yml", "")]
    found += [Section(root / f"mkdocs.{lang}.yml", lang) for lang in config.languages[1:]]
    if (root / "mkdocs.editors.yml").is_file():
        found.append(Section(root / "mkdocs.editors.yml", "editors"))
        found += [
            Section(root / f"mkdocs.editors.{lang}.yml", f"{lang}/editors")
            for lang in config.languages[1:]
        ]
    for section in found:
        if not section.config.is_file():
            raise SectionMissing(f"{section.config}: missing MkDocs configuration")
    return found


def section_url(site_url: str, section: Section) -> str:
    """The public URL of a section, from the site's ("" when unknown)."""
    if not site_url:
        return ""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + (section.folder + "/" if section.folder else "")


def build_section(engine: str, section: Section, out: Path, site_url: str) -> str | None:
    """Build one section into out (inside the project); None, or what went wrong."""
    root = section.config.parent
    lines = [f"INHERIT: {json.dumps(section.config.name)}"]
    url = section_url(site_url, section)
    if url:
        lines.append(f"site_url: {json.dumps(url)}")
    if engine == "zensical":
        lines.append(f"site_dir: {json.dumps(str(out))}")
    handle, name = tempfile.mkstemp(dir=root, prefix=".guidegen-build-", suffix=".yml")
    wrapper = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        if engine == "zensical":
            command = ["-m", "zensical", "build", "--strict", "-f", str(wrapper)]
        else:
            command = ["-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(wrapper)]
            command += ["-d", str(out)]
        result = subprocess.run(
            [sys.executable, *command], cwd=root, capture_output=True, text=True
        )
    finally:
        wrapper.unlink(missing_ok=True)
    if result.returncode != 0:
        return f"{result.stdout}{result.stderr}{engine} build failed for {section.config.name}"
    return None
