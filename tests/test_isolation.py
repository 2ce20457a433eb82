"""Parallel runs against a real third-party app (the stock Django admin): one app
server and one database per worker ({worker} in the server's env), a reset
command before every run, and the setup guide run per worker and after each
reset. A guide adds a book while another lists the books: with a server per
worker, the added book is never in the list."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidegen.capture.jobs import Job
from guidegen.capture.workers import clear_failures
from guidegen.cli import main
from guidegen.config import Config
from guidegen.guide.model import Guide
from tests.django_admin import PASSWORD, make_project

ADD_BOOK = """\
# yaml-language-server: $schema=../.guidegen/guide.schema.json
id: add-book
title: {ja: 本を追加する, en: Add a book}
summary: {ja: 新しい本を登録します。, en: Add a new book to the library.}
setup: sign-in
steps:
  - id: save
    text:
      ja: ①書名と②著者名、③出版年を入力し、④ジャンルを選んで、⑤「保存」を{tap}します。
      en: "Enter ① the title, ② the author and ③ the year, choose ④ the genre, then {tap} ⑤ Save."
    actions:
      - goto: /admin/books/book/add/
      - fill: {target: {role: textbox, name: {ja: "Title:", en: "Title:"}}, value: Kappa}
      - fill: {target: {role: textbox, name: {ja: "Author:", en: "Author:"}}, value: Akutagawa}
      - fill: {target: {role: spinbutton, name: {ja: "Year:", en: "Year:"}}, value: "1927"}
      - select: {target: {role: combobox, name: {ja: "Genre:", en: "Genre:"}}, option: Novel}
      - tap: {role: button, name: {ja: 保存, en: Save}, exact: true}
      - expect-visible: {text: {ja: 追加しました, en: added successfully}}
"""

# The list of books, which must never show the book the other guide adds.
LIST_BOOKS = """\
# yaml-language-server: $schema=../.guidegen/guide.schema.json
id: list-books
title: {ja: 本の一覧を見る, en: See the books}
summary: {ja: 登録されている本を一覧で見ます。, en: See every book of the library.}
setup: sign-in
steps:
  - id: list
    text: {ja: ①「Emma」が一覧にあります。, en: "① Emma is in the list."}
    actions:
      - highlight: {role: link, name: {ja: Emma, en: Emma}}
      - expect-absent: {role: link, name: {ja: Kappa, en: Kappa}}
