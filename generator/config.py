"""Project configuration: the ``[tool.guidegen]`` table of pyproject.toml.

A project must have the table (``guidegen init`` writes one); every key in it
is optional. Device profiles can be overridden per platform in
``[tool.guidegen.devices.PLATFORM]``; the app's own server is described in
``[tool.guidegen.server]``.
Each field's ``help`` is the text of the configuration reference that
``python -m guidegen.guide.reference`` writes into the editors' pages.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import platforms
from .guide.types import PLATFORMS, ColorScheme, Platform


@dataclass(frozen=True)
class Device:
    """How one platform is emulated and named."""

    descriptor: str | None = field(
        metadata={
            "help": 'Playwright device descriptor to emulate (e.g. "iPhone 13", '
            '"Pixel 7"); "" for a plain desktop browser of the given viewport.'
        }
    )
    label: dict[str, str] = field(metadata={"help": "The platform's tab label, per language."})
    verb: dict[str, str] = field(
        metadata={"help": "What {tap} becomes in the guide text, per language."}
    )
    viewport: tuple[int, int] | None = field(
        default=None,
        metadata={"help": "[width, height] in CSS pixels when there is no descriptor."},
    )
    color_schemes: tuple[ColorScheme, ...] | None = field(
        default=None,
        metadata={
            "help": "Capture only these of the project's colour schemes on this platform; "
            "default: all of them."
        },
    )
    scale: float | None = field(
        default=None,
        metadata={
            "help": "Screenshot pixels per CSS pixel, from 1 to 4; default: the "
            "descriptor's own (3 for an iPhone), 1 without a descriptor. The site "
            "serves pictures up to twice their CSS width, so 2 loses readers nothing "
            "and commits about 30% fewer bytes than 3."
        },
    )


def default_devices() -> dict[Platform, Device]:
    """Each registered platform's device, as its profile has it."""
    return {
        p.name: Device(p.descriptor, dict(p.labels), dict(p.verbs), viewport=p.viewport)
        for p in platforms.PROFILES
    }


DEVICES = default_devices()

LOCALES = {"ja": "ja-JP", "en": "en-US"}
# In the server's command, cwd and env: the worker's number, 0 to N-1.
WORKER = "{worker}"
ENGINES = ("mkdocs", "zensical")


@dataclass(frozen=True)
class Server:
    """The app's own server, started and stopped by guidegen (like Playwright's webServer)."""

    command: str = field(
        metadata={
            "help": "Shell command that starts the app; {port} becomes a free port chosen "
            "by guidegen (also given as the PORT environment variable). {worker} here, in "
            "cwd or in an env value starts one server per worker (0, 1, …), each with its "
            "own port, so that parallel runs never share the app's data."
        }
    )
    url: str = field(
        default="http://127.0.0.1:{port}/",
        metadata={"help": "Where the app answers once started; {port} as in command."},
    )
    ready_path: str = field(
        default="/",
        metadata={"help": "Path polled until it answers 2xx or 3xx; then the runs start."},
    )
    timeout_s: int = field(
        default=60, metadata={"help": "How long the app may take to become ready, in seconds."}
    )
    reuse_existing: bool = field(
        default=False,
        metadata={"help": "Use an app already answering at url instead of starting one."},
    )
    cwd: str = field(
        default="",
        metadata={
            "help": "Folder the command runs in, relative to the project; {worker} as in command."
        },
    )
    env: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "help": "Extra environment variables for the command; {port} and {worker} as in "
            "command."
        },
    )
    watch: tuple[str, ...] = field(
        default=(),
        metadata={
            "help": "Globs of the app's source files, relative to the project's folder (not "
            "to cwd) or absolute; their contents are hashed so that capture skips runs "
            "whose app did not change."
        },
    )
    reset: str = field(
        default="",
        metadata={
            "help": "Shell command that puts the app's data back to its start before every "
            "guide run (and before its setup guide), run in the server's cwd and env with "
            "{scenario}, {worker} and {port} filled in; it must exit 0. Without {worker} "
            "it needs workers = 1."
        },
    )
    app_setup: str = field(
        default="",
        metadata={
            "help": "Shell command that installs the app on a fresh machine (e.g. "
            '"pip install -r requirements.txt"), run from the project\'s folder; '
            "`guidegen init --app-setup` writes it here and as a step of the CI workflow."
        },
    )

    @property
    def isolated(self) -> bool:
        """Whether each worker gets its own server ({worker} in command, cwd or env)."""
        values = [self.command, self.cwd, *self.env.values()]
        return any(WORKER in value for value in values)


