"""Hidden setup guides (steps/_NAME.yml) and values read from the environment."""

from __future__ import annotations

from pathlib import Path

from generator.capture import plan
from generator.config import Config
from generator.lint import lint
from generator.render import render

SIGN_IN = """\
id: sign-in
title: {en: Sign in}
summary: {en: Signs in.}
steps:
  - text: {en: "Enter ① the password."}
    actions:
      - fill: {target: password, value: {env: GUIDEGEN_TEST_UNSET_PASSWORD}}
"""

GUIDE = """\
id: books
title: {en: Books}
summary: {en: Your books.}
setup: SETUP
steps:
  - text: {en: Look.}
"""


def project(tmp_path: Path, setup: str = "sign-in") -> Config:
    steps = tmp_path / "steps"
    steps.mkdir()
    (steps / "_sign-in.yml").write_text(SIGN_IN)
    (steps / "books.yml").write_text(GUIDE.replace("SETUP", setup))
    return Config(
        root=tmp_path,
        languages=("en",),
        platforms=("web",),
        secrets=("GUIDEGEN_TEST_UNSET_PASSWORD",),
    )


def test_a_setup_guide_runs_before_its_guides_and_makes_no_page(tmp_path: Path) -> None:
    config = project(tmp_path)
    report = lint([tmp_path / "steps"], config)
    assert not report.errors, report.errors
    assert [g.id for g in report.guides] == ["books"]
    assert [g.id for g in report.setups] == ["sign-in"]
    (job,) = plan(report.guides, config, setups={g.id: g for g in report.setups})
    assert job.setup is not None and job.setup.id == "sign-in"
    render(config, report.guides)
    assert sorted(p.name for p in (tmp_path / "docs" / "en" / "guides").iterdir()) == ["books.md"]


def test_lint_flags_a_missing_variable_and_an_unknown_setup(tmp_path: Path) -> None:
    config = project(tmp_path, setup="log-in")
    report = lint([tmp_path / "steps"], config)
    messages = [str(p) for p in report.problems]
    assert any(
        "_sign-in.yml:7:" in m and "warning: environment variable GUIDEGEN_TEST_UNSET_PASSWORD" in m
        for m in messages
    ), messages
    assert any(
        "books.yml:4:8: no setup guide 'log-in': write it as steps/_log-in.yml" in m
        for m in messages
    ), messages


def test_a_secret_from_the_environment_is_masked_and_never_traced(
    browser, playwright, tmp_path: Path, monkeypatch
) -> None:
    from generator.model import Guide
    from generator.runner import run_guide
    from generator.server import serve

    monkeypatch.setenv("GUIDEGEN_TEST_SECRET", "hunter2")
    app = tmp_path / "app"
    app.mkdir()
    (app / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>t</title><input data-testid="pw">'
    )
    guide = Guide.model_validate(
        {
            "id": "g",
            "title": {"en": "T"},
            "summary": {"en": "S"},
            "steps": [
                {
                    "text": {"en": "①"},
                    "actions": [
                        {"fill": {"target": "pw", "value": {"env": "GUIDEGEN_TEST_SECRET"}}}
                    ],
                },
                {"text": {"en": "x"}, "actions": [{"tap": "missing"}]},
            ],
        }
    )
    config = Config(
        root=tmp_path,
        languages=("en",),
        start_url="/index.html",
        timeout_ms=2000,
        secrets=("GUIDEGEN_TEST_SECRET",),
    )
    trace = tmp_path / "trace.zip"
    with serve(app) as url:
        try:
            run_guide(browser, playwright, config, guide, "web", "en", url, trace_path=str(trace))
        except Exception as error:  # the second step fails, which would keep a trace
            assert "hunter2" not in str(error)
        run = run_guide(
            browser,
            playwright,
            config,
            guide.model_copy(update={"steps": guide.steps[:1]}),
            "web",
            "en",
            url,
        )
    assert not trace.exists()
    (frame,) = run.steps[0].frames
    assert [r.style for r in frame.redactions] == ["mask"]
