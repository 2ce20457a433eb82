"""The term list and the guide names on pages: lint's warnings, and the project's own pages.

Also the rules stated once: every page that states a rule does so through its
fact (facts.yml), so no two pages can word it differently.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from guidegen.config import load_config
from guidegen.guide.facts import FILLED_RE, page_files
from guidegen.guide.lint import lint
from guidegen.guide.terms import variant_pattern
from guidegen.site.render import guide_page

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)

TERMS = """\
ja:
  - use: 確認する
    avoid: [確かめる]
en:
  - use: who
    avoid: [whom]
"""

GUIDE = """\
id: {id}
title: {{ja: {title_ja}, en: {title_en}}}
summary: {{ja: 概要です。, en: Summary.}}
steps:
  - text: {{ja: 画面を確認します。, en: Look at the screen.}}
    note:
      ja: {note_ja}
      en: {note_en}
"""


def _project(tmp_path: Path, terms: str = TERMS, pages: dict[str, str] | None = None) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.guidegen]\nlanguages = ["ja", "en"]\nterms = "terms.yml"\n', "utf-8"
    )
    (tmp_path / "terms.yml").write_text(terms, "utf-8")
    steps = tmp_path / "steps"
    steps.mkdir()
    (steps / "other.yml").write_text(
        GUIDE.format(
            id="other",
            title_ja="別の手順を見る",
            title_en="See the other steps",
            note_ja="補足です。",
            note_en="A note.",
        ),
        "utf-8",
    )
    for lang, text in (pages or {}).items():
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "index.md").write_text(text, "utf-8")
    return tmp_path


def _lint(root: Path) -> list[str]:
    config = load_config(root)
    report = lint([config.path("steps_dir")], config, TODAY)
    shown = [str(p).replace(str(root) + "/", "") for p in report.problems]
    return [line for line in shown if "no schema line" not in line]


def _guide(root: Path, note_ja: str, note_en: str = "A note.") -> None:
    text = GUIDE.format(
        id="demo", title_ja="デモ", title_en="Demo", note_ja=note_ja, note_en=note_en
    )
    (root / "steps" / "demo.yml").write_text(text, "utf-8")


def test_a_variant_in_a_guide_warns_at_its_line_and_column(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _guide(root, "届いたら中身を確かめましょう。", "Ask whom you like.")
    assert _lint(root) == [
        "steps/demo.yml:7:18: warning: '確かめる' — write '確認する' (terms.yml)",
        "steps/demo.yml:8:15: warning: 'whom' — write 'who' (terms.yml)",
    ]


def test_a_variant_on_a_page_warns_but_not_in_code_links_or_facts(tmp_path: Path) -> None:
    page = (
        "# Page\n\nPlease 確かめる nothing here; ask WHOM you like.\n\n"
        "`whom` in code, [a link](whom.md), <!-- whom -->, whomever.\n"
    )
    root = _project(tmp_path, pages={"en": page, "ja": "# ページ\n\n中身を確かめてください。\n"})
    assert _lint(root) == [
        "docs/en/index.md:3:31: warning: 'whom' — write 'who' (terms.yml)",
        "docs/ja/index.md:3:4: warning: '確かめる' — write '確認する' (terms.yml)",
    ]


def test_a_japanese_verb_is_found_in_its_other_forms_a_latin_word_whole() -> None:
    verb = variant_pattern("確かめる", "ja")
    assert all(verb.search(t) for t in ("確かめます", "確かめて", "確かめたい", "確かめる"))
    assert not verb.search("確かな")
    word = variant_pattern("PC", "ja")
    assert word.search("PCで開きます") and word.search("pc") and not word.search("PCB")


def test_a_guide_title_in_a_note_without_a_link_warns(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _guide(root, "手順は「別の手順を見る」にあります。", "Read {guide:other} first.")
    assert _lint(root) == [
        "steps/demo.yml:7:15: warning: the guide title '別の手順を見る' without a link; "
        "write {guide:other} to link it",
    ]


def test_guide_links_name_a_real_guide_in_a_note_or_warning(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _guide(root, "手順は{guide:othr}にあります。")
    text = (root / "steps" / "demo.yml").read_text("utf-8")
    text = text.replace("{ja: 画面を確認します。", '{ja: "{guide:other}を開きます。"')
    (root / "steps" / "demo.yml").write_text(text, "utf-8")
    assert _lint(root) == [
        "steps/demo.yml:5:17: {guide:other} links a guide only in a note or a warning; "
        "name the guide in words here",
        "steps/demo.yml:7:14: unknown guide 'othr' (did you mean 'other'?)",
    ]


def test_a_guide_title_on_a_page_must_be_a_link(tmp_path: Path) -> None:
    page = "# Help\n\nFirst, See the other steps.\n\n- [See the other steps](guides/other.md)\n"
    root = _project(tmp_path, pages={"en": page})
    assert _lint(root) == [
        "docs/en/index.md:3:8: warning: the guide title 'See the other steps' without a "
        "link; link it: [See the other steps](…/guides/other.md)",
    ]


def test_a_broken_term_list_is_an_error_at_its_place(tmp_path: Path) -> None:
    terms = "ja:\n  - use: 確認する\n    avoid: [確認]\n  - use: 返信\nfr:\n  - use: qui\n"
    root = _project(tmp_path, terms)
    assert _lint(root) == [
        "terms.yml:3:13: '確認' would also find the word to use, '確認する'",
        "terms.yml:4:5: missing 'avoid': the variants of '返信' the pages do not use",
        "terms.yml:5:1: unknown language 'fr'; allowed: ja, en",
    ]


def test_a_guide_link_in_a_note_renders_as_a_link_to_the_guide(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _guide(root, "手順は{guide:other}をご覧ください。", "See {guide:other}.")
    config = load_config(root)
    report = lint([config.path("steps_dir")], config, TODAY)
    guides = {g.id: g for g in report.guides}
    ja = guide_page(guides["demo"], "ja", config, {}, guides)
    en = guide_page(guides["demo"], "en", config, {}, guides)
    # Japanese text comes in phrases (render.phrased): the words around the link.
    words = re.sub(r"<wbr>|<span class=\"gg-phrases\">|</span>", "", ja)
    assert "手順は「[別の手順を見る](other.md)」をご覧ください。" in words
    assert "See [See the other steps](other.md)." in en


# --- The project's own guides and pages -----------------------------------------


@pytest.fixture(scope="module")
def project_report():  # type: ignore[no-untyped-def]
    config = load_config(ROOT)
    return config, lint([config.path("steps_dir")], config, TODAY)


def test_the_term_list_holds_on_every_guide_fact_and_page(project_report) -> None:  # type: ignore[no-untyped-def]
    config, report = project_report
    assert config.terms, "the project names its term list"
    found = [str(p) for p in report.problems if "(terms.yml)" in p.message]
    found += [str(p) for p in report.problems if "guide title" in p.message]
    assert not found, "\n".join(found)


def _reader_texts(config) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(where, language, text) of everything a reader reads outside the facts:
    every localized text of the guides, and the hand-written pages with each
    fact's filled text taken out."""
    texts: list[tuple[str, str, str]] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if set(node) >= set(config.languages) and all(
                isinstance(v, str) for v in node.values()
            ):
                texts.extend((where, lang, node[lang]) for lang in config.languages)
                return
            for key, value in node.items():
                if key != "actions":  # what is typed into the app, not read
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    for path in sorted(config.path("steps_dir").glob("*.yml")):
        walk(yaml.safe_load(path.read_text("utf-8")), path.name)
    docs = config.path("docs_dir")
    for page in page_files(config):
        text = FILLED_RE.sub("", page.read_text("utf-8"))
        text = re.sub(r"<!-- picture .*?<!-- /picture -->", "", text, flags=re.S)
        texts.append((str(page.relative_to(docs)), page.relative_to(docs).parts[0], text))
    return texts


