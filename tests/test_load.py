"""The loader: positions of every node, safe parsing, messages that point and hint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guidegen.guide import yamlfile as load_module
from guidegen.guide.load import load_bytes, load_guide
from guidegen.guide.yamlfile import MAX_BYTES, MAX_PROBLEMS, Problem, parse

GUIDE = """\
id: sample
title: {ja: 題, en: Title}
summary: {ja: 概要, en: Summary}
steps:
  - text: {ja: 開く, en: Open}
    actions:
      - goto: /
  - text: {ja: "①を{tap}", en: "{Tap} ①"}
    actions:
      - tap:
          role: button
          name: {ja: 送信, en: Send}
      - fill: {target: body, value: こんにちは}
"""


def load(text: str, name: str = "g.yml") -> list[str]:
    loaded = load_bytes(Path(name), text.encode())
    return [str(p) for p in loaded.problems]


def test_valid_guide_loads_with_positions() -> None:
    loaded = load_bytes(Path("sample.yml"), GUIDE.encode())
    assert loaded.problems == ()
    assert loaded.guide is not None and loaded.guide.id == "sample"
    values, keys = loaded.positions.values, loaded.positions.keys
    assert keys[("steps",)] == (4, 1)
    assert values[("steps", 1)] == (8, 5)
    assert keys[("steps", 1, "actions", 0, "tap", "name")] == (12, 11)
    assert values[("steps", 1, "actions", 0, "tap", "name", "en")] == (12, 30)
    assert values[("steps", 1, "actions", 1, "fill", "value")] == (13, 37)
    assert loaded.source == GUIDE


def test_unknown_key_inside_an_action_points_at_the_key() -> None:
    text = GUIDE.replace("          name: {ja: 送信", "          nmae: {ja: 送信")
    assert load(text) == ["g.yml:12:11: unknown key 'nmae' (did you mean 'name'?)"]


def test_unknown_key_inside_a_step_points_at_the_key() -> None:
    text = GUIDE.replace(
        "  - text: {ja: 開く, en: Open}\n", "  - text: {ja: 開く, en: Open}\n    acton: 1\n"
    )
    assert load(text) == ["g.yml:6:5: unknown key 'acton' (did you mean 'actions'?)"]


def test_unknown_key_in_fill_arguments() -> None:
    text = GUIDE.replace("value: こんにちは", "valeu: こんにちは")
    assert load(text) == ["g.yml:13:30: unknown key 'valeu' (did you mean 'value'?)"]


def test_wrong_type_deep_in_a_localized_target_name() -> None:
    text = GUIDE.replace("name: {ja: 送信, en: Send}", "name: {ja: 送信, en: 42}")
    assert load(text) == ["g.yml:12:30: 'en' must be text, not a number; put it in quotes"]


def test_positions_count_characters_not_bytes() -> None:
    text = GUIDE.replace("title: {ja: 題, en: Title}", "title: {ja: 題題題, en: Title, xx: a}")
    # 'xx' stands after three three-byte characters; columns count characters.
    problems = load_bytes(Path("g.yml"), text.encode()).problems
    assert problems == ()  # any two-letter code passes the loader; lint checks languages
    assert load_bytes(Path("g.yml"), text.encode()).positions.keys[("title", "xx")] == (2, 29)


def test_windows_line_endings_and_bom() -> None:
    text = "\ufeff" + GUIDE.replace("\n", "\r\n").replace("role: button", "role: [button]")
    assert load(text) == ["g.yml:11:17: 'role' must be text, not a list"]


def test_all_shape_errors_in_one_pass() -> None:
    text = GUIDE.replace("id: sample", "id: Sample").replace("goto: /", "goto: ''")
    text = text.replace("  - text: {ja: 開く", "  - txet: {ja: 開く")
    assert load(text) == [
        "g.yml:1:5: id 'Sample' must be lowercase letters, digits and single hyphens, "
        "like 'contact-seller'",
        "g.yml:5:5: unknown key 'txet' (did you mean 'text'?)",
        "g.yml:7:15: 'goto' is empty; write the text or remove the key",
    ]


def test_an_action_given_text_for_its_mapping_is_shown_the_keys_it_takes() -> None:
    text = GUIDE.replace("- fill: {target: body, value: こんにちは}", "- fill: こんにちは")
    assert load(text) == [
        "g.yml:13:15: 'fill' must be a mapping like {target: …, value: …}, not text"
    ]
    text = GUIDE.replace("- fill: {target: body, value: こんにちは}", "- expect-text: 開く")
    assert load(text) == [
        "g.yml:13:22: 'expect-text' must be a mapping like {target: …, text: …}, not text"
    ]


def test_missing_key_points_at_its_mapping() -> None:
    text = GUIDE.replace("  - text: {ja: 開く, en: Open}\n", "  - note: {ja: 注, en: Note}\n")
    assert load(text) == ["g.yml:5:5: missing key 'text' in steps[0]; add it"]


def test_keys_are_read_as_written() -> None:
    # YAML 1.1 reads `on` as true and `1` as an integer; a guide key is its text.
    problems = load(GUIDE + "on: 1\n2: x\n")
    assert problems == [
        "g.yml:14:1: unknown key 'on'; allowed: " + problems[0].split("allowed: ")[1],
        "g.yml:15:1: unknown key '2'; allowed: " + problems[0].split("allowed: ")[1],
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "a: &x 1\nb: *x\n",
            "g.yml:2:4: alias '*x' is not supported in guides; write the value out",
        ),
        ("a: !!str 1\n", "g.yml:1:4: tag '!!str' is not supported in guides; remove it"),
        ("a: !custom 1\n", "g.yml:1:4: tag '!custom' is not supported in guides; remove it"),
        ("a: 1\na: 2\n", "g.yml:2:1: duplicate key 'a' (first on line 1); keep one of them"),
        (
            "a: 1\n---\nb: 2\n",
            "g.yml:2:1: more than one YAML document; keep one guide per file and remove the '---'",
        ),
        ("---\n...\n", "g.yml:1:1: file is empty; a guide needs id, title, summary and steps"),
        (
            "  \n# only a comment\n",
            "g.yml:1:1: file is empty; a guide needs id, title, summary and steps",
        ),
        (
            "just text\n",
            "g.yml:1:1: a guide is a mapping with id, title, summary and steps, not text",
        ),
        (
            "a: 2026-13-01\n",
            "g.yml:1:4: '2026-13-01' is not a real date (month must be in 1..12); write YYYY-MM-DD",
        ),
        (
            "a: [1, 2\n",
            "g.yml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'; "
            "check the indentation and quoting",
        ),
        ("a: b\x85c\n\x07", "g.yml:2:1: character U+0007 is not allowed in YAML; remove it"),
    ],
)
def test_parse_problems(text: str, problem: str) -> None:
    assert load(text) == [problem]


def test_non_utf8_points_at_the_byte() -> None:
    raw = "id: x\ntitle: 題".encode() + b"\xff\n"
    assert [str(p) for p in load_bytes(Path("g.yml"), raw).problems] == [
        "g.yml:2:9: not UTF-8 text; save the file as UTF-8"
    ]


def test_oversized_files_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    with path.open("wb") as out:
        out.truncate(MAX_BYTES + 1)
    (problem,) = load_guide(path).problems
    assert problem.message.startswith(f"file is {MAX_BYTES + 1:,} bytes")
    (problem,) = load_bytes(path, b"#" * (MAX_BYTES + 1)).problems
    assert problem.line == 1 and "over the" in problem.message


def test_unreadable_paths(tmp_path: Path) -> None:
    assert [p.message for p in load_guide(tmp_path / "missing.yml").problems] == [
        "cannot read file: No such file or directory"
    ]
    assert [p.message for p in load_guide(tmp_path).problems] == [
        "not a regular file; a guide is a .yml file"
    ]
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    assert [p.message for p in load_guide(fifo).problems] == [
        "not a regular file; a guide is a .yml file"
    ]


def test_many_problems_are_capped() -> None:
    steps = "".join(f"  - {{txt{i}: 1}}\n" for i in range(3 * MAX_PROBLEMS))
    text = "id: a\ntitle: {ja: a}\nsummary: {ja: a}\nsteps:\n" + steps
    problems = load_bytes(Path("g.yml"), text.encode()).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.endswith("more problems not shown; fix the ones above first")


def test_problem_format() -> None:
    assert str(Problem("a.yml", 3, 7, "bad")) == "a.yml:3:7: bad"
    assert str(Problem("a.yml", 3, 7, "old", "warning")) == "a.yml:3:7: warning: old"


def test_parse_returns_plain_data() -> None:
    data, positions, problems = parse(Path("g.yml"), "a: [1, {b: c}]\n")
    assert problems == [] and data == {"a": [1, {"b": "c"}]}
    assert positions.values[("a", 1, "b")] == (1, 12)
    assert positions.of(("a", 1, "b", "deeper")) == (1, 12)


def test_text_or_localized_says_both_are_allowed() -> None:
    text = GUIDE.replace("value: こんにちは", "value: 3").replace(
        "title: {ja: 題, en: Title}", "title: 題"
    )
    assert load(text) == [
        "g.yml:2:8: 'title' must give the text per language, e.g. {ja: …, en: …}",
        "g.yml:13:37: 'value' must be text, or text per language like {ja: …, en: …}",
    ]


ROOT = Path(__file__).resolve().parent.parent
PARSED = sorted((ROOT / "steps").glob("*.yml")) + sorted((ROOT / "tests" / "broken").rglob("*.yml"))


@pytest.mark.parametrize("path", PARSED, ids=lambda p: p.name)
def test_libyaml_and_python_parsers_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml parses what it can; the result must be exactly the pure-Python one."""
    text = path.read_bytes().decode("utf-8", "replace")
    fast_data, fast_positions, fast_problems = parse(path, text)
    monkeypatch.setattr(load_module, "_parse_with_libyaml", lambda text: None)
    slow_data, slow_positions, slow_problems = parse(path, text)
    assert (fast_data, fast_problems) == (slow_data, slow_problems)
    assert fast_positions.values == slow_positions.values
    assert fast_positions.keys == slow_positions.keys


def test_every_valid_guide_takes_the_libyaml_path() -> None:
    for path in sorted((ROOT / "steps").glob("*.yml")):
        assert load_module._parse_with_libyaml(path.read_text("utf-8")) is not None, path


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\n---\nb: 2\n", "a: 2026-02-30\n"],
    ids=["alias", "tag", "two-documents", "bad-date"],
)
def test_what_the_guide_loader_refuses_takes_the_python_path(text: str) -> None:
    assert load_module._parse_with_libyaml(text) is None
