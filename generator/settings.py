"""The [tool.guidegen] table as a typed model: one declaration of every key's
type, limits and help, from which come the checks of the table and of the
command line's overrides (the same check, once), the table's JSON Schema
(generator/schema/config.schema.json) and the configuration reference.

The keys and their help are Config's fields (config.py), those of
[tool.guidegen.server] Server's and those of [tool.guidegen.devices.PLATFORM]
Device's; an error names the table it is in. The rules that join a table to
another (a device's languages and colour schemes against the project's, a
per-worker server's url) are config.py's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import MISSING, fields
from dataclasses import Field as DataclassField
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticUndefined

from . import platforms
from .config import ENGINES, Config, ConfigError, Device, Server
from .guide.types import SCHEMES, Platform

SITE_URL_PATTERN = r"^(https?://[^/\s]+(/\S*)?)?$"
SITE_URL_EXAMPLE = '"https://example.org/help/"'
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
SCHEMA_PATH = Path(__file__).parent / "schema" / "config.schema.json"
TWICE = "lists an item twice"
SERVER = "[tool.guidegen.server]"


def _once_each(items: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(items)) != len(items):
        raise ValueError(TWICE)
    return items


def _list_of(item: Any) -> Any:
    return Annotated[tuple[item, ...], Field(min_length=1), AfterValidator(_once_each)]


def _first_of_each(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


Text = Annotated[str, StringConstraints(strict=True)]
NonEmpty = Annotated[str, StringConstraints(strict=True, min_length=1)]
Words = Annotated[dict[str, NonEmpty], Field(strict=True)]
Pixels = Annotated[int, Field(strict=True, gt=0)]
Schemes = _list_of(Literal["light", "dark"])
# The keys whose values have more to them than their default's type, in each table.
SPECIAL: dict[str, Any] = {
    "languages": _list_of(Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{2}$")]),
    "platforms": _list_of(Platform),
    "color_schemes": Schemes,
    "engine": Literal["mkdocs", "zensical"],
    "site_url": Annotated[str, StringConstraints(strict=True, pattern=SITE_URL_PATTERN)],
    # Listing a name twice hides nothing more: the second is dropped.
    "secrets": Annotated[
        tuple[Annotated[str, StringConstraints(strict=True, pattern=ENV_NAME_PATTERN)], ...],
        AfterValidator(_first_of_each),
    ],
}
SERVER_TYPES: dict[str, Any] = {
    "command": Annotated[str, StringConstraints(strict=True, pattern=r"\S")],
    "ready_path": Annotated[str, StringConstraints(strict=True, pattern=r"^/")],
    "env": Annotated[dict[str, Text], Field(strict=True)],
    "watch": tuple[NonEmpty, ...],
}
DEVICE_TYPES: dict[str, Any] = {
    "descriptor": Text,
    "label": Words,
    "verb": Words,
    "viewport": tuple[Pixels, Pixels],
    "color_schemes": Schemes,
    "scale": Annotated[float, Field(strict=True, ge=1, le=4)],
}
# What an error says instead of its type's words: for a pattern the value
# does not match, and for any error of a key.
MISMATCH = {
    "languages": "'{value}' is not a two-letter code",
    "site_url": f"expected a URL such as {SITE_URL_EXAMPLE}",
    "ready_path": 'starts with "/", e.g. "/health"',
    "secrets": "'{value}' is not an environment variable name "
    "(letters, digits and _, not starting with a digit)",
}
HINTS = {
    "engine": f"expected one of {', '.join(ENGINES)}",
    "secrets": 'expected a list of names, e.g. ["APP_PASSWORD"]',
    "command": 'required, e.g. command = "python app.py {port}"',
    "watch": 'expected a list of globs, e.g. ["app/**/*.py"]',
    "env": 'expected a table of strings, e.g. { DEBUG = "0" }',
    "descriptor": 'expected a device name such as "iPhone 13"',
    "viewport": "expected [width, height], e.g. [1280, 800]",
    "scale": "expected a number from 1 to 4, e.g. 2",
    "label": 'expected a table such as { ja = "…", en = "…" }',
    "verb": 'expected a table such as { ja = "…", en = "…" }',
}


def _annotation(name: str, default: Any, special: dict[str, Any]) -> Any:
    if name in special:
        return special[name]
    if isinstance(default, bool):
        return Annotated[bool, Field(strict=True)]
    if isinstance(default, int):
        return Annotated[int, Field(strict=True, ge=0)]
    if isinstance(default, str):
        return Text
    return _list_of(Text)


def _default(option: DataclassField[Any]) -> Any:
    if option.default is not MISSING:
        return option.default
    if option.default_factory is not MISSING:
        return option.default_factory()
    return PydanticUndefined


def _definitions(cls: type, special: dict[str, Any], written: bool) -> dict[str, Any]:
    """Each of a dataclass's fields as a model's field: its type, default and help.
    With written, every key is optional and has no default: only those written count."""
    definitions: dict[str, Any] = {}
    for option in fields(cls):
        help_text = option.metadata.get("help", "")
        if written:
            annotation = special[option.name]
            definitions[option.name] = (
                annotation,
                Field(None, description=help_text, json_schema_extra=_without_default),
            )
            continue
        default = _default(option)
        shown = list(default) if isinstance(default, tuple) else default
        extra = {} if default is PydanticUndefined else {"default": shown}
        definitions[option.name] = (
            _annotation(option.name, default, special),
            Field(default, description=help_text, json_schema_extra=extra),
        )
    return definitions


def _without_default(schema: dict[str, Any]) -> None:
    # TOML has no null: a key left out has no value to show.
    schema.pop("default", None)


@cache
def server_model() -> type[BaseModel]:
    """[tool.guidegen.server]: Server's fields."""
    return create_model(
        "Server",
        __config__=ConfigDict(extra="forbid", title=SERVER),
        __doc__=Server.__doc__,
        **_definitions(Server, SERVER_TYPES, written=False),
    )


