"""``guidegen new``: a commented starter guide that passes lint as written.

The comments above each key are the model's own field descriptions, so the
starter explains the same things as the schema and the format reference.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

from ..config import Config
from ..files import write_atomic
from .lint import known_scenarios, refresh_schema
from .model import Guide, Step
from .rules import MODELINE
from .types import ID_PATTERN, PLATFORMS

_ID_RE = re.compile(ID_PATTERN)
MAX_ID = 64

# Starter wording; a language without its own falls back to English.
STARTER = {
    "ja": {
        "title": "（ここに手順の題名。例: 注文履歴を見る）",
        "summary": "（この手順で何ができるかを一、二文で書きます。）",
        "text": "①「（ボタンの名前）」を{tap}します。",
    },
    "en": {
        "title": "(The task here, e.g. See your orders)",
        "summary": "(One or two sentences on what this guide helps the reader do.)",
        "text": "{Tap} ① (the button's name).",
    },
}


class ScaffoldError(Exception):
    """Bad input to ``guidegen new``: printed as one line."""


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever it holds.
    return json.dumps(text, ensure_ascii=False)


def _localized(key: str, languages: Sequence[str], indent: str) -> list[str]:
    return [
        f"{indent}  {lang}: {_quoted(STARTER.get(lang, STARTER['en'])[key])}" for lang in languages
    ]


def _about(model: type[Guide] | type[Step], key: str, indent: str = "") -> str:
    description = model.model_fields[key].description or ""
    return "\n".join(
        textwrap.wrap(
            f"{key}: {description}",
            width=88,
            initial_indent=f"{indent}# ",
            subsequent_indent=f"{indent}#   ",
            break_on_hyphens=False,
        )
    )


def starter(
    guide_id: str,
    languages: Sequence[str],
    platforms: Sequence[str],
    scenario: str | None,
    scenarios: Sequence[str],
    schema: str,
) -> str:
    """The text of a new guide file."""
    langs = ", ".join(f"{lang}: …" for lang in languages)
    lines = [
        f"{MODELINE}{schema}",
        "# A guide: what the reader reads and what the browser does, step by step.",
        "# Check it with `guidegen lint`; see it with `guidegen serve`.",
        "# Lines starting with # are comments. Optional keys are shown commented out:",
        "# remove the # (and the space after it) to use one.",
        "",
        _about(Guide, "id"),
        f"id: {guide_id}",
        _about(Guide, "title"),
        "title:",
        *_localized("title", languages, ""),
        _about(Guide, "summary"),
        "summary:",
        *_localized("summary", languages, ""),
        _about(Guide, "scenario"),
    ]
    if scenarios:
        lines += textwrap.wrap(
            f"Known scenarios: {', '.join(scenarios)}.",
            width=88,
            initial_indent="#   ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
        )
    lines.append(
        f"scenario: {scenario}" if scenario else f"# scenario: {(scenarios or ['NAME'])[0]}"
    )
    lines += [
        _about(Guide, "platforms"),
        f"platforms: [{', '.join(platforms)}]",
        _about(Guide, "related"),
        "# related: [another-guide]",
        _about(Guide, "prerequisites"),
        "# prerequisites:",
        f"#   - {{{langs}}}",
        _about(Guide, "facts"),
        "# facts: [fact-id]",
        _about(Guide, "redact"),
        "# redact: [customer-name]",
        _about(Guide, "compare"),
        "# compare: {threshold: 24, budget: 40}",
        "",
        _about(Guide, "steps"),
        "steps:",
        _about(Step, "id", "  "),
        "  - id: first-step",
        _about(Step, "text", "    "),
        "    text:",
        *_localized("text", languages, "    "),
        _about(Step, "actions", "    "),
        "    #   A target is the element's test id (its data-testid attribute), or",
        "    #   {role: button, name: …}, {label: …} or {placeholder: …} (a field),",
        "    #   {text: …} or {css: …}. Replace the example's test id with a target",
        "    #   of your app's; each marked action is ① in the text, the next ②.",
        "    actions:",
        "      - tap: replace-with-a-test-id",
        _about(Step, "note", "    "),
        f"    # note: {{{langs}}}",
        _about(Step, "warning", "    "),
        f"    # warning: {{{langs}}}",
        _about(Step, "only", "    "),
        f"    # only: [{platforms[-1]}]",
        "    # ios, android, web: what differs on that platform (text, actions, note, warning).",
        f"    # {platforms[-1]}:",
        f"    #   text: {{{langs}}}",
        "    #   actions:",
        "    #     - tap: another-test-id",
        "",
    ]
    return "\n".join(lines)


def parse_platforms(text: str | None) -> tuple[str, ...]:
    if text is None:
        return PLATFORMS
    chosen = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    for platform in chosen:
        if platform not in PLATFORMS:
            raise ScaffoldError(
                f"--platforms: unknown platform '{platform}'; write some of "
                f"{','.join(PLATFORMS)}, separated by commas"
            )
    if not chosen:
        raise ScaffoldError(f"--platforms: name at least one of {','.join(PLATFORMS)}")
    return chosen


def new_guide(
    config: Config, guide_id: str, scenario: str | None = None, platforms: str | None = None
) -> Path:
    """Write steps/<guide_id>.yml; ScaffoldError on a bad or taken id, or an unknown scenario."""
    if not _ID_RE.match(guide_id) or len(guide_id) > MAX_ID:
        raise ScaffoldError(
            f"'{guide_id}' is not a guide id: use lowercase letters, digits and single "
            f"hyphens between them, at most {MAX_ID} characters (e.g. check-orders)"
        )
    folder = config.path("steps_dir")
    path = folder / f"{guide_id}.yml"
    for taken in (path, path.with_suffix(".yaml")):
        if taken.exists():
            shown = taken.relative_to(config.root) if taken.is_relative_to(config.root) else taken
            raise ScaffoldError(f"{shown}: already exists; edit it, or choose another id")
    chosen = parse_platforms(platforms)
    known, problems = known_scenarios(config)
    if problems:
        raise ScaffoldError(str(problems[0]))
    names = sorted(known) if known is not None else []
    if scenario is not None and (
        not _ID_RE.match(scenario) or (known is not None and scenario not in known)
    ):
        raise ScaffoldError(
            f"--scenario {scenario}: unknown scenario; known: {', '.join(names) or 'none'}"
        )
    schema = Path(os.path.relpath(refresh_schema(config), folder.resolve())).as_posix()
    text = starter(guide_id, config.languages, chosen, scenario, names, schema)
    write_atomic(path, text.encode("utf-8"))
    return path
