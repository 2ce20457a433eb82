"""Property tests: whatever the bytes, loading and linting give clean problems, never raise."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guidegen.config import Config
from guidegen.guide.actions import ACTION_TYPES
from guidegen.guide.lint import lint
from guidegen.guide.load import load_bytes
from guidegen.guide.types import PLATFORMS
from guidegen.guide.yamlfile import Loaded

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "tests" / "broken" / "ok" / "sample-guide.yml").read_text("utf-8")
SAMPLE_DATA = yaml.safe_load(SAMPLE)
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Words of the format, so random documents reach the model's deeper checks.
WORDS = sorted(
    {
        *SAMPLE_DATA,
        *ACTION_TYPES,
        *PLATFORMS,
        "ja",
        "en",
        "text",
        "actions",
        "only",
        "note",
        "warning",
        "role",
        "name",
        "testid",
        "target",
        "value",
        "option",
        "exact",
        "source",
        "checked",
        "{tap}",
        "①",
    }
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(WORDS),
    st.dates(),
)
keys = st.one_of(st.sampled_from(WORDS), st.text(max_size=10))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)


def check(loaded: Loaded) -> None:
    assert (loaded.guide is None) == bool(loaded.problems)
    for problem in loaded.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "\n" not in problem.message
        assert problem.severity == "error"


def load(raw: bytes) -> Loaded:
    loaded = load_bytes(Path("fuzz.yml"), raw)
    check(loaded)
    return loaded


def load_and_lint(raw: bytes) -> None:
    loaded = load(raw)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample-guide.yml"
        path.write_bytes(raw)
        report = lint([path], Config(root=Path(folder)), dt.date(2026, 11, 26))
    assert report.files == 1
    # Lint reports everything the loader found, and maybe more.
    where = {(p.line, p.column, p.message) for p in report.problems}
    assert {(p.line, p.column, p.message) for p in loaded.problems} <= where
    for problem in report.problems:
        assert problem.line >= 1 and problem.column >= 1 and "\n" not in problem.message
    assert bool(report.guides) == (not report.errors)


@FUZZ
@given(documents, st.booleans())
def test_random_documents(document: Any, unicode: bool) -> None:
    load_and_lint(yaml.safe_dump(document, allow_unicode=unicode).encode())


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    load(raw)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("{}[]-:,&*!|>'\"#?% \n\t\\ab1①")), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    load(text.encode())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _mutate(data: Any, path: tuple[Any, ...], how: str, new: Any, key: str) -> Any:
    if not path:
        return new if how == "replace" else data
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if not rest and how == "delete":
            del copy[head]
        elif not rest and how == "rename":
            copy[key] = copy.pop(head)
        else:
            copy[head] = _mutate(data[head], rest, how, new, key)
        return copy
    copy = list(data)
    if not rest and how == "delete":
        del copy[head]
    else:
        copy[head] = _mutate(data[head], rest, how, new, key)
    return copy


@st.composite
def mutated_guides(draw: st.DrawFn) -> bytes:
    data = SAMPLE_DATA
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        how = draw(st.sampled_from(["replace", "delete", "rename"]))
        data = _mutate(data, path, how, draw(documents), draw(keys))
    return yaml.safe_dump(data, allow_unicode=True).encode()


@st.composite
def edited_text(draw: st.DrawFn) -> bytes:
    text = SAMPLE
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 10))
        insert = draw(st.text(alphabet=st.sampled_from(list("{}[]-: \n'\"&*!#①x")), max_size=5))
        text = text[:at] + insert + text[at + cut :]
    return text.encode()


@FUZZ
@given(st.one_of(mutated_guides(), edited_text()))
# Found by this test: values of the wrong kind where lint expected text.
@example(b"platforms:\n- []\n")
@example(b"id: []\nrelated: [a]\n")
@example(b"# yaml-language-server: $schema=" + b"x" * 300 + b"\nid: a\n")
def test_mutated_guides_load_and_lint(raw: bytes) -> None:
    load_and_lint(raw)
