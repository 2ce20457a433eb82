"""Faults and hostile input, met as a user or an attacker would meet them.

Each test is one finding of issue 14, run against real processes, files,
sockets and signals: a crafted frames.json, a symlinked guide, damaged images,
a crashing or missing browser, two captures at once, a site swap under load,
environment errors (busy port, read-only folder, full disk), leftovers of a
killed run, hostile HTTP requests and Ctrl-C. Every error must end in one line
naming the file or resource, never a traceback.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from guidegen.server import serve
from tests.commands import guidegen
from tests.conftest import FIXTURE_APP, terminal_job
from tests.test_cli_capture import project as small_project
from tests.test_regenerate import SECOND_GUIDE

JOB = Path("screenshots/en/web/demo")


def project(tmp_path: Path) -> Path:
    """The small demo project, with time enough for a machine that is busy."""
    root = small_project(tmp_path)
    settings = root / "pyproject.toml"
    settings.write_text(settings.read_text().replace("timeout_ms = 2000", "timeout_ms = 30000"))
    return root


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The error line of a failed command: no traceback, and it names every needle."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "Error:" not in result.stderr.replace("guidegen:", ""), result.stderr
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if all(n in line for n in needles)]
    assert lines, f"no line naming {needles}:\n{output}"
    return lines[0]


@pytest.fixture(scope="module")
def captured_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project captured once, on the web only (the fastest platform)."""
    root = project(tmp_path_factory.mktemp("captured"))
    result = guidegen(root, "capture", "--platform", "web")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def demo(captured_web: Path, tmp_path: Path) -> Path:
    """A fresh copy of the captured project for one test to damage."""
    root = tmp_path / "project"
    shutil.copytree(captured_web, root)
    return root


def frames(root: Path) -> dict:
    return json.loads((root / JOB / "frames.json").read_text("utf-8"))


def set_frames(root: Path, meta: dict) -> None:
    (root / JOB / "frames.json").write_text(json.dumps(meta), "utf-8")


# 1. A crafted frames.json must not reach outside its folder.


def test_a_step_id_that_leaves_the_folder_is_refused_by_capture_prune(demo: Path) -> None:
    victim = demo.parent / "victim.png"
    victim_raw = demo.parent / "victim.txt"
    victim.write_bytes(b"keep me")
    victim_raw.write_bytes(b"keep me too")
    meta = frames(demo)
    meta["steps"].append(
        {
            "id": "../../../../../victim",
            "number": 9,
            "frames": [{"raw": "../../../../../victim.txt", "marks": [], "redactions": []}],
        }
    )
    set_frames(demo, meta)
    result = guidegen(demo, "capture", "--force", "--prune", "--guide", "demo", "--platform", "web")
    assert result.returncode == 2, result.stdout + result.stderr
    one_line_error(result, "frames.json", "steps[2]", "outside")
    assert victim.read_bytes() == b"keep me" and victim_raw.read_bytes() == b"keep me too"


def test_redraw_refuses_a_step_id_or_raw_frame_outside_the_folder(demo: Path) -> None:
    meta = frames(demo)
    meta["steps"][0]["id"] = "../../../../../outside"
    set_frames(demo, meta)
    result = guidegen(demo, "redraw")
    assert result.returncode == 2
    one_line_error(result, "frames.json", "steps[0].id", "outside")
    assert not list(demo.parent.glob("outside*"))

    meta["steps"][0]["id"] = "step-1"
    meta["steps"][0]["frames"][0]["raw"] = "/etc/passwd"
    set_frames(demo, meta)
    result = guidegen(demo, "redraw")
    assert result.returncode == 2
    one_line_error(result, "frames.json", "steps[0].frames[0].raw", "outside")


# 2. A guide that is a symlink is refused without being read.


def test_a_symlinked_guide_is_refused_unread(tmp_path: Path) -> None:
    root = project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\ntoken: s3cr3t\n")
    (root / "steps" / "x.yml").symlink_to(secret)
    for args in (("lint", "steps/x.yml"), ("lint",), ("render",)):
        result = guidegen(root, *args)
        assert result.returncode == 2, args
        output = result.stdout + result.stderr
        assert "hunter2" not in output and "s3cr3t" not in output, output
        one_line_error(result, "x.yml", "symlink")


