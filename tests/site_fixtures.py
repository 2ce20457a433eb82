"""Fixtures and helpers for the tests of the built help site.

The site is built once per test run and engine (workers share it) from a copy
of the project (so the tests never touch the working tree's site/ or docs/), with the
screenshots that are committed, and served on 127.0.0.1 from a sub-path
(``SUB_PATH``), as a site hosted at https://example.org/help/ would be. Every
browser context made here records any request that leaves that server, and the
tests' browser resolves no other host (tests/conftest.py: OFFLINE), so a page
that would need the network fails its test instead of passing on a
developer's laptop.
"""

from __future__ import annotations

import fcntl
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request

from guidegen.server import Handler, serve
from tests.editor_project import run_folder, share_caches

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("steps", "screenshots", "docs", "mockshop")
COPIED_FILES = (
    "mkdocs.yml",
    "mkdocs.en.yml",
    "mkdocs.editors.yml",
    "mkdocs.editors.en.yml",
    "pyproject.toml",
    "search-synonyms.yml",
    "facts.yml",
    "terms.yml",
)
# The site is served from this folder of the server, and built for it.
SUB_PATH = "help/"
SITE_URL = "https://example.org/" + SUB_PATH

# Added to the copy only: a guide whose text tries to inject HTML and script.
ESCAPE_CHECK = """\
id: escape-check
title:
  ja: "</title><script>window.pwned=1</script>"
  en: "</title><script>window.pwned=1</script>"
summary:
  ja: "<b>bold</b> <img src=x onerror=window.pwned=2>"
  en: "<b>bold</b> <img src=x onerror=window.pwned=2>"
platforms: [web]
steps:
  - text:
      ja: "<script>window.pwned=3</script> [link](javascript:window.pwned=4)"
      en: "<script>window.pwned=3</script> [link](javascript:window.pwned=4)"
"""


# The embeddable practice pages the site's page tests walk: one guide's, in
# both languages, with a phone's frames and a computer's.
EMBED_SAMPLES = frozenset({"practice/ja/ios/check-replies", "practice/en/web/check-replies"})

# The guide whose dark pictures the dark-mode tests look at.
DARK_GUIDE = "check-sent"


def fake_dark_captures(screenshots: Path, guide: str) -> None:
    """Give the guide dark pictures where the project has none yet: the light
    ones with inverted colours (unmistakable in a test), in the dark job folder."""
    for light in sorted(screenshots.glob(f"*/*/{guide}")):
        dark = light / "dark"
        if dark.exists():
            continue
        dark.mkdir()
        shutil.copy2(light / "frames.json", dark / "frames.json")
        for picture in sorted(light.glob("*.webp")):
            with Image.open(picture) as image:
                ImageOps.invert(image.convert("RGB")).save(dark / picture.name)


@dataclass
class Site:
    root: Path
    url: str
    engine: str = "mkdocs"
    external: list[str] = field(default_factory=list)
    # site_pages.open_page's tabs, by device.
    tabs: dict[str, Page] = field(default_factory=dict)

    def pages(self) -> list[str]:
        """Every page of the site, as paths relative to its root (ja and en/,
        readers' and editors'). Of the embeddable practice pages, EMBED_SAMPLES:
        they are one template over each practice's data (twice as many pages as
        the rest of the site), and test_practice checks every one's language,
        title and alt texts."""
        found = []
        for index in sorted((self.root / "site").rglob("index.html")):
            relative = index.parent.relative_to(self.root / "site").as_posix()
            if relative.startswith(("assets", "search")):
                continue
            if relative.startswith("practice/") and relative not in EMBED_SAMPLES:
                continue
            found.append("" if relative == "." else relative + "/")
        return found

    def context(self, browser: Browser, **options: object) -> BrowserContext:
        context = browser.new_context(**options)
        # Watched, not routed: a route holds every request of the context in
        # Playwright's driver until it is let go, and turns the HTTP cache off.
        # Reading every page on a computer and a phone took 26.2 CPU-s routed,
        # 22.7 watched (mean of three runs each, the server then sending no-store).
        # Failures only: a request that leaves fails, since the tests' browser
        # resolves no other host (conftest.OFFLINE), and a page's other requests
        # would each cost an event and two objects in Playwright's driver and
        # here (64 page loads: 5.1 CPU-s of Python with every request, 3.6 with
        # failures only).
        context.on("requestfailed", self._note)
        return context

    def _note(self, request: Request) -> None:
        if not request.url.startswith((self.url, "data:")):
            self.external.append(request.url)


def build_copy(target: Path, engine: str = "mkdocs") -> Path:
    """Copy what a build reads into target and run ``guidegen build`` there."""
    for name in COPIED:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name,
                target / name,
                symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, target / name)
    (target / "steps" / "escape-check.yml").write_text(ESCAPE_CHECK, "utf-8")
    fake_dark_captures(target / "screenshots", DARK_GUIDE)
    share_caches(target)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "guidegen.cli",
            "build",
            "--engine",
            engine,
            "--site-url",
            SITE_URL,
        ],
        cwd=target,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise AssertionError(f"guidegen build failed:\n{result.stdout}\n{result.stderr}")
    return target / "site"


