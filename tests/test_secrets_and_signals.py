"""A hostile pull request and faults in CI (issue 25): secrets, fail-closed
redaction, SIGTERM, and an app or a browser driver that dies under a capture.

One capture of several small guides against the fixture app serves the secret
and redaction tests (one browser); the app-server tests need no browser but
the SIGTERM one, which runs guidegen as CI does, in a process of its own.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from guidegen.capture import browsers
from guidegen.capture.appserver import started
from guidegen.config import Config, Server
from guidegen.guide.lint import lint
from tests.commands import guidegen
from tests.conftest import FIXTURE_APP
from tests.test_cli_capture import GUIDE as DEMO_GUIDE
from tests.test_cli_capture import project as small_project

SECRET = "Zq7-hunter-42"  # what GUIDEGEN_TEST_CODE holds: it must show nowhere
MASK = (90, 90, 90)

HEAD = "title: {en: T}\nsummary: {en: S.}\nplatforms: [web]\n"
NEXT = "  - text: {en: '①{Tap} Next.'}\n    actions:\n      - tap: next\n"
TYPE = (
    "  - text: {en: '①Type the code.'}\n    actions:\n"
    "      - fill: {target: message, value: {env: GUIDEGEN_TEST_CODE}}\n"
)
SEND = (
    "  - text: {en: '①Type the code and ②{tap} Send.'}\n    actions:\n"
    "      - fill: {target: message, value: {env: GUIDEGEN_TEST_CODE}}\n"
    "      - tap: send\n"
)
GUIDES = {
    # The app shows the typed secret as text: no picture may be taken of it.
    "echo": "steps:\n"
    + NEXT
    + SEND
    + "  - text: {en: '① It is sent.'}\n    actions:\n      - highlight: sent\n",
    # A failed expect-text says what it found: the secret, as ***.
    "expect": "steps:\n"
    + NEXT
    + SEND
    + "  - text: {en: Done.}\n    actions:\n"
    + "      - expect-text: {target: sent, text: Delivered}\n",
    # The failure screenshot of a later step masks the field with the secret.
    "failshot": "steps:\n"
    + NEXT
    + TYPE
    + "  - text: {en: '①'}\n    actions:\n      - tap: no-such-button\n",
    # A run that passes: the field is masked in the step image and the raw frame.
    "typed": "steps:\n" + NEXT + TYPE,
    "redact-missing": "redact: [no-such-element]\nsteps:\n  - text: {en: Look.}\n",
    "mask-missing": "steps:\n  - text: {en: Look.}\n    actions:\n      - mask: no-such-field\n",
    "redact-styles": "redact: [secret, {blur: today}]\nsteps:\n  - text: {en: Look.}\n",
}


def guide(name: str, body: str) -> str:
    return f"id: {name}\n{HEAD}{body}"


def error_line(err: str) -> str:
    """The one line of a command that failed, lint's warnings aside."""
    errors = [line for line in err.splitlines() if "warning:" not in line]
    assert len(errors) == 1, err
    return errors[0]


