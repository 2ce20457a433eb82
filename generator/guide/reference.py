"""The editors' format reference, generated from the JSON Schema and the configuration.

Every key the schema has gets a row: its type, whether it is required or its
default, its description (the model's own) and an example. The examples are
written here by hand; a key without one stops the generator, so a new field
in the model cannot slip into the format undocumented. The configuration
keys come from ``guidegen.config`` the same way.

Run ``python -m guidegen.guide.reference`` after changing the model or the
configuration; a test fails while the committed pages are stale.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import platforms
from ..config import DEVICES, Config
from ..files import write_atomic
from ..settings import ENV_NAME_PATTERN, SITE_URL_PATTERN, json_schema
from .schema import facts_schema, guide_schema

COMMAND = "python -m guidegen.guide.reference"

# The order sections are read in; any definition not named here follows them.
ORDER = (
    "Guide",
    "Step",
    "Override",
    "Localized",
    "Fact",
    "CompareSettings",
    "CropArea",
    "TestIdTarget",
    "RoleTarget",
    "LabelTarget",
    "PlaceholderTarget",
    "TextTarget",
    "CssTarget",
    "Tap",
    "Click",
    "Fill",
    "FillArgs",
    "Select",
    "SelectArgs",
    "Highlight",
    "ScrollTo",
    "Goto",
    "ExpectVisible",
    "ExpectAbsent",
    "ExpectText",
    "ExpectTextArgs",
    "WaitFor",
    "Press",
    "PressArgs",
    "SelectText",
    "SelectTextArgs",
    "Blur",
    "Mask",
    "AcceptDialog",
    "DismissDialog",
    "DialogArgs",
    "EnvValue",
)

EXAMPLES: dict[str, str] = {
    "Guide.id": "id: check-sent",
    "Guide.title": "title: {ja: 送ったメッセージを確認する, en: Check the messages you sent}",
    "Guide.summary": "summary: {ja: 送ったメッセージは残ります。, en: Sent messages are kept.}",
    "Guide.scenario": "scenario: awaiting-reply",
    "Guide.setup": "setup: sign-in",
    "Guide.platforms": f"platforms: [{', '.join(platforms.names())}]",
    "Guide.color_schemes": "color_schemes: [light]",
    "Guide.related": "related: [contact-seller, check-replies]",
    "Guide.prerequisites": "prerequisites: [{ja: ログインしていること, en: You are signed in}]",
    "Guide.facts": "facts: [two-week-rule, guarantee-refund]",
    "Guide.redact": "redact: [customer-name, {blur: avatar}]",
    "Guide.compare": "compare: {budget: 200}",
    "Guide.crop": "crop: full",
    "Guide.steps": "steps: [{text: {…}, actions: [{tap: tab-account}]}]",
    "Step.id": "id: open-messages",
    "Step.text": 'text: {ja: ①「送信済み」を{tap}します。, en: "{Tap} ① Sent."}',
    "Step.actions": "actions: [{tap: tab-account}, {tap: order-history}]",
    "Step.note": "note: {ja: 返信には数日かかることがあります。, en: Replies may take days.}",
    "Step.warning": "warning: {ja: 送信後は取り消せません。, en: You cannot unsend it.}",
    "Step.only": "only: [ios, android]",
    "Step.ios": "ios: {text: {…}}",
    "Step.android": "android: {actions: [{tap: tab-menu}]}",
    "Step.web": "web: {text: {…}, actions: [{tap: header-orders}]}",
    "Step.crop": "crop: {element: message-form}",
    "Override.text": "text: {ja: 画面上部の①「注文履歴」を{tap}します。, en: …}",
    "Override.actions": "actions: [{tap: header-orders}]",
    "Override.note": "note: {ja: …, en: …}",
    "Override.warning": "warning: {ja: …, en: …}",
    "Override.crop": "crop: {padding: 48}",
    "Localized.*": "{ja: 注文履歴, en: Your Orders}",
    "Fact.text": "text: {ja: 返品リクエストから14日…, en: 14 days after a return request…}",
    "Fact.source": "source: https://example.com/help/guarantee",
    "Fact.checked": "checked: 2026-11-26",
    "FactsFile.facts": "facts: [{id: two-week-rule, text: {…}, source: …, checked: …}]",
    "SharedFact.id": "id: two-week-rule",
    "SharedFact.text": "text: {ja: 出品者に連絡してから2週間…, en: Two weeks after you contacted…}",
    "SharedFact.source": "source: https://example.com/help/guarantee",
    "SharedFact.checked": "checked: 2026-11-26",
    "SharedFact.recheck": "recheck: 2027-05-26",
    "CompareSettings.threshold": "threshold: 32",
    "CompareSettings.budget": "budget: 200",
    "CropArea.element": "crop: {element: order-summary}",
    "CropArea.padding": "crop: {padding: 32}",
    "TestIdTarget.testid": "tap: {testid: order-history}",
    "RoleTarget.role": "tap: {role: button, name: {ja: 送信, en: Send}}",
    "RoleTarget.name": "tap: {role: link, name: Help}",
    "RoleTarget.exact": "tap: {role: button, name: Send, exact: true}",
    "TextTarget.text": "tap: {text: {ja: 注文の詳細, en: Order details}}",
    "TextTarget.exact": "tap: {text: Sent, exact: true}",
    "LabelTarget.label": "target: {label: {ja: ユーザー名, en: Username}}",
    "LabelTarget.exact": "target: {label: Name, exact: true}",
    "PlaceholderTarget.placeholder": "target: {placeholder: {ja: 商品を検索, en: Search items}}",
    "PlaceholderTarget.exact": "target: {placeholder: Search, exact: true}",
    "CssTarget.css": 'target: {css: "#searchbar"}',
    "Press.press": "- press: Control+B",
    "PressArgs.key": "- press: {key: Enter, target: {label: Search}}",
    "PressArgs.target": "target: {label: Search}",
    "SelectText.select-text": '- select-text: {target: {css: "[contenteditable]"}, text: word}',
    "SelectTextArgs.target": 'target: {css: "[contenteditable]"}',
    "SelectTextArgs.text": "text: {ja: 大切, en: important}",
    "Tap.tap": "- tap: tab-account",
    "Click.click": "- click: header-orders",
    "Fill.fill": "- fill: {target: message-body, value: {ja: 届いた商品が…, en: The item…}}",
    "FillArgs.target": "target: message-body",
    "FillArgs.value": "value: {ja: 割れていました, en: It arrived broken}",
    "Select.select": "- select: {target: claim-reason, option: {ja: 破損, en: Damaged}}",
    "SelectArgs.target": "target: claim-reason",
    "SelectArgs.option": "option: {ja: 破損, en: Damaged}",
    "Highlight.highlight": "- highlight: message-body",
    "ScrollTo.scroll-to": "- scroll-to: messages",
    "Goto.goto": "- goto: /#/orders",
    "ExpectVisible.expect-visible": "- expect-visible: order-1001",
    "ExpectAbsent.expect-absent": "- expect-absent: problem-file-claim",
    "ExpectText.expect-text": "- expect-text: {target: order-status, text: Delivered}",
    "ExpectTextArgs.target": "target: order-status",
    "ExpectTextArgs.text": "text: {ja: 配達済み, en: Delivered}",
    "WaitFor.wait-for": "- wait-for: message-list",
    "Blur.blur": "- blur: shipping-address",
    "Mask.mask": "- mask: {role: textbox, name: Card number}",
    "EnvValue.env": "value: {env: LIBRARY_PASSWORD}",
    "AcceptDialog.accept-dialog": "- accept-dialog: {message: Cancel the reservation}",
    "DismissDialog.dismiss-dialog": "- dismiss-dialog:",
    "DialogArgs.message": "message: {ja: 予約を取り消しますか, en: Cancel the reservation}",
    "DialogArgs.prompt": "prompt: {ja: 来週, en: Next week}",
}

CONFIG_EXAMPLES: dict[str, str] = {
    "languages": 'languages = ["ja", "en"]',
    "platforms": f"platforms = {json.dumps(list(platforms.names()))}",
    "steps_dir": 'steps_dir = "steps"',
    "screenshots_dir": 'screenshots_dir = "screenshots"',
    "docs_dir": 'docs_dir = "docs"',
    "site_dir": 'site_dir = "site"',
    "site_url": 'site_url = "https://example.org/help/"',
    "engine": 'engine = "zensical"',
    "search_synonyms": 'search_synonyms = "search-synonyms.yml"',
    "shop_dir": 'shop_dir = "mockshop"',
    "base_url": 'base_url = "https://staging.example.com/"',
    "scenarios": 'scenarios = "mockshop/scenarios.json"',
    "facts": 'facts = "facts.yml"',
    "terms": 'terms = "terms.yml"',
    "start_url": 'start_url = "/?platform={platform}&lang={lang}&scenario={scenario}"',
    "ready": "ready = \"body[data-ready='true']\"",
    "capture_css": 'capture_css = "capture.css"',
    "clock": 'clock = "2026-11-26T10:00:00+09:00"',
    "timezone": 'timezone = "Asia/Tokyo"',
    "timeout_ms": "timeout_ms = 15000",
    "workers": "workers = 1",
    "threshold": "threshold = 24",
    "budget": "budget = 40",
    "optimise": "optimise = false",
    "color_schemes": 'color_schemes = ["light", "dark"]',
    "guide_index": "guide_index = true",
    "guide_order": 'guide_order = ["contact-seller", "check-replies"]',
    "secrets": 'secrets = ["APP_PASSWORD"]',
    "server": '[tool.guidegen.server]\ncommand = "python app.py {port}"',
    "server.command": 'command = "python manage.py runserver {port}"',
    "server.url": 'url = "http://127.0.0.1:{port}/app/"',
    "server.ready_path": 'ready_path = "/health"',
    "server.timeout_s": "timeout_s = 120",
    "server.reuse_existing": "reuse_existing = true",
    "server.cwd": 'cwd = "app"',
    "server.env": 'env = { DATABASE = "data-{worker}.sqlite3" }',
    "server.watch": 'watch = ["app/**/*.py", "app/templates/**"]',
    "server.reset": 'reset = "python manage.py loaddata {scenario}"',
    "server.app_setup": 'app_setup = "pip install -r requirements.txt"',
    "devices": '[tool.guidegen.devices.ios]\ndescriptor = "iPhone 15"',
    "devices.descriptor": 'descriptor = "Pixel 7"',
    "devices.viewport": "viewport = [1440, 900]",
    "devices.scale": "scale = 2",
    "devices.label": 'label = { ja = "パソコン", en = "Computer" }',
    "devices.verb": 'verb = { ja = "クリック", en = "click" }',
    "devices.color_schemes": 'color_schemes = ["light"]',
}

WORDS = {
    "ja": {
        "title": "書式リファレンス",
        "intro": (
            "ガイド（`steps/*.yml`）に書けるキーの一覧です。型、省略したときの値、説明、例を"
            "載せています。説明は英語です。"
        ),
        "generated": (
            f"このページは `{COMMAND}` が JSON Schema から生成します。手で編集しないでください。"
        ),
        "key": "キー",
        "type": "型",
        "default": "省略時",
        "description": "説明",
        "example": "例",
        "required": "**必須**",
        "none": "なし",
        "guide": "ガイド全体",
        "config": "設定（`pyproject.toml` の `[tool.guidegen]`）",
        "config_intro": (
            "プロジェクトの設定はすべて `pyproject.toml` の `[tool.guidegen]` にあります。"
            "どのキーも省略でき、省略時の値で同梱の例（モックショップ）が動きます。"
        ),
        "server": "アプリのサーバー（`[tool.guidegen.server]`）",
        "server_intro": (
            "guidegen が撮影（capture）、確認（check）、プレビュー（serve）のあいだ起動し、"
            "終わると止めるアプリ自身のサーバーです。`command` は必須で、ほかのキーは省略できます。"
        ),
        "devices": "端末（`[tool.guidegen.devices.ios]` など）",
        "devices_intro": (
            "プラットフォームごとのエミュレーションを上書きします。書いたキーだけが変わります。"
        ),
        "device_defaults": "既定の端末",
        "actions_note": "印あり（①②…の番号がつく）",
        "facts_file": "事実ファイル（`facts.yml`）",
        "facts_intro": (
            "ガイドやページが示す規則（事実）は、設定の `facts` で指定するファイルに1回だけ"
            "書きます。ガイドは `facts: [two-week-rule]` のように id で示し、手書きのページは"
            "`<!-- fact two-week-rule -->…<!-- /fact -->` の間に `guidegen render` が本文を"
            "入れます。再確認の日を過ぎた事実には `guidegen lint` が警告を出します。"
        ),
    },
    "en": {
        "title": "Format reference",
        "intro": (
            "Every key a guide (`steps/*.yml`) can hold: its type, its value when left "
            "out, what it means and an example."
        ),
        "generated": f"This page is generated from the JSON Schema by `{COMMAND}`; do not edit it.",
        "key": "key",
        "type": "type",
        "default": "when left out",
        "description": "description",
        "example": "example",
        "required": "**required**",
        "none": "nothing",
        "guide": "The guide",
        "config": "Configuration (`[tool.guidegen]` in `pyproject.toml`)",
        "config_intro": (
            "All of a project's settings live in `[tool.guidegen]` in `pyproject.toml`. "
            "Every key is optional; the defaults run the bundled example, the mock shop."
        ),
        "server": "The app's server (`[tool.guidegen.server]`)",
        "server_intro": (
            "The app's own server, which guidegen starts for capture, check and serve and "
            "stops afterwards. `command` is required; every other key is optional."
        ),
        "devices": "Devices (`[tool.guidegen.devices.ios]` and so on)",
        "devices_intro": "Override how a platform is emulated; only the keys you write change.",
        "device_defaults": "Default devices",
        "actions_note": "marked (gets the next circled number ①②…)",
        "facts_file": "Facts file (`facts.yml`)",
        "facts_intro": (
            "A rule the site states (a fact) is written once, in the file named by `facts` "
            "in the configuration. Guides name it by id (`facts: [two-week-rule]`); on a "
            "hand-written page, `guidegen render` puts its text between "
            "`<!-- fact two-week-rule -->` and `<!-- /fact -->`. `guidegen lint` warns "
            "about a fact that is past its re-check date."
        ),
    },
}


def _anchor(name: str) -> str:
    return name.lower()


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    # Examples hold no backtick or pipe (a test checks), so a code span is safe.
    return f"`{text.replace(chr(10), ' ')}`"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def type_of(node: dict[str, Any]) -> str:
    """A schema node as an editor would name its type, with links to definitions."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{_anchor(name)})"
    if "allOf" in node:
        return " and ".join(type_of(part) for part in node["allOf"])
    for key in ("anyOf", "oneOf"):
        if key in node:
            parts = [part for part in node[key] if part.get("type") != "null"]
            if node.get("title") == "Target" or "TestIdTarget" in json.dumps(parts):
                return "[target](#targets)"
            return " or ".join(type_of(part) for part in parts)
    kind = node.get("type")
    if kind == "array":
        return f"list of {type_of(node.get('items', {}))}"
    if "enum" in node:
        return " \\| ".join(f"`{value}`" for value in node["enum"])
    if kind == "string":
        if node.get("format") == "date":
            return "date (YYYY-MM-DD)"
        if node.get("pattern", "").startswith("^[a-z0-9]+"):
            return f"id (a-z, 0-9, -; ≤ {node.get('maxLength', 64)})"
        if node.get("pattern", "").startswith("^https?"):
            return "URL (http or https)"
        return "text"
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"whole number {low}–{high}"
        if low is not None:
            return f"whole number ≥ {low}"
        return "whole number"
    if kind == "boolean":
        return "true or false"
    if kind == "object":
        return "mapping"
    return "any"


