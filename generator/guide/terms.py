"""One word per idea: the project's term list, and guide names that should be links.

The term list (``terms`` in ``[tool.guidegen]``, e.g. ``terms.yml``) gives, per
language, the word the help site uses for an idea and the variants it avoids::

    ja:
      - use: 確認する
        avoid: [確かめる]
    en:
      - use: who
        avoid: [whom]

lint warns where a guide, the facts file or a hand-written page uses a variant:
``steps/x.yml:12:9: warning: '確かめる' — write '確認する' (terms.yml)``. A
Japanese verb given in its dictionary form also matches its other forms
(確かめる finds 確かめます and 確かめて); a word in Latin letters matches as a
whole word in any case.

The same pass warns where a guide's title stands in text without a link: in a
guide's note or warning (write ``{guide:ID}``, which render makes a link) and
on a hand-written page (write a Markdown link to the guide's page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..config import Config
from . import page_pictures
from .facts import FILLED_RE, in_code, page_files
from .load import load_guide, suggest
from .types import PLATFORMS
from .yamlfile import Loaded, Loc, Positions, Problem, decode, parse

# A guide named in a note or warning: {guide:ID}, made a link by render.
GUIDE_REF_RE = re.compile(r"\{guide:([^{}\s]*)\}")
# Endings of a Japanese verb's dictionary form: the stem before it takes others.
_VERB_ENDINGS = "うくぐすつぬぶむる"
_HIRAGANA = "[ぁ-ゖ]"
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' -]*$")
# What a reader never sees as text on a hand-written page: front matter,
# comments, scripts, tags and link addresses. Code and the facts' and pictures'
# filled spans are left out too (a fact's text is checked in the facts file).
_HIDDEN_RE = re.compile(
    r"\A---\n.*?\n---\n|<!--.*?-->|<script\b.*?</script>|<[^>]*>|\]\([^)]*\)", re.S
)
# A link whose text may name a guide: Markdown [text](…) or an HTML anchor.
_LINKED_RE = re.compile(r"\[[^\]\n]*\]\([^)]*\)|<a\b[^>]*>.*?</a>", re.S)


@dataclass(frozen=True)
class Term:
    """A word to use, one variant of it to avoid, and how that variant is found."""

    use: str
    avoid: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class TermList:
    path: Path | None
    terms: Mapping[str, tuple[Term, ...]]
    problems: tuple[Problem, ...] = ()


def variant_pattern(word: str, lang: str) -> re.Pattern[str]:
    """How a variant is found in text (see the module's docstring)."""
    if _LATIN.match(word):
        return re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(word)}(?![A-Za-z0-9_-])", re.I)
    if lang == "ja" and len(word) > 1 and word[-1] in _VERB_ENDINGS:
        return re.compile(re.escape(word[:-1]) + _HIRAGANA)
    return re.compile(re.escape(word))


def load_terms(config: Config) -> TermList:
    """Read and check the term list; none configured means no terms."""
    if not config.terms:
        return TermList(None, {})
    path = config.path("terms")
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = f"cannot read the term list: {error.strerror or error}; create it or fix "
        message += "'terms' in [tool.guidegen]"
        return TermList(path, {}, (Problem(name, 1, 1, message),))
    text, problems = decode(name, raw)
    if text is None:
        return TermList(path, {}, tuple(problems))
    data, positions, problems = parse(path, text)
    if problems or not isinstance(data, dict):
        shape = "a term list is a mapping of languages, each a list of {use: …, avoid: [...]}"
        first = problems[0] if problems else Problem(name, 1, 1, shape)
        if first.message.startswith(("a guide is a mapping", "file is empty")):
            first = Problem(name, first.line, first.column, shape)
        return TermList(path, {}, (first,))
    terms, found = _read(name, data, positions, config.languages)
    return TermList(path, terms, tuple(found))


