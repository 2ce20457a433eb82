"""The guide format's basic types: platform and colour scheme names, ids, language
codes, localized text, the strict base model."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    RootModel,
    StringConstraints,
    Tag,
    WithJsonSchema,
)

from .. import platforms

UNKNOWN_PLATFORM = "unknown platform"


def _known_platform(name: str) -> str:
    # Read at validation time, so a platform registered later is known too.
    if name not in platforms.names():
        raise ValueError(UNKNOWN_PLATFORM)
    return name


# A platform's name, as the registry (generator/platforms.py) has it.
Platform = Annotated[
    str,
    AfterValidator(_known_platform),
    WithJsonSchema({"enum": list(platforms.names()), "type": "string"}),
]


PLATFORMS: tuple[Platform, ...] = platforms.names()


ColorScheme = Literal["light", "dark"]


SCHEMES: tuple[ColorScheme, ...] = ("light", "dark")


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


CIRCLED_RE = re.compile(f"[{CIRCLED}]")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Localized(RootModel[dict[LangCode, Annotated[str, StringConstraints(min_length=1)]]]):
    """Text in every language the site declares, keyed by language code."""

    model_config = ConfigDict(frozen=True)

    def get(self, lang: str) -> str:
        return self.root[lang]


def _text_kind(value: object) -> str:
    return "plain" if isinstance(value, str) else "localized"


Text = Annotated[
    Annotated[str, Tag("plain")] | Annotated[Localized, Tag("localized")],
    Discriminator(_text_kind),
]


def text_in(value: Text, lang: str) -> str:
    return value if isinstance(value, str) else value.get(lang)
