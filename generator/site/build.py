"""The site engines: one strict build of each section of the site.

The site has a section per MkDocs configuration: the readers' site in the first
language (``mkdocs.yml`` at the root of the site), one per other language
(``mkdocs.LANG.yml`` in ``LANG/``) and, when ``mkdocs.editors.yml`` exists, the
editors' guide (``editors/``, ``LANG/editors/``). Each has its own navigation
and its own search index, so readers never meet the editors' pages.

Both engines read the same configuration files, resolved here into one
temporary file per build (deleted afterwards) with what differs per build: the
output folder (Zensical has no ``-d`` option) and the public URL (neither
engine takes it on the command line). The ``INHERIT`` chain is resolved as
MkDocs resolves it (mappings merged key by key, anything else replaced), because
Zensical appends a child's lists to its parent's (two language menus, two
navigations). The YAML is merged as parsed nodes, never constructed, so tags
such as ``!!python/name:`` and ``!ENV`` reach the engine as written.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import childprocess
from ..capture import layout
from ..config import Config
from ..files import replace_dir, staging_dir
from ..safepath import own_folder, tree_within
from . import practice
from .search import rewrite_indexes


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


def _merge(base: yaml.MappingNode, child: yaml.MappingNode) -> yaml.MappingNode:
    """child over base, as MkDocs merges an inherited configuration."""
    pairs = list(base.value)
    for key, value in child.value:
        at = next((i for i, (k, _) in enumerate(pairs) if k.value == key.value), None)
        if at is None:
            pairs.append((key, value))
            continue
        old = pairs[at][1]
        both = isinstance(old, yaml.MappingNode) and isinstance(value, yaml.MappingNode)
        pairs[at] = (pairs[at][0], _merge(old, value) if both else value)
    return yaml.MappingNode(base.tag, pairs)


# libyaml where there is one: the pure-Python composer takes a third of a
# second for each configuration file.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def resolved(path: Path, seen: tuple[Path, ...] = ()) -> yaml.MappingNode:
    """A configuration file with its INHERIT chain merged in, as YAML nodes."""
    if path in seen:
        raise SectionMissing(f"{path}: INHERIT loops back to itself")
    node = yaml.compose(path.read_text("utf-8"), Loader=_LOADER)
    if not isinstance(node, yaml.MappingNode):
        raise SectionMissing(f"{path}: expected a mapping of MkDocs settings")
    parent = next((v for k, v in node.value if k.value == "INHERIT"), None)
    node.value = [(k, v) for k, v in node.value if k.value != "INHERIT"]
    if parent is None:
        return node
    return _merge(resolved(path.parent / parent.value, (*seen, path)), node)


def _setting(key: str, value: str) -> tuple[yaml.ScalarNode, yaml.ScalarNode]:
    text = "tag:yaml.org,2002:str"
    return yaml.ScalarNode(text, key), yaml.ScalarNode(text, value)


def build_section(engine: str, section: Section, out: Path, site_url: str) -> str | None:
    """Build one section into out (inside the project); None, or what went wrong."""
    root = section.config.parent
    settings = [_setting("site_dir", str(out))]
    url = section_url(site_url, section)
    if url:
        settings.append(_setting("site_url", url))
    config = _merge(resolved(section.config), yaml.MappingNode("tag:yaml.org,2002:map", settings))
    handle, name = tempfile.mkstemp(dir=root, prefix=".guidegen-build-", suffix=".yml")
    wrapper = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(yaml.serialize(config, allow_unicode=True))
        if engine == "zensical":
            command = ["-m", "zensical", "build", "--strict", "-f", str(wrapper)]
        else:
            command = ["-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(wrapper)]
        result = childprocess.run(
            [sys.executable, *command], cwd=root, capture_output=True, text=True
        )
    finally:
        wrapper.unlink(missing_ok=True)
    if result.returncode != 0:
        return f"{result.stdout}{result.stderr}{engine} build failed for {section.config.name}"
    return None


# A picture's URLs as render writes them: relative to the page as served, the
# way MkDocs leaves raw HTML. Zensical resolves relative URLs in raw HTML
# against the page's source file instead, which puts a "../" too many in front
# of them on every page served as a folder (guides/ID.md → guides/ID/).
_URL_ATTRIBUTE = re.compile(r'(?<![\w-])(src|srcset|href)="([^"]*)"')
_PICTURE_URL = re.compile(rf"(?<![^\s,])(?:\.\./)*({re.escape(layout.SITE_PICTURES)}/)")


def restore_picture_urls(section: Path) -> int:
    """Give the step pictures of a freshly built Zensical section their URLs
    relative to the page as served again (the way up from its folder to the
    section's root); returns how many pages changed. Only URLs into the
    pictures' folder (layout.SITE_PICTURES) are touched, and the result is the same whichever way
    the engine wrote them."""
    changed = 0
    for page in section.rglob("*.html"):
        up = "../" * (len(page.relative_to(section).parts) - 1)

        def fixed(match: re.Match[str], up: str = up) -> str:
            value = _PICTURE_URL.sub(lambda m: up + m.group(1), match.group(2))
            return f'{match.group(1)}="{value}"'

        text = page.read_text("utf-8")
        new = _URL_ATTRIBUTE.sub(fixed, text)
        if new != text:
            page.write_text(new, "utf-8")
            changed += 1
    return changed


PUBLISH_FIX = "the site would publish what it points to; put the file itself there"


def docs_dir(section: Section) -> Path:
    """The folder of a section's pages, as its engine reads it."""
    node = resolved(section.config)
    value = next((v.value for k, v in node.value if k.value == "docs_dir"), "docs")
    return section.config.parent / str(value)


def check_folders(config: Config) -> list[Section]:
    """The site's sections, once their folders are safe to build: UnsafePath for a
    site folder that is a file or a link (the swap would move the user's file
    away, or delete through the link) and for a link in a section's pages that
    leads outside the project (the engine would copy what it points to into
    the site). Checked before anything is rendered or built."""
    own_folder(config.root, config.path("site_dir"))
    parts = sections(config)
    for folder in dict.fromkeys(docs_dir(part) for part in parts):
        tree_within(config.root, folder, PUBLISH_FIX)
    return parts


def build_site(config: Config) -> str | None:
    """The configured engine's strict build of every section of the site into
    site_dir; None when it succeeded, else what went wrong (SectionMissing when
    a configuration file is not there). The pages must be rendered already."""
    site = config.path("site_dir")
    parts = check_folders(config)
    # Built beside the old site and swapped in at the end, so a failed build
    # leaves the previous site whole and a server never finds no site.
    staging = staging_dir(site)
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server's user
    try:
        for part in parts:
            target = staging / part.folder
            failed = build_section(config.engine, part, target, config.site_url)
            if failed is not None:
                return failed
            if config.engine == "zensical":
                restore_picture_urls(target)
            rewrite_indexes(config, target)
        practice.embed(staging, config.languages)
        replace_dir(staging, site)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return None