# Words that state a rule: outside its fact, a page or guide that uses them
# restates the rule in its own words. Per fact id and language.
RULE_WORDS = {
    "seller-rule": {"ja": r"以外の名前", "en": r"other than Komorebi"},
    "seller-handles-problems": {"ja": r"破損や不具合", "en": r"damaged or faulty"},
    "reply-takes-days": {"ja": r"数日", "en": r"few days"},
    "reply-arrives": {"ja": r"メールアドレス", "en": r"email address"},
    "guarantee-refund": {"ja": r"商品代金", "en": r"price of the item"},
    "seller-gets-address": {"ja": r"住所", "en": r"name and address"},
}
# The two-week rule is named in examples too, always with its starting point.
TWO_WEEKS = {"ja": r"2週間", "en": r"two weeks"}
SINCE = {
    "ja": r"(連絡|リクエスト)(して)?から2週間",
    "en": r"two weeks (after|since|from) (you|the|contacting|requesting)",
}


def test_each_rule_is_worded_only_by_its_fact(project_report) -> None:  # type: ignore[no-untyped-def]
    config, report = project_report
    assert set(RULE_WORDS) | {"two-week-rule"} <= set(report.facts)
    found = []
    for where, lang, text in _reader_texts(config):
        for fact_id, words in RULE_WORDS.items():
            found += [
                f"{where}: '{m.group(0)}' restates {fact_id}"
                for m in re.finditer(words[lang], text)
            ]
        for match in re.finditer(TWO_WEEKS[lang], text):
            around = text[max(0, match.start() - 12) : match.end() + 20]
            if not re.search(SINCE[lang], around):
                found.append(f"{where}: two weeks without its starting point: {around!r}")
    for fact_id, words in RULE_WORDS.items():
        fact = report.facts[fact_id]
        assert all(re.search(words[lang], fact.text.get(lang)) for lang in config.languages)
    assert not found, "\n".join(found)


def test_the_home_page_answers_who_to_contact_and_how_to_get_a_refund(project_report) -> None:  # type: ignore[no-untyped-def]
    config, _ = project_report
    # The three ways an item is sold and shipped, each with who to contact.
    kinds = {
        "ja": [
            "こもれびマーケットが販売・発送",
            "出品者が販売・発送",
            "出品者が販売してこもれびマーケットが発送",
        ],
        "en": ["sold and shipped by Komorebi Market", "the seller shipped", "Komorebi Market did"],
    }
    for lang, refund in (("ja", "返金"), ("en", "refund")):
        page = (config.path("docs_dir") / lang / "index.md").read_text("utf-8")
        for fact_id in ("marketplace-sold", "seller-rule", "seller-handles-problems"):
            assert f"<!-- fact {fact_id} -->" in page, fact_id
        assert all(kind in page for kind in kinds[lang]), lang
        assert refund in FILLED_RE.sub("", page), "in the page's own words too"
        assert refund in page and "guides/file-claim.md" in page