def built_once(factory: pytest.TempPathFactory, engine: str) -> Path:
    """The project copy built by engine, once per test run: with several workers
    (pytest-xdist), the first to ask builds it in the folder that holds theirs
    while the others wait, then all read the same site. Another engine's build
    starts once MkDocs's is done: both encode the same pictures into the shared
    cache, which the second then finds there."""
    if engine != "mkdocs":
        built_once(factory, "mkdocs")
    shared = run_folder(factory)
    root, done = shared / f"project-{engine}", shared / f"project-{engine}.built"
    with (shared / f"project-{engine}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a build that failed
            root.mkdir()
            build_copy(root, engine)
            done.touch()
    return root


class StaticHost(Handler):
    """Files as a static host serves them (GitHub Pages says max-age=600): a
    page's scripts, styles and pictures are kept between the pages of a
    context, where no-store had each page load them and compile its scripts
    anew. A new context starts with no cache, as a first-time reader does.
    For the built site and the mock shop, whose files no test changes."""

    cache_control = "max-age=600"


@contextmanager
def _served(factory: pytest.TempPathFactory, root: Path, engine: str) -> Iterator[Site]:
    """The built site of a project copy, served from SUB_PATH by this worker."""
    served = factory.mktemp(f"served-{engine}")
    # Hard links, no bytes copied; not a symlink, since the server serves only
    # files whose real path is inside its folder.
    shutil.copytree(root / "site", served / SUB_PATH.strip("/"), copy_function=os.link)
    with serve(served, handler=StaticHost) as url:
        yield Site(root=root, url=url + SUB_PATH, engine=engine)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site as MkDocs, the default engine, builds it."""
    root = built_once(tmp_path_factory, "mkdocs")
    with _served(tmp_path_factory, root, "mkdocs") as built:
        yield built


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = built_once(tmp_path_factory, "zensical")
    with _served(tmp_path_factory, root, "zensical") as built:
        yield built


@pytest.fixture(params=["mkdocs", "zensical"])
def engine_site(request: pytest.FixtureRequest) -> Site:
    """The site from each engine, for the tests that both engines must pass."""
    return request.getfixturevalue("site" if request.param == "mkdocs" else "zensical_site")


@pytest.fixture(scope="session")
def devices(playwright: Playwright) -> dict[str, dict]:
    return {
        "phone": dict(playwright.devices["iPhone 13"]),
        "desktop": {"viewport": {"width": 1280, "height": 800}},
    }


# Runs the engine's own search worker on the page's index, as the search box
# does, and returns for each query the pages of its results, best first:
# Material's (lunr, search/search_index.json, results grouped by page) or
# Zensical's (search.json, results by section, ten at a time). The worker,
# with its index built, stays with the page for the page's next queries.
_SEARCH_JS = """
async (queries) => {
  window.guidegenTestSearch ??= (async () => {
    const config = JSON.parse(document.getElementById("__config").textContent);
    const base = new URL(config.base.replace(/\\/?$/, "/"), location.href);
    const found = await fetch(new URL("search/search_index.json", base));
    const index = await (found.ok ? found : await fetch(new URL("search.json", base))).json();
    const worker = new Worker(new URL(config.search, location.href));
    const ask = (message) => new Promise((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.postMessage(message);
    });
    await ask({type: 0, data: found.ok ? {...index, options: {suggest: false}} : index});
    return {material: found.ok, index, ask};
  })();
  const {material, index, ask} = await window.guidegenTestSearch;
  const answers = {};
  if (material) {
    for (const query of queries) {
      const result = await ask({type: 2, data: query});
      answers[query] = result.data.items.map((group) => group[0].location.split("#")[0]);
    }
  } else {
    for (const query of queries) {
      const pages = [];
      let page;
      do {
        const result = await ask({type: 2, data: {
          input: query, page,
          filter: {input: {type: "operator", data: {operator: "and", operands: []}}},
          aggregation: {input: [{type: "term", data: {field: "tags"}}]},
        }});
        for (const item of result.data.items) {
          const location = index.items[item.id].location.split("#")[0];
          if (!pages.includes(location)) pages.push(location);
        }
        page = result.data.pagination.next;
      } while (page);
      answers[query] = pages;
    }
  }
  return answers;
}
"""


def search(page: Page, queries: list[str]) -> dict[str, list[str]]:
    return page.evaluate(_SEARCH_JS, queries)


_TAG = re.compile(r"<[^>]*>")


def search_index(site_dir: Path) -> Path:
    """The search index of a built section of the site, whichever engine built it."""
    material = site_dir / "search" / "search_index.json"
    return material if material.is_file() else site_dir / "search.json"


def pages_containing(index_path: Path, query: str, *, whole_word: bool = False) -> set[str]:
    """The pages whose title or text contains the query, as a reader sees them
    (with whole_word, as a word of its own: "told", not "whatitold")."""
    index = json.loads(index_path.read_text("utf-8"))
    docs = index.get("docs", index.get("items", []))
    wanted = re.compile(
        rf"\b{re.escape(query.lower())}\b" if whole_word else re.escape(query.lower())
    )
    found = set()
    for doc in docs:
        text = html.unescape(_TAG.sub("", doc.get("title", "") + " " + doc.get("text", "")))
        if wanted.search(text.lower()):
            found.add(doc["location"].split("#")[0])
    return found