def _help(text: str, default: Any) -> Any:
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True)
class Config:
    root: Path
    languages: tuple[str, ...] = _help(
        "Site languages, two-letter codes; the first is the default language.", ("ja", "en")
    )
    platforms: tuple[Platform, ...] = _help(
        f"Platforms the site has tabs for, in tab order: {', '.join(PLATFORMS)}.", PLATFORMS
    )
    steps_dir: str = _help("Folder of the guides (one .yml file each).", "steps")
    screenshots_dir: str = _help(
        "Folder of the captured screenshots and their manifest (committed).", "screenshots"
    )
    docs_dir: str = _help("Folder of the MkDocs pages, one subfolder per language.", "docs")
    site_dir: str = _help("Where `guidegen build` writes the site.", "site")
    site_url: str = _help(
        "The site's public URL, e.g. https://example.org/help/; it may be a sub-path. "
        "sitemap.xml, canonical links and 404.html need it. `--site-url` overrides it.",
        "",
    )
    engine: str = _help(
        "The site engine of `guidegen build`: mkdocs or zensical. `--engine` overrides it.",
        "mkdocs",
    )
    search_synonyms: str = _help(
        "YAML file of the words readers search with, per language, for the words the "
        "pages use; the search index finds the pages by both.",
        "search-synonyms.yml",
    )
    shop_dir: str = _help(
        "Folder of a static app, served on 127.0.0.1 during captures; "
        "its files are hashed so that a change recaptures.",
        "",
    )
    base_url: str = _help(
        "URL of an app that is already running (e.g. a staging server); when set, "
        "shop_dir is not served. `--base-url` overrides it for one run.",
        "",
    )
    scenarios: str = _help(
        "JSON file whose keys are the app's scenarios (fixtures); lint checks a "
        "guide's `scenario` against it.",
        "",
    )
    facts: str = _help(
        "YAML file of the facts that guides (`facts: [id, …]`) and hand-written pages "
        "(`<!-- fact id -->…<!-- /fact -->`) share, each stated once.",
        "",
    )
    terms: str = _help(
        "YAML file of the words the pages use, per language: for each idea the word "
        "to use and the variants to avoid; lint warns where a guide, fact or "
        "hand-written page uses a variant.",
        "",
    )
    start_url: str = _help(
        "Path each run opens first, relative to the app's URL; {platform}, {lang} "
        "and {scenario} are filled in.",
        "/",
    )
    ready: str = _help(
        "CSS selector that matches once the app has finished rendering; captures "
        "wait for it instead of sleeping.",
        "",
    )
    capture_css: str = _help(
        "Stylesheet (a path inside the project) added to every page the runs open, "
        "after the app's own: for an app that animates forever, e.g. "
        "`* { animation: none !important; transition: none !important; }`. "
        "Runs already finish animations and wait for a still page.",
        "",
    )
    clock: str = _help("The frozen time of every run (ISO 8601).", "2026-01-01T00:00:00+00:00")
    timezone: str = _help("Time zone of every run.", "Asia/Tokyo")
    timeout_ms: int = _help("How long an action waits for its element, in milliseconds.", 10000)
    workers: int = _help(
        "Browsers that capture and check run side by side; 0 means one per core, one "
        "more when each gets at least 4 runs. "
        "`--workers` overrides it.",
        0,
    )
    threshold: int = _help(
        "Largest per-channel colour difference (0–255) that does not count as a change.", 24
    )
    budget: int = _help(
        "How many pixels of an image may differ beyond the threshold before it counts as changed.",
        40,
    )
    optimise: bool = _help(
        "Compress the committed step images harder: about a fifth smaller, about 1.6 "
        "times the time to write (lossless WebP either way; raw frames stay the "
        "browser's PNG).",
        False,
    )
    color_schemes: tuple[ColorScheme, ...] = _help(
        "Colour schemes to capture, each with the app in that scheme (the browser's "
        "prefers-color-scheme): light, dark.",
        ("light",),
    )
    guide_index: bool = _help(
        "Also write docs/<lang>/guides/index.md, a page listing every guide, so that a "
        "nav that lists it shows new guides without editing the MkDocs file.",
        False,
    )
    guide_order: tuple[str, ...] = _help(
        "Guide ids in the order the guides page lists them; guides not listed follow, "
        "by title. Lint checks that each id is a guide.",
        (),
    )
    secrets: tuple[str, ...] = _help(
        "Names of the environment variables guides may type with `{env: NAME}` (a "
        "password, say). Their values are masked in every picture, written as `***` in "
        "every message and report, and a run fails when the app shows one elsewhere.",
        (),
    )
    server: Server | None = field(
        default=None,
        metadata={
            "help": "The app's own server, started for capture, check and serve: the table "
            "[tool.guidegen.server] with command, url, ready_path, timeout_s, "
            "reuse_existing, cwd, env, watch, reset and app_setup."
        },
    )
    devices: dict[Platform, Device] = field(
        default_factory=default_devices,
        metadata={
            "help": "Per-platform device profiles: [tool.guidegen.devices.ios] etc., with "
            "the keys descriptor, viewport, scale, label, verb and color_schemes."
        },
    )

    def path(self, name: str) -> Path:
        return self.root / getattr(self, name)

    def secret_values(self) -> dict[str, str]:
        """The secrets that are set: each one's value by its name (a blank value hides
        nothing and would match every text)."""
        return {name: os.environ[name] for name in self.secrets if os.environ.get(name, "").strip()}

    def schemes_for(self, platform: Platform) -> tuple[ColorScheme, ...]:
        """The colour schemes captured on a platform: the project's, narrowed by its device."""
        narrowed = self.devices[platform].color_schemes
        return tuple(s for s in self.color_schemes if narrowed is None or s in narrowed)


