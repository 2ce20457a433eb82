"""{tap} and {Tap} are replaced in every text of the model that reaches a page."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from guidegen.config import Config
from guidegen.guide.model import Guide
from guidegen.guide.types import Localized
from guidegen.site.render import guide_page, guides_index

# What the browser does, never shown to readers as text.
NOT_READ = ("actions", "redact", "crop")
SAMPLE = {"ja": "{Tap}して{tap}", "en": "{Tap} it, then {tap} it"}


def _models_and_localized(annotation: Any) -> tuple[list[type[BaseModel]], bool]:
    models: list[type[BaseModel]] = []
    localized = False
    stack = [annotation]
    while stack:
        item = stack.pop()
        if item is Localized:
            localized = True
        elif isinstance(item, type) and issubclass(item, BaseModel):
            models.append(item)
        else:
            stack += list(typing.get_args(item))
            origin = typing.get_origin(item)
            if origin is not None and origin not in (types.UnionType, typing.Union):
                stack.append(origin)
    return models, localized


def localized_paths(model: type[BaseModel], seen: frozenset[type] = frozenset()) -> list[tuple]:
    """Every path (field names, "[]" for a list item) to a Localized text in the model."""
    paths: list[tuple] = []
    for name, info in model.model_fields.items():
        if name in NOT_READ:
            continue
        models, localized = _models_and_localized(info.annotation)
        is_list = typing.get_origin(info.annotation) is tuple or "tuple" in str(info.annotation)
        here = (info.alias or name, "[]") if is_list else (info.alias or name,)
        if localized:
            paths.append(here)
        for inner in models:
            if inner not in seen and inner is not Localized:
                paths += [(*here, *rest) for rest in localized_paths(inner, seen | {model})]
    return paths


def _put(data: dict, path: tuple, value: Any) -> None:
    key, rest = path[0], path[1:]
    if rest and rest[0] == "[]":
        items = data.setdefault(key, [{}] if len(rest) > 1 else [])
        if len(rest) == 1:
            items.append(value)
        else:
            _put(items[0], rest[1:], value)
    elif rest:
        _put(data.setdefault(key, {}), rest, value)
    else:
        data[key] = value


def test_every_text_field_reaching_a_page_has_its_placeholders_replaced(tmp_path: Path) -> None:
    paths = localized_paths(Guide)
    # The walk finds the texts readers see, including the step's note and warning.
    assert ("note",) in [p[-1:] for p in paths] and ("warning",) in [p[-1:] for p in paths]
    data: dict[str, Any] = {"id": "demo"}
    for path in paths:
        _put(data, path, dict(SAMPLE))
    data["facts"][0].update(source="https://example.com/policy", checked="2026-01-01")
    data["related"] = ["demo"]
    guide = Guide.model_validate(data)
    config = Config(root=tmp_path)
    for lang in ("ja", "en"):
        page = guide_page(guide, lang, config, {}, {"demo": guide})
        page += guides_index([guide], lang, config)
        assert "{tap}" not in page and "{Tap}" not in page, page
    en = guide_page(guide, "en", config, {}, {"demo": guide})
    assert "Tap it, then tap it" in en and "Click it, then click it" in en
    assert "Tap/Click it, then tap/click it" in en  # the title, which every platform shares
