"""A hostile pull request and faults in CI (issue 25), one test per finding.

A contributor controls the guides, docs and files of a pull request: symlinks
out of the project, crafted names and text, huge guides, requests to the
servers. Most tests call the command line in this process on a small project
(tests/test_faults.py's); each fails on the code before its fix.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml

import guidegen
from guidegen.capture.layout import GUIDE_PAGES, SITE_PICTURES
from guidegen.capture.report import Item, Results, write_report
from guidegen.config import Config
from guidegen.files import write_atomic
from guidegen.guide.lint import lint
from guidegen.newproject import Options, init
from guidegen.safetext import clean
from guidegen.server import serve
from tests.conftest import ROOT
from tests.test_faults import (
    mounted,
    mounting,
    preview_server,
    project,
    raw_request,
    run_in_process,
)
from tests.test_lint import lint_here
from tests.test_workflows import actionlint_report

GENERATOR = str(Path(guidegen.__file__).parent)


# Lint takes time in proportion to a guide's steps (35,000 steps took 107 s).


def many_steps(count: int) -> str:
    steps = "".join(f"  - text: {{en: Step {n}.}}\n" for n in range(count))
    return f"id: big\ntitle: {{en: Big}}\nsummary: {{en: Big}}\nsteps:\n{steps}"


def lines_run(work: Callable[[], Any]) -> int:
    """How many lines of guidegen's own code work runs: a count, not a time, so a
    busy machine cannot change it."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename.startswith(GENERATOR) else None

    previous = sys.gettrace()  # a coverage tool's, say
    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def test_lint_runs_in_time_linear_in_the_steps(tmp_path: Path) -> None:
    config = Config(root=tmp_path, languages=("en",))
    counts = []
    for size in (300, 600):
        guide = tmp_path / f"{size}" / "big.yml"
        guide.parent.mkdir()
        guide.write_text(many_steps(size))
        report = lint([guide], config)
        assert not report.errors, report.errors
        counts.append(lines_run(lambda guide=guide: lint([guide], config)))
    # Twice the steps, twice the work (and a little): a square would be four times.
    assert counts[1] / counts[0] < 2.3, counts


# No folder guidegen reads, writes or cleans is followed through a link out.


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return project(tmp_path / "project")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, with a file that must survive."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me")
    return folder