def _read(
    name: str, data: dict[str, Any], positions: Positions, languages: Sequence[str]
) -> tuple[dict[str, tuple[Term, ...]], list[Problem]]:
    problems: list[Problem] = []

    def problem(loc: Loc, message: str, *, key: bool = False) -> None:
        problems.append(Problem(name, *positions.of(loc, key=key), message))

    terms: dict[str, tuple[Term, ...]] = {}
    for lang, entries in data.items():
        if lang not in languages:
            hint = suggest(str(lang), list(languages))
            problem((lang,), f"unknown language '{lang}'{hint}", key=True)
            continue
        if not isinstance(entries, list):
            problem((lang,), f"{lang}: expected a list of {{use: …, avoid: [...]}}")
            continue
        found: list[Term] = []
        seen: dict[str, str] = {}
        for index, entry in enumerate(entries):
            loc: Loc = (lang, index)
            use = entry.get("use") if isinstance(entry, dict) else None
            avoid = entry.get("avoid") if isinstance(entry, dict) else None
            if isinstance(avoid, str):
                avoid = [avoid]
            if not isinstance(entry, dict) or set(entry) - {"use", "avoid"}:
                problem(loc, "a term is {use: WORD, avoid: [VARIANT, …]} and nothing else")
            elif not isinstance(use, str) or not use.strip():
                problem(loc, "missing 'use': the word the pages use for this idea")
            elif not isinstance(avoid, list) or not avoid:
                problem(loc, f"missing 'avoid': the variants of '{use}' the pages do not use")
            for position, word in enumerate(
                avoid if isinstance(use, str) and isinstance(avoid, list) else []
            ):
                where: Loc = (*loc, "avoid", position)
                if not isinstance(word, str) or not word.strip():
                    problem(where, "a variant is a word in quotes")
                elif word in seen:
                    problem(where, f"'{word}' is already a variant of '{seen[word]}'")
                elif variant_pattern(word, lang).search(str(use)):
                    problem(where, f"'{word}' would also find the word to use, '{use}'")
                else:
                    seen[word] = str(use)
                    found.append(Term(str(use), word, variant_pattern(word, lang)))
        terms[str(lang)] = tuple(found)
    return terms, problems


def _warning(path: str, line: int, column: int, term: Term, source: Path) -> Problem:
    return Problem(
        path, line, column, f"'{term.avoid}' — write '{term.use}' ({source.name})", "warning"
    )


def _offset(source: str, line: int, column: int) -> int:
    """The index in source of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        start = source.find("\n", start) + 1
    return start + column - 1


def _line_col(source: str, index: int) -> tuple[int, int]:
    line = source.count("\n", 0, index) + 1
    return line, index - (source.rfind("\n", 0, index) + 1) + 1


def _in_source(
    source: str, start: tuple[int, int], value: str, match: re.Match[str]
) -> tuple[int, int]:
    """Where a match in a YAML value stands in the file: the same occurrence of
    the same words found from the value's start, or the value's start."""
    pattern = re.compile(re.escape(match.group(0)))
    nth = len(pattern.findall(value, 0, match.start()))
    found = list(pattern.finditer(source, _offset(source, *start)))
    if nth < len(found):
        return _line_col(source, found[nth].start())
    return start


def _texts(data: dict[str, Any]) -> Iterator[tuple[Loc, bool]]:
    """The reader's texts of a guide: (loc, may it name a guide with a link?)."""
    yield ("title",), False
    yield ("summary",), False
    prerequisites = data.get("prerequisites")
    for index in range(len(prerequisites) if isinstance(prerequisites, list) else 0):
        yield ("prerequisites", index), False
    steps = data.get("steps")
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict):
            continue
        holders: list[tuple[Loc, Any]] = [(("steps", index), step)]
        holders += [(("steps", index, p), step.get(p)) for p in PLATFORMS]
        for loc, holder in holders:
            if isinstance(holder, dict):
                yield (*loc, "text"), False
                yield (*loc, "note"), True
                yield (*loc, "warning"), True


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _titles(loaded: Sequence[Loaded], languages: Sequence[str]) -> dict[str, dict[str, str]]:
    """Every guide's title per language, by guide id (hidden setup guides have no page)."""
    titles: dict[str, dict[str, str]] = {}
    for item in loaded:
        data = item.data if isinstance(item.data, dict) else {}
        guide_id, title = data.get("id"), data.get("title")
        if not isinstance(guide_id, str) or item.path.name.startswith("_"):
            continue
        if isinstance(title, str):
            title = dict.fromkeys(languages, title)
        if isinstance(title, dict):
            titles[guide_id] = {k: v for k, v in title.items() if isinstance(v, str) and v}
    return titles


