"""The app's own server: started with a free port, polled until ready, stopped as a group."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from guidegen.capture import appserver
from guidegen.capture.appserver import AppNotReady, free_port, require_reachable, reset, started
from guidegen.capture.manifest import watch_hash
from guidegen.config import Config, ConfigError, Server, parse_table
from guidegen.server import serve
from tests.commands import guidegen

# A server that also starts a child, to show the whole process group stops.
APP = """\
import http.server, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open("pids.txt", "w").write(f"{child.pid}\\n")
print("app starting", flush=True)
http.server.test(HandlerClass=http.server.SimpleHTTPRequestHandler, port=int(sys.argv[1]),
                 bind="127.0.0.1")
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of ours would still answer; ours are reaped, others are init's.
    status = Path(f"/proc/{pid}/status")
    return status.is_file() and "zombie" not in status.read_text()


def test_the_server_starts_on_a_free_port_and_stops_with_its_children(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "health").write_text("ok")
    server = Server(command=f"{sys.executable} app.py {{port}}", ready_path="/health")
    with started(Config(root=tmp_path), server) as url:
        with urllib.request.urlopen(url + "health") as response:
            assert response.read() == b"ok"
        child = int((tmp_path / "pids.txt").read_text())
        assert _alive(child)
        # Asked again while running (check's second pass), it is the same server.
        with started(Config(root=tmp_path), server) as again:
            assert again == url
    assert not _alive(child)
    with pytest.raises(AppNotReady):
        require_reachable(url)


def test_a_server_that_exits_early_is_one_line_with_its_last_output(tmp_path: Path) -> None:
    command = f"{sys.executable} -c \"print('port taken'); raise SystemExit(3)\""
    with (
        pytest.raises(AppNotReady, match=r"exited with code 3 .*last output: port taken$"),
        started(Config(root=tmp_path), Server(command=command)),
    ):
        pass
    # Where the project says how the app is installed, the message says it too.
    installing = Server(command=command, app_setup="pip install -r requirements.txt")
    with (
        pytest.raises(
            AppNotReady,
            match=r"port taken; if the app is not installed here, run "
            r"'pip install -r requirements.txt'$",
        ),
        started(Config(root=tmp_path), installing),
    ):
        pass