def link(path: Path, target: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def refusal(err: str, name: str) -> str:
    """The one line that refuses the link name."""
    lines = [line for line in err.splitlines() if f"{name}: a symlink" in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("folder", [GUIDE_PAGES, SITE_PICTURES])
def test_render_refuses_a_linked_output_folder(root: Path, outside: Path, folder: str) -> None:
    link(root / "docs" / "en" / folder, outside)
    code, err = run_in_process(root, "render")
    assert code == 2, err
    line = refusal(err, f"docs/en/{folder}")
    assert str(outside) in line and "delete the link" in line
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize(("job", "options"), [("zz-orphan", "--prune"), ("demo", "--guide demo")])
def test_capture_never_walks_a_linked_job_folder(
    root: Path, outside: Path, job: str, options: str
) -> None:
    (outside / "frames.json").write_text('{"steps": []}')
    link(root / "screenshots" / "en" / "web" / job, outside)
    # --prune looks for orphans only when no filter narrows the run.
    code, err = run_in_process(root, f"capture {options}")
    assert code == 2, err
    assert str(outside) in refusal(err, f"screenshots/en/web/{job}")
    assert sorted(p.name for p in outside.iterdir()) == ["frames.json", "keep.txt"]


def test_capture_refuses_a_linked_report_folder(root: Path, outside: Path) -> None:
    link(root / ".guidegen" / "report", outside)
    code, err = run_in_process(root, "capture --platform web")
    assert code == 2, err
    assert str(outside) in refusal(err, ".guidegen/report")
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


def test_lint_refuses_a_linked_steps_folder_unread(root: Path, outside: Path) -> None:
    (outside / "leak.yml").write_text("password: hunter2\n")
    shutil.rmtree(root / "steps")
    link(root / "steps", outside)
    result = lint_here(root, Path("steps"))
    assert result.returncode == 2
    assert "hunter2" not in result.stdout + result.stderr
    assert str(outside) in refusal(result.stderr, "steps")


@pytest.mark.parametrize(
    ("linked", "command"),
    [
        (".guidegen", "lint"),
        (".guidegen/screenshots.lock", "capture --platform web"),
        (".guidegen/cache", "capture --platform web"),
        ("screenshots", "redraw"),
    ],
)
def test_state_is_never_written_through_a_link(
    root: Path, outside: Path, linked: str, command: str
) -> None:
    (outside / ".left.webp.tmp").write_text("what a killed run left, in someone else's folder")
    link(root / linked, outside / "keep.txt" if linked.endswith(".lock") else outside)
    code, err = run_in_process(root, command)
    assert code == 2, err
    refusal(err, linked)
    assert sorted(p.name for p in outside.iterdir()) == [".left.webp.tmp", "keep.txt"]
    assert (outside / "keep.txt").read_text() == "keep me"


def test_serve_refuses_a_linked_site_before_serving_it(
    root: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[Path] = []
    monkeypatch.setattr(
        "guidegen.site.preview.preview", lambda config, **_: served.append(config.root) or 0
    )
    link(root / "site", outside)
    code, err = run_in_process(root, "serve --no-capture")
    assert code == 2 and not served, err
    refusal(err, "site")


# Both servers serve only files inside their folder, answer every malformed
# request with a status and refuse a foreign Host.


def served(which: str, folder: Path) -> contextlib.AbstractContextManager[str]:
    return serve(folder) if which == "static" else preview_server(folder)


def status(url: str, path: str, *headers: str, host: str = "") -> bytes:
    """The status line of a raw GET, as the server answers it."""
    host = host or url.removeprefix("http://").rstrip("/")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", *headers, "Connection: close"]
    answer = raw_request(url, ("\r\n".join(lines) + "\r\n\r\n").encode())
    return answer.split(b"\r\n", 1)[0]


@pytest.mark.parametrize("which", ["static", "preview"])
def test_the_servers_serve_no_file_through_a_link_out(tmp_path: Path, which: str) -> None:
    site, secret = tmp_path / "site", tmp_path / "secret"
    secret.mkdir()
    (secret / "token.txt").write_text("s3cr3t")
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("<p>hi</p>")
    link(site / "notes.txt", secret / "token.txt")
    link(site / "sub" / "more", secret)
    with served(which, site) as url:
        assert b" 200 " in status(url, "/index.html")
        for path in ("/notes.txt", "/sub/more/token.txt", "/sub/more/"):
            assert b" 404 " in status(url, path), path


@pytest.mark.parametrize("which", ["static", "preview"])
def test_the_servers_answer_malformed_requests_with_a_status(
    tmp_path: Path, which: str, capfd: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "v.mp4").write_bytes(b"0123456789")
    with served(which, tmp_path) as url:
        for path in ("/%c0%ae", "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/%ed%a0%80"):
            assert b" 400 " in status(url, path), path
        too_far = "Range: bytes=" + "9" * 5000 + "-"
        assert b" 416 " in status(url, "/v.mp4", too_far)
        assert b" 416 " in status(url, "/v.mp4", "Range: bytes=-" + "9" * 5000)
        assert b" 206 " in status(url, "/v.mp4", "Range: bytes=2-4")
    assert "Traceback" not in capfd.readouterr().err


def test_the_shop_server_refuses_a_foreign_host(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with serve(tmp_path) as url:
        port = url.rstrip("/").rsplit(":", 1)[1]
        assert b" 200 " in status(url, "/", host=f"localhost:{port}")
        for host in (f"evil.example:{port}", "127.0.0.1", "x"):
            assert b" 403 " in status(url, "/", host=host), host


# The build refuses docs links out of the project and a site/ that is
# a file, before anything is built.


def test_build_refuses_a_docs_link_out_of_the_project(root: Path, tmp_path: Path) -> None:
    (root / "mkdocs.yml").write_text("site_name: Test\n")
    (tmp_path / "private.txt").write_text("s3cr3t")
    link(root / "docs" / "en" / "notes.txt", tmp_path / "private.txt")
    code, err = run_in_process(root, "build")
    assert code == 2, err
    line = refusal(err, "docs/en/notes.txt")
    assert "publish" in line and "private.txt" in line
    assert not (root / "site").exists()


def test_build_refuses_a_site_that_is_a_file_and_leaves_it(root: Path) -> None:
    (root / "mkdocs.yml").write_text("site_name: Test\n")
    (root / "site").write_text("my notes")
    code, err = run_in_process(root, "build")
    assert code == 2, err
    assert [line for line in err.splitlines() if line.startswith("guidegen: site: a file")]
    assert (root / "site").read_text() == "my notes"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    assert not (root / "docs" / "en" / "guides").exists()  # refused before the render


# Nothing guidegen prints or reports holds a control character or starts a
# GitHub Actions workflow command; lint refuses control characters.

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_output(text: str) -> None:
    """text could be printed on a terminal and in a CI log without effect."""
    assert not CONTROL.search(text), repr(text)
    for line in text.splitlines():
        assert not line.lstrip().startswith("::") and "##[" not in line, line


def test_clean_strips_control_characters_and_breaks_workflow_commands() -> None:
    assert clean("a\x1b]0;title\x07b\tc\nd\x1b[31me\x07f\x1bg") == "ab c de\ufffdf\ufffdg"
    assert clean("\x1b[2K::error::x") == "\\::error::x"
    assert clean("  ::error title=x::boom") == "  \\::error title=x::boom"
    assert clean("\r::set-output name=a::b") == " \\::set-output name=a::b"
    assert clean("see ##[error]boom") == "see ##\\[error]boom"
    assert clean("step 1: ①タップ :: ok") == "step 1: ①タップ :: ok"


def test_lint_output_is_clean_and_control_characters_are_refused(root: Path) -> None:
    steps = root / "steps"
    (steps / "::error title=x::boom.yml").write_text(
        (steps / "demo.yml").read_text() + '"\\e[2J\\a": 1\nprerequisites: [{en: "a\\eb"}]\n'
    )
    (steps / "bad\nname.yml").write_text((steps / "demo.yml").read_text())
    settings = root / "pyproject.toml"
    settings.write_text(settings.read_text() + 'facts = "facts.yml"\n')
    (root / "facts.yml").write_text(
        'facts:\n  - id: rule\n    text: {en: "two\\aweeks"}\n'
        "    source: https://example.org/rule\n    checked: 2026-11-26\n"
    )
    result = lint_here(steps, Path("."))
    assert result.returncode == 2
    output = result.stdout + result.stderr
    safe_output(output)
    assert "control character U+001B in a key" in output
    assert "control character U+001B in prerequisites[0].en" in output
    assert "facts.yml:3:16: control character U+0007 in facts[0].text.en" in output
    assert "bad\\nname.yml:1:1: control character U+000A in the file name" in output
    assert "\\::error title=x::boom.yml:" in output


def test_reports_are_clean_and_keep_one_failure_per_line(tmp_path: Path) -> None:
    hostile = "demo › step 1: no element 'x\n::error title=t::boom\x1b]0;pwned\x07' `code`"
    results = Results(
        items=(Item("en/web/demo\x1b[2J/step-1", "new"),),
        failures=(hostile, "second ##[warning]x"),
        shots={hostile: "images/a.png"},
    )
    write_report(tmp_path, results)
    summary = (tmp_path / "summary.md").read_text()
    for name in ("summary.md", "index.html", "results.json"):
        safe_output((tmp_path / name).read_text())
    data = json.loads((tmp_path / "results.json").read_text())
    safe_output("\n".join([*data["failures"], *data["shots"], data["items"][0]["key"]]))
    failures = [line for line in summary.splitlines() if "demo ›" in line]
    one_line = "demo › step 1: no element 'x ::error title=t::boom' `code`"
    assert failures == [f"- `` {one_line} ``"]


# goto takes a path of the app only.

NOT_PATHS = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<p>hi</p>",
    "http://evil.example/",
    "//evil.example/x",
    "\\\\evil.example\\x",
    "/\\evil.example",
]


def test_lint_refuses_a_goto_that_is_not_a_path_of_the_app(root: Path) -> None:
    steps = "".join(
        f"  - text: {{en: Go.}}\n    actions:\n      - goto: {json.dumps(target)}\n"
        for target in ["/orders", "/#/orders", *NOT_PATHS]
    )
    guide = root / "steps" / "demo.yml"
    guide.write_text(guide.read_text().split("steps:")[0] + "steps:\n" + steps)
    result = lint_here(root, guide)
    assert result.returncode == 2
    refused = [line for line in result.stdout.splitlines() if "must be a path of the app" in line]
    assert len(refused) == len(NOT_PATHS), result.stdout
    assert all("not a URL" in line for line in refused)


# Written files honour the umask; a full disk is named; hints give valid ids.


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_written_files_honour_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "page.md", b"text")
        init(Options(tmp_path / "new", languages=("en",)))
    finally:
        os.umask(old)
    for path in (tmp_path / "page.md", tmp_path / "new" / "pyproject.toml"):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


def fill(disk: Path) -> None:
    """Use up the free space of disk."""
    path = disk / f"filler-{len(list(disk.glob('filler-*')))}"
    with open(path, "wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 4096)


@mounting
def test_a_full_disk_names_the_file_it_could_not_write(root: Path) -> None:
    shard = root / "shard"
    (shard / "images").mkdir(parents=True)
    (shard / "results.json").write_text('{"items": [], "manifest": {}, "failures": []}')
    (shard / "images" / "a.png").write_bytes(os.urandom(64 * 1024))
    # A lock file from an earlier run: its pid is written again in the space it had.
    lock = root / ".guidegen" / "screenshots.lock"
    lock.parent.mkdir()
    lock.write_text("1\n")
    with mounted(root, "size=4m"):
        fill(root)
        code, err = run_in_process(root, "merge shard --out merged")
        assert code == 1, err
        assert "guidegen: merged/images/a.png: the disk is full" in err, err
        lock.unlink()
        fill(root)
        code, err = run_in_process(root, "capture --platform web")
        assert code == 1, err
        assert "guidegen: .guidegen/screenshots.lock: the disk is full" in err, err


def test_file_name_hints_suggest_valid_ids(root: Path) -> None:
    guide = (root / "steps" / "demo.yml").read_text()
    (root / "steps" / "My Guide.yml").write_text(guide)
    (root / "steps" / "Contact Seller.yaml").write_text(guide)
    result = lint_here(root, Path("steps"))
    (mismatch,) = [line for line in result.stdout.splitlines() if "file name 'My Guide'" in line]
    assert mismatch.endswith("; rename the file to demo.yml"), mismatch
    (misnamed,) = [line for line in result.stdout.splitlines() if "Contact Seller.yaml" in line]
    assert misnamed.endswith("rename it to contact-seller.yml"), misnamed


# CI: a pull request's run is read-only and has no secrets; pushes to main
# run apart and may write.


def jobs_of(workflow: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The workflow's top-level permissions and its jobs."""
    data = yaml.safe_load(workflow.read_text("utf-8"))
    return data["permissions"], data["jobs"]


def on_pull_requests(jobs: dict[str, Any], name: str) -> bool:
    """Whether the job runs for a pull request (the workflows run on one): its
    condition says so, or, without one, every job it needs runs."""
    job = jobs[name]
    if "if" in job:
        return "== 'pull_request'" in job["if"]
    needs = job.get("needs", [])
    return all(
        on_pull_requests(jobs, other) for other in ([needs] if isinstance(needs, str) else needs)
    )


def test_the_ci_workflows_give_pull_requests_no_write_access_or_secrets(tmp_path: Path) -> None:
    init(Options(tmp_path, languages=("en",)))
    template = tmp_path / ".github" / "workflows" / "screenshots.yml"
    for workflow in (template, ROOT / ".github" / "workflows" / "screenshots.yml"):
        permissions, jobs = jobs_of(workflow)
        assert permissions == {"contents": "read"}, workflow
        pulls = [name for name in jobs if on_pull_requests(jobs, name)]
        assert pulls, workflow
        for name in pulls:
            assert jobs[name]["permissions"] == {"contents": "read"}, (workflow, name)
            assert "secrets." not in yaml.safe_dump(jobs[name]), (workflow, name)
            checkout = jobs[name]["steps"][0]
            assert checkout["with"]["persist-credentials"] is False, (workflow, name)
        writers = [name for name in jobs if "write" in jobs[name].get("permissions", {}).values()]
        assert writers and not set(writers) & set(pulls), workflow
        assert actionlint_report(workflow) == ""