def guide_problems(
    item: Loaded,
    terms: TermList,
    titles: Mapping[str, Mapping[str, str]],
    languages: Sequence[str],
) -> list[Problem]:
    """Variants, unlinked guide titles and {guide:ID} references in one guide."""
    data, name = item.data, str(item.path)
    if not isinstance(data, dict):
        return []
    own = data.get("id")
    problems: list[Problem] = []
    for loc, may_link in _texts(data):
        value = _get(data, loc)
        # A text written once, not per language, is every language's.
        texts = dict.fromkeys(languages, value) if isinstance(value, str) else value
        if not isinstance(texts, dict):
            continue
        for lang, text in texts.items():
            if not isinstance(text, str):
                continue
            start = item.positions.of((*loc, lang) if isinstance(value, dict) else loc)
            at = partial(_in_source, item.source, start, text)
            if terms.path is not None:
                for term in terms.terms.get(lang, ()):
                    for match in term.pattern.finditer(text):
                        problems.append(_warning(name, *at(match), term, terms.path))
            for match in GUIDE_REF_RE.finditer(text):
                ref = match.group(1)
                if not may_link:
                    message = f"{{guide:{ref}}} links a guide only in a note or a warning; "
                    message += "name the guide in words here"
                    problems.append(Problem(name, *at(match), message))
                elif ref not in titles:
                    hint = suggest(ref, sorted(titles))
                    hint = hint if hint.startswith(" (") else "; no such guide in the project"
                    problems.append(Problem(name, *at(match), f"unknown guide '{ref}'{hint}"))
            if not may_link:
                continue
            for guide_id, title in sorted(titles.items()):
                shown = title.get(lang)
                if guide_id == own or not shown:
                    continue
                for match in re.finditer(re.escape(shown), text):
                    message = f"the guide title '{shown}' without a link; "
                    message += f"write {{guide:{guide_id}}} to link it"
                    problems.append(Problem(name, *at(match), message, "warning"))
    return problems


def _hidden(text: str) -> list[tuple[int, int]]:
    spans = in_code(text) + [m.span() for m in _HIDDEN_RE.finditer(text)]
    spans += [m.span() for m in FILLED_RE.finditer(text)]
    spans += [m.span() for m in page_pictures.FILLED_RE.finditer(text)]
    return spans


def _outside(spans: list[tuple[int, int]], index: int) -> bool:
    return not any(start <= index < end for start, end in spans)


def page_term_problems(
    config: Config, terms: TermList, titles: Mapping[str, Mapping[str, str]]
) -> list[Problem]:
    """Variants and unlinked guide titles in the text of the hand-written pages."""
    problems: list[Problem] = []
    docs = config.path("docs_dir")
    for page in page_files(config):
        lang = page.relative_to(docs).parts[0]
        try:
            text = page.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        hidden = _hidden(text)
        if terms.path is not None:
            for term in terms.terms.get(lang, ()):
                for match in term.pattern.finditer(text):
                    if _outside(hidden, match.start()):
                        line, column = _line_col(text, match.start())
                        problems.append(_warning(str(page), line, column, term, terms.path))
        linked = hidden + [m.span() for m in _LINKED_RE.finditer(text)]
        for guide_id, title in sorted(titles.items()):
            shown = title.get(lang)
            for match in re.finditer(re.escape(shown), text) if shown else ():
                if _outside(linked, match.start()):
                    line, column = _line_col(text, match.start())
                    message = f"the guide title '{shown}' without a link; link it: "
                    message += f"[{shown}](…/guides/{guide_id}.md)"
                    problems.append(Problem(str(page), line, column, message, "warning"))
    return problems


def facts_term_problems(config: Config, terms: TermList) -> list[Problem]:
    """Variants in the texts of the facts file (pages show them as they are there)."""
    if terms.path is None or not config.facts:
        return []
    path = config.path("facts")
    try:
        source = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the facts' own check reports it
    data, positions, problems = parse(path, source)
    facts = data.get("facts") if isinstance(data, dict) and not problems else None
    found: list[Problem] = []
    for index, fact in enumerate(facts if isinstance(facts, list) else []):
        texts = fact.get("text") if isinstance(fact, dict) else None
        for lang, text in texts.items() if isinstance(texts, dict) else ():
            if not isinstance(text, str):
                continue
            start = positions.of(("facts", index, "text", lang))
            for term in terms.terms.get(lang, ()):
                for match in term.pattern.finditer(text):
                    line, column = _in_source(source, start, text, match)
                    found.append(_warning(str(path), line, column, term, terms.path))
    return found


def term_problems(config: Config, loaded: Sequence[Loaded]) -> list[Problem]:
    """Everything this module checks, for lint: the term list itself, the guides
    loaded, the facts file and the hand-written pages."""
    terms = load_terms(config)
    # A page may name any guide of the project, not only those linted now.
    folder = config.path("steps_dir")
    named = {item.path.resolve() for item in loaded}
    others = [
        load_guide(path)
        for path in (sorted(folder.glob("*.yml")) if folder.is_dir() else [])
        if path.resolve() not in named
    ]
    titles = _titles([*others, *loaded], config.languages)
    problems = list(terms.problems)
    for item in loaded:
        problems.extend(guide_problems(item, terms, titles, config.languages))
    problems.extend(facts_term_problems(config, terms))
    problems.extend(page_term_problems(config, terms, titles))
    return problems
