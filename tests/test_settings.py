"""[tool.guidegen] as a typed model: its JSON Schema, and the one check of the
table and of the command line's overrides."""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields

import jsonschema
import pytest

from guidegen import platforms
from guidegen.config import Config, ConfigError, Device, Server, overridden, parse_table
from guidegen.settings import SCHEMA_PATH, json_schema, schema_text
from tests.conftest import ROOT


def test_committed_config_schema_is_fresh() -> None:
    assert SCHEMA_PATH.read_text("utf-8") == schema_text(), (
        "run `python -m guidegen.guide.schema` and commit generator/schema/config.schema.json"
    )


def test_the_schema_takes_this_projects_table_and_names_every_key() -> None:
    table = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["guidegen"]
    jsonschema.Draft202012Validator(json_schema()).validate(table)
    keys = set(json_schema()["properties"])
    assert {"languages", "platforms", "site_url", "engine", "devices", "server"} <= keys
    assert all(json_schema()["properties"][k].get("description") for k in keys)


def test_the_schema_refuses_what_the_check_refuses() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for bad in ({"engine": "hugo"}, {"workers": -1}, {"languages": []}, {"colour": 1}):
        assert list(validator.iter_errors(bad)), bad


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"base_url": 3}, "--base-url 3: expected a string in quotes"),
        ({"engine": "hugo"}, "--engine hugo: expected one of mkdocs, zensical"),
    ],
)
def test_overrides_are_checked_by_the_same_model(tmp_path, option, message) -> None:
    with pytest.raises(ConfigError, match=message):
        overridden(Config(root=tmp_path), **option)


def test_the_schema_is_json() -> None:
    assert json.loads(SCHEMA_PATH.read_text("utf-8"))["title"] == "[tool.guidegen]"


GOOD_NESTED = {
    "secrets": ["APP_PASSWORD", "_TOKEN2"],
    "server": {
        "command": "python app.py {port}",
        "ready_path": "/health",
        "timeout_s": 30,
        "reuse_existing": True,
        "env": {"DEBUG": "0"},
        "watch": ["app/**/*.py"],
    },
    "devices": {
        "ios": {"scale": 2, "label": {"ja": "iPhone", "en": "iPhone"}},
        "web": {"viewport": [1440, 900], "descriptor": "", "color_schemes": ["dark"]},
    },
}
BAD_NESTED = [
    {"server": {"url": "http://127.0.0.1:{port}/"}},  # no command
    {"server": {"command": "  "}},
    {"server": {"command": "a", "timeout_s": -1}},
    {"server": {"command": "a", "ready_path": "health"}},
    {"server": {"command": "a", "reuse_existing": "yes"}},
    {"server": {"command": "a", "env": {"DEBUG": 0}}},
    {"server": {"command": "a", "watch": [""]}},
    {"server": {"command": "a", "port": 8000}},
    {"secrets": ["1PASSWORD"]},
    {"secrets": "APP_PASSWORD"},
    {"devices": {"tv": {"descriptor": "x"}}},
    {"devices": {"ios": {"model": "x"}}},
    {"devices": {"ios": {"scale": 5}}},
    {"devices": {"ios": {"scale": 0.5}}},
    {"devices": {"web": {"viewport": [0, 800]}}},
    {"devices": {"web": {"viewport": [1280]}}},
    {"devices": {"web": {"label": {"en": ""}}}},
    {"devices": {"web": {"verb": "click"}}},
    {"devices": {"web": {"color_schemes": ["sepia"]}}},
]


def test_the_schema_takes_good_nested_tables() -> None:
    jsonschema.Draft202012Validator(json_schema()).validate(GOOD_NESTED)


@pytest.mark.parametrize("bad", BAD_NESTED)
def test_the_schema_and_the_check_refuse_the_same_nested_tables(tmp_path, bad) -> None:
    assert list(jsonschema.Draft202012Validator(json_schema()).iter_errors(bad)), bad
    with pytest.raises(ConfigError):
        parse_table(tmp_path, bad)


def test_the_schema_describes_every_nested_key_with_its_help() -> None:
    schema = json_schema()
    nested = {
        "server": (Server, schema["$defs"]["Server"]),
        "devices": (Device, schema["$defs"]["Device"]),
    }
    for cls, definition in nested.values():
        assert list(definition["properties"]) == [f.name for f in fields(cls)]
        for option in fields(cls):
            assert definition["properties"][option.name]["description"] == option.metadata["help"]
    assert schema["$defs"]["Server"]["required"] == ["command"]
    assert list(schema["$defs"]["Devices"]["properties"]) == list(platforms.names())
    scale = schema["$defs"]["Device"]["properties"]["scale"]
    assert (scale["minimum"], scale["maximum"]) == (1, 4)
    assert schema["properties"]["secrets"]["items"]["pattern"]