@cache
def device_model() -> type[BaseModel]:
    """[tool.guidegen.devices.PLATFORM]: Device's fields, each optional (only the
    keys written change the platform's default device)."""
    return create_model(
        "Device",
        __config__=ConfigDict(extra="forbid", title="[tool.guidegen.devices.PLATFORM]"),
        __doc__=f"{Device.__doc__} Only the keys written change the platform's default.",
        **_definitions(Device, DEVICE_TYPES, written=True),
    )


def _shown(profile: platforms.Profile) -> str:
    if profile.descriptor:
        return f'descriptor "{profile.descriptor}"'
    return "a " + "×".join(map(str, profile.viewport or ())) + " viewport"


@cache
def devices_model() -> type[BaseModel]:
    """[tool.guidegen.devices]: a table per registered platform."""
    tables: dict[str, Any] = {
        profile.name: (
            device_model(),
            Field(
                None,
                description=f"The {profile.name} platform's device; by default {_shown(profile)}.",
                json_schema_extra=_without_default,
            ),
        )
        for profile in platforms.PROFILES
    }
    return create_model(
        "Devices",
        __config__=ConfigDict(extra="forbid", title="[tool.guidegen.devices]"),
        __doc__="One table per platform.",
        **tables,
    )


@cache
def table_model() -> type[BaseModel]:
    """The model of the whole table, the nested ones included."""
    definitions = {
        name: definition
        for name, definition in _definitions(Config, SPECIAL, written=False).items()
        if name not in ("root", "server", "devices")
    }
    for name, model in (("server", server_model()), ("devices", devices_model())):
        help_text = Config.__dataclass_fields__[name].metadata["help"]
        definitions[name] = (
            model,
            Field(None, description=help_text, json_schema_extra=_without_default),
        )
    return create_model(
        "GuidegenTable",
        __config__=ConfigDict(extra="forbid", title="[tool.guidegen]"),
        **definitions,
    )