class ConfigError(Exception):
    pass


def hide_secrets(text: str, values: Iterable[str]) -> str:
    """text with *** in place of every secret's value; the longest first, so that a
    secret that holds another is hidden whole."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


class NoConfig(ConfigError):
    """No [tool.guidegen] anywhere from the working folder up."""


def _device(
    where: str,
    written: dict[str, Any],
    base: Device,
    languages: tuple[str, ...],
    schemes: tuple[ColorScheme, ...],
) -> Device:
    """base with a [tool.guidegen.devices.PLATFORM] table's checked keys put over it,
    or ConfigError where the device no longer fits the project."""
    changes = dict(written)
    if "descriptor" in changes:
        changes["descriptor"] = changes["descriptor"] or None
    for key in ("label", "verb"):
        if key in changes:
            changes[key] = {**getattr(base, key), **changes[key]}
    for scheme in changes.get("color_schemes", ()):
        if scheme not in schemes:
            raise ConfigError(
                f"{where} color_schemes: '{scheme}' is not one of {', '.join(schemes)}; "
                "add it to [tool.guidegen] color_schemes"
            )
    device = replace(base, **changes)
    if device.descriptor is None and device.viewport is None:
        raise ConfigError(f"{where}: give a descriptor or a viewport")
    for key in ("label", "verb"):
        missing = [lang for lang in languages if lang not in getattr(device, key)]
        if missing:
            raise ConfigError(f"{where} {key}: missing {', '.join(missing)}")
    return device


def _check_server_url(server: Server) -> None:
    """ConfigError when the server's workers would share one url."""
    if server.isolated and "{port}" not in server.url:
        raise ConfigError(
            f"[tool.guidegen.server] url: with {WORKER} each worker starts its own server, "
            'so url needs {port}, e.g. "http://127.0.0.1:{port}/"'
        )


