"""Hidden setup guides (steps/_NAME.yml) and values read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidegen.capture.jobs import plan
from guidegen.config import Config
from guidegen.guide.lint import lint
from guidegen.site.render import render

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
    from guidegen.capture.runner import run_guide
    from guidegen.guide.model import Guide
    from guidegen.server import serve

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


SETUP_APP = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Library</title>
<body style="margin:0;font:16px sans-serif"><main data-screen="sign-in">
<label>Card <input data-testid="card" style="width:300px"></label>
<button data-testid="go" onclick="alert('Your session has expired')">Sign in</button>
<button data-testid="accept-cookies" onclick="confirm('Accept all?')">Accept</button>
<h2 data-testid="welcome" style="display:none">Welcome back</h2></main></body></html>"""

# Two setup guides that fail at once (a dialog no action answers), without waiting.
BROKEN_SETUPS = {
    # Types a secret first: its screenshot masks it, and it gets no trace.
    "_sign-in.yml": """\
id: sign-in
title: {en: Sign in}
summary: {en: Signs in.}
steps:
  - text: {en: "Enter ① your card and {tap} ② Sign in."}
    actions:
      - fill: {target: card, value: {env: GUIDEGEN_TEST_CARD}}
      - tap: go
""",
    # Reads no secret: its failure gets a trace.
    "_cookies.yml": """\
id: cookies
title: {en: Cookies}
summary: {en: Accepts the cookies.}
steps:
  - text: {en: "{Tap} ① Accept."}
    actions:
      - tap: accept-cookies
""",
}


def test_a_failed_setup_guide_is_reported_once_and_its_guides_as_not_run(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import json

    from PIL import Image

    from guidegen import cli

    monkeypatch.setenv("GUIDEGEN_TEST_CARD", "4111-2222")
    monkeypatch.setenv("CI", "true")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "index.html").write_text(SETUP_APP)
    steps = tmp_path / "steps"
    steps.mkdir()
    for name, text in BROKEN_SETUPS.items():
        (steps / name).write_text(text)
    for guide, setup in (("books", "sign-in"), ("loans", "sign-in"), ("news", "cookies")):
        (steps / f"{guide}.yml").write_text(GUIDE.replace("books", guide).replace("SETUP", setup))
    (tmp_path / "pyproject.toml").write_text(
        "[tool.guidegen]\n"
        'languages = ["en"]\nplatforms = ["web"]\nshop_dir = "app"\n'
        'start_url = "/index.html"\nworkers = 1\nsecrets = ["GUIDEGEN_TEST_CARD"]\n'
    )
    monkeypatch.chdir(tmp_path)

    assert cli.main(["capture"]) == 1
    out, err = capsys.readouterr()
    # The progress: each setup guide's failure once, its guides not run (not FAILED).
    assert "FAILED setup guide _sign-in › web/en" in out
    assert out.count("FAILED") == 2, out
    for line in (
        "not run books › web/en: setup guide _sign-in failed",
        "not run loans › web/en: setup guide _sign-in failed",
        "not run news › web/en: setup guide _cookies failed",
    ):
        assert line in out, out
    assert "captured 0, up to date 0, failed 2, not run 3; 0 files written" in out
    # The exit summary: one line per failed setup guide, with its screenshot.
    failed = [line for line in err.splitlines() if " › step " in line]
    assert sorted(failed) == [
        "_cookies › step 1 'step-1' (steps/_cookies.yml:5) › web/en: tap 'accept-cookies' — "
        "unexpected confirm dialog 'Accept all?' opened by this action; answer it with "
        "accept-dialog or dismiss-dialog as the next action (screen: sign-in); "
        "screenshot: .guidegen/failures/_cookies-step1-web-en.png",
        "_sign-in › step 1 'step-1' (steps/_sign-in.yml:5) › web/en: tap 'go' — "
        "unexpected alert dialog 'Your session has expired' opened by this action; answer it "
        "with accept-dialog or dismiss-dialog as the next action (screen: sign-in); "
        "screenshot: .guidegen/failures/_sign-in-step1-web-en.png",
    ], err
    assert "not run: books › web/en: setup guide _sign-in failed" in err
    assert "2 guide runs failed" in err and "3 guide runs not run" in err
    # The screenshot shows the screen, with the secret typed masked.
    with Image.open(tmp_path / ".guidegen/failures/_sign-in-step1-web-en.png") as shot:
        colours = dict((c, n) for n, c in shot.convert("RGB").getcolors(1 << 20))
    assert colours.get((0x5A, 0x5A, 0x5A), 0) > 300  # the mask over the card field
    # The report says the same.
    results = json.loads((tmp_path / ".guidegen/report/results.json").read_text())
    assert len(results["failures"]) == 2 and len(results["shots"]) == 2
    assert results["not_run"] == [
        "books › web/en: setup guide _sign-in failed",
        "loans › web/en: setup guide _sign-in failed",
        "news › web/en: setup guide _cookies failed",
    ]
    assert "3 guide runs not run" in (tmp_path / ".guidegen/report/summary.md").read_text()

    # check: the same, and the failed setup guide that reads no secret has its trace.
    assert cli.main(["check"]) == 1
    out, err = capsys.readouterr()
    assert out.count("FAILED") == 2 and out.count("not run ") == 3, out
    assert len([line for line in err.splitlines() if " › step " in line]) == 2, err
    assert "trace: .guidegen/traces/_cookies-web-en.zip" in err
    assert not list((tmp_path / ".guidegen/traces").glob("_sign-in*"))
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.parent.name != "app":
            assert b"4111-2222" not in path.read_bytes(), path


def test_an_element_on_the_page_but_hidden_is_named_as_hidden(
    browser, playwright, tmp_path: Path
) -> None:
    from guidegen.capture.runner import run_guide
    from guidegen.capture.targets import GuideFailed
    from guidegen.guide.model import Guide
    from guidegen.server import serve

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "index.html").write_text(SETUP_APP)
    guide = Guide.model_validate(
        {
            "id": "g",
            "title": {"en": "T"},
            "summary": {"en": "S"},
            "steps": [{"text": {"en": "x"}, "actions": [{"expect-visible": "welcome"}]}],
        }
    )
    # The element never shows: the wait for it always runs out, so it can be short.
    config = Config(root=tmp_path, languages=("en",), start_url="/index.html", timeout_ms=1000)
    with serve(tmp_path / "app") as url, pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, config, guide, "web", "en", url)
    assert failed.value.failure.reason == (
        "test id 'welcome' is on the page but hidden; show it first (the action that "
        "opens it), or target the element that is shown"
    )