def _plain(node: dict[str, Any]) -> dict[str, Any]:
    """The node behind anyOf [X, null], for its description and constraints."""
    for key in ("anyOf",):
        if key in node:
            parts = [p for p in node[key] if p.get("type") != "null"]
            if len(parts) == 1:
                return {**parts[0], **{k: v for k, v in node.items() if k != key}}
    return node


def _default(node: dict[str, Any], required: bool, words: dict[str, str]) -> str:
    if required:
        return words["required"]
    if "default" not in node or node["default"] is None:
        return words["none"]
    return _code(json.dumps(node["default"], ensure_ascii=False).replace('"', ""))


def _example(key: str) -> str:
    if key not in EXAMPLES:
        raise KeyError(f"no example for {key}: add one to EXAMPLES in {__name__}")
    return _code(EXAMPLES[key])


def _definition_rows(name: str, definition: dict[str, Any], words: dict[str, str]) -> Iterator[str]:
    required = set(definition.get("required", ()))
    for key, node in definition.get("properties", {}).items():
        example_key = f"{name}.{key}" if name != "Localized" else "Localized.*"
        node = _plain(node)
        yield (
            f"| `{key}` | {type_of(node)} | {_default(node, key in required, words)} | "
            f"{_cell(node.get('description', ''))} | {_example(example_key)} |"
        )