def _problem(model: type[BaseModel], key: str, error: Any) -> str:
    """What is wrong with key in one of pydantic's errors, in the words of a person."""
    kind, value = error["type"], error.get("input")
    if kind == "string_pattern_mismatch" and key in MISMATCH:
        return MISMATCH[key].format(value=value)
    if key in HINTS:
        return HINTS[key]
    if key == "platforms" and kind == "value_error" and "unknown platform" in error["msg"]:
        return f"unknown platform '{value}'; known: {', '.join(platforms.names())}"
    if key == "color_schemes" and kind == "literal_error":
        return f"'{value}' is not one of {', '.join(SCHEMES)}"
    if kind == "value_error" and TWICE in error["msg"]:
        return TWICE
    default = model.model_fields[key].default
    if isinstance(default, tuple) or key == "color_schemes":
        return 'expected a non-empty list of strings, e.g. ["ja", "en"]'
    if isinstance(default, bool):
        return f"expected true or false, got {value!r}"
    if isinstance(default, int):
        return f"expected a whole number ≥ 0, got {value!r}"
    return f"expected a string in quotes, got {value!r}"


def _known(model: type[BaseModel]) -> str:
    return ", ".join(model.model_fields)


def _nested_problem(loc: tuple[Any, ...], error: Any, where: str) -> str:
    """The message of an error inside [tool.guidegen.server] or .devices."""
    kind = error["type"]
    if loc[0] == "server":
        model, table, rest = server_model(), SERVER, loc[1:]
        not_a_table = f'{table}: expected a table, e.g. command = "python app.py {{port}}"'
    else:
        if len(loc) == 1:
            return f"{where} devices: expected tables such as [tool.guidegen.devices.ios]"
        table = f"[tool.guidegen.devices.{loc[1]}]"
        if kind == "extra_forbidden" and len(loc) == 2:
            return f"{table}: unknown platform; known: {', '.join(platforms.names())}"
        model, rest = device_model(), loc[2:]
        not_a_table = f"{table}: expected a table of {_known(model)}"
    if not rest:
        return not_a_table
    key = str(rest[0])
    if kind == "extra_forbidden" and len(rest) == 1:
        return f"{table}: unknown key '{key}'; known keys: {_known(model)}"
    return f"{table} {key}: {_problem(model, key, error)}"


def checked(table: dict[str, Any], where: Callable[[str | None, Any], str]) -> dict[str, Any]:
    """The table checked against the model: lists made tuples, the server a Server
    and devices each platform's keys as written. `where(key, value)` names the
    place in an error (the file's table, or a command-line option)."""
    known = sorted(table_model().model_fields)
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{where(None, None)}: unknown key '{unknown[0]}'; known keys: {', '.join(known)}"
        )
    try:
        model = table_model().model_validate(table)
    except ValidationError as error:
        # A misspelt key explains the errors that follow it (a required key "missing").
        first = min(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
        loc = first["loc"]
        if loc[0] in ("server", "devices"):
            raise ConfigError(_nested_problem(loc, first, where(None, None))) from None
        key = str(loc[0])
        raise ConfigError(
            f"{where(key, table[key])}: {_problem(table_model(), key, first)}"
        ) from None
    values = {key: getattr(model, key) for key in table}
    if "server" in values:
        values["server"] = Server(**dict(values["server"]))
    if "devices" in values:
        values["devices"] = {
            name: {key: getattr(device, key) for key in device.model_fields_set}
            for name, device in values["devices"]
            if device is not None
        }
    return values


def json_schema() -> dict[str, Any]:
    schema = table_model().model_json_schema()
    schema["$comment"] = (
        "Generated from generator/config.py by `python -m guidegen.guide.schema`; "
        "do not edit by hand."
    )
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