# 3. Damaged committed images are named and repaired by a capture.


def damage(root: Path) -> None:
    (root / JOB / "step-1.webp").write_bytes(b"not a png at all")
    data = (root / JOB / "raw/step-2-1.png").read_bytes()
    (root / JOB / "raw/step-2-1.png").write_bytes(data[: len(data) // 2])


def test_damaged_images_are_named_by_check_render_and_redraw(demo: Path) -> None:
    damage(demo)
    result = guidegen(demo, "capture", "--check", "--platform", "web")
    assert result.returncode == 1
    one_line_error(result, str(JOB / "step-1.webp"))
    one_line_error(result, str(JOB / "raw/step-2-1.png"))
    result = guidegen(demo, "render")
    assert result.returncode == 2
    one_line_error(result, str(JOB / "step-1.webp"), "guidegen capture")
    result = guidegen(demo, "redraw")
    assert result.returncode == 2
    one_line_error(result, str(JOB / "raw/step-2-1.png"), "guidegen capture")


def decodes(path: Path) -> bool:
    with Image.open(path) as image:
        image.load()
    return True


@pytest.mark.parametrize("mode", [(), ("--force",)])
def test_a_capture_replaces_damaged_images(demo: Path, mode: tuple[str, ...]) -> None:
    damage(demo)
    result = guidegen(demo, "capture", *mode, "--platform", "web")
    assert result.returncode == 0, result.stderr
    assert "up to date 0" in result.stdout
    if not mode:
        one_line_error(result, str(JOB / "step-1.webp"))
    assert decodes(demo / JOB / "step-1.webp") and decodes(demo / JOB / "raw/step-2-1.png")


def test_damage_after_a_no_op_run_is_still_found(demo: Path) -> None:
    """A no-op capture remembers the folders it found whole by their files' stat;
    damage done afterwards changes a stat, so it is looked at again."""
    then = time.time_ns() - 3_600_000_000_000
    for path in (demo / "screenshots").rglob("*"):
        os.utime(path, ns=(then, then))
    result = guidegen(demo, "capture", "--platform", "web")
    assert "captured 0" in result.stdout, result.stdout + result.stderr
    assert (demo / ".guidegen/cache/whole-folders.json").is_file()
    damage(demo)
    result = guidegen(demo, "capture", "--platform", "web")
    assert result.returncode == 0, result.stderr
    assert "captured 1, up to date 0" in result.stdout
    assert decodes(demo / JOB / "step-1.webp") and decodes(demo / JOB / "raw/step-2-1.png")


# 4. A browser crash fails the runs in flight only; a browser that cannot start is one line.

CRASH_GUIDE = """\
id: crash
title: {en: Crash}
summary: {en: The browser dies on the way.}
platforms: [web]
steps:
  - text: {en: "Open the page that ends the browser."}
    actions:
      - goto: /crash.html
"""


def test_a_browser_crash_fails_only_the_run_in_flight(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "steps" / "crash.yml").write_text(CRASH_GUIDE)
    pids = tmp_path / "browser-pids"
    wrapper = tmp_path / "chromium"
    wrapper.write_text(f'#!/bin/sh\necho $$ >> {pids}\nexec /usr/lib/chromium/chromium "$@"\n')
    wrapper.chmod(0o755)

    class Killer(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/crash.html"):
                # The browser asking for this page is the one launched last.
                os.kill(int(pids.read_text().split()[-1]), signal.SIGKILL)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serve(FIXTURE_APP, handler=Killer) as url:  # type: ignore[arg-type]
        result = guidegen(
            root,
            "capture",
            "--platform",
            "web",
            "--workers",
            "1",
            "--base-url",
            url,
            GUIDEGEN_CHROMIUM=str(wrapper),
        )
    assert result.returncode == 1, result.stderr
    one_line_error(result, "crash › step 1 ", "› web/en", "the browser crashed")
    assert "captured demo › web/en" in result.stdout
    assert "captured 1, up to date 0, failed 1" in result.stdout
    report = json.loads((root / ".guidegen/report/results.json").read_text())
    assert [line.split(" ›")[0] for line in report["failures"]] == ["crash"]
    assert len(pids.read_text().split()) == 2  # relaunched once, for the demo run
    assert decodes(root / JOB / "step-2.webp")


def test_a_browser_that_cannot_start_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = guidegen(root, "capture", "--platform", "web", GUIDEGEN_CHROMIUM="/bin/false")
    assert result.returncode == 2
    one_line_error(result, "/bin/false", "GUIDEGEN_CHROMIUM")


# 5. Two captures at once: one waits for the other's lock, no update is lost.


def test_two_captures_at_once_lose_no_manifest_entry(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "steps" / "second.yml").write_text(SECOND_GUIDE)
    command = [sys.executable, "-m", "guidegen.cli", "capture", "--platform", "web"]
    env = {**os.environ, "CI": "true"}
    runs = [
        subprocess.Popen(
            [*command, "--guide", guide], cwd=root, env=env, stdout=subprocess.PIPE, text=True
        )
        for guide in ("demo", "second")
    ]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    manifest = json.loads((root / "screenshots/manifest.json").read_text())
    assert set(manifest) == {"en/web/demo", "en/web/second"}
    result = guidegen(root, "capture", "--platform", "web", GUIDEGEN_CHROMIUM="/none")
    assert "captured 0, up to date 2" in result.stdout, result.stdout + result.stderr


def test_a_second_run_waits_for_the_lock_and_names_its_holder(demo: Path) -> None:
    lock_file = demo / ".guidegen" / "screenshots.lock"
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(f"{os.getpid()}\n")
        held.flush()
        process = subprocess.Popen(
            [sys.executable, "-m", "guidegen.cli", "redraw"],
            cwd=demo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        line = process.stderr.readline()
        assert f"waiting for pid {os.getpid()}" in line, line
        assert process.poll() is None  # still waiting while the lock is held
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "0 images redrawn" in out


# 6. build swaps the site in one rename; a killed build's leftovers go away.


def test_the_site_swap_never_leaves_a_moment_without_a_site(tmp_path: Path) -> None:
    from guidegen.files import replace_dir

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0")
    misses: list[int] = []
    stop = threading.Event()
    with serve(site) as url:

        def hammer() -> None:
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(url + "index.html", timeout=30) as response:
                        response.read()
                except urllib.error.HTTPError as error:
                    misses.append(error.code)

        readers = [threading.Thread(target=hammer) for _ in range(4)]
        for reader in readers:
            reader.start()
        for build in range(1, 201):
            staging = tmp_path / f".site-{build}"
            staging.mkdir()
            (staging / "index.html").write_text(str(build))
            replace_dir(staging, site)
        stop.set()
        for reader in readers:
            reader.join()
    assert misses == []
    assert (site / "index.html").read_text() == "200"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_gitignore_covers_what_a_killed_run_leaves() -> None:
    leftovers = [".site-k2j3h4/index.html", "screenshots/en/web/x/.step-1.webp.a8f3.tmp", ".x.tmp"]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *leftovers],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == leftovers


# 7. Environment errors end in one line.


@contextlib.contextmanager
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("command", ["shop", "serve"])
def test_a_busy_port_is_one_line(tmp_path: Path, command: str) -> None:
    root = project(tmp_path)
    with busy_port() as port:
        result = guidegen(root, command, "--port", str(port))
    assert result.returncode == 2
    one_line_error(result, f"port {port}", "in use", "--port")


@pytest.mark.parametrize("port", ["80000", "-1", "http"])
def test_a_bad_port_is_a_usage_error(tmp_path: Path, port: str) -> None:
    result = guidegen(project(tmp_path), "shop", "--port", port)
    assert result.returncode == 2
    one_line_error(result, "--port")


def test_junk_results_given_to_merge_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    shard = root / "shard"
    shard.mkdir()
    for junk in ("{not json", '{"items": 5}', '{"items": [{"key": 1}]}', "[]"):
        (shard / "results.json").write_text(junk)
        result = guidegen(root, "merge", "shard", "--out", "merged")
        assert result.returncode == 2, junk
        one_line_error(result, "results.json")


def test_report_images_outside_their_folder_are_refused_by_merge(tmp_path: Path) -> None:
    root = project(tmp_path)
    shard = root / "shard"
    (shard / "images").mkdir(parents=True)
    (shard / "images" / "leak.png").symlink_to("/etc/passwd")
    (shard / "results.json").write_text(json.dumps({"items": [], "manifest": {}, "failures": []}))
    result = guidegen(root, "merge", "shard", "--out", "merged")
    assert result.returncode == 2
    one_line_error(result, "leak.png", "symlink")
    assert not (root / "merged/images/leak.png").exists()
    item = {"key": "en/web/demo/step-1", "status": "changed", "before": "../../../etc/passwd"}
    (shard / "images" / "leak.png").unlink()
    (shard / "results.json").write_text(json.dumps({"items": [item], "manifest": {}}))
    result = guidegen(root, "merge", "shard", "--out", "merged")
    assert result.returncode == 2
    one_line_error(result, "results.json", "items[0].before", "outside")


@pytest.mark.parametrize(
    "junk",
    ["{cut", '{"steps": [{"id": "step-1"}]}', '{"steps": 5}', '{"steps": [{"id": 7}]}'],
)
def test_a_cut_or_wrong_frames_json_is_one_line_in_redraw(demo: Path, junk: str) -> None:
    (demo / JOB / "frames.json").write_text(junk)
    result = guidegen(demo, "redraw")
    assert result.returncode == 2
    one_line_error(result, str(JOB / "frames.json"), "guidegen capture")


def can_mount() -> bool:
    probe = Path("/tmp/guidegen-mount-probe")
    probe.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)])
    if done.returncode:
        return False
    subprocess.run(["umount", str(probe)], check=True)
    return True