def in_process(root: Path, *args: str) -> tuple[int, str, str]:
    """guidegen run in this process: exit code, stdout, stderr."""
    result = guidegen(root, *args)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """Every guide above captured once: the project, the exit code and the output."""
    root = small_project(tmp_path_factory.mktemp("secrets"), timeout_ms=5000)
    (root / "steps" / "demo.yml").unlink()
    for name, body in GUIDES.items():
        (root / "steps" / f"{name}.yml").write_text(guide(name, body))
    settings = root / "pyproject.toml"
    settings.write_text(settings.read_text() + 'secrets = ["GUIDEGEN_TEST_CODE"]\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GUIDEGEN_TEST_CODE", SECRET)
        patch.setenv("CI", "true")
        code, out, err = in_process(root, "capture", "--platform", "web")
    return root, code, out + err


def failure_line(output: str, guide: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(f"{guide} › ")]
    assert len(lines) == 1, output
    return lines[0]


def masked_pixels(path: Path) -> int:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
        return sum(count for count, colour in colours if colour == MASK)


# Finding 4: secrets.


def test_lint_refuses_an_env_value_that_is_not_a_declared_secret(tmp_path: Path) -> None:
    (tmp_path / "steps").mkdir()
    guide = tmp_path / "steps" / "typed.yml"
    guide.write_text(f"id: typed\n{HEAD}steps:\n{TYPE}")
    report = lint([tmp_path / "steps"], Config(root=tmp_path, languages=("en",)))
    (error,) = [str(p) for p in report.errors]
    assert error.startswith(f"{guide}:8:"), error
    assert 'add "GUIDEGEN_TEST_CODE" to [tool.guidegen] secrets' in error
    declared = Config(root=tmp_path, languages=("en",), secrets=("GUIDEGEN_TEST_CODE",))
    assert not lint([tmp_path / "steps"], declared).errors


def test_no_secret_is_printed_or_written_anywhere(captured: tuple[Path, int, str]) -> None:
    root, code, output = captured
    assert code == 1, output
    assert SECRET not in output
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    # The failed expect-text says what it found, with *** for the secret.
    assert "expected text 'Delivered', found 'Sent: ***'" in failure_line(output, "expect")


def test_a_secret_the_app_shows_fails_the_run_and_is_never_pictured(
    captured: tuple[Path, int, str],
) -> None:
    root, _, output = captured
    line = failure_line(output, "echo")
    shown = 'the value of secret GUIDEGEN_TEST_CODE shows on the screen in <p data-testid="sent">'
    assert shown in line
    assert "screenshot:" not in line and "screenshot:" not in failure_line(output, "expect")
    shots = [p.name for p in (root / ".guidegen").rglob("*.png")]
    assert not [name for name in shots if "echo" in name or "expect" in name], shots
    assert not (root / "screenshots/en/web/echo").exists()


def test_failure_screenshots_and_pictures_mask_a_typed_secret(
    captured: tuple[Path, int, str],
) -> None:
    root, _, output = captured
    assert "screenshot: .guidegen/failures/" in failure_line(output, "failshot")
    (failure,) = (root / ".guidegen/failures").glob("failshot*.png")
    (reported,) = (root / ".guidegen/report/images").glob("failed__*failshot*.png")
    field = 200 * 20  # the message field's inside, at the least
    assert masked_pixels(failure) > field and masked_pixels(reported) > field
    job = root / "screenshots/en/web/typed"
    assert masked_pixels(job / "step-2.webp") > field
    assert masked_pixels(job / "raw/step-2-1.png") > field


# Finding 5: redaction fails closed; a solid mask unless a blur is asked for.


def test_a_redaction_that_matches_nothing_fails_the_run(captured: tuple[Path, int, str]) -> None:
    root, _, output = captured
    line = failure_line(output, "redact-missing")
    assert "redact — test id 'no-such-element' is on none of the guide's screens" in line
    line = failure_line(output, "mask-missing")
    assert "mask 'no-such-field' — no element with test id 'no-such-field' to mask" in line
    for guide in ("redact-missing", "mask-missing"):
        assert not (root / "screenshots/en/web" / guide).exists()


def test_redact_masks_by_default_and_blurs_on_request(captured: tuple[Path, int, str]) -> None:
    import json

    root, _, _ = captured
    meta = json.loads((root / "screenshots/en/web/redact-styles/frames.json").read_text())
    (frame,) = meta["steps"][0]["frames"]
    assert sorted(r["style"] for r in frame["redactions"]) == ["blur", "mask"]


def test_a_blur_cannot_be_undone_by_trying_candidates() -> None:
    """Blurring every candidate the same way and keeping the match finds nothing:
    two hundred different PINs, drawn in the same font, blur to the same pixels."""
    from guidegen.capture.annotate import draw_frame
    from guidegen.capture.frames import Box, Frame, Redaction

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 32)
    rng = random.Random(25)
    pictures = set()
    for _ in range(200):
        image = Image.new("RGB", (240, 48), (255, 255, 255))
        ImageDraw.Draw(image).text(
            (8, 4), f"{rng.randrange(10_000):04d}", fill=(32, 33, 36), font=font
        )
        data = io.BytesIO()
        image.save(data, format="PNG")
        frame = Frame(data.getvalue(), (), (Redaction("blur", Box(0, 0, 120, 24)),))
        pictures.add(draw_frame(frame, 2).image.tobytes())
    assert len(pictures) == 1


# Finding 7 and point 12: SIGTERM, SIGKILL, a daemon, an app or driver that dies.

