"""A guide step's pictures on a hand-written page.

An editor writes ``<!-- picture GUIDE/STEP -->`` and ``<!-- /picture -->`` on
lines of their own; render fills the space between with the step's pictures,
a tab per platform, exactly as the guide page shows them (sizes for every
screen, dark variants, the lightbox). So a hand-written page never names a
site image file, whose name follows the capture's crop and changes with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..config import Config
from .facts import in_code, outside_code, page_markers
from .load import suggest
from .model import Guide, steps_for
from .yamlfile import Problem

FILLED_RE = re.compile(
    r"^(?P<open><!-- picture (?P<guide>[^\s/>]*)/(?P<step>[^\s>]*) -->)\n"
    r"(?P<body>.*?)^<!-- /picture -->$",
    re.S | re.M,
)
OPEN_RE = re.compile(r"<!-- picture (?P<ref>[^\s>]*) -->")
CLOSE = "<!-- /picture -->"


def picture_problems(
    config: Config, guides: Iterable[Guide], known: Iterable[str]
) -> list[Problem]:
    """Picture markers on hand-written pages that name no guide step or are not closed.
    known holds the ids of every guide of the project; the steps are checked for the
    guides given (those linted now)."""
    steps = {g.id: {s.id for p in g.platforms for s in steps_for(g, p)} for g in guides}
    known = set(known) | set(steps)
    problems: list[Problem] = []
    filled: dict[Path, set[int]] = {}
    for page, text, match, line, column in page_markers(config, OPEN_RE):
        if page not in filled:
            filled[page] = {m.start() for m in FILLED_RE.finditer(text)}
        ref = match.group("ref")
        guide, _, step = ref.partition("/")
        if match.start() not in filled[page]:
            message = (
                f"picture marker '{ref}' must stand on a line of its own and be closed "
                f"by '{CLOSE}' on a line of its own"
            )
        elif guide not in known:
            message = f"picture of an unknown guide '{guide}'{suggest(guide, sorted(known))}"
        elif guide in steps and step not in steps[guide]:
            message = f"guide '{guide}' has no step '{step}'{suggest(step, sorted(steps[guide]))}"
        else:
            continue
        problems.append(Problem(str(page), line, column, message))
    return problems


def fill(text: str, tabs: Mapping[tuple[str, str], Sequence[str]], hold: str, choose: str) -> str:
    """The page with every marker filled: its tabs (one block per platform, from
    tabs[(guide, step)]), followed by the script that picks the reader's tab; the
    first also preceded by hold, the scripts the page needs once."""
    out: list[str] = []
    done = 0
    for match in outside_code(FILLED_RE.finditer(text), in_code(text)):
        blocks = tabs.get((match.group("guide"), match.group("step")))
        if not blocks:
            continue
        body = "\n\n".join([*([] if out else [hold]), *blocks, choose])
        out += [text[done : match.start()], f"{match.group('open')}\n\n{body}\n\n{CLOSE}"]
        done = match.end()
    return "".join([*out, text[done:]])