def parse_table(root: Path, table: dict[str, Any], source: str = "[tool.guidegen]") -> Config:
    """A Config from a [tool.guidegen] table, or ConfigError naming the bad key."""
    # Imported here: the model is made from Config's fields.
    from .settings import checked

    values = checked(table, lambda key, _: source if key is None else f"{source} {key}")
    options = {f.name: f for f in fields(Config) if f.name != "root"}
    if "server" in values:
        _check_server_url(values["server"])
    languages = values.get("languages", options["languages"].default)
    if values.get("capture_css"):
        _capture_css_path(root, values["capture_css"], source)
    schemes = values.get("color_schemes", options["color_schemes"].default)
    devices = default_devices()
    for platform, written in values.pop("devices", {}).items():
        where = f"[tool.guidegen.devices.{platform}]"
        devices[platform] = _device(where, written, devices[platform], languages, schemes)
    return Config(root=root, devices=devices, **values)


def _capture_css_path(root: Path, value: str, source: str = "[tool.guidegen]") -> Path:
    """root / value, when value is a relative path that stays inside the project
    (symlinks resolved): a pull request's configuration reads nothing outside it."""
    base = root.resolve()
    target = (base / value).resolve()
    if Path(value).is_absolute() or target == base or not target.is_relative_to(base):
        raise ConfigError(
            f"{source} capture_css: {value!r} is not inside the project; give a path "
            'relative to the project folder, e.g. "capture.css"'
        )
    return target


def capture_style(config: Config) -> str:
    """The text of the capture_css stylesheet; "" when there is none."""
    if not config.capture_css:
        return ""
    path = _capture_css_path(config.root, config.capture_css)
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ConfigError(
            f"[tool.guidegen] capture_css: cannot read {config.capture_css} ({why}); "
            "create it, or remove the key"
        ) from None


def find_project(start: Path) -> Path | None:
    """The nearest folder from start up whose pyproject.toml has [tool.guidegen]."""
    for directory in (start, *start.parents):
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"{pyproject}: {error}") from None
            if "guidegen" in data.get("tool", {}):
                return directory
    return None


def overridden(
    config: Config,
    *,
    base_url: str | None = None,
    engine: str | None = None,
    site_url: str | None = None,
) -> Config:
    """config with the command line's options (those given) put over it once, so
    that every part of guidegen reads one configuration; each is checked as the
    same key in [tool.guidegen] is."""
    from .settings import checked

    given = {"base_url": base_url, "engine": engine, "site_url": site_url}
    checked(
        {key: value for key, value in given.items() if value is not None},
        lambda key, value: f"--{str(key).replace('_', '-')} {value}",
    )
    return replace(
        config,
        base_url=config.base_url if base_url is None else base_url,
        engine=config.engine if engine is None else engine,
        site_url=config.site_url if site_url is None else site_url,
    )


def load_config(start: Path | None = None) -> Config:
    """The project's configuration; NoConfig when there is none (never a default project)."""
    here = (start or Path.cwd()).resolve()
    root = find_project(here)
    if root is None:
        raise NoConfig(
            f"no guidegen project here: no pyproject.toml with [tool.guidegen] in {here} "
            "or above; run guidegen init DIR to make one"
        )
    pyproject = root / "pyproject.toml"
    table = tomllib.loads(pyproject.read_text("utf-8"))["tool"]["guidegen"]
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.guidegen] must be a table")
    return parse_table(root, table, f"{pyproject}: [tool.guidegen]")
