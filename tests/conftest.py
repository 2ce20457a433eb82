"""Shared fixtures: one real Chromium per test session, and the runner's fixture app."""

from __future__ import annotations

import gc
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from guidegen.capture.browser import launch
from guidegen.config import Config, load_config
from guidegen.server import serve
from tests import editor_project

# The built-site fixtures (a session-wide build in a copy of the project).
pytest_plugins = ("tests.site_fixtures", "tests.site_pages", "tests.installed")

ROOT = Path(__file__).resolve().parent.parent


def as_a_terminal_job() -> None:
    """Popen's preexec_fn for a command a test stops with SIGINT: a terminal's foreground
    job gets SIGINT's default action, even when the suite runs in a shell that ignores it
    (a script's `&` does), and the child would otherwise inherit the ignoring."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def terminal_job(command: list[str], **options: Any) -> subprocess.Popen[str]:
    """command started as a terminal starts its foreground job: in a process group
    of its own (so os.killpg reaches it and whatever it starts), with SIGINT's
    default action, its output on text pipes."""
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_a_terminal_job,
        **options,
    )


FIXTURE_APP = Path(__file__).resolve().parent / "fixtures" / "app"

# The modules that take longest on a worker, longest first. pytest-xdist hands
# out whole modules (scripts/test.sh: --dist loadfile, --no-loadscope-reorder)
# in collection order, and by default it orders them by their number of tests,
# which leaves a long module of one or two tests (test_own_app.py) alone at the
# end while the other worker is idle. Long ones first, then the rest in file
# order: the run ends on many short modules that both workers share. The list
# is only an order; a module missing from it still runs. test_site.py's worker
# builds MkDocs's site, then reads it while test_site_clicks.py's builds
# Zensical's (from the pictures MkDocs's build encoded); the other modules that
# use the built site come a few places after, and the third worker starts on
# modules that do not wait for a site.
LONGEST_FIRST = (
    "test_site.py",
    "test_site_clicks.py",
    "test_guides.py",
    "test_site_phone.py",
    "test_faults.py",
    "test_regenerate.py",
    "test_mockshop_screens.py",
    "test_preview.py",
    "test_own_app.py",
    "test_mockshop_flows.py",
    "test_site_pictures.py",
    "test_cli_capture.py",
    "test_practice.py",
    "test_runner.py",
    "test_scaffold.py",
    "test_fresh_clone.py",
    "test_isolation.py",
    "test_secrets_and_signals.py",
    "test_targets.py",
    "test_reproducible.py",
    "test_site_search.py",
)


# Every test file's kind, a marker registered in pyproject.toml (`pytest -m unit`):
# unit: the code in this process, files and quick tools (no browser, no built
#   site, no app server);
# browser: drives Chromium, on the fixture apps, the mock shop or the built site;
# end_to_end: whole guidegen commands (capture, check, build, serve) as a user
#   runs them, against an app or a copy of the project.
# A file's kind is the heaviest any of its tests needs.
KINDS = {
    "unit": (
        "test_annotate.py",
        "test_capture.py",
        "test_childprocess.py",
        "test_code_fingerprint.py",
        "test_committed_marks.py",
        "test_compare.py",
        "test_config.py",
        "test_digests.py",
        "test_facts.py",
        "test_files.py",
        "test_frames_json.py",
        "test_framing.py",
        "test_imagefile.py",
        "test_layout.py",
        "test_lint.py",
        "test_load.py",
        "test_load_fuzz.py",
        "test_lock.py",
        "test_newproject.py",
        "test_page_pictures.py",
        "test_parallel.py",
        "test_platforms.py",
        "test_reference.py",
        "test_render.py",
        "test_report.py",
        "test_safepath.py",
        "test_schema.py",
        "test_search_index.py",
        "test_settings.py",
        "test_site_images.py",
        "test_siteassets.py",
        "test_sitebuild.py",
        "test_state.py",
        "test_structure.py",
        "test_substitutions.py",
        "test_terms.py",
        "test_workflows.py",
    ),
    "browser": (
        "test_axe_check.py",
        "test_browser.py",
        "test_dialogs.py",
        "test_frames_on_overlays.py",
        "test_mockshop_flows.py",
        "test_mockshop_screens.py",
        "test_practice.py",
        "test_reproducible.py",
        "test_runner.py",
        "test_server_ranges.py",
        "test_setup_guides.py",
        "test_site.py",
        "test_site_clicks.py",
        "test_site_phone.py",
        "test_site_pictures.py",
        "test_site_search.py",
        "test_targets.py",
    ),
    "end_to_end": (
        "test_appserver.py",
        "test_browsers.py",
        "test_cli_capture.py",
        "test_end_to_end.py",
        "test_faults.py",
        "test_fresh_clone.py",
        "test_guides.py",
        "test_hostile.py",
        "test_isolation.py",
        "test_own_app.py",
        "test_preview.py",
        "test_regenerate.py",
        "test_scaffold.py",
        "test_secrets_and_signals.py",
        "test_shop_command.py",
    ),
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(kind) for kind in KINDS):
            continue
        kind = KIND_OF.get(item.path.name)
        if kind is None:
            raise pytest.UsageError(
                f"{item.path.name}: no kind; add it to KINDS in tests/conftest.py "
                f"({', '.join(KINDS)})"
            )
        item.add_marker(kind)

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


def pytest_configure(config: pytest.Config) -> None:
    """Python's cycle collector, tuned for a worker whose heap holds Playwright's
    objects: what pytest and its plugins have loaded by now is frozen (never
    walked again), and a collection starts after 20,000 new objects, not 700.
    Measured once on three browser test files (test_guides, test_mockshop_flows,
    test_runner): 100 CPU-s with the defaults, 94 with this."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 50)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


# The tests' browser resolves no host name but 127.0.0.1, so a page that asks
# for anything beyond this machine gets an error, not the network. The built
# site's tests also name each such request (tests/site_fixtures.py).
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch(playwright, OFFLINE)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with serve(FIXTURE_APP) as url:
        yield url


@pytest.fixture
def app_config(tmp_path: Path) -> Config:
    """A configuration that runs guides against the fixture app."""
    return Config(
        root=tmp_path,
        languages=("en",),
        start_url="/index.html",
        ready="body[data-ready='true']",
        clock="2026-11-26T10:00:00+09:00",
        timeout_ms=10000,
    )


@pytest.fixture(scope="session")
def project_config() -> Config:
    return load_config(ROOT)


@pytest.fixture(scope="session", autouse=True)
def warm_child_starts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite starts guidegen and Playwright's driver about a hundred times:
    let each start reuse what the last one compiled. Python keeps bytecode
    beside the sources (git ignores it) even where the environment says not
    to; Node keeps its compiled driver code in the run's folder."""
    cache = editor_project.run_folder(tmp_path_factory) / "node-compile-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        patch.setenv("NODE_COMPILE_CACHE", str(cache))
        yield


@pytest.fixture(scope="session", autouse=True)
def shared_caches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache of site images for the whole run, all workers'."""
    folder = editor_project.run_folder(tmp_path_factory) / "shared-caches"
    editor_project.shared_caches = folder
    yield folder
    editor_project.shared_caches = None
