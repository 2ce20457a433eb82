"""The [tool.guidegen] table as a typed model: one declaration of every key's
type, limits and help, from which come the checks of the table and of the
command line's overrides (the same check, once), the table's JSON Schema
(generator/schema/config.schema.json) and the configuration reference.

The keys and their help are Config's fields (config.py); the nested tables
(server, devices) and the secrets keep their own checks there, with messages
that name the table they are in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import MISSING, fields
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

from . import platforms
from .config import ENGINES, Config, ConfigError
from .guide.types import SCHEMES, Platform

NESTED = ("server", "devices", "secrets")
SITE_URL_PATTERN = r"^(https?://[^/\s]+(/\S*)?)?$"
SITE_URL_EXAMPLE = '"https://example.org/help/"'
SCHEMA_PATH = Path(__file__).parent / "schema" / "config.schema.json"
TWICE = "lists an item twice"


def _once_each(items: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(items)) != len(items):
        raise ValueError(TWICE)
    return items


def _list_of(item: Any) -> Any:
    return Annotated[tuple[item, ...], Field(min_length=1), AfterValidator(_once_each)]


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$", strict=True)]
# The few keys whose values have more to them than their type.
SPECIAL: dict[str, Any] = {
    "languages": _list_of(LangCode),
    "platforms": _list_of(Platform),
    "color_schemes": _list_of(Literal["light", "dark"]),
    "engine": Literal["mkdocs", "zensical"],
    "site_url": Annotated[str, StringConstraints(pattern=SITE_URL_PATTERN, strict=True)],
}


def _annotation(name: str, default: Any) -> Any:
    if name in SPECIAL:
        return SPECIAL[name]
    if isinstance(default, bool):
        return Annotated[bool, Field(strict=True)]
    if isinstance(default, int):
        return Annotated[int, Field(strict=True, ge=0)]
    if isinstance(default, str):
        return Annotated[str, Field(strict=True)]
    return _list_of(Annotated[str, Field(strict=True)])


@cache
def table_model() -> type[BaseModel]:
    """The model of the table's own keys (the nested tables are described, not checked)."""
    definitions: dict[str, Any] = {}
    for option in fields(Config):
        if option.name == "root":
            continue
        help_text = option.metadata.get("help", "")
        if option.name in NESTED:
            nested: Any = list[str] if option.name == "secrets" else dict[str, Any]
            definitions[option.name] = (nested | None, Field(None, description=help_text))
            continue
        default = option.default if option.default is not MISSING else None
        shown = list(default) if isinstance(default, tuple) else default
        definitions[option.name] = (
            _annotation(option.name, default),
            Field(default, description=help_text, json_schema_extra={"default": shown}),
        )
    return create_model(
        "GuidegenTable",
        __config__=ConfigDict(extra="forbid", title="[tool.guidegen]"),
        **definitions,
    )


def _problem(key: str, error: Any) -> str:
    """The words of the old hand-written checks for one of pydantic's errors."""
    kind, value = error["type"], error.get("input")
    default = table_model().model_fields[key].default
    if key == "languages" and kind == "string_pattern_mismatch":
        return f"'{value}' is not a two-letter code"
    if key == "platforms" and kind == "value_error" and "unknown platform" in error["msg"]:
        return f"unknown platform '{value}'; known: {', '.join(platforms.names())}"
    if key == "color_schemes" and kind == "literal_error":
        return f"'{value}' is not one of {', '.join(SCHEMES)}"
    if key == "engine":
        return f"expected one of {', '.join(ENGINES)}"
    if key == "site_url" and kind == "string_pattern_mismatch":
        return f"expected a URL such as {SITE_URL_EXAMPLE}"
    if kind == "value_error" and TWICE in error["msg"]:
        return TWICE
    if isinstance(default, tuple):
        return 'expected a non-empty list of strings, e.g. ["ja", "en"]'
    if isinstance(default, bool):
        return f"expected true or false, got {value!r}"
    if isinstance(default, int):
        return f"expected a whole number ≥ 0, got {value!r}"
    return f"expected a string in quotes, got {value!r}"


def checked(table: dict[str, Any], where: Callable[[str | None, Any], str]) -> dict[str, Any]:
    """The table's own keys, checked against the model: lists made tuples.
    `where(key, value)` names the place in an error (the file's table, or a
    command-line option)."""
    known = sorted(table_model().model_fields)
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{where(None, None)}: unknown key '{unknown[0]}'; known keys: {', '.join(known)}"
        )
    own = {key: value for key, value in table.items() if key not in NESTED}
    try:
        model = table_model().model_validate(own)
    except ValidationError as error:
        first = error.errors()[0]
        key = str(first["loc"][0])
        raise ConfigError(f"{where(key, own[key])}: {_problem(key, first)}") from None
    return {key: getattr(model, key) for key in own}


def json_schema() -> dict[str, Any]:
    schema = table_model().model_json_schema()
    schema["$comment"] = (
        "Generated from generator/config.py by `python -m guidegen.guide.schema`; "
        "do not edit by hand."
    )
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
