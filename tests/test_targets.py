"""Targets real apps have (label, placeholder, css), the press and select-text actions
on a rich-text editor, the drift message and its nearest candidates, and the lint of
plain-string targets and keys; on a static page and on the stock Django admin."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Playwright

from guidegen import cli
from guidegen.capture import workers as capture_module
from guidegen.capture.page import CSS_NEAR_JS, TELL_APART_JS
from guidegen.capture.runner import run_guide
from guidegen.capture.targets import GuideFailed
from guidegen.config import Config
from guidegen.guide.lint import lint
from guidegen.guide.model import Guide
from guidegen.server import serve
from tests import django_admin

EDITOR_APP = Path(__file__).resolve().parent / "fixtures" / "editor"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "editors"
EDITOR = {"css": ".rich-text [contenteditable]"}


@pytest.fixture(scope="module")
def editor_url() -> Iterator[str]:
    with serve(EDITOR_APP) as url:
        yield url


@pytest.fixture(scope="module")
def editor_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return Config(
        root=tmp_path_factory.mktemp("editor"),
        languages=("en",),
        start_url="/index.html",
        clock="2026-11-26T10:00:00+09:00",
        timeout_ms=5000,
    )


def guide(*actions: dict[str, Any]) -> Guide:
    marked = sum(1 for a in actions if next(iter(a)) in ("tap", "fill", "select", "highlight"))
    return Guide.model_validate(
        {
            "id": "g",
            "title": {"en": "T"},
            "summary": {"en": "S"},
            "steps": [{"text": {"en": "①②③④⑤"[:marked] or "x"}, "actions": list(actions)}],
        }
    )


def test_fields_are_found_by_label_placeholder_and_css_and_an_editor_formats_a_word(
    browser: Browser, playwright: Playwright, editor_config: Config, editor_url: str
) -> None:
    g = guide(
        {"fill": {"target": {"label": "Title"}, "value": "Emma"}},
        {"fill": {"target": {"placeholder": "Search the catalogue"}, "value": "Austen"}},
        {"fill": {"target": {"label": "Notes"}, "value": "An editor named by aria-label"}},
        {"fill": {"target": EDITOR, "value": "Make this word bold"}},
        {"expect-absent": "editor-toolbar"},
        {"select-text": {"target": EDITOR, "text": "word"}},
        {"expect-visible": "editor-toolbar"},
        {"press": "Control+B"},
        {"expect-text": {"target": {"css": ".rich-text b"}, "text": "word"}},
        # A key pressed in an element, then one where the focus is: typed at the end.
        {"press": {"key": "End", "target": EDITOR}},
        {"press": "!"},
        {"expect-text": {"target": EDITOR, "text": "Make this word bold!"}},
    )
    run = run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    (frame,) = run.steps[0].frames
    assert [m.number for m in frame.marks] == [1, 2, 3, 4]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_editors_pages_rich_text_example_runs(
    browser: Browser, playwright: Playwright, editor_config: Config, editor_url: str, lang: str
) -> None:
    page = (DOCS / lang / "targets.md").read_text("utf-8")
    example = page.split("```yaml\nsteps:\n", 1)[1].split("```", 1)[0]
    head = "id: notice\ntitle: {ja: t, en: t}\nsummary: {ja: s, en: s}\nsteps:\n"
    g = Guide.model_validate(yaml.safe_load(head + example))
    config = replace(editor_config, languages=("ja", "en"))
    run = run_guide(browser, playwright, config, g, "web", lang, editor_url)
    bold = run.steps[1].frames[0]
    assert [m.number for m in bold.marks] == [1]  # the toolbar, shown by the selection


@pytest.mark.parametrize(
    ("target", "wanted"),
    [
        ("publish", "no element with test id 'publish'; did you mean test id 'publish-now'?"),
        (
            {"role": "button", "name": "Publish it"},
            "no element with role button named 'Publish it'; did you mean button 'Publish'?",
        ),
        # A link that became a button is named with its new role.
        (
            {"role": "link", "name": "Publish"},
            "no element with role link named 'Publish'; did you mean button 'Publish' or",
        ),
        # A renamed button: the buttons are named, not a field only half alike
        # in name (the textbox 'Notes').
        (
            {"role": "button", "name": "Notice"},
            "no element with role button named 'Notice'; did you mean button 'Publish'?",
        ),
        ({"label": "Titel"}, "no element with label 'Titel'; did you mean label 'Title:'?"),
        # A renamed label is found by the field's name and id, which stayed.
        ({"label": "Year"}, "no element with label 'Year'; did you mean label 'Published:'?"),
        (
            {"placeholder": "Search catalog"},
            "no element with placeholder 'Search catalog'; "
            "did you mean placeholder 'Search the catalogue'?",
        ),
        ({"text": "Publsh"}, "no element with text 'Publsh'; did you mean text 'Publish'"),
        # A search box labelled by a picture has no label text, but an accessible name.
        ({"label": "Search"}, "no element with label 'Search'; did you mean img 'Search' or"),
        # A selector is offered the elements a looser form of it finds, written as
        # selectors: those with its structure, and of any element only near ones.
        (
            {"css": "input[name='titel']"},
            "no element with CSS selector 'input[name='titel']'; "
            """did you mean CSS selector 'input#id_title[name="title"]' or""",
        ),
        (
            {"css": ".rich-txt [contenteditable]"},
            "no element with CSS selector '.rich-txt [contenteditable]'; "
            """did you mean CSS selector 'div.editor[contenteditable="true"]'?""",
        ),
        # What is found is compared with the selector's last compound, which
        # names the element itself.
        (
            {"css": "body div.rich-text div.editr"},
            "no element with CSS selector 'body div.rich-text div.editr'; "
            "did you mean CSS selector 'div.editor'?",
        ),
        # The element itself, found where the selector's ancestors no longer are.
        (
            {"css": "nav button[data-testid='publish-now']"},
            "no element with CSS selector 'nav button[data-testid='publish-now']'; "
            """did you mean CSS selector 'button[data-testid="publish-now"]'?""",
        ),
        ({"css": "#nothing"}, "no element with CSS selector '#nothing'"),
    ],
    ids=[
        "testid",
        "role",
        "role-changed",
        "role-renamed",
        "label",
        "label-renamed",
        "placeholder",
        "text",
        "picture-label",
        "css-attribute",
        "css-class",
        "css-descendant",
        "css-moved",
        "css-nothing-near",
    ],
)
def test_a_missing_target_names_the_nearest_of_its_kind_on_the_screen(
    browser: Browser,
    playwright: Playwright,
    editor_config: Config,
    editor_url: str,
    target: Any,
    wanted: str,
) -> None:
    g = guide({"highlight": target})
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    reason = failed.value.failure.reason
    assert reason.startswith(wanted)
    # Nothing near is offered where nothing is near (an id no element is like).
    assert ("did you mean" in reason) == ("did you mean" in wanted), reason
    assert failed.value.failure.missing


def test_a_selectors_last_compound_starts_after_its_last_combinator(browser: Browser) -> None:
    """A space, > or a comma inside brackets or parentheses is no combinator, and
    a bracket inside quotes closes nothing."""
    page = browser.new_page()
    try:
        page.set_content("<p><span title='c d'>x</span></p>")
        for selector, last in [
            ("div[title='a b'] > span[title='c > d']", "span[title='c > d']"),
            ("div[title='a ] b'] span", "span"),
            ("p:not(.a, .b) span", "span"),
            ("p, span.x", "span.x"),
            ("span ", "span"),
        ]:
            assert page.evaluate(CSS_NEAR_JS, selector)[1] == last, selector
    finally:
        page.close()


def test_elements_one_target_matched_are_each_named_by_a_selector_that_finds_it_alone(
    browser: Browser,
) -> None:
    """A real app names a link twice (sqlite-web: the menu's Query and the tab's):
    each gets a CSS target the guide can use, by class, by a telling attribute
    quoted for YAML, after an ancestor, or by its place."""
    page = browser.new_page()
    try:
        page.set_content(
            "<nav><a class='btn' href='/q/'>Query</a></nav>"
            "<ul class='tabs'><li><a class='tab' href='/t/'>Rows</a></li>"
            "<li><a class='tab' href='/t/q/'>Query</a></li></ul>"
            "<aside id='help'><button>Query</button></aside><p><button>Query</button></p>"
            "<p><button>Query</button></p>"
            # Class names a build generates, which its next build changes.
            "<div class='row svelte-1cc11g6'>"
            "<input class='svelte-xqzmbt' placeholder=Account></div>"
            "<div class='dialog jsx-2031232157'><input class='css-1x2y3z4 field'"
            " placeholder=Account></div>"
        )
        found = page.get_by_role("link", name="Query").element_handles()
        found += page.get_by_role("button", name="Query").element_handles()
        found += page.get_by_placeholder("Account").element_handles()
        assert page.evaluate(TELL_APART_JS, found) == [
            "a.btn",
            "a.tab[href='/t/q/']",
            "aside#help button",
            "body > p:nth-of-type(1) > button:nth-of-type(1)",
            "body > p:nth-of-type(2) > button:nth-of-type(1)",
            "div.row input",
            "input.field",
        ]
    finally:
        page.close()


def test_words_that_a_longer_text_also_contains_suggest_exact_when_one_has_them_whole(
    browser: Browser, playwright: Playwright, editor_config: Config, editor_url: str
) -> None:
    """Words match where they are part of an element's (Fava: the Payee field's
    placeholder is also in the filter's 'Filter by tag, payee, …'): when one of
    the elements has them whole, exact: true is what the guide means."""
    g = guide({"tap": {"text": "Publish"}})
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    assert failed.value.failure.reason == (
        "2 elements match text 'Publish'; make the target specific: exact: true (one of "
        "them has those words whole), a test id, or the one you mean of "
        '{css: "form > label:nth-of-type(2)"} or {css: "button"}'
    )
    exact = guide({"tap": {"text": "Publish", "exact": True}})
    run_guide(browser, playwright, editor_config, exact, "web", "en", editor_url)
    # Without an element that has them whole, exact: true is no way out.
    g = guide({"tap": {"text": "Publ"}})
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    assert "2 elements match text 'Publ'; make the target specific: a test id, or " in (
        failed.value.failure.reason
    )


def test_an_option_the_list_lacks_is_drift_named_with_the_lists_options(
    browser: Browser, playwright: Playwright, editor_config: Config, editor_url: str
) -> None:
    # An option that is there is chosen; one that is not is reported as drift (no
    # rerun with a trace), with what the list offers instead.
    chosen = guide({"select": {"target": {"label": "Genre"}, "option": "Poetry"}})
    run_guide(browser, playwright, editor_config, chosen, "web", "en", editor_url)
    g = guide({"select": {"target": {"label": "Genre"}, "option": "Poems"}})
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    failure = failed.value.failure
    assert failure.reason == "no option 'Poems' in label 'Genre'; did you mean option 'Poetry'?"
    assert failure.missing
    # With no option near, the nearest are named all the same.
    g = guide({"select": {"target": {"label": "Genre"}, "option": "Comics"}})
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    assert "in label 'Genre'; did you mean option '" in failed.value.failure.reason


def test_a_failure_other_than_a_missing_target_is_not_drift(
    browser: Browser, playwright: Playwright, editor_config: Config, editor_url: str
) -> None:
    g = guide(
        {"fill": {"target": EDITOR, "value": "Some words"}},
        {"select-text": {"target": EDITOR, "text": "other"}},
    )
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, editor_config, g, "web", "en", editor_url)
    failure = failed.value.failure
    assert failure.reason == "no 'other' to select in CSS selector '.rich-text [contenteditable]'"
    assert failure.action == "select-text CSS selector '.rich-text [contenteditable]'"
    assert not failure.missing


GUIDE_HEAD = """\
id: {id}
title: {{ja: t, en: t}}
summary: {{ja: s, en: s}}
steps:
"""


def lint_steps(folder: Path, body: str) -> list[str]:
    steps = folder / "steps"
    steps.mkdir(exist_ok=True)
    (steps / "g.yml").write_text(GUIDE_HEAD.format(id="g") + body, "utf-8")
    config = Config(root=folder, languages=("ja", "en"))
    report = lint([steps], config, dt.date(2026, 11, 26))
    return [f"{p.line}:{p.column}: {p.message}" for p in report.errors]


def test_lint_refuses_a_plain_string_target_that_cannot_be_a_test_id(tmp_path: Path) -> None:
    body = """\
  - text: {ja: ①②③④⑤, en: ①②③④⑤}
    actions:
      - tap: "#id_title"
      - tap: .btn
      - fill: {target: "input[name=q]", value: x}
      - tap: Save and add another
      - tap: 送信
      - expect-visible: submit-button
      - expect-visible: nav.home
      - expect-visible: user_menu
      - press: {key: Enter, target: "div > a"}
    web:
      crop: {element: "#content"}