def _table(rows: Sequence[str], words: dict[str, str]) -> list[str]:
    head = [words[k] for k in ("key", "type", "default", "description", "example")]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *rows]


def _schema_sections(schema: dict[str, Any], words: dict[str, str]) -> list[str]:
    definitions = {"Guide": schema, **schema["definitions"]}
    names = [n for n in ORDER if n in definitions]
    names += sorted(set(definitions) - set(names))
    lines: list[str] = []
    for name in names:
        definition = definitions[name]
        heading = words["guide"] if name == "Guide" else name
        if name == "TestIdTarget":
            lines += [
                "## Targets {#targets}",
                "",
                "A target is the element an action works on: a test id as a plain string "
                "(`tap: order-history`), or one of the mappings below.",
                "",
            ]
        lines += [f"## {heading} {{#{_anchor(name)}}}", ""]
        description = definition.get("description", "")
        if name == "Guide":
            description = "One how-to guide: one file in steps/."
        if description:
            lines += [_escape(description), ""]
        lines += [*_table(list(_definition_rows(name, definition, words)), words), ""]
    return lines


def _facts_sections(languages: Sequence[str], words: dict[str, str]) -> list[str]:
    schema = facts_schema(languages)
    lines = [f"## {words['facts_file']} {{#factsfile}}", "", words["facts_intro"], ""]
    lines += [*_table(list(_definition_rows("FactsFile", schema, words)), words), ""]
    shared = schema["definitions"]["SharedFact"]
    lines += ["### SharedFact {#sharedfact}", "", _escape(shared.get("description", "")), ""]
    lines += [*_table(list(_definition_rows("SharedFact", shared, words)), words), ""]
    return lines


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{k} = {_toml(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    return str(value)


# What a pattern of the configuration's model asks for, in an editor's words.
RULES = {
    r"^[a-z]{2}$": "two-letter code",
    SITE_URL_PATTERN: "http or https URL, or empty",
    ENV_NAME_PATTERN: "environment variable name",
    r"^/": "starts with /",
    r"\S": "not blank",
}


def _config_type(node: dict[str, Any]) -> str:
    """A configuration key's type and limits as its model (settings.py) declares them."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1].lower()
        return "tables, one per platform" if name == "devices" else f"[table](#{name})"
    kind = node.get("type")
    if "enum" in node:
        return " \\| ".join(f"`{value}`" for value in node["enum"])
    if kind == "array" and "prefixItems" in node:
        return "[" + ", ".join(_config_type(item) for item in node["prefixItems"]) + "]"
    if kind == "array":
        return f"list of {_config_type(node['items'])}"
    if kind == "object":
        return f"table of {_config_type(node['additionalProperties'])}"
    if kind == "string" and "pattern" in node:
        if node["pattern"] not in RULES:
            raise KeyError(f"no words for the pattern {node['pattern']}: add them to RULES")
        return f"text ({RULES[node['pattern']]})"
    if kind == "string":
        return "non-empty text" if node.get("minLength") else "text"
    if kind == "integer" and "exclusiveMinimum" in node:
        return f"whole number > {node['exclusiveMinimum']}"
    if kind == "integer":
        return f"whole number ≥ {node['minimum']}"
    if kind == "number":
        return f"number from {node['minimum']} to {node['maximum']}"
    return "true or false"


def _config_default(
    node: dict[str, Any], required: bool, absent: str, words: dict[str, str]
) -> str:
    if required:
        return words["required"]
    if "default" not in node:
        return absent
    return _code(_toml(node["default"])) if node["default"] != "" else '`""`'


def _config_rows(
    definition: dict[str, Any], prefix: str, absent: str, words: dict[str, str]
) -> list[str]:
    """A row per key of a table of the configuration's JSON Schema; absent is what a
    key without a default means when it is left out."""
    required = set(definition.get("required", ()))
    rows = []
    for key, node in definition["properties"].items():
        left_out = _config_default(node, key in required, absent, words)
        if key == "devices" and not prefix:
            left_out = f"[{words['device_defaults']}](#devices)"
        rows.append(
            f"| `{key}` | {_config_type(node)} | {left_out} | "
            f"{_cell(node['description'])} | {_code(CONFIG_EXAMPLES[prefix + key])} |"
        )
    return rows


def _config_sections(words: dict[str, str]) -> list[str]:
    schema = json_schema()
    rows = _config_rows(schema, "", words["none"], words)
    server_rows = _config_rows(schema["$defs"]["Server"], "server.", words["none"], words)
    device_rows = _config_rows(schema["$defs"]["Device"], "devices.", "—", words)
    defaults = ["| platform | descriptor | viewport |", "|---|---|---|"]
    for platform, device in DEVICES.items():
        viewport = "×".join(map(str, device.viewport)) if device.viewport else "—"
        defaults.append(f"| `{platform}` | {device.descriptor or '—'} | {viewport} |")
    return [
        f"## {words['config']} {{#configuration}}",
        "",
        words["config_intro"],
        "",
        *_table(rows, words),
        "",
        f"## {words['server']} {{#server}}",
        "",
        words["server_intro"],
        "",
        *_table(server_rows, words),
        "",
        f"## {words['devices']} {{#devices}}",
        "",
        words["devices_intro"],
        "",
        *_table(device_rows, words),
        "",
        f"### {words['device_defaults']}",
        "",
        *defaults,
        "",
    ]


def reference(lang: str, languages: Sequence[str] = ("ja", "en")) -> str:
    """The reference page in lang (headings and introductions; descriptions are English)."""
    words = WORDS.get(lang, WORDS["en"])
    lines = [
        # The title comes first: MkDocs names the page in the nav after it.
        f"# {words['title']}",
        "",
        f"<!-- {words['generated']} -->",
        "",
        words["intro"],
        "",
        f'!!! info "{COMMAND}"',
        "",
        f"    {words['generated']}",
        "",
        *_schema_sections(guide_schema(languages), words),
        *_facts_sections(languages, words),
        *_config_sections(words),
    ]
    return "\n".join(lines)


def reference_path(config: Config, lang: str) -> Path:
    return config.path("docs_dir") / "editors" / lang / "reference.md"


def write_references(config: Config) -> list[Path]:
    """Write the reference of every language; the files that changed."""
    return [
        reference_path(config, lang)
        for lang in config.languages
        if write_atomic(
            reference_path(config, lang), reference(lang, config.languages).encode("utf-8")
        )
    ]


def main() -> int:
    from ..config import load_config

    config = load_config()
    changed = write_references(config)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print("unchanged: the references are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
