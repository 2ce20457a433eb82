"""A capture job (guide, platform, language, colour scheme), the plan of a run's jobs,
and where each job's pictures live."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..guide.model import Guide
from ..guide.types import ColorScheme, Platform
from . import layout
from .frames import Failure, Run

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Job:
    guide: Guide
    platform: Platform
    lang: str
    scheme: ColorScheme = "light"
    setup: Guide | None = None  # the hidden setup guide (sign-in) run before it

    @property
    def name(self) -> str:
        return f"{self.guide.id} › {self.platform}/{self.lang}" + _scheme_suffix(self.scheme)


def _scheme_suffix(scheme: str) -> str:
    return "" if scheme == "light" else f"/{scheme}"


def setup_run(failure: Failure) -> str:
    """A setup guide's run, named as a job is: _sign-in › web/en."""
    return f"{failure.guide} › {failure.platform}/{failure.lang}" + _scheme_suffix(failure.scheme)


@dataclass(frozen=True)
class Outcome:
    job: Job
    run: Run | None
    failure: Failure | None
    settled: Any = None  # what the caller's `then` made of the run, in the worker
    # The failed run of the setup guide the job needs: the job was not run. The
    # same Failure for every job that needs that run, so it is reported once.
    blocked: Failure | None = None

    @property
    def not_run(self) -> str:
        """The line that says the job was not run, and why."""
        assert self.blocked is not None
        return f"{self.job.name}: setup guide {self.blocked.guide} failed"


def plan(
    guides: Iterable[Guide],
    config: Config,
    *,
    guide_ids: Sequence[str] = (),
    platforms: Sequence[str] = (),
    langs: Sequence[str] = (),
    schemes: Sequence[str] = (),
    setups: Mapping[str, Guide] | None = None,
) -> list[Job]:
    """Every (guide, platform, language, colour scheme) to run, in a stable order,
    after filters. A guide and a platform's device can each narrow the project's
    colour schemes; setups are the hidden setup guides by id."""
    setups = setups or {}
    return [
        Job(guide, platform, lang, scheme, setups.get(guide.setup) if guide.setup else None)
        for guide in sorted(guides, key=lambda g: g.id)
        if not guide_ids or guide.id in guide_ids
        for platform in config.platforms
        if platform in guide.platforms and (not platforms or platform in platforms)
        for lang in config.languages
        if not langs or lang in langs
        for scheme in config.schemes_for(platform)
        if (guide.color_schemes is None or scheme in guide.color_schemes)
        and (not schemes or scheme in schemes)
    ]


def job_dir(config: Config, job: Job) -> Path:
    return layout.job_dir(
        config.path("screenshots_dir"), job.guide.id, job.platform, job.lang, job.scheme
    )


def job_key(job: Job) -> str:
    return layout.job_key(job.guide.id, job.platform, job.lang, job.scheme)


def shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """Shard index (1-based) of count: every count-th job in key order, so shards
    differ by at most one job and together are exactly the whole."""
    ordered = sorted(jobs, key=job_key)
    return ordered[index - 1 :: count]


def orphaned_folders(config: Config, universe: Sequence[Job]) -> list[Path]:
    """Committed job folders that no guide, platform, language and scheme makes any more."""
    wanted = {job_dir(config, job) for job in universe}
    return [p for p in layout.job_folders(config.path("screenshots_dir")) if p not in wanted]
