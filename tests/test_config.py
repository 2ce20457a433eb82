"""[tool.guidegen]: defaults that serve the bundled example, device overrides, and
errors that name the key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from guidegen.capture.session import context_options
from guidegen.config import DEVICES, Config, ConfigError, load_config, overridden
from guidegen.platforms import phones
from tests.commands import guidegen


def write(tmp_path: Path, table: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[tool.guidegen]\n" + table, "utf-8")
    return tmp_path


def test_the_projects_configuration_serves_the_bundled_example(project_config):
    assert project_config.languages == ("ja", "en")
    assert project_config.color_schemes == ("light", "dark")
    assert project_config.shop_dir == "mockshop" and project_config.base_url == ""
    # Phones are captured at 2 pixels per CSS pixel: the site never serves more.
    assert project_config.devices == {
        platform: replace(device, scale=2.0 if platform in phones() else None)
        for platform, device in DEVICES.items()
    }
    assert project_config.threshold == 24 and project_config.budget == 40


def test_device_overrides_change_only_what_they_name(tmp_path):
    config = load_config(
        write(
            tmp_path,
            'timeout_ms = 15000\n[tool.guidegen.devices.ios]\ndescriptor = "iPhone 15"\n'
            "[tool.guidegen.devices.web]\nviewport = [1440, 900]\n"
            '[tool.guidegen.devices.android]\nlabel = { en = "Android phone" }\n',
        )
    )
    assert config.timeout_ms == 15000
    assert config.devices["ios"].descriptor == "iPhone 15"
    assert config.devices["ios"].label == DEVICES["ios"].label
    assert config.devices["web"].viewport == (1440, 900)
    assert config.devices["web"].descriptor is None
    assert config.devices["android"].label == {"ja": "Android", "en": "Android phone"}


def test_a_device_scale_sets_the_screenshots_pixels_per_css_pixel(tmp_path, playwright):
    scaled = load_config(
        write(
            tmp_path / "scaled",
            "[tool.guidegen.devices.ios]\nscale = 2\n[tool.guidegen.devices.web]\nscale = 1.5\n",
        )
    )
    plain = load_config(write(tmp_path / "plain", ""))

    def density(config: Config, platform: str) -> float:
        return context_options(config, playwright, platform, "en")["device_scale_factor"]

    assert (density(scaled, "ios"), density(plain, "ios")) == (2, 3)
    assert (density(scaled, "web"), density(plain, "web")) == (1.5, 1)
    assert density(scaled, "android") == density(plain, "android") == 2.625


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("lanugages = ['ja']\n", "unknown key 'lanugages'"),
        ("timeout_ms = '10'\n", "timeout_ms: expected a whole number"),
        ("optimise = 1\n", "optimise: expected true or false"),
        ("languages = ['ja', 'ja']\n", "languages: lists an item twice"),
        ("languages = ['japanese']\n", "'japanese' is not a two-letter code"),
        ("platforms = ['tv']\n", "unknown platform 'tv'"),
        ("base_url = 3\n", "base_url: expected a string"),
        ("[tool.guidegen.devices.tv]\ndescriptor = 'x'\n", "devices.tv]: unknown platform"),
        ("[tool.guidegen.devices.ios]\nmodel = 'x'\n", "devices.ios]: unknown key 'model'"),
        (
            "[tool.guidegen.devices.web]\nviewport = [0, 800]\n",
            "viewport: expected [width, height]",
        ),
        ("[tool.guidegen.devices.ios]\ndescriptor = 13\n", "descriptor: expected a device name"),
        ("[tool.guidegen.devices.web]\nverb = 'click'\n", "verb: expected a table"),
        ("[tool.guidegen.devices.ios]\nscale = 5\n", "scale: expected a number from 1 to 4"),
        ("[tool.guidegen.devices.ios]\nscale = '2'\n", "scale: expected a number from 1 to 4"),
        ("[tool.guidegen.devices.ios]\nscale = true\n", "scale: expected a number from 1 to 4"),
        (
            "color_schemes = ['light', 'sepia']\n",
            "color_schemes: 'sepia' is not one of light, dark",
        ),
        ("color_schemes = []\n", "color_schemes: expected a non-empty list"),
        (
            "[tool.guidegen.devices.web]\ncolor_schemes = ['dark']\n",
            "devices.web] color_schemes: 'dark' is not one of light; add it to [tool.guidegen]",
        ),
        (
            "languages = ['ja', 'en', 'fr']\n[tool.guidegen.devices.web]\nlabel = { fr = 'PC' }\n",
            "[tool.guidegen.devices.web] verb: missing fr",
        ),
        (
            "[tool.guidegen.devices.ios]\ndescriptor = ''\n",
            "[tool.guidegen.devices.ios]: give a descriptor or a viewport",
        ),
        ("[tool.guidegen.devices.ios]\nlabel = { en = '' }\n", "label: expected a table"),
        ("devices = 3\n", "devices: expected tables such as [tool.guidegen.devices.ios]"),
        ("[tool.guidegen.server]\ncwd = 'app'\n", "[tool.guidegen.server] command: required"),
        ("[tool.guidegen.server]\ncommand = ' '\n", "[tool.guidegen.server] command: required"),
        # A misspelt key is named, not the required key it leaves out.
        ("[tool.guidegen.server]\ncomand = 'a'\n", "server]: unknown key 'comand'; known keys: "),
        (
            "[tool.guidegen.server]\ncommand = 'a'\ntimeout_s = '9'\n",
            "[tool.guidegen.server] timeout_s: expected a whole number ≥ 0, got '9'",
        ),
        (
            "[tool.guidegen.server]\ncommand = 'a'\nready_path = 'health'\n",
            '[tool.guidegen.server] ready_path: starts with "/"',
        ),
        (
            "[tool.guidegen.server]\ncommand = 'a'\nwatch = ['']\n",
            "[tool.guidegen.server] watch: expected a list of globs",
        ),
        (
            "[tool.guidegen.server]\ncommand = 'a'\nenv = { DEBUG = 0 }\n",
            "[tool.guidegen.server] env: expected a table of strings",
        ),
        ("secrets = 'APP_PASSWORD'\n", "secrets: expected a list of names"),
        ("secrets = ['1X']\n", "secrets: '1X' is not an environment variable name"),
    ],
)
def test_bad_values_name_their_key(tmp_path, table, message):
    with pytest.raises(ConfigError, match=None) as error:
        load_config(write(tmp_path, table))
    assert message in str(error.value)
    nested = ("[tool.guidegen.devices.", "[tool.guidegen.server]")
    assert "pyproject.toml" in str(error.value) or str(error.value).startswith(nested)


def test_a_bad_configuration_is_one_line_and_exit_2(tmp_path):
    root = write(tmp_path, "[tool.guidegen.devices.web]\nviewport = 'wide'\n")
    result = guidegen(root, "lint")
    assert result.returncode == 2
    assert result.stderr == (
        "guidegen: [tool.guidegen.devices.web] viewport: expected [width, height], "
        "e.g. [1280, 800]\n"
    )


def test_an_unknown_device_descriptor_is_one_line_and_exit_2(tmp_path):
    root = write(
        tmp_path,
        "shop_dir = 'app'\n[tool.guidegen.devices.ios]\ndescriptor = 'iPhone 99'\n",
    )
    (root / "app").mkdir()
    (root / "steps").mkdir()
    (root / "steps" / "one.yml").write_text(
        "id: one\ntitle: {ja: a, en: a}\nsummary: {ja: a, en: a}\nplatforms: [ios]\n"
        "steps:\n  - text: {ja: a, en: a}\n"
    )
    result = guidegen(root, "check")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "guidegen: [tool.guidegen.devices.ios] descriptor: 'iPhone 99' is not a Playwright "
        "device; use a name such as 'iPhone 13' or 'Pixel 7'"
    )
    assert "Traceback" not in result.stderr


def test_secrets_listed_twice_are_kept_once(tmp_path):
    config = load_config(write(tmp_path, 'secrets = ["A", "B", "A"]\n'))
    assert config.secrets == ("A", "B")


def test_colour_schemes_default_to_light_and_narrow_per_platform(tmp_path):
    assert load_config(write(tmp_path, "")).color_schemes == ("light",)
    config = load_config(
        write(
            tmp_path,
            'color_schemes = ["light", "dark"]\n'
            '[tool.guidegen.devices.web]\ncolor_schemes = ["dark"]\n',
        )
    )
    assert config.schemes_for("ios") == ("light", "dark")
    assert config.schemes_for("web") == ("dark",)


def test_command_line_options_are_put_over_the_configuration_once(tmp_path):
    config = Config(root=tmp_path, site_url="https://example.org/help/", engine="mkdocs")
    same = overridden(config)
    assert same == config
    over = overridden(config, base_url="http://127.0.0.1:9/", engine="zensical", site_url="")
    assert over.base_url == "http://127.0.0.1:9/" and over.engine == "zensical"
    assert over.site_url == ""  # an empty --site-url clears the configured one
    assert over.languages == config.languages


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"site_url": "example.org/help"}, "--site-url example.org/help: expected a URL"),
        ({"engine": "hugo"}, "--engine hugo: expected one of mkdocs, zensical"),
    ],
)
def test_a_bad_command_line_option_is_one_line(tmp_path, option, message):
    with pytest.raises(ConfigError, match=message):
        overridden(Config(root=tmp_path), **option)