"""

WEB = ["--platform", "web", "--workers", "2", "--guide", "add-book", "--guide", "list-books"]


def _servers_in(folder: Path) -> list[int]:
    """The processes (but this one) whose working folder is inside folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            where = (entry / "cwd").resolve(strict=True)
        except OSError:
            continue
        if where.is_relative_to(folder.resolve()):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("isolation") / "library-docs")
    config = project / "pyproject.toml"
    # Each reset also says which worker and port it served, for the test to read.
    config.write_text(
        config.read_text().replace(
            'reset_library"', 'reset_library && echo {worker} {port} >> ../resets.txt"'
        )
    )
    (project / "steps" / "add-book.yml").write_text(ADD_BOOK)
    (project / "steps" / "list-books.yml").write_text(LIST_BOOKS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIBRARY_PASSWORD", PASSWORD)
        patch.setenv("CI", "true")
        patch.chdir(project)
        yield project


def test_each_worker_has_its_own_server_database_and_sign_in(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = library / ".guidegen" / "failures" / "list-books-step1-web-en.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier failure")

    # Four runs on two workers: each worker resets and signs in again for its second.
    assert main(["capture", "--force", *WEB]) == 0, capsys.readouterr().err
    assert "captured 4, up to date 0, failed 0" in capsys.readouterr().out
    assert main(["capture", "--check", *WEB, "--lang", "en"]) == 0, capsys.readouterr().err
    assert "checked 2, up to date 0, failed 0" in capsys.readouterr().out

    # Two servers, each with its database (made as it starts, whichever runs it gets).
    databases = sorted(p.name for p in (library / "app").glob("*.sqlite3"))
    assert databases == ["library-0.sqlite3", "library-1.sqlite3"]
    resets = [line.split() for line in (library / "resets.txt").read_text().splitlines()]
    assert len(resets) == 6  # before each run
    # Within one command each worker's resets name one port, its server's, and two
    # workers never share one.
    for command in (resets[:4], resets[4:]):
        ports = {worker: {port for w, port in command if w == worker} for worker, _ in command}
        assert all(len(own) == 1 for own in ports.values()), ports
        assert len(set.union(*ports.values())) == len(ports), ports
    # The last reset of each database left the seed: a book added before it is gone.
    for name in databases:
        with sqlite3.connect(library / "app" / name) as db:
            titles = {title for (title,) in db.execute("select title from books_book")}
        assert "Emma" in titles

    # No app server is left.
    assert _servers_in(library / "app") == []
    assert not stale.exists()


def test_a_failing_reset_names_the_command_and_its_last_line(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = library / "pyproject.toml"
    before = config.read_text()
    config.write_text(
        re.sub(
            r'reset = ".*"',
            'reset = "echo seeding; echo no such table: books_book >&2; exit 3"',
            before,
        )
    )
    try:
        code = main(["capture", "--check", *WEB, "--guide", "list-books"])
    finally:
        config.write_text(before)
    err = capsys.readouterr().err
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("guidegen: reset command 'echo seeding; echo no such table")
    assert "exited with code 3; last output: no such table: books_book" in line
    assert _servers_in(library / "app") == []


def test_a_run_clears_only_its_own_earlier_failures_and_never_through_a_link(
    tmp_path: Path,
) -> None:
    guide = Guide.model_validate(
        {
            "id": "find",
            "title": {"en": "F"},
            "summary": {"en": "F."},
            "steps": [{"text": {"en": "A."}}],
        }
    )
    config = Config(root=tmp_path / "project", languages=("en",))
    failures = config.root / ".guidegen" / "failures"
    traces = config.root / ".guidegen" / "traces"
    mine = ["find-step2-web-en.png", "find-step0-web-en.png"]
    others = ["find-step2-ios-en.png", "find-fast-step1-web-en.png", "find-step2-web-en-dark.png"]
    for folder, names in ((failures, [*mine, *others]), (traces, ["find-web-en.zip", "x.zip"])):
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / name).write_bytes(b"old")
    clear_failures(config, [Job(guide, "web", "en")])
    assert sorted(p.name for p in failures.iterdir()) == sorted(others)
    assert [p.name for p in traces.iterdir()] == ["x.zip"]

    # A failures folder that is a link to another folder is not emptied.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "find-step1-web-en.png").write_bytes(b"not ours")
    shutil.rmtree(failures)
    failures.symlink_to(elsewhere)
    clear_failures(config, [Job(guide, "web", "en")])
    assert (elsewhere / "find-step1-web-en.png").is_file()


FAILING = """\
id: THE-ID
title: {en: Name}
summary: {en: Types a name.}
platforms: [web]
steps:
  - text: {en: "Type ① your name."}
    actions:
      - fill: {target: name, value: {env: GUIDEGEN_TEST_UNSET_NAME}}
"""


def test_a_failed_run_on_an_app_the_workers_share_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "index.html").write_text('<input data-testid="name" aria-label="Name">')
    (tmp_path / "steps").mkdir()
    for name in ("first", "second"):
        (tmp_path / "steps" / f"{name}.yml").write_text(FAILING.replace("THE-ID", name))
    server = (
        "[tool.guidegen.server]\n"
        f'command = "{sys.executable} -m http.server {{port}} --bind 127.0.0.1"\n'
        'cwd = "app"\n'
    )
    config = tmp_path / "pyproject.toml"
    declared = 'secrets = ["GUIDEGEN_TEST_UNSET_NAME"]\n'
    config.write_text(f'[tool.guidegen]\nlanguages = ["en"]\n{declared}{server}')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUIDEGEN_TEST_UNSET_NAME", raising=False)
    assert main(["capture", "--check", "--workers", "2"]) == 1
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if " › " in line]
    assert len(failed) == 2, err
    for line in failed:
        assert "GUIDEGEN_TEST_UNSET_NAME" in line
        assert "2 workers share one app, so another run may have changed the app's data" in line
        assert "Document your own app › One app server per worker" in line

    # With a server per worker, a failure is only what it is.
    config.write_text(config.read_text() + '[tool.guidegen.server.env]\nWORKER = "{worker}"\n')
    assert main(["capture", "--check", "--workers", "2"]) == 1
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if " › " in line]
    assert len(failed) == 2 and not any("share" in line for line in failed), err
