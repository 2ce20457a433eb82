"""Facts stated once: the project's facts file, and the pages that show its facts.

A fact's text lives only in the facts file (``facts`` in ``[tool.guidegen]``).
Guides name facts by id (``facts: [two-week-rule]``); a hand-written page marks
where a fact stands with ``<!-- fact two-week-rule -->…<!-- /fact -->``, and
``guidegen render`` rewrites what stands between the markers. The page stays
plain Markdown with the current text in it, so any site engine builds it
(no MkDocs plugin) and a changed fact shows up as a diff of every page it is on.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from ..capture import layout
from ..config import Config
from .load import cap, control_characters, suggest, validate
from .model import FactsFile, SharedFact
from .yamlfile import Loc, Positions, Problem, decode, parse

# Without a recheck date a fact is due a year after it was checked.
RECHECK_AFTER = dt.timedelta(days=365)
# A marked place on a page: the opening marker, the fact's text as last rendered, the end.
FILLED_RE = re.compile(
    r"(?P<open><!-- fact (?P<id>[a-z0-9-]+) -->)(?P<text>.*?)<!-- /fact -->", re.S
)
OPEN_RE = re.compile(r"<!-- fact (?P<id>[^\s>]*) -->")
# Code shows a marker rather than using it (the editors' pages explain them).
_CODE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1|`[^`\n]+`", re.S | re.M)
CLOSE = "<!-- /fact -->"
# Hosts no reader can open (RFC 2606, RFC 6761, mDNS and private names).
_PRIVATE_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".local", ".internal")
_PRIVATE_HOSTS = {"localhost", "example.com", "example.net", "example.org"}


@dataclass(frozen=True)
class FactTable:
    """The facts file as loaded: every valid fact by id, and its problems."""

    path: Path | None
    facts: Mapping[str, SharedFact] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def is_public(url: str) -> bool:
    """Whether a reader could open the page: not a reserved, local or private host."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or "." not in host or host in _PRIVATE_HOSTS:
        return False
    if host.endswith(_PRIVATE_SUFFIXES) or any(host.endswith("." + h) for h in _PRIVATE_HOSTS):
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return True


def due(fact: SharedFact) -> dt.date:
    """The day from which the fact's source should be read again."""
    return fact.recheck or fact.checked + RECHECK_AFTER


def load_facts(config: Config, today: dt.date) -> FactTable:
    """Read and check the facts file; no file configured means no shared facts."""
    if not config.facts:
        return FactTable(None)
    path = config.path("facts")
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = f"cannot read the facts file: {error.strerror or error}; create it or fix "
        message += "'facts' in [tool.guidegen]"
        return FactTable(path, problems=(Problem(name, 1, 1, message),))
    text, problems = decode(name, raw)
    if text is None:
        return FactTable(path, problems=tuple(problems))
    data, positions, problems = parse(path, text)
    if problems:
        return FactTable(path, problems=tuple(_about_facts(p) for p in problems))
    table, problems = validate(name, data, positions, FactsFile)
    problems = [*control_characters(name, data, positions), *problems]
    if table is None or problems:
        return FactTable(path, problems=tuple(problems))
    problems = list(_check(name, table, positions, config.languages, today))
    facts: dict[str, SharedFact] = {}
    for fact in table.facts:
        facts.setdefault(fact.id, fact)
    return FactTable(path, facts, tuple(cap(problems)))


def _about_facts(problem: Problem) -> Problem:
    """parse() speaks of guides; a facts file is a mapping with a 'facts' list."""
    if problem.message.startswith(("a guide is a mapping", "file is empty")):
        message = "a facts file is a mapping with a 'facts' list of id, text, source, checked"
        return Problem(problem.path, problem.line, problem.column, message, problem.severity)
    return problem