redact: [".secret"]
"""
    assert lint_steps(tmp_path, body) == [
        """7:14: '#id_title' looks like a CSS selector, not a test id; write {css: "#id_title"} """
        "or, better, {label: …}",
        """8:14: '.btn' looks like a CSS selector, not a test id; write {css: ".btn"} """
        "or, better, {role: …, name: …}",
        "9:24: 'input[name=q]' looks like a CSS selector, not a test id; write "
        """{css: "input[name=q]"} or, better, {label: …}""",
        "10:14: 'Save and add another' is not a test id (test ids are letters, digits, -, _ and "
        """.); to find the element by what it shows, write {text: "Save and add another"} or """
        """{role: …, name: "Save and add another"}""",
        "11:14: '送信' is not a test id (test ids are letters, digits, -, _ and .); to find the "
        """element by what it shows, write {text: "送信"} or {role: …, name: "送信"}""",
        """15:37: 'div > a' looks like a CSS selector, not a test id; write {css: "div > a"} """
        "or, better, {role: …, name: …}",
        """17:23: '#content' looks like a CSS selector, not a test id; write {css: "#content"} """
        "or, better, {role: …, name: …}",
        """18:10: '.secret' looks like a CSS selector, not a test id; write {css: ".secret"} """
        "or, better, {role: …, name: …}",
    ]


def test_lint_names_an_unknown_key_and_checks_the_new_targets_languages(tmp_path: Path) -> None:
    body = """\
  - text: {ja: ①, en: ①}
    actions:
      - fill: {target: {label: {ja: 名前}}, value: x}
      - press: Ctrl+B
      - press: {key: Entr}
      - press: Control++
      - press: Shift+ArrowLeft
      - press: a
      - select-text: {target: {placeholder: {ja: 検索, en: Search}}, text: {ja: 語}}
