"""The editors' format reference: fresh, and complete against the schema and the configuration."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from guidegen.config import Config, Device, Server
from guidegen.guide.reference import (
    COMMAND,
    CONFIG_EXAMPLES,
    EXAMPLES,
    _config_type,
    reference,
    reference_path,
)
from guidegen.guide.schema import facts_schema, guide_schema
from guidegen.settings import json_schema


def _sections(text: str) -> dict[str, str]:
    """Each section's body, keyed by its explicit anchor."""
    parts = re.split(r"^#{2,3} .*\{#([a-z]+)\}$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_committed_reference_is_fresh(project_config, lang):
    path = reference_path(project_config, lang)
    assert path.read_text("utf-8") == reference(lang, project_config.languages), (
        f"{path} is stale: run {COMMAND}"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_schema_key_has_a_row_in_its_section(project_config, lang):
    schema = guide_schema(project_config.languages)
    facts = facts_schema(project_config.languages)
    sections = _sections(reference(lang, project_config.languages))
    definitions = {"Guide": schema, **schema["definitions"], "FactsFile": facts}
    definitions["SharedFact"] = facts["definitions"]["SharedFact"]
    for name, definition in definitions.items():
        body = sections[name.lower()]
        for key, node in definition["properties"].items():
            row = next((line for line in body.splitlines() if line.startswith(f"| `{key}` |")), "")
            assert row, f"{name}.{key} missing from the reference"
            description = node.get("description")
            if description:
                assert description.replace("|", "\\|") in row


def test_every_configuration_key_is_documented(project_config):
    sections = _sections(reference("en", project_config.languages))
    for option in fields(Config):
        if option.name != "root":
            assert f"| `{option.name}` |" in sections["configuration"]
            assert option.metadata["help"]
    # The nested tables' keys, each with its type and help, from the same models.
    schema = json_schema()
    tables = {"server": schema["$defs"]["Server"], "devices": schema["$defs"]["Device"]}
    for section, definition in tables.items():
        lines = sections[section].splitlines()
        for key, node in definition["properties"].items():
            row = next((line for line in lines if line.startswith(f"| `{key}` |")), "")
            assert row, f"[tool.guidegen.{section}] {key} missing from the reference"
            assert f"| {_config_type(node)} |" in row
            assert node["description"].replace("|", "\\|") in row
    assert {f.name for f in fields(Server)} == set(tables["server"]["properties"])
    assert {f.name for f in fields(Device)} == set(tables["devices"]["properties"])


def test_the_reference_says_what_a_pattern_asks_for():
    assert _config_type({"type": "string", "pattern": "^/"}) == "text (starts with /)"
    with pytest.raises(KeyError, match="add them to RULES"):
        _config_type({"type": "string", "pattern": "^x"})


def test_examples_name_real_keys_and_fit_in_a_code_span(project_config):
    schema = guide_schema(project_config.languages)
    facts = facts_schema(project_config.languages)
    definitions = {"Guide": schema, **schema["definitions"], "FactsFile": facts}
    definitions["SharedFact"] = facts["definitions"]["SharedFact"]
    real = {f"{n}.{k}" for n, d in definitions.items() for k in d["properties"]}
    real = {k for k in real if not k.startswith("Localized.")} | {"Localized.*"}
    assert set(EXAMPLES) == real
    config_keys = {f.name for f in fields(Config)} - {"root"}
    config_keys |= {f"devices.{f.name}" for f in fields(Device)}
    config_keys |= {f"server.{f.name}" for f in fields(Server)}
    assert set(CONFIG_EXAMPLES) == config_keys
    for example in [*EXAMPLES.values(), *CONFIG_EXAMPLES.values()]:
        assert "`" not in example and "|" not in example
