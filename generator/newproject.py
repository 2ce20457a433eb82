"""``guidegen init DIR``: a complete docs project for any app.

It writes the configuration (pyproject.toml with [tool.guidegen]), the MkDocs
configuration per language, a home page per language, a starter guide that
passes lint, the guide schema, a .gitignore and a CI workflow. Right after
it, ``guidegen lint`` and ``guidegen build`` pass in DIR. Nothing in it points
back into guidegen's own folders: the site's stylesheet and script are copied
from the package at build time.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .config import load_config, parse_table
from .files import write_atomic
from .guide.lint import refresh_schema
from .guide.scaffold import new_guide, parse_platforms
from .guide.types import PLATFORMS

TEMPLATES = Path(__file__).parent / "templates"
STARTER_GUIDE = "first-guide"
_LANG_RE = re.compile(r"^[a-z]{2}$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Languages whose words (tab labels, {tap}) guidegen has built in.
WORDS = {
    "ja": {
        "name": "日本語",
        "site": "ヘルプ",
        "start": "ホーム",
        "guides": "手順ガイド",
        "home": "操作の手順を、お使いの端末ごとに画像つきでご案内します。"
        "[手順ガイドの一覧](guides/index.md)からお選びください。",
    },
    "en": {
        "name": "English",
        "site": "Help",
        "start": "Home",
        "guides": "Guides",
        "home": "Step-by-step help with pictures for your device. "
        "Choose a task from [the guides](guides/index.md).",
    },
}


class InitError(Exception):
    """Bad input to ``guidegen init``: one line, exit code 2."""


@dataclass(frozen=True)
class Options:
    folder: Path
    app_url: str | None = None
    app_command: str | None = None
    languages: tuple[str, ...] = ("ja", "en")
    platforms: tuple[str, ...] = PLATFORMS
    force: bool = False
    cwd: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    watch: tuple[str, ...] = ()
    app_setup: str | None = None


def parse_languages(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ("ja", "en")
    chosen = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    if not chosen:
        raise InitError("--languages: name at least one, e.g. ja,en")
    for lang in chosen:
        if not _LANG_RE.match(lang) or lang not in WORDS:
            raise InitError(
                f"--languages: '{lang}' is not one guidegen has words for; use some of "
                f"{','.join(WORDS)}"
            )
    return chosen


def _toml(value: str) -> str:
    # A JSON string is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def pyproject(options: Options) -> str:
    langs = ", ".join(_toml(lang) for lang in options.languages)
    platforms = ", ".join(_toml(p) for p in options.platforms)
    lines = [
        "# Written by guidegen init. Every key of [tool.guidegen] is described in",
        "# the format reference; `guidegen --help` lists the commands.",
        "[tool.guidegen]",
        f"languages = [{langs}]",
        f"platforms = [{platforms}]",
        "# Path each run opens first; {platform}, {lang} and {scenario} are filled in.",
        'start_url = "/"',
        "# A CSS selector that matches once the app has finished drawing (optional).",
        "# ready = \"body[data-ready='true']\"",
        "# The frozen time of every run, so dates in the screenshots never change.",
        'clock = "2026-01-01T10:00:00+09:00"',
        "guide_index = true",
        "# The site's public URL, for its sitemap, canonical links and 404 page.",
        '# site_url = "https://example.org/help/"',
    ]
    if options.app_url:
        lines += [
            "# The running app the guides are checked against.",
            f"base_url = {_toml(options.app_url)}",
        ]
    if options.app_command:
        watch = ", ".join(_toml(glob) for glob in options.watch)
        lines += [
            "",
            "# How guidegen starts your app for capture, check and serve, and stops it after.",
            "[tool.guidegen.server]",
            "# {port} becomes a free port (also in the PORT environment variable).",
            f"command = {_toml(options.app_command)}",
            'url = "http://127.0.0.1:{port}/"',
            "# Polled until it answers 2xx or 3xx: a page of the app, e.g. its sign-in page.",
            'ready_path = "/"',
            "timeout_s = 60",
        ]
        if options.cwd:
            lines += [f"cwd = {_toml(options.cwd)}"]
        if options.env:
            pairs = ", ".join(f"{_toml(name)} = {_toml(value)}" for name, value in options.env)
            lines += [f"env = {{ {pairs} }}"]
        lines += [
            "# The app's source files (relative to this folder, or absolute): when none of",
            "# them changed, capture skips the runs.",
            f"watch = [{watch}]",
            "# A command that puts the app's data back before every guide run; with",
            '# {worker} in env (e.g. DATABASE = "app-{worker}.db") each worker gets its own',
            "# server, so parallel runs never share data.",
            '# reset = "./reset-data.sh {scenario}"',
        ]
        if options.app_setup:
            lines += [
                "# How CI installs the app (a step of .github/workflows/screenshots.yml).",
                f"app_setup = {_toml(options.app_setup)}",
            ]
    if not (options.app_url or options.app_command):
        lines += [
            "# Where the app is: a running URL, or a command guidegen starts, e.g.",
            '# base_url = "http://127.0.0.1:8000/"',
            "# [tool.guidegen.server]",
            '# command = "python -m myapp --port {port}"',
        ]
    return "\n".join(lines) + "\n"


def mkdocs_file(options: Options, lang: str) -> str:
    first = options.languages[0]
    alternate = ""
    if len(options.languages) > 1:
        entries = []
        # Relative to this language's root, so the site works from any sub-path.
        up = "" if lang == first else "../"
        for other in options.languages:
            link = "" if other == lang else up + ("" if other == first else f"{other}/")
            entries += [
                f"    - name: {WORDS[other]['name']}",
                f'      link: "{link}"',
                f"      lang: {other}",
            ]
        alternate = "extra:\n  alternate:\n" + "\n".join(entries)
    template = Template((TEMPLATES / "mkdocs.yml").read_text("utf-8"))
    text = template.substitute(
        lang=lang,
        lang_name=WORDS[lang]["name"],
        inherit="" if lang == first else "INHERIT: mkdocs.yml",
        site_name=_toml(f"{options.folder.resolve().name} {WORDS[lang]['site']}"),
        site_dir="site" if lang == first else f"site/{lang}",
        # The home page's heading is the site's name, which the nav shows above
        # its entries already: the entry itself is labelled Home.
        home_label=WORDS[lang]["start"],
        guides_label=WORDS[lang]["guides"],
        alternate=alternate,
    )
    return text


def home_page(options: Options, lang: str) -> str:
    words = WORDS[lang]
    return f"# {options.folder.resolve().name} {words['site']}\n\n{words['home']}\n"


def _check_folder(options: Options) -> None:
    folder = options.folder
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not options.force:
        raise InitError(
            f"{folder}: not empty; choose an empty folder, or add --force to write the "
            "project's files into it (files of the same name are replaced)"
        )


def workflow(options: Options) -> str:
    """The CI workflow, with the app's install step when there is one."""
    setup = ""
    if options.app_setup:
        # A block scalar takes the command as it is, whatever characters it has.
        setup = f"      - name: Install the app\n        run: |\n          {options.app_setup}\n"
    template = Template((TEMPLATES / "screenshots.yml").read_text("utf-8"))
    return template.substitute(app_setup=setup)