def test_a_port_taken_before_the_server_binds_it_is_tried_again_on_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between free_port's probe and the server's start, another process can take
    the port, and would answer for the app: another port is taken. A server that
    exits before it is ready (as one that cannot bind its port does) is started
    again on another port, up to PORT_ATTEMPTS times."""
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.html").write_text("another app")
    with serve(tmp_path / "other") as other:
        taken = urllib.parse.urlsplit(other).port
        ports = iter([taken, free_port()])
        monkeypatch.setattr(appserver, "free_port", lambda: next(ports))
        server = Server(command=f"{sys.executable} -m http.server {{port}} --bind 127.0.0.1")
        with started(Config(root=tmp_path), server) as url:
            assert url != f"http://127.0.0.1:{taken}/"
            assert urllib.request.urlopen(url).status == 200
        assert next(ports, None) is None
    monkeypatch.undo()
    # A command that always exits is tried PORT_ATTEMPTS times, then said once.
    counted = tmp_path / "starts"
    command = f"{sys.executable} -c \"open('starts', 'a').write('x'); raise SystemExit(3)\""
    with (
        pytest.raises(AppNotReady, match="exited with code 3"),
        started(Config(root=tmp_path), Server(command=command)),
    ):
        pass
    assert counted.read_text() == "x" * appserver.PORT_ATTEMPTS


def test_an_app_given_by_url_that_is_down_is_one_line_up_front(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.guidegen]\nlanguages = ["en"]\nbase_url = "http://127.0.0.1:{free_port()}/"\n'
    )
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "a.yml").write_text(
        "id: a\ntitle: {en: A}\nsummary: {en: A.}\nplatforms: [web]\nsteps:\n  - text: {en: A.}\n"
    )
    result = guidegen(tmp_path, "check")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "warning:" not in line]
    assert len(errors) == 1
    assert "app not reachable at http://127.0.0.1:" in errors[0]


def test_without_a_configuration_every_command_says_so_with_the_fix(tmp_path: Path) -> None:
    for command in (["lint"], ["build"], ["check"], ["new", "x"], ["capture"], ["render"]):
        result = guidegen(tmp_path, *command)
        assert result.returncode == 2, command
        assert result.stderr.count("\n") == 1, result.stderr
        assert "run guidegen init" in result.stderr
    assert not (tmp_path / "steps").exists()


def test_each_worker_gets_its_own_server_and_reset(tmp_path: Path) -> None:
    for worker in (0, 1):
        (tmp_path / f"site-{worker}").mkdir()
        (tmp_path / f"site-{worker}" / "which").write_text(f"site {worker}")
    server = Server(
        command=f"{sys.executable} -m http.server {{port}} --bind 127.0.0.1",
        cwd="site-{worker}",
        env={"LIBRARY_DB": "library-{worker}.sqlite3"},
        reset='echo "$LIBRARY_DB {worker} {port} {scenario}" > reset.txt',
    )
    assert server.isolated
    config = Config(root=tmp_path)
    with started(config, server, 0) as first, started(config, server, 1) as second:
        assert first != second
        for worker, url in enumerate((first, second)):
            with urllib.request.urlopen(url + "which") as response:
                assert response.read() == f"site {worker}".encode()
            reset(config, server, url, worker, "damaged-item", "a › web/en")
            port = url.rsplit(":", 1)[1].strip("/")
            said = (tmp_path / f"site-{worker}" / "reset.txt").read_text().split()
            assert said == [f"library-{worker}.sqlite3", str(worker), port, "damaged-item"]


def test_a_failing_reset_is_one_line_with_the_command_and_its_last_line(tmp_path: Path) -> None:
    server = Server(command="unused", reset="echo first; echo 'database is locked' >&2; exit 4")
    with pytest.raises(AppNotReady) as failed:
        reset(Config(root=tmp_path), server, "http://127.0.0.1:8000/", 0, "", "a › web/en")
    assert str(failed.value) == (
        "reset command 'echo first; echo 'database is locked' >&2; exit 4' (before a › web/en) "
        "exited with code 4; last output: database is locked"
    )


def test_a_worker_server_needs_a_port_of_its_own() -> None:
    table = {"command": "app --data data-{worker}", "url": "http://127.0.0.1:8000/"}
    with pytest.raises(ConfigError, match=r"url needs \{port\}"):
        parse_table(Path("."), {"server": table})
    assert not parse_table(Path("."), {"server": {"command": "app {port}"}}).server.isolated


NOT_HERE = """\
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_error(404 if self.path == "/" else 200)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def test_a_ready_path_that_answers_404_says_so_without_waiting_out_the_timeout(
    tmp_path: Path,
) -> None:
    (tmp_path / "app.py").write_text(NOT_HERE)
    server = Server(command=f"{sys.executable} app.py {{port}}", timeout_s=600)
    with pytest.raises(AppNotReady) as failed, started(Config(root=tmp_path), server):
        pass
    message = str(failed.value)
    assert "is up, but the app answers HTTP 404 at http://127.0.0.1:" in message
    assert (
        "set [tool.guidegen.server] ready_path to a page of the app that answers 2xx or 3xx"
        in message
    )
    assert "within 600 s" not in message


def test_watch_globs_are_relative_to_the_project_or_absolute(tmp_path: Path) -> None:
    (tmp_path / "project" / "app").mkdir(parents=True)
    (tmp_path / "project" / "app" / "views.py").write_text("one")
    (tmp_path / "elsewhere" / "templates").mkdir(parents=True)
    template = tmp_path / "elsewhere" / "templates" / "list.html"
    template.write_text("<ul>")
    server = Server(
        command="app {port}", cwd="app", watch=("app/*.py", f"{tmp_path}/elsewhere/**/*.html")
    )
    config = Config(root=tmp_path / "project", server=server)
    before = watch_hash(config, server)
    template.write_text("<ol>")
    after_template = watch_hash(config, server)
    (tmp_path / "project" / "app" / "views.py").write_text("two")
    assert len({before, after_template, watch_hash(config, server)}) == 3


def test_a_server_stopped_by_its_worker_is_not_named_dead_for_another_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker whose runs are done stops its server while another worker's run
    fails: that stop is not the app dying under the failed run."""
    # A server that runs until it is stopped: it waits for input that never comes.
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    key = ("the app", 0)
    url = f"http://127.0.0.1:{free_port()}/"
    appserver._running[key] = appserver._App("the app", url, process, Path("log"), ())

    def stopped_meanwhile(_: str) -> bool:
        # Between exited()'s look at the servers and its look at this one.
        del appserver._running[key]
        process.terminate()
        process.wait()
        return True

    monkeypatch.setattr(appserver, "_refused", stopped_meanwhile)
    try:
        assert appserver.exited() is None
    finally:
        appserver._running.pop(key, None)
        process.kill()
        process.wait()
