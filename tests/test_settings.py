"""[tool.guidegen] as a typed model: its JSON Schema, and the one check of the
table and of the command line's overrides."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import pytest

from guidegen.config import Config, ConfigError, overridden
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