mounting = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("mount") is None or not can_mount(),
    reason="needs permission to mount a tmpfs",
)


@contextlib.contextmanager
def mounted(folder: Path, options: str) -> Iterator[Path]:
    """folder's contents on a small tmpfs mounted over it (options: mount -o)."""
    keep = folder.with_name(folder.name + ".orig")
    folder.rename(keep)
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], check=True)
    try:
        shutil.copytree(keep, folder, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@mounting
def test_a_read_only_screenshots_folder_is_one_line(demo: Path) -> None:
    image = demo / JOB / "step-1.webp"
    Image.new("RGB", (4, 4)).save(image)  # so redraw has an image to write
    with mounted(demo / "screenshots", "ro"):
        result = guidegen(demo, "redraw")
    assert result.returncode == 1
    one_line_error(result, str(JOB), "read-only")


@mounting
def test_a_read_only_docs_folder_is_one_line(demo: Path) -> None:
    (demo / "docs").mkdir()
    with mounted(demo / "docs", "ro"):
        result = guidegen(demo, "render")
    assert result.returncode == 1
    one_line_error(result, "docs", "read-only")


@mounting
def test_a_full_disk_is_one_line_and_leaves_no_half_file(demo: Path) -> None:
    (demo / JOB / "step-1.webp").unlink()
    with mounted(demo / "screenshots", "size=4m") as disk:
        with open(disk / "filler", "wb") as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        result = guidegen(demo, "redraw")
        assert result.returncode == 1
        one_line_error(result, str(JOB / "step-1.webp"), "disk is full")
        assert not list(disk.rglob("*.tmp"))


# 8. A cut frames.json is recaptured, not trusted; a damaged cache is not published.


def test_a_cut_frames_json_is_named_and_recaptured(demo: Path) -> None:
    text = (demo / JOB / "frames.json").read_text()
    (demo / JOB / "frames.json").write_text(text[: len(text) // 2])
    result = guidegen(demo, "capture", "--check", "--platform", "web")
    assert result.returncode == 1
    one_line_error(result, str(JOB / "frames.json"))
    result = guidegen(demo, "capture", "--platform", "web")
    assert result.returncode == 0, result.stderr
    assert "captured 1, up to date 0" in result.stdout
    one_line_error(result, str(JOB / "frames.json"))
    assert json.loads((demo / JOB / "frames.json").read_text())["steps"]


def test_a_damaged_site_cache_entry_is_made_again(demo: Path) -> None:
    assert guidegen(demo, "render").returncode == 0
    site_image = sorted((demo / "docs/en/assets/screenshots/web/demo").glob("step-1.*.webp"))[0]
    good = site_image.read_bytes()
    for entry in (demo / ".guidegen/cache/site").iterdir():
        entry.write_bytes(entry.read_bytes()[:100])
    site_image.unlink()
    assert guidegen(demo, "render").returncode == 0
    assert site_image.read_bytes() == good


# 9. Leftovers of a killed run are removed by the next one.


def test_leftover_temporary_files_are_removed_by_the_next_run(demo: Path) -> None:
    leftovers = [
        demo / JOB / ".step-1.webp.x8k2.tmp",
        demo / JOB / "raw/.step-1-1.png.q1w2.tmp",
        demo / "screenshots/.manifest.json.abcd.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    result = guidegen(demo, "capture", "--platform", "web")
    assert result.returncode == 0, result.stderr
    assert not [p for p in leftovers if p.exists()]


def test_a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(demo: Path) -> None:
    (demo / "mkdocs.yml").write_text("site_name: Demo\ndocs_dir: docs/en\nsite_dir: site\n")
    (demo / "docs/en").mkdir(parents=True)
    (demo / "docs/en/index.md").write_text("# Demo\n")
    first = guidegen(demo, "build")
    assert first.returncode == 0, first.stderr
    old_index = (demo / "site/index.html").read_bytes()
    (demo / ".site-k2j3h4").mkdir()  # as a build killed by an older guidegen leaves it
    process = subprocess.Popen(
        [sys.executable, "-m", "guidegen.cli", "build"],
        cwd=demo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not list(demo.glob(f".site-{process.pid}-*/*")) and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert (demo / "site/index.html").read_bytes() == old_index
    assert guidegen(demo, "build").returncode == 0
    assert not list(demo.glob(".site-*"))
    assert (demo / "site/guides/demo/index.html").is_file()


# 10. The servers answer every request with a status, time out idle clients,
# check Host on the preview and stay quiet when a client goes away.


def raw_request(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def preview_server(site: Path) -> contextlib.AbstractContextManager[str]:
    from guidegen.site.preview import Status, serve_site

    return serve_site(site, Status())


@pytest.mark.parametrize("which", ["static", "preview"])
def test_hostile_paths_get_a_4xx_and_no_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], which: str
) -> None:
    (tmp_path / "index.html").write_text("<p>hi</p>")
    server = serve(tmp_path) if which == "static" else preview_server(tmp_path)
    with server as url:
        host = url.removeprefix("http://").rstrip("/")
        for path in ("/%00", "/a%00b.html", "/" + "x" * 5000, "/" + "y" * 300 + "/z"):
            request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            answer = raw_request(url, request.encode())
            assert re.match(rb"HTTP/1\.[01] 4\d\d ", answer), (path[:20], answer[:80])
    assert "Traceback" not in capfd.readouterr().err


def test_idle_connections_time_out(tmp_path: Path) -> None:
    from guidegen.server import Handler

    class Quick(Handler):
        timeout = 0.5

    (tmp_path / "index.html").write_text("hi")
    with serve(tmp_path, handler=Quick) as url:
        assert raw_request(url, b"") == b""  # closed by the server, with nothing sent
    assert Handler.timeout and Handler.timeout <= 60


def test_the_preview_answers_only_its_own_host(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with preview_server(tmp_path) as url:
        port = url.rstrip("/").rsplit(":", 1)[1]
        for host, expected in (
            (f"127.0.0.1:{port}", b" 200 "),
            (f"localhost:{port}", b" 200 "),
            (f"evil.example:{port}", b" 403 "),
            ("127.0.0.1", b" 403 "),
        ):
            request = (
                f"GET /__guidegen/status HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            )
            assert expected in raw_request(url, request.encode()).split(b"\r\n")[0], host


def test_a_client_that_goes_away_prints_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(32 * 1024 * 1024))
    baseline = threading.active_count()
    with serve(tmp_path) as url:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        for _ in range(3):
            connection = socket.create_connection((host, int(port)))
            connection.sendall(f"GET /big.bin HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            connection.recv(1024)
            # Reset, not a polite close: the server's next write fails at once.
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            connection.close()
        deadline = time.monotonic() + 60
        while threading.active_count() > baseline + 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "Traceback" not in capfd.readouterr().err


# 11. Ctrl-C: one line, exit 130, no asyncio noise, nothing half-written.


def test_ctrl_c_during_capture_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "steps" / "second.yml").write_text(SECOND_GUIDE)
    process = terminal_job(
        [sys.executable, "-m", "guidegen.cli", "capture", "--workers", "1"],
        cwd=root,
        env={**os.environ, "CI": "true"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("[1/4] captured"), first
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    last = err.splitlines()[-1]
    assert re.fullmatch(r"interrupted: \d of 4 runs done, nothing half-written", last), err
    assert "Traceback" not in err and "Future exception" not in err, err
    assert not list(root.rglob("*.tmp"))
    for meta in root.glob("screenshots/*/*/*/frames.json"):
        json.loads(meta.read_text())


# Random bytes in every state file: never a traceback, never an internal error.

STATE_FILES = {
    "frames.json": (JOB / "frames.json", ("redraw", "render", "capture --check")),
    "step image": (JOB / "step-1.webp", ("redraw", "render", "capture --check")),
    "raw frame": (JOB / "raw/step-1-1.png", ("redraw", "capture --check")),
    "manifest": (Path("screenshots/manifest.json"), ("capture", "merge shard --out merged")),
    "report": (Path("shard/results.json"), ("merge shard --out merged",)),
    "site cache": (Path("cache-entry"), ("render",)),
}


def run_in_process(root: Path, command: str) -> tuple[int, str]:
    """The exit code and stderr of a guidegen command line."""
    result = guidegen(root, *command.split())
    return result.returncode, result.stderr


def fuzz_bytes(original: bytes):  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(["steps", "id", "frames", "raw", "items"]), inner)
        ),
        max_leaves=12,
    )

    def cut(data: bytes, at: int, junk: bytes) -> bytes:
        return data[: at % (len(data) + 1)] + junk

    return st.one_of(
        st.binary(max_size=300),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.builds(cut, st.just(original), st.integers(0, 10**6), st.binary(max_size=20)),
    )


@pytest.mark.parametrize("name", sorted(STATE_FILES))
def test_random_bytes_in_a_state_file_never_give_a_traceback(
    captured_web: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hypothesis import HealthCheck, given, settings

    monkeypatch.setenv("GUIDEGEN_CHROMIUM", str(tmp_path / "no-browser"))
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("GUIDEGEN_DEBUG", raising=False)
    base = tmp_path / "base"
    shutil.copytree(captured_web, base)
    (base / "shard").mkdir()
    results = {"items": [], "manifest": {"en/web/demo": "0"}, "failures": []}
    (base / "shard/results.json").write_text(json.dumps(results))
    assert run_in_process(base, "render")[0] == 0
    cache_entry = sorted((base / ".guidegen/cache/site").iterdir())[0]
    relative, commands = STATE_FILES[name]
    if name == "site cache":
        relative = cache_entry.relative_to(base)
    original = (base / relative).read_bytes()
    counter = iter(range(10**6))

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=fuzz_bytes(original))
    def check(data: bytes) -> None:
        root = tmp_path / f"example-{next(counter)}"
        shutil.copytree(base, root, symlinks=True)
        try:
            (root / relative).write_bytes(data)
            for command in commands:
                code, err = run_in_process(root, command)
                assert code in (0, 1, 2), (command, code, err)
                assert "GUIDEGEN_DEBUG" not in err and "Traceback" not in err, (command, err)
        finally:
            shutil.rmtree(root)

    check()
