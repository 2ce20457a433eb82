"""Acceptance: a team documents its own app with guidegen installed from the wheel.

Real subprocesses and real Chromium, in a folder outside this repository: the
app has its own server command (a small Python server), a sign-in form and a
native confirm(). The steps are the README's "Document your own app" path.
One platform and one language keep it short.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

LIBRARY = Path(__file__).resolve().parent / "fixtures" / "library"
PASSWORD = "s3cret-pass"  # what LIBRARY_PASSWORD holds; must appear in no file written


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text()
    except OSError:
        return False


@pytest.fixture
def shell(installed_guidegen: Path, tmp_path: Path):
    env = {
        **os.environ,
        "PATH": f"{installed_guidegen}{os.pathsep}{os.environ['PATH']}",
        "LIBRARY_PASSWORD": PASSWORD,
        "LIBRARY_PID_FILE": str(tmp_path / "app-pids.txt"),
        "CI": "true",
    }
    env.pop("VIRTUAL_ENV", None)

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )

    return run


def test_a_team_documents_its_own_app(shell, installed_guidegen: Path, tmp_path: Path) -> None:
    which = shell("python", "-c", "import guidegen; print(guidegen.__file__)", cwd=tmp_path)
    assert Path(which.stdout.strip()).is_relative_to(installed_guidegen.parent)

    # guidegen init in an empty folder; lint and build pass right away.
    command = f"{sys.executable} app/server.py {{port}}"
    made = shell(
        "guidegen",
        "init",
        "library-docs",
        "--app-command",
        command,
        "--languages",
        "en",
        "--platforms",
        "web",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "library-docs"
    for step in (["guidegen", "lint"], ["guidegen", "build"]):
        result = shell(*step, cwd=project)
        assert result.returncode == 0, result.stderr
    # The nav's title is the site's name; its first entry is Home, not the name again.
    home = (project / "site" / "index.html").read_text()
    entries = home.split("md-nav--primary", 1)[1].split("md-nav__list", 1)[1].split("</nav>")[0]
    assert "library-docs Help" not in entries and "Home" in entries

    # The app, its sign-in setup guide and a guide that answers a confirm().
    shutil.copytree(LIBRARY, project / "app", ignore=shutil.ignore_patterns("*.yml"))
    for guide in LIBRARY.glob("*.yml"):
        shutil.copy(guide, project / "steps" / guide.name)
    (project / "steps" / "first-guide.yml").unlink()
    config = (project / "pyproject.toml").read_text()
    config = config.replace('ready_path = "/"', 'ready_path = "/health"')
    config = config.replace("watch = []", 'watch = ["app/*.py"]')
    config = config.replace(
        "guide_index = true",
        'guide_index = true\ntimeout_ms = 5000\nsecrets = ["LIBRARY_PASSWORD"]',
    )
    (project / "pyproject.toml").write_text(config)
    assert shell("guidegen", "lint", cwd=project).returncode == 0

    captured = shell("guidegen", "capture", cwd=project)
    assert captured.returncode == 0, captured.stdout + captured.stderr
    assert "captured 1, up to date 0, failed 0" in captured.stdout
    pids = [int(p) for p in (tmp_path / "app-pids.txt").read_text().split()]
    assert len(pids) == 1 and not _alive(pids[0])

    built = shell("guidegen", "build", cwd=project)
    assert built.returncode == 0, built.stderr
    page = (project / "site" / "guides" / "reserve-book" / "index.html").read_text()
    # The cancel step's second picture is the frame with the drawn dialog.
    assert 'src="../../assets/screenshots/web/reserve-book/cancel.2.' in page
    assert "{tap}" not in page and "You can click Reserve for up to five books." in page

    # The signed-in screen, and the confirm() drawn with its message and buttons,
    # the pressed OK marked ②.
    shots = project / "screenshots" / "en" / "web" / "reserve-book"
    frames = json.loads((shots / "frames.json").read_text())
    cancel = next(s for s in frames["steps"] if s["id"] == "cancel")
    dialog = cancel["frames"][1]["dialog"]
    assert dialog == {
        "kind": "confirm",
        "message": "Cancel the reservation of The Hidden Garden?",
        "buttons": ["Cancel", "OK"],
        "pressed": 1,
        "prompt": None,
    }
    (mark,) = cancel["frames"][1]["marks"]
    assert mark["number"] == 2
    x, y, _, h = mark["box"]
    with Image.open(shots / "raw" / "cancel-2.png") as raw:
        assert raw.convert("RGB").getpixel((round(x + 6), round(y + h / 2))) == (26, 115, 232)
    published = project / "site" / "assets" / "screenshots" / "web" / "reserve-book"
    assert list(published.glob("cancel.2.*"))
    signed_in = (shots / "reserve.webp").is_file()
    assert signed_in  # book-reserve is only on the signed-in page

    # The password is in no file guidegen wrote: pages, frames, report, site.
    for path in project.rglob("*"):
        if path.is_file() and not path.is_relative_to(project / "app"):
            assert PASSWORD.encode() not in path.read_bytes(), path

    # Nothing changed: the second capture starts neither the app nor a browser.
    again = shell("guidegen", "capture", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "everything up to date" in again.stdout
    assert "captured 0, up to date 1, failed 0" in again.stdout
    assert len((tmp_path / "app-pids.txt").read_text().split()) == 1

    # A renamed test id in the app: check names the guide, step, file:line, platform/lang.
    server = project / "app" / "server.py"
    server.write_text(server.read_text().replace('"book-reserve"', '"book-reserve-now"'))
    checked = shell("guidegen", "check", cwd=project)
    assert checked.returncode == 1
    assert (
        "reserve-book › step 1 'reserve' (steps/reserve-book.yml:7) › web/en: tap 'book-reserve'"
        " — no element with test id 'book-reserve'; did you mean test id 'book-reserve-now'"
    ) in checked.stderr
    pids = [int(p) for p in (tmp_path / "app-pids.txt").read_text().split()]
    assert len(pids) == 2 and not any(_alive(p) for p in pids)
