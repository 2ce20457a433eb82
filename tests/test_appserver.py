"""The app's own server: started with a free port, polled until ready, stopped as a group."""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path

import pytest

from generator.appserver import AppNotReady, free_port, require_reachable, started
from generator.config import Config, Server
from tests.editor_project import guidegen

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
        pytest.raises(AppNotReady, match=r"exited with code 3 .*last output: port taken"),
        started(Config(root=tmp_path), Server(command=command)),
    ):
        pass


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
