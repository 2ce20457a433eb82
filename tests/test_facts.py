"""Facts stated once: the facts file, references from guides and pages, and rendering."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from guidegen.config import Config, load_config
from guidegen.guide.facts import is_public, load_facts, page_files
from guidegen.guide.lint import lint
from guidegen.guide.model import Fact, SharedFact
from guidegen.guide.schema import FACTS_SCHEMA_PATH, render_facts
from guidegen.site.render import fill_facts, guide_page, render
from tests.commands import guidegen

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)

FACT = """\
  - id: {id}
    text: {{ja: 二週間です。, en: Two weeks.}}
    source: https://help.example.org/guarantee
    checked: {checked}
"""


def _project(tmp_path: Path, facts: str, guide_facts: str = "[]", page: str = "") -> Config:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "facts.yml").write_text(facts, "utf-8")
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "a.yml").write_text(
        "# yaml-language-server: $schema=https://example.org/guide.schema.json\n"
        "id: a\ntitle: {ja: 題, en: Title}\nsummary: {ja: 要約, en: Summary}\n"
        f"facts: {guide_facts}\nsteps:\n  - text: {{ja: 開く, en: Open}}\n",
        "utf-8",
    )
    for lang in ("ja", "en"):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "index.md").write_text(page, "utf-8")
    return Config(root=tmp_path, facts="facts.yml")


def _problems(config: Config, today: dt.date = TODAY) -> list[str]:
    report = lint([config.path("steps_dir")], config, today)
    return [str(p).replace(str(config.root) + "/", "") for p in report.problems]


def test_the_facts_schema_is_fresh() -> None:
    languages = load_config(ROOT).languages
    assert FACTS_SCHEMA_PATH.read_text("utf-8") == render_facts(languages), (
        "run `python -m guidegen.guide.schema`"
    )


def test_the_project_facts_load_and_are_named_by_guides() -> None:
    config = load_config(ROOT)
    table = load_facts(config, TODAY)
    assert table.problems == ()
    assert "two-week-rule" in table.facts
    report = lint([config.path("steps_dir")], config, TODAY)
    named = {f for g in report.guides for f in g.facts if isinstance(f, str)}
    assert named <= set(table.facts)
    assert {"return-request", "file-claim"} <= {
        g.id for g in report.guides if "two-week-rule" in g.facts
    }


def test_problems_in_the_facts_file_point_at_line_and_column(tmp_path: Path) -> None:
    facts = (
        "facts:\n"
        + FACT.format(id="rule", checked="2026-11-01")
        + FACT.format(id="rule", checked="2026-11-01")
        + "  - id: other\n    text: {ja: だけ}\n    source: https://a.example.org/x\n"
        "    checked: 2026-11-27\n    recheck: 2026-11-20\n    sorce: x\n"
    )
    problems = _problems(_project(tmp_path, facts))
    assert problems == ["facts.yml:15:5: unknown key 'sorce' (did you mean 'source'?)"]
    facts = facts.replace("    sorce: x\n", "")
    problems = _problems(_project(tmp_path / "2", facts))
    assert problems == [
        "facts.yml:6:9: duplicate fact id 'rule' (first on line 2); state each fact once",
        "facts.yml:11:11: missing en text of fact 'other'; add en: …",
        "facts.yml:13:14: fact 'other' checked on 2026-11-27, which is in the future "
        "(today is 2026-11-26); write the day you read the source",
        "facts.yml:14:14: recheck 2026-11-20 is not after checked 2026-11-27; give a later day",
    ]


def test_a_fact_past_its_recheck_date_is_a_warning(tmp_path: Path) -> None:
    facts = "facts:\n" + FACT.format(id="rule", checked="2026-05-01") + "    recheck: 2026-11-26\n"
    config = _project(tmp_path, facts, "[rule]")
    assert _problems(config, TODAY - dt.timedelta(days=1)) == []
    assert _problems(config) == [
        "facts.yml:6:14: warning: fact 'rule' was due for a re-check on 2026-11-26; read its "
        "source again, then update 'checked' and 'recheck'"
    ]
    # Without a recheck date a fact is due a year after it was checked.
    undated = "facts:\n" + FACT.format(id="rule", checked="2025-11-26")
    config = _project(tmp_path / "2", undated, "[rule]")
    assert _problems(config, dt.date(2026, 11, 25)) == []
    assert "warning" in _problems(config)[0]


def test_guidegen_lint_prints_the_recheck_warning(tmp_path: Path) -> None:
    # The fact's dates are far in the past, so this holds whatever the real date is.
    facts = "facts:\n" + FACT.format(id="rule", checked="2020-01-01") + "    recheck: 2020-06-01\n"
    _project(tmp_path, facts, "[rule]")
    (tmp_path / "pyproject.toml").write_text('[tool.guidegen]\nfacts = "facts.yml"\n', "utf-8")
    result = guidegen(tmp_path, "lint")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "facts.yml:6:14: warning: fact 'rule' was due for a re-check on 2020-06-01" in output


def test_unknown_fact_ids_in_guides_and_pages_are_errors(tmp_path: Path) -> None:
    facts = "facts:\n" + FACT.format(id="two-week-rule", checked="2026-11-01")
    page = "# Home\n\nSee <!-- fact two-week-rul -->old<!-- /fact -->\n"
    page += "<!-- fact two-week-rule -->x\n"
    problems = _problems(_project(tmp_path, facts, "[two-week-rul]", page))
    assert problems == [
        "docs/en/index.md:3:5: unknown fact 'two-week-rul' (did you mean 'two-week-rule'?)",
        "docs/en/index.md:4:1: fact marker 'two-week-rule' is not closed; end it with "
        "'<!-- /fact -->'",
        "docs/ja/index.md:3:5: unknown fact 'two-week-rul' (did you mean 'two-week-rule'?)",
        "docs/ja/index.md:4:1: fact marker 'two-week-rule' is not closed; end it with "
        "'<!-- /fact -->'",
        "steps/a.yml:5:9: unknown fact 'two-week-rul' (did you mean 'two-week-rule'?)",
    ]


def test_a_fact_id_without_a_facts_file_says_how_to_configure_one(tmp_path: Path) -> None:
    config = _project(tmp_path, "", "[rule]")
    config = Config(root=config.root)
    assert _problems(config) == [
        "steps/a.yml:5:9: fact 'rule' names a shared fact, but no facts file is configured; "
        'set facts = "facts.yml" in [tool.guidegen]'
    ]


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://help.komorebi-market.example/marketplace/guarantee", False),
        ("https://example.com/policy", False),
        ("https://docs.example.org/x", False),
        ("http://localhost:8000/", False),
        ("http://wiki.corp.internal/page", False),
        ("http://192.168.1.10/", False),
        ("https://intranet/", False),
        ("https://www.otona-life.com/", True),
        ("https://help.example.co.jp/", True),
    ],
)
def test_which_sources_a_reader_can_open(url: str, public: bool) -> None:
    assert is_public(url) is public


def test_a_source_readers_cannot_open_is_text_not_a_link() -> None:
    config = load_config(ROOT)
    report = lint([config.path("steps_dir")], config, TODAY)
    guide = next(g for g in report.guides if g.id == "file-claim")
    page = guide_page(guide, "ja", config, {}, None, report.facts)
    assert "help.komorebi-market.example › marketplace › guarantee" in page
    assert "](https://help.komorebi-market.example" not in page
    public = Fact(
        text={"ja": "事実", "en": "Fact"},  # type: ignore[arg-type]
        source="https://www.otona-life.com/x",
        checked=TODAY,
    )
    page = guide_page(guide.model_copy(update={"facts": (public,)}), "en", config, {})
    assert "[otona-life.com › x](https://www.otona-life.com/x)" in page


def _words(page: str) -> str:
    """A page's text without the phrase marks of Japanese guide text (render.phrased)."""
    return re.sub(r'<wbr>|<span class="gg-phrases">|</span>', "", page)


