"""Project configuration: the ``[tool.guidegen]`` table of pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.model import PLATFORMS, Platform


@dataclass(frozen=True)
class Device:
    """How one platform is emulated and named."""

    descriptor: str | None
    label: dict[str, str]
    verb: dict[str, str]
    viewport: tuple[int, int] | None = None


DEVICES: dict[Platform, Device] = {
    "ios": Device("iPhone 13", {"ja": "iPhone", "en": "iPhone"}, {"ja": "タップ", "en": "tap"}),
    "android": Device("Pixel 7", {"ja": "Android", "en": "Android"}, {"ja": "タップ", "en": "tap"}),
    "web": Device(
        None,
        {"ja": "パソコン", "en": "Computer"},
        {"ja": "クリック", "en": "click"},
        viewport=(1280, 800),
    ),
}

LOCALES = {"ja": "ja-JP", "en": "en-US"}


@dataclass(frozen=True)
class Config:
    root: Path
    languages: tuple[str, ...] = ("ja", "en")
    platforms: tuple[Platform, ...] = PLATFORMS
    steps_dir: str = "steps"
    screenshots_dir: str = "screenshots"
    docs_dir: str = "docs"
    site_dir: str = "site"
    shop_dir: str = "mockshop"
    base_url: str = ""
    scenarios: str = ""
    start_url: str = "/"
    ready: str = ""
    clock: str = "2026-01-01T00:00:00+00:00"
    timezone: str = "Asia/Tokyo"
    timeout_ms: int = 10000
    threshold: int = 24
    budget: int = 40
    optimise: bool = True
    devices: dict[Platform, Device] = field(default_factory=lambda: dict(DEVICES))

    def path(self, name: str) -> Path:
        return self.root / getattr(self, name)


class ConfigError(Exception):
    pass


def find_root(start: Path) -> Path:
    for directory in (start, *start.parents):
        if (directory / "pyproject.toml").is_file() or (directory / "mkdocs.yml").is_file():
            return directory
    return start


def load_config(start: Path | None = None) -> Config:
    root = find_root((start or Path.cwd()).resolve())
    pyproject = root / "pyproject.toml"
    table: dict[str, object] = {}
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("guidegen", {})
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{pyproject}: {error}") from None
    known = {f.name for f in fields(Config)} - {"root", "devices"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"{pyproject}: unknown key '{unknown[0]}' in [tool.guidegen]; "
            f"known keys: {', '.join(sorted(known))}"
        )
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    return Config(root=root, **values)  # type: ignore[arg-type]
