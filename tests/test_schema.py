"""The committed JSON Schema: fresh, draft-07 as VS Code reads it, and in step with the model."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from guidegen.config import load_config
from guidegen.guide.load import load_bytes
from guidegen.guide.schema import COMMAND, SCHEMA_PATH, guide_schema, render, write_schema

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken"
GUIDES = sorted((ROOT / "steps").glob("*.yml")) + sorted((BROKEN / "ok").glob("*.yml"))
# Broken guides that are valid YAML but not valid guides, whatever the lint adds.
SHAPE_ERRORS = [
    "unknown-key-top",
    "unknown-key-in-step",
    "unknown-action",
    "action-two-keys",
    "missing-keys",
    "wrong-types",
    "empty-steps",
    "unknown-platform",
    "id-path",
    "id-uppercase",
    "invalid-target",
    "bad-fact",
    "text-not-string",
    "override-unknown-key",
]
# Caught by lint, not by the model; the schema, which knows the languages, catches them too.
LANGUAGE_ERRORS = ["unknown-language", "missing-translation"]


def as_editor_reads(path: Path) -> Any:
    """The YAML as VS Code's extension sees it: YAML 1.2, where a date is text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(path.read_text("utf-8")))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schema_is_fresh() -> None:
    fresh = render(load_config(ROOT).languages)
    committed = SCHEMA_PATH.read_text("utf-8") if SCHEMA_PATH.is_file() else ""
    assert committed == fresh, f"{SCHEMA_PATH} is stale: run `{COMMAND}` and commit it"


def test_schema_is_draft_07_throughout() -> None:
    schema = guide_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    text = json.dumps(schema)
    for keyword in ("$defs", "prefixItems", "$dynamicRef", "unevaluatedProperties"):
        assert keyword not in text

    def refs(node: Any) -> list[dict[str, Any]]:
        if isinstance(node, dict):
            own = [node] if "$ref" in node else []
            return own + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    # Draft-07 ignores keywords beside $ref, so none may stand there.
    assert all(len(ref) == 1 for ref in refs(schema))


def test_localized_offers_the_languages() -> None:
    localized = guide_schema(("ja", "en"))["definitions"]["Localized"]
    assert list(localized["properties"]) == ["ja", "en"]
    assert localized["required"] == ["ja"]
    assert localized["additionalProperties"] is False
    three = guide_schema(("ja", "en", "ko"))["definitions"]["Localized"]
    assert list(three["properties"]) == ["ja", "en", "ko"]


def test_top_level_has_title_and_every_key_of_the_model() -> None:
    schema = guide_schema()
    assert schema["title"] and COMMAND in schema["description"]
    assert {"id", "title", "summary", "steps", "platforms", "facts"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_write_schema_only_writes_changes(tmp_path: Path) -> None:
    path = tmp_path / "schema" / "guide.schema.json"
    assert write_schema(path) is True
    assert write_schema(path) is False
    assert json.loads(path.read_text("utf-8")) == guide_schema()


@pytest.mark.parametrize("path", GUIDES, ids=[p.stem for p in GUIDES])
def test_schema_accepts_the_guides(path: Path, validator: jsonschema.Draft7Validator) -> None:
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(as_editor_reads(path))
    ]
    assert errors == []


@pytest.mark.parametrize("name", SHAPE_ERRORS + LANGUAGE_ERRORS)
def test_schema_rejects_broken_guides(name: str, validator: jsonschema.Draft7Validator) -> None:
    path = BROKEN / f"{name}.yml"
    if name in SHAPE_ERRORS:
        assert load_bytes(path, path.read_bytes()).guide is None
    assert list(validator.iter_errors(as_editor_reads(path)))


def test_schema_and_model_agree_on_the_samples(validator: jsonschema.Draft7Validator) -> None:
    # Every model-valid guide is schema-valid: the editor never flags what lint accepts.
    sample = as_editor_reads(BROKEN / "ok" / "sample-guide.yml")
    variants = [
        sample,
        {**sample, "platforms": ["web"]},
        {k: v for k, v in sample.items() if k not in ("facts", "related", "redact", "scenario")},
        {**sample, "steps": [{"text": {"ja": "開く", "en": "Open"}}]},
    ]
    for variant in variants:
        raw = yaml.safe_dump(variant, allow_unicode=True).encode()
        assert load_bytes(Path("sample-guide.yml"), raw).guide is not None
        assert list(validator.iter_errors(variant)) == []