"""
    assert lint_steps(tmp_path, body) == [
        "7:32: missing en translation of steps[0].actions[0].fill.target.label; add en: …",
        "8:16: unknown modifier 'Ctrl' in 'Ctrl+B' (did you mean 'Control'?)",
        "9:22: unknown key 'Entr' (did you mean 'Enter'?)",
        "13:74: missing en translation of steps[0].actions[6].select-text.text; add en: …",
    ]


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Django docs project whose app renamed the Year field's label to Published,
    with one more guide that fails at once for a reason other than a missing element."""
    project = tmp_path_factory.mktemp("djangolib") / "docs"
    django_admin.make_project(project)
    models = project / "app" / "books" / "models.py"
    renamed = models.read_text().replace(
        "year = models.PositiveIntegerField()", 'year = models.PositiveIntegerField("Published")'
    )
    assert renamed != models.read_text()
    models.write_text(renamed)
    (project / "steps" / "no-dialog.yml").write_text(
        GUIDE_HEAD.format(id="no-dialog")
        + """\
  - text: {ja: ①, en: ①}
    actions:
      - accept-dialog:
platforms: [web]
""",
        "utf-8",
    )
    return project


def test_drift_in_a_real_app_is_named_with_its_new_label_and_run_once(
    drifted: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    traced: list[list[str]] = []
    real_execute = capture_module.execute

    def observed(config: Config, jobs: Any, **options: Any) -> Any:
        if options.get("trace_dir") is not None:
            traced.append([job.guide.id for job in jobs])
        return real_execute(config, jobs, **options)

    monkeypatch.setattr(capture_module, "execute", observed)
    monkeypatch.chdir(drifted)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("LIBRARY_PASSWORD", django_admin.PASSWORD)
    args = ["check", "--platform", "web", "--lang", "en", "--workers", "1"]
    args += ["--guide", "add-book", "--guide", "no-dialog"]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    # Title and Author were found by their labels and filled; the renamed Year was not.
    assert (
        "add-book › step 2 'fill-in' (steps/add-book.yml:13) › web/en: fill label 'Year' — "
        "no element with label 'Year'; did you mean label 'Published:'?"
    ) in err
    assert "no-dialog › step 1" in err and "no dialog was opened" in err
    # Only the run that failed for another reason ran again, with a trace.
    assert traced == [["no-dialog"]]
    traces = drifted / ".guidegen" / "traces"
    assert sorted(p.name for p in traces.iterdir()) == ["no-dialog-web-en.zip"]
    assert "trace: .guidegen/traces/no-dialog-web-en.zip" in err
    assert "add-book-web-en.zip" not in err


def test_with_trace_a_run_with_a_missing_target_keeps_its_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.guidegen]\nshop_dir = "app"\nlanguages = ["en"]\nplatforms = ["web"]\n'
        'start_url = "/index.html"\n',
        "utf-8",
    )
    shutil.copytree(EDITOR_APP, tmp_path / "app")
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "publish.yml").write_text(
        GUIDE_HEAD.format(id="publish").replace("ja: t, ", "").replace("ja: s, ", "")
        + "  - text: {en: ①}\n    actions: [{tap: publish}]\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "true")
    assert cli.main(["check", "--trace"]) == 1
    err = capsys.readouterr().err
    assert "no element with test id 'publish'; did you mean test id 'publish-now'?" in err
    assert "trace: .guidegen/traces/publish-web-en.zip" in err
    assert (tmp_path / ".guidegen" / "traces" / "publish-web-en.zip").is_file()