def test_a_changed_fact_changes_on_every_page_that_shows_it(tmp_path: Path) -> None:
    for name in ("steps", "docs"):
        shutil.copytree(
            ROOT / name,
            tmp_path / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("guides", "screenshots", "editors"),
        )
    (tmp_path / "mockshop").mkdir()
    shutil.copy(ROOT / "mockshop" / "scenarios.json", tmp_path / "mockshop" / "scenarios.json")
    for name in ("pyproject.toml", "terms.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    data = yaml.safe_load((ROOT / "facts.yml").read_text("utf-8"))
    rule = next(f for f in data["facts"] if f["id"] == "two-week-rule")
    old = rule["text"]
    rule["text"] = {"ja": "新しい二週間の決まりです。", "en": "The new two-week rule."}
    (tmp_path / "facts.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    config = load_config(tmp_path)
    report = lint([config.path("steps_dir")], config, TODAY)
    assert report.errors == ()
    render(config, report.guides, report.facts)
    expected = {
        "guides/return-request.md",
        "guides/file-claim.md",
        "guides/contact-seller.md",
        "index.md",
        "about-sellers.md",
    }
    for lang in ("ja", "en"):
        docs = tmp_path / "docs" / lang
        showing = {
            p.relative_to(docs).as_posix()
            for p in docs.rglob("*.md")
            if rule["text"][lang] in _words(p.read_text("utf-8"))
        }
        assert showing == expected, lang
        for page in docs.rglob("*.md"):
            assert old[lang] not in page.read_text("utf-8"), page
    # Rendering again changes nothing: the markers keep the page's source form.
    before = (tmp_path / "docs" / "ja" / "index.md").read_text("utf-8")
    render(config, report.guides, report.facts)
    assert (tmp_path / "docs" / "ja" / "index.md").read_text("utf-8") == before


def test_markers_in_code_are_shown_not_filled() -> None:
    fact = SharedFact(
        id="rule",
        text={"ja": "二週間です。", "en": "Two weeks."},  # type: ignore[arg-type]
        source="https://a.example.org/x",
        checked=TODAY,
    )
    page = (
        "Use `<!-- fact rule -->…<!-- /fact -->` like this:\n\n"
        "```markdown\n<!-- fact rule -->old<!-- /fact -->\n```\n\n"
        "<!-- fact rule -->old <b>text</b><!-- /fact -->\n"
    )
    filled = fill_facts(page, {"rule": fact}, "en")
    assert filled == page.replace("old <b>text</b>", "Two weeks.")


def test_pages_are_looked_for_outside_what_render_generates(tmp_path: Path) -> None:
    docs = tmp_path / "docs" / "ja"
    for name in (
        "index.md",
        "help/more.md",
        "guides/generated.md",
        "assets/screenshots/ios/demo/x.md",
        "assets/notes/kept.md",
    ):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# Page\n", "utf-8")
    found = page_files(Config(root=tmp_path, languages=("ja",)))
    assert [p.relative_to(docs).as_posix() for p in found] == [
        "assets/notes/kept.md",
        "help/more.md",
        "index.md",
    ]