def init(options: Options) -> list[Path]:
    """Write the project; return the files written, relative to its folder."""
    _check_folder(options)
    if options.app_url and options.app_command:
        raise InitError("--app-url and --app-command: give one of them")
    server_only = {
        "--cwd": options.cwd,
        "--env": options.env,
        "--watch": options.watch,
        "--app-setup": options.app_setup,
    }
    for flag, value in server_only.items():
        if value and not options.app_command:
            raise InitError(f"{flag} describes the app's server: give --app-command too")
    if options.app_setup is not None and (
        "\n" in options.app_setup or not options.app_setup.strip()
    ):
        raise InitError("--app-setup: give one command line, e.g. pip install -r requirements.txt")
    root = options.folder.resolve()
    text = pyproject(options)
    # The options end up in the configuration; a bad one fails here, before any file.
    parse_table(root, tomllib.loads(text)["tool"]["guidegen"])
    files: dict[str, str] = {
        "pyproject.toml": text,
        ".gitignore": Template((TEMPLATES / "gitignore").read_text("utf-8")).substitute(),
        ".github/workflows/screenshots.yml": workflow(options),
    }
    for index, lang in enumerate(options.languages):
        name = "mkdocs.yml" if index == 0 else f"mkdocs.{lang}.yml"
        files[name] = mkdocs_file(options, lang)
        files[f"docs/{lang}/index.md"] = home_page(options, lang)
    for name, text in files.items():
        write_atomic(root / name, text.encode("utf-8"))
    config = load_config(root)
    written = [Path(name) for name in files]
    schema = refresh_schema(config)
    written.append(schema.relative_to(config.root))
    guide = config.path("steps_dir") / f"{STARTER_GUIDE}.yml"
    if options.force:
        guide.unlink(missing_ok=True)
    written.append(
        new_guide(config, STARTER_GUIDE, None, ",".join(options.platforms)).relative_to(config.root)
    )
    return written


def parse_env(pairs: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """--env NAME=VALUE options as (name, value) pairs."""
    parsed = []
    for pair in pairs:
        name, sign, value = pair.partition("=")
        if not sign or not _ENV_NAME_RE.match(name):
            raise InitError(f"--env {pair}: expected NAME=VALUE, e.g. --env DEBUG=0")
        parsed.append((name, value))
    return tuple(parsed)


def options_from(
    folder: str,
    app_url: str | None,
    app_command: str | None,
    languages: str | None,
    platforms: str | None,
    force: bool,
    *,
    cwd: str | None = None,
    env: Sequence[str] = (),
    watch: Sequence[str] = (),
    app_setup: str | None = None,
) -> Options:
    return Options(
        Path(folder),
        app_url,
        app_command,
        parse_languages(languages),
        parse_platforms(platforms),
        force,
        cwd,
        parse_env(env),
        tuple(watch),
        app_setup,
    )
