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
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import childprocess
from ..config import WORKER, Config, Server, hide_secrets

# How long one poll of ready_path may take, and the pause between polls; the
# deadline is the configured timeout_s.
POLL_TIMEOUT_S = 2.0
POLL_PAUSE_S = 0.1
# How long ready_path must answer one client error (404, 403) before that is the answer.
CLIENT_ERROR_S = 2.0
STOP_GRACE_S = 5.0
OUTPUT_LINES = 5


class AppNotReady(Exception):
    """The app could not be started or reached: one line, exit code 1."""


class AppExited(AppNotReady):
    """The app that guidegen started died while the guides ran."""


class _ExitedBeforeReady(AppNotReady):
    """The app's server ended before it answered: maybe because another process
    took its port between free_port's probe and the server's own bind."""


# Starts of a server whose port guidegen chose ({port}) before its failure is said.
PORT_ATTEMPTS = 3


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listened_on(port: int) -> bool:
    """Whether a process listens on the port already."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def status(url: str) -> int | str:
    """The HTTP status url answers with, or why it does not answer (a connection error)."""
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=POLL_TIMEOUT_S) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError) as error:
        return str(getattr(error, "reason", error))


def answers(url: str) -> str | None:
    """None when url answers 2xx or 3xx, else why not (a status or a connection error)."""
    found = status(url)
    if isinstance(found, str):
        return found
    return None if 200 <= found < 400 else f"HTTP {found}"


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


def _fill(text: str, port: int, worker: int = 0) -> str:
    return text.replace("{port}", str(port)).replace(WORKER, str(worker))


def _environment(server: Server, port: int, worker: int) -> dict[str, str]:
    own = {name: _fill(value, port, worker) for name, value in server.env.items()}
    return {**os.environ, **own, "PORT": str(port)}


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


def _wrong_page(server: Server, ready: str, code: int) -> str:
    return (
        f'the app answers HTTP {code} at {ready} (ready_path "{server.ready_path}"); set '
        "[tool.guidegen.server] ready_path to a page of the app that answers 2xx or 3xx, "
        'e.g. "/login/"'
    )


def _wait_ready(
    server: Server,
    process: subprocess.Popen[bytes],
    ready: str,
    log: Path,
    command: str,
    secrets: tuple[str, ...],
) -> None:
    deadline = time.monotonic() + server.timeout_s
    why: int | str = "not started"
    # Since when the app has answered ready_path with a client error, and only with
    # that: a server that is up and says the page is not there will not change its
    # mind, so that is said without waiting out the whole timeout.
    refused_since: float | None = None
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            setup = f"; if the app is not installed here, run {server.app_setup!r}"
            raise _ExitedBeforeReady(
                f"app server '{command}' exited with code {code} before it was ready; "
                f"last output: {_last_lines(log, secrets)}" + (setup if server.app_setup else "")
            )
        found = status(ready)
        # Only while the server lives is the answer its own: another process may
        # hold the port it could not bind.
        if isinstance(found, int) and 200 <= found < 400 and process.poll() is None:
            return
        if isinstance(found, int) and 400 <= found < 500:
            if found != why or refused_since is None:
                refused_since = time.monotonic()
            elif time.monotonic() - refused_since >= CLIENT_ERROR_S:
                wrong = _wrong_page(server, ready, found)
                raise AppNotReady(f"app server '{command}' is up, but {wrong}")
        else:
            refused_since = None
        why = found
        time.sleep(POLL_PAUSE_S)
    if isinstance(why, int) and 400 <= why < 500:
        raise AppNotReady(f"app server '{command}': {_wrong_page(server, ready, why)}")
    shown = f"HTTP {why}" if isinstance(why, int) else why
    raise AppNotReady(
        f"app server '{command}' was not ready at {ready} within {server.timeout_s} s "
        f"({shown}); raise [tool.guidegen.server] timeout_s or fix the app; "
        f"last output: {_last_lines(log, secrets)}"
    )


@dataclass(frozen=True)
class _App:
    command: str  # as run, {port} and {worker} filled in
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    secrets: tuple[str, ...]


# The servers this process has running, by command and worker: a command that
# asks for the app while it is already up gets the same one (check runs failed
# guides again; serve recaptures many times).
_running: dict[tuple[str, int], _App] = {}


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
    """An app server guidegen started, if it has died: its exit code and last
    output, for a run that failed because the app went away."""
    for key, app in list(_running.items()):
        if app.process.poll() is None and _refused(app.url):
            # It no longer answers: give it the time to be seen gone, if it is going.
            deadline = time.monotonic() + STOP_GRACE_S + childprocess.GRACE_S
            while app.process.poll() is None and time.monotonic() < deadline:
                time.sleep(POLL_PAUSE_S)
        code = app.process.poll()
        # A server leaves _running before guidegen stops it (a worker whose runs
        # are done, while another's run failed): one that left was stopped, not dead.
        if code is not None and _running.get(key) is app:
            return AppExited(
                f"the app server '{app.command}' exited with code {code} while the guides "
                f"ran; its last output: {_last_lines(app.log, app.secrets)}; fix the app "
                "(or [tool.guidegen.server] command) and run again"
            )
    return None


@contextlib.contextmanager
def started(config: Config, server: Server, worker: int = 0) -> Iterator[str]:
    """Start the app's server for a worker (or reuse one); yield its base URL; always
    stop what was started. {worker} in the command, cwd and env becomes worker."""
    key = (server.command, worker)
    if key in _running:
        yield _running[key].url
        return
    fixed = "{port}" not in server.url
    if (
        server.reuse_existing
        and fixed
        and answers(server.url.rstrip("/") + server.ready_path) is None
    ):
        yield server.url
        return
    with contextlib.ExitStack() as stack:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = free_port()
            # Taken since the probe: what answers there would pass for the app.
            if _listened_on(port) and attempt < PORT_ATTEMPTS:
                continue
            try:
                url = stack.enter_context(_started_on(config, server, worker, key, port))
                break
            except _ExitedBeforeReady:
                if fixed or attempt == PORT_ATTEMPTS:
                    raise
        yield url


@contextlib.contextmanager
def _started_on(
    config: Config, server: Server, worker: int, key: tuple[str, int], port: int
) -> Iterator[str]:
    command = _fill(server.command, port, worker)
    url = _fill(server.url, port, worker)
    ready = url.rstrip("/") + server.ready_path
    env = _environment(server, port, worker)
    with tempfile.TemporaryDirectory(prefix="guidegen-app-") as folder:
        log = Path(folder) / "output.log"
        with log.open("wb") as output:
            # Started from the thread that stops it, which outlives it: the
            # parent-death signal reaches the supervisor when guidegen dies.
            process = subprocess.Popen(
                childprocess.supervised(command),
                cwd=config.root / _fill(server.cwd, port, worker),
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
            _running[key] = _App(command, url, process, log, secrets)
            try:
                yield url
            finally:
                del _running[key]
        finally:
            _stop(process)


def reset(config: Config, server: Server, url: str, worker: int, scenario: str, run: str) -> None:
    """Run the server's reset command for the worker whose app is at url, before run;
    AppNotReady, naming the command and its last line of output, unless it exits 0.
    scenario is a guide's id-like scenario name, safe in a shell command as it is."""
    port = urllib.parse.urlsplit(url).port or 0
    command = _fill(server.reset, port, worker).replace("{scenario}", scenario)
    with tempfile.TemporaryFile() as output:
        # Supervised like the server: nothing it started outlives it or guidegen.
        process = subprocess.Popen(
            childprocess.supervised(command),
            cwd=config.root / _fill(server.cwd, port, worker),
            env=_environment(server, port, worker),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=childprocess.tie_to_parent(signal.SIGTERM),
        )
        try:
            code: int | None = process.wait(timeout=server.timeout_s)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            _stop(process)
        output.seek(0)
        lines = [line.strip() for line in output.read().decode("utf-8", "replace").splitlines()]
    last = next((line for line in reversed(lines) if line), "(no output)")
    last = hide_secrets(last, config.secret_values().values())
    if code is None:
        raise AppNotReady(
            f"reset command '{command}' (before {run}) did not end within "
            f"{server.timeout_s} s (timeout_s); last output: {last}"
        )
    if code != 0:
        raise AppNotReady(
            f"reset command '{command}' (before {run}) exited with code {code}; last output: {last}"
        )