def _check(
    name: str,
    table: FactsFile,
    positions: Positions,
    languages: Sequence[str],
    today: dt.date,
) -> Iterator[Problem]:
    def at(loc: Loc, message: str, severity: str = "error", *, key: bool = False) -> Problem:
        return Problem(name, *positions.of(loc, key=key), message, severity)

    first: dict[str, int] = {}
    for index, fact in enumerate(table.facts):
        loc: Loc = ("facts", index)
        if fact.id in first:
            line = positions.of(("facts", first[fact.id]))[0]
            yield at(
                (*loc, "id"),
                f"duplicate fact id '{fact.id}' (first on line {line}); state each fact once",
            )
        first.setdefault(fact.id, index)
        for lang in fact.text.root:
            if lang not in languages:
                hint = suggest(lang, list(languages))
                yield at((*loc, "text", lang), f"unknown language '{lang}'{hint}", key=True)
        missing = [lang for lang in languages if lang not in fact.text.root]
        if missing:
            yield at(
                (*loc, "text"),
                f"missing {', '.join(missing)} text of fact '{fact.id}'; add {missing[0]}: …",
            )
        if fact.checked > today:
            yield at(
                (*loc, "checked"),
                f"fact '{fact.id}' checked on {fact.checked}, which is "
                f"in the future (today is {today}); write the day you read the source",
            )
        if fact.recheck is not None and fact.recheck <= fact.checked:
            yield at(
                (*loc, "recheck"),
                f"recheck {fact.recheck} is not after checked {fact.checked}; give a later day",
            )
        elif due(fact) <= today:
            where = (*loc, "recheck") if fact.recheck else (*loc, "checked")
            yield at(
                where,
                f"fact '{fact.id}' was due for a re-check on {due(fact)}; read "
                "its source again, then update 'checked' and 'recheck'",
                "warning",
            )


def in_code(text: str) -> list[tuple[int, int]]:
    """The spans of a Markdown page that are code: fenced blocks and inline code."""
    return [match.span() for match in _CODE_RE.finditer(text)]


def outside_code(
    matches: Iterator[re.Match[str]], code: list[tuple[int, int]]
) -> list[re.Match[str]]:
    return [m for m in matches if not any(start <= m.start() < end for start, end in code)]


def page_files(config: Config) -> list[Path]:
    """The hand-written pages of every language: what render generates (guide
    pages, and the pictures' folders, which are large) is not walked."""
    generated = {layout.GUIDE_PAGES, layout.SITE_PICTURES}
    pages: list[Path] = []
    for lang in config.languages:
        folder = config.path("docs_dir") / lang
        for parent, folders, files in os.walk(folder):
            below = os.path.relpath(parent, folder)
            folders[:] = [
                name
                for name in folders
                if os.path.normpath(os.path.join(below, name)) not in generated
            ]
            for name in files:
                path = Path(parent, name)
                if name.endswith(".md") and not path.is_symlink():
                    pages.append(path)
    return sorted(pages)


class Marker(NamedTuple):
    """A marker on a hand-written page, and where it stands."""

    page: Path
    text: str  # the whole page
    match: re.Match[str]
    line: int
    column: int


def page_markers(config: Config, pattern: re.Pattern[str]) -> Iterator[Marker]:
    """Every match of pattern outside code on the readable hand-written pages."""
    for page in page_files(config):
        try:
            text = page.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for match in outside_code(pattern.finditer(text), in_code(text)):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            yield Marker(page, text, match, line, column)


def page_problems(config: Config, facts: FactTable) -> list[Problem]:
    """Markers on hand-written pages that name no known fact or are never closed."""
    problems: list[Problem] = []
    for page, text, match, line, column in page_markers(config, OPEN_RE):
        fact_id = match.group("id")
        end = text.find(CLOSE, match.end())
        if end < 0 or OPEN_RE.search(text, match.end(), end):
            message = f"fact marker '{fact_id}' is not closed; end it with '{CLOSE}'"
            problems.append(Problem(str(page), line, column, message))
        elif fact_id not in facts.facts:
            if facts.path is None:
                hint = '; no facts file is configured: set facts = "facts.yml" in '
                hint += "[tool.guidegen]"
            else:
                hint = suggest(fact_id, sorted(facts.facts)) if facts.facts else ""
                hint = hint if hint.startswith(" (") else f"; no such id in {facts.path.name}"
            problems.append(Problem(str(page), line, column, f"unknown fact '{fact_id}'{hint}"))
    return problems
