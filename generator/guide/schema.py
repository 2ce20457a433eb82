"""The guide format as a JSON Schema, generated from the model for editors.

VS Code's YAML extension validates with JSON Schema draft-07, so the schema
declares draft-07 and keeps to its keywords: definitions under
``definitions`` and no sibling keywords beside ``$ref`` (draft-07 ignores
them). Localized text lists the site's languages as properties so that
autocompletion offers them.

The facts file (``facts.yml``) gets its own schema the same way.

Run ``python -m guidegen.guide.schema`` after changing the model or the languages.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..files import write_atomic
from .model import FactsFile, Guide

SCHEMA_PATH = Path(__file__).parent.parent / "schema" / "guide.schema.json"
FACTS_SCHEMA_PATH = Path(__file__).parent.parent / "schema" / "facts.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"
COMMAND = "python -m guidegen.guide.schema"


def _draft7(node: Any) -> Any:
    """Rename $defs references and wrap $ref that has siblings in allOf."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _draft7(value) for key, value in node.items()}
    if "$ref" in node:
        node["$ref"] = node["$ref"].replace("#/$defs/", "#/definitions/")
        if len(node) > 1:
            ref = node.pop("$ref")
            node = {"allOf": [{"$ref": ref}], **node}
    return node


def _localized(languages: Sequence[str]) -> dict[str, Any]:
    first = languages[0]
    return {
        "title": "Localized",
        "description": (
            f"Text in every language the site declares ({', '.join(languages)}); "
            f"{first} is the default language."
        ),
        "type": "object",
        "properties": {
            lang: {"type": "string", "minLength": 1, "title": lang} for lang in languages
        },
        "required": [first],
        "additionalProperties": False,
        "defaultSnippets": [
            {
                "label": "all languages",
                "body": {lang: f"${i + 1}" for i, lang in enumerate(languages)},
            }
        ],
    }


def _schema(
    model: type[BaseModel], languages: Sequence[str], title: str, what: str
) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True)
    definitions = schema.pop("$defs")
    definitions["Localized"] = _localized(languages)
    body = _draft7(schema)
    return {
        "$schema": DRAFT,
        "title": title,
        "description": (
            f"{what} Generated from generator/guide/model.py by `{COMMAND}`; do not edit by hand."
        ),
        **{key: value for key, value in body.items() if key not in ("title", "description")},
        "definitions": _draft7(definitions),
    }


def guide_schema(languages: Sequence[str] = ("ja", "en")) -> dict[str, Any]:
    """The JSON Schema of one guide file, for the given site languages."""
    what = "One how-to guide: its steps as the reader follows them and as the browser runs them."
    return _schema(Guide, languages, "guidegen guide", what)


def facts_schema(languages: Sequence[str] = ("ja", "en")) -> dict[str, Any]:
    """The JSON Schema of the facts file, for the given site languages."""
    what = "The facts that guides and pages share, each stated once."
    return _schema(FactsFile, languages, "guidegen facts", what)


def render(languages: Sequence[str]) -> str:
    """The schema file's exact text: stable key order, trailing newline."""
    return json.dumps(guide_schema(languages), ensure_ascii=False, indent=2) + "\n"


def render_facts(languages: Sequence[str]) -> str:
    """The facts schema file's exact text."""
    return json.dumps(facts_schema(languages), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path = SCHEMA_PATH, languages: Sequence[str] = ("ja", "en")) -> bool:
    """Write the schema; True when the file changed."""
    return write_atomic(path, render(languages).encode("utf-8"))


def main() -> int:
    from ..config import load_config

    languages = load_config().languages
    changed = write_schema(SCHEMA_PATH, languages)
    print(f"{'wrote' if changed else 'unchanged:'} {SCHEMA_PATH}")
    changed = write_atomic(FACTS_SCHEMA_PATH, render_facts(languages).encode("utf-8"))
    print(f"{'wrote' if changed else 'unchanged:'} {FACTS_SCHEMA_PATH}")
    from ..settings import SCHEMA_PATH as CONFIG_SCHEMA_PATH
    from ..settings import schema_text

    changed = write_atomic(CONFIG_SCHEMA_PATH, schema_text().encode("utf-8"))
    print(f"{'wrote' if changed else 'unchanged:'} {CONFIG_SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
