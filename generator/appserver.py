"""The app under test: started by guidegen from ``[tool.guidegen.server]``, or checked.

Modelled on Playwright's ``webServer``: the command runs in its own process
group with a free port, ``ready_path`` is polled until it answers 2xx or 3xx,
and everything it started is stopped when the work ends, however it ends
(success, failure, Ctrl-C, SIGTERM, and SIGKILL of guidegen: the command runs
under ``childprocess.supervise``, which ends with guidegen and takes with it
every process below it, daemons that left the group included). An app that
dies during the work is named with its exit code and last output. An app that
is given as a URL is checked once up front, so an app that is down is one line
instead of a failure per guide run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import childprocess
from generator.config import Config, Server, hide_secrets

# How long one poll of ready_path may take, and the pause between polls; the
# deadline is the configured timeout_s.
POLL_TIMEOUT_S = 2.0
POLL_PAUSE_S = 0.1
STOP_GRACE_S = 5.0
OUTPUT_LINES = 5


class AppNotReady(Exception):
    """The app could not be started or reached: one line, exit code 1."""


class AppExited(AppNotReady):
    """The app that guidegen started died while the guides ran."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> str | None:
    """None when url answers 2xx or 3xx, else why not (a status or a connection error)."""
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=POLL_TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return str(reason)
    return None if 200 <= status < 400 else f"HTTP {status}"


def require_reachable(url: str) -> None:
    """AppNotReady when nothing answers at url (any HTTP answer will do)."""
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=POLL_TIMEOUT_S * 5):
            return
    except urllib.error.HTTPError:
        return
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise AppNotReady(
            f"app not reachable at {url} ({reason}); start it, or describe how to start it "
            "in [tool.guidegen.server]"
        ) from None


def _last_lines(log: Path, secrets: Iterable[str] = ()) -> str:
    try:
        text = log.read_text("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return hide_secrets(" | ".join(lines[-OUTPUT_LINES:]), secrets) or "(no output)"


def _fill(text: str, port: int) -> str:
    return text.replace("{port}", str(port))


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the command and everything it started (its process group)."""
    if process.poll() is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # children left behind by the shell
        _wait_group_gone(process.pid)
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        # The supervisor gives the app its own grace before it kills what is left.
        process.wait(timeout=STOP_GRACE_S + childprocess.GRACE_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    _wait_group_gone(process.pid)


def _wait_group_gone(group: int) -> None:
    """Return once no process of the group is left (a killed one takes a moment to go)."""
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(POLL_PAUSE_S / 10)


def _wait_ready(
    server: Server,
    process: subprocess.Popen[bytes],
    ready: str,
    log: Path,
    command: str,
    secrets: tuple[str, ...],
) -> None:
    deadline = time.monotonic() + server.timeout_s
    why = "not started"
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            raise AppNotReady(
                f"app server '{command}' exited with code {code} before it was ready; "
                f"last output: {_last_lines(log, secrets)}"
            )
        failing = answers(ready)
        if failing is None:
            return
        why = failing
        time.sleep(POLL_PAUSE_S)
    raise AppNotReady(
        f"app server '{command}' was not ready at {ready} within {server.timeout_s} s "
        f"({why}); raise [tool.guidegen.server] timeout_s or fix the app; "
        f"last output: {_last_lines(log, secrets)}"
    )


@dataclass(frozen=True)
class _App:
    command: str  # as run, {port} filled in
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    secrets: tuple[str, ...]


# The servers this process has running, by command: a command that asks for
# the app while it is already up gets the same one (check runs failed guides
# again; serve recaptures many times).
_running: dict[str, _App] = {}


def _refused(url: str) -> bool:
    """Whether nothing answers at url at all (any HTTP answer is an answer)."""
    try:
        with urllib.request.urlopen(url, timeout=POLL_TIMEOUT_S):
            return False
    except urllib.error.HTTPError:
        return False
    except (urllib.error.URLError, OSError):
        return True


def exited() -> AppExited | None:
    """The app server guidegen started, if it has died: its exit code and last
    output, for a run that failed because the app went away."""
    for app in _running.values():
        if app.process.poll() is None and _refused(app.url):
            # It no longer answers: give it the time to be seen gone, if it is going.
            deadline = time.monotonic() + STOP_GRACE_S + childprocess.GRACE_S
            while app.process.poll() is None and time.monotonic() < deadline:
                time.sleep(POLL_PAUSE_S)
        code = app.process.poll()
        if code is not None:
            return AppExited(
                f"the app server '{app.command}' exited with code {code} while the guides "
                f"ran; its last output: {_last_lines(app.log, app.secrets)}; fix the app "
                "(or [tool.guidegen.server] command) and run again"
            )
    return None


@contextlib.contextmanager
def started(config: Config, server: Server) -> Iterator[str]:
    """Start the app's server (or reuse one); yield its base URL; always stop what was started."""
    if server.command in _running:
        yield _running[server.command].url
        return
    fixed = "{port}" not in server.url
    if (
        server.reuse_existing
        and fixed
        and answers(server.url.rstrip("/") + server.ready_path) is None
    ):
        yield server.url
        return
    port = free_port()
    command = _fill(server.command, port)
    url = _fill(server.url, port)
    ready = url.rstrip("/") + server.ready_path
    env = {**os.environ, **server.env, "PORT": str(port)}
    with tempfile.TemporaryDirectory(prefix="guidegen-app-") as folder:
        log = Path(folder) / "output.log"
        with log.open("wb") as output:
            # Started from the thread that stops it (the main one), which outlives
            # it: the parent-death signal reaches the supervisor when guidegen dies.
            process = subprocess.Popen(
                childprocess.supervised(command),
                cwd=config.root / server.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=childprocess.tie_to_parent(signal.SIGTERM),
            )
        secrets = tuple(config.secret_values().values())
        try:
            _wait_ready(server, process, ready, log, command, secrets)
            _running[server.command] = _App(command, url, process, log, secrets)
            try:
                yield url
            finally:
                del _running[server.command]
        finally:
            _stop(process)