# An app server that starts a child and a daemon in a session of its own (whose
# parent exits at once), writes their pids, serves the fixture app, and exits
# with code 3 when /die is asked for.
APP = """\
import functools, http.server, os, subprocess, sys
SLEEP = [sys.executable, "-c", "import time; time.sleep(600)"]
DAEMON = (
    "import subprocess, sys; print(subprocess.Popen(%r, start_new_session=True,"
    " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)" % (SLEEP,)
)
child = subprocess.Popen(SLEEP)
daemon = subprocess.run([sys.executable, "-c", DAEMON], capture_output=True, text=True).stdout
with open(sys.argv[3], "w") as pids:
    pids.write(f"{os.getpid()} {child.pid} {daemon.strip()}\\n")

class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/die":
            print("dying on request", flush=True)
            os._exit(3)
        super().do_GET()

    def log_message(self, *args):
        pass

handler = functools.partial(Handler, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for condition, however busy the machine; fail naming what never came."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def app_project(tmp_path: Path) -> tuple[Path, Path]:
    """The demo project with the app above as its server: the root and the pids file."""
    root = small_project(tmp_path, timeout_ms=30000)
    (root / "app.py").write_text(APP)
    pids = tmp_path / "pids.txt"
    settings = root / "pyproject.toml"
    settings.write_text(
        settings.read_text().replace('shop_dir = "app"\n', "")
        + "\n[tool.guidegen.server]\n"
        + f'command = "{sys.executable} app.py {{port}} {FIXTURE_APP} {pids}"\n'
        + 'ready_path = "/index.html"\n'
    )
    return root, pids


def app_processes(pids: Path) -> list[int]:
    until(lambda: pids.is_file() and len(pids.read_text().split()) == 3, "the app's pids")
    return [int(pid) for pid in pids.read_text().split()]


def test_the_app_and_everything_it_started_end_with_the_capture(tmp_path: Path) -> None:
    root, pids = app_project(tmp_path)
    config = Config(root=root)
    command = f"{sys.executable} app.py {{port}} {FIXTURE_APP} {pids}"
    with started(config, Server(command=command, ready_path="/index.html")):
        processes = app_processes(pids)
        assert all(_alive(pid) for pid in processes)
    assert not [pid for pid in processes if _alive(pid)], "the app, its child or its daemon"


def test_the_app_ends_when_guidegen_is_killed_outright(tmp_path: Path) -> None:
    root, pids = app_project(tmp_path)
    command = f"{sys.executable} app.py {{port}} {FIXTURE_APP} {pids}"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from guidegen.capture.appserver import started\n"
            "from guidegen.config import Config, Server\n"
            f"with started(Config(root=Path({str(root)!r})), Server(command={command!r},"
            " ready_path='/index.html')):\n"
            "    print('up', flush=True)\n"
            "    time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "up\n"
    processes = app_processes(pids)
    holder.kill()
    holder.wait()
    until(lambda: not any(_alive(pid) for pid in processes), "the app to end with guidegen")


def test_sigterm_is_one_line_exit_143_and_ends_the_app(tmp_path: Path) -> None:
    root, pids = app_project(tmp_path)
    (root / "steps" / "second.yml").write_text(
        DEMO_GUIDE.replace("id: demo", "id: second").replace("[ios, web]", "[web]")
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "guidegen.cli", "capture", "--platform", "web", "--workers", "1"],
        cwd=root,
        env={**os.environ, "CI": "true"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("[1/2] captured"), first
    processes = app_processes(pids)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, err
    assert "Traceback" not in err and "Future exception" not in err, err
    last = err.splitlines()[-1]
    assert re.fullmatch(r"terminated \(SIGTERM\)(: \d of 2 runs done)?, nothing half-written", last)
    assert not [pid for pid in processes if _alive(pid)], "the app, its child or its daemon"
    assert not list(root.rglob("*.tmp"))


def test_an_app_that_dies_during_the_capture_is_named_with_its_exit(tmp_path: Path) -> None:
    root, _ = app_project(tmp_path)
    (root / "steps" / "demo.yml").write_text(
        guide("demo", "steps:\n  - text: {en: Go.}\n    actions:\n      - goto: /die\n")
    )
    code, _, err = in_process(root, "capture", "--platform", "web")
    assert code == 1, err
    line = error_line(err)
    assert line.startswith("guidegen: the app server '")
    assert "exited with code 3 while the guides ran" in line
    assert "its last output: dying on request" in line
    assert "ERR_CONNECTION_REFUSED" not in line


@contextlib.contextmanager
def driver_killer(before: set[int]) -> Iterator[str]:
    """The fixture app, whose /kill-driver kills the Playwright driver started since `before`."""
    import http.server

    from guidegen.server import serve

    class Killer(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/kill-driver"):
                for pid in set(children()) - before:
                    if b"node" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        os.kill(pid, signal.SIGKILL)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serve(FIXTURE_APP, handler=Killer) as url:  # type: ignore[arg-type]
        yield url


def children() -> list[int]:
    """This process's children, whichever of its threads started them."""
    me = os.getpid()
    found = []
    for task in os.listdir(f"/proc/{me}/task"):
        try:
            found += Path(f"/proc/{me}/task/{task}/children").read_text().split()
        except FileNotFoundError:  # a thread that ended since the listing
            continue
    return [int(pid) for pid in found]


def test_a_killed_browser_driver_is_one_line_naming_it(tmp_path: Path) -> None:
    root = small_project(tmp_path, timeout_ms=30000)
    (root / "steps" / "demo.yml").write_text(
        guide("demo", "steps:\n  - text: {en: Go.}\n    actions:\n      - goto: /kill-driver\n")
    )
    # The capture starts a driver of its own: none kept from an earlier one here.
    browsers.close_all()
    with driver_killer(set(children())) as url:
        code, _, err = in_process(root, "capture", "--platform", "web", "--base-url", url)
    assert code == 1, err
    line = error_line(err)
    assert "the browser driver (Playwright's node process) was killed or crashed" in line
    assert "run the command again" in line
    assert "TargetClosedError" not in line and "a bug in guidegen" not in line
