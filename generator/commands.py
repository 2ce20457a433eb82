"""The commands of the CLI: cli.py parses the arguments, each command here hands off to
the pipeline (guide, capture, site)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .capture.lock import screenshots_lock
from .config import Config
from .guide.lint import LintReport, lint, refresh_schema
from .safepath import own_folder, within
from .safetext import clean

if TYPE_CHECKING:
    from .capture.frames import Failure
    from .capture.jobs import Job


# After the changed pictures of a check: a check of an app nobody changed that
# fails this way is the app drawing something new on every run.
CHANGED_BY_ITSELF = (
    "if the app did not change, something on its screens changes on every run (a "
    "duration, a count, a random id): the report's diff pictures show where; hide it "
    "with capture_css, or in a guide with redact (docs: your-app, pictures that "
    "change when the app did not)"
)


class UsageError(Exception):
    """Bad input: printed as one line, exit code 2."""


def _count(number: int, noun: str) -> str:
    """'1 guide', '2 guides': the summary lines read as sentences."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _lint_or_fail(config: Config, paths: Sequence[Path] = ()) -> LintReport:
    report = lint(list(paths) or [config.path("steps_dir")], config, dt.date.today())
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.errors:
        raise SystemExit(2)
    return report


def cmd_lint(args: argparse.Namespace, config: Config) -> int:
    paths = [Path(p) for p in args.paths] or [config.path("steps_dir")]
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    report = lint(paths, config, dt.date.today())
    for problem in report.problems:
        print(problem)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        counts = _count(errors, "error"), _count(warnings, "warning"), _count(report.files, "file")
        print("{}, {} in {}".format(*counts), file=sys.stderr)
        return 2
    # Written only for guides that pass: bad input leaves the project as it was.
    refresh_schema(config)
    print(f"{_count(report.files, 'guide')} OK ({_count(warnings, 'warning')})")
    return 0


def cmd_shop(args: argparse.Namespace, config: Config) -> int:
    from .server import serve

    if not config.shop_dir:
        raise UsageError(
            "guidegen shop serves a static app folder: set shop_dir in [tool.guidegen]"
        )
    with serve(within(config.root, config.path("shop_dir")), args.port) as url:
        print(f"serving {url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _jobs(args: argparse.Namespace, config: Config) -> tuple[list[Job], list[Job]]:
    from .capture.jobs import plan

    report = _lint_or_fail(config)
    known = {g.id for g in report.guides}
    for wanted in args.guide:
        if wanted not in known:
            raise UsageError(f"--guide {wanted}: no such guide; known: {', '.join(sorted(known))}")
    setups = {g.id: g for g in report.setups}
    jobs = plan(
        report.guides,
        config,
        guide_ids=args.guide,
        platforms=args.platform,
        langs=args.lang,
        schemes=args.scheme,
        setups=setups,
    )
    if not jobs:
        raise UsageError(
            "nothing to run: the filters match no guide, platform, language and colour scheme"
        )
    return jobs, plan(report.guides, config, setups=setups)


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text}: write it as i/n, e.g. 2/3") from None
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text}: i must be between 1 and n")
    return index, count


def cmd_capture(args: argparse.Namespace, config: Config) -> int:
    from .capture.jobs import shard
    from .capture.pipeline import capture

    jobs, universe = _jobs(args, config)
    chosen = _shard(args.shard)
    if chosen:
        jobs = shard(jobs, *chosen)
    if args.check and (args.prune or args.force):
        raise UsageError("--check writes nothing: it does not go with --prune or --force")
    report = Path(args.report) if args.report else config.root / ".guidegen" / "report"
    for folder in (report, report / "images"):
        own_folder(config.root, folder)
    with screenshots_lock(config):
        result = capture(
            config,
            jobs,
            check=args.check,
            force=args.force,
            prune=args.prune,
            workers=_workers(args, config),
            report_dir=report,
            universe=universe
            if not (args.guide or args.platform or args.lang or args.scheme)
            else (),
        )
    counts: dict[str, int] = {}
    for item in result.results.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    verb = "checked" if args.check else "captured"
    images = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(
        f"{verb} {result.captured}, up to date {result.skipped}, failed {len(result.failures)}"
        + (f", not run {len(result.not_run)}; " if result.not_run else "; ")
        + (f"{images}; " if images else "")
        + f"{result.changed} files written"
    )
    if not result.captured and not result.failures and result.skipped == len(jobs):
        print("everything up to date: nothing to run")
    print(f"report: {report / 'index.html'}")
    code = _report_failures(config, result.failures, result.not_run)
    if args.check and result.results.dirty:
        for item in result.results.items:
            if item.status != "unchanged":
                print(f"{item.status}: {item.key}", file=sys.stderr)
        if any(item.status == "changed" for item in result.results.items):
            print(CHANGED_BY_ITSELF, file=sys.stderr)
        return 1
    return code


def cmd_redraw(args: argparse.Namespace, config: Config) -> int:
    from .capture.pipeline import redraw

    try:
        with screenshots_lock(config):
            changed = redraw(config)
    except ValueError as error:
        raise UsageError(f"{error}; capture that guide again") from None
    for path in changed:
        print(f"redrawn {path.relative_to(config.root)}")
    print(f"{len(changed)} images redrawn")
    return 0


def cmd_merge(args: argparse.Namespace, config: Config) -> int:
    from .capture.manifest import update_manifest
    from .capture.report import merge

    folders = [Path(p) for p in args.reports]
    for folder in (Path(args.out), Path(args.out) / "images"):
        own_folder(config.root, folder)
    for folder in folders:
        if not (folder / "results.json").is_file():
            raise UsageError(f"{folder}: no results.json; pass the --report folder of each shard")
    with screenshots_lock(config):
        merged = merge(folders, Path(args.out))
        update_manifest(config, merged.manifest)
    print(f"merged {len(folders)} reports: {len(merged.items)} images; report: {args.out}")
    return 1 if merged.dirty and args.check else 0


def _report_failures(
    config: Config, failures: Sequence[Failure], not_run: Sequence[str] = ()
) -> int:
    """Each failed run's line (and its screenshot), then the runs a failed setup
    guide kept from running; 1 if there are any."""
    from .capture import layout
    from .files import write_atomic

    folder = own_folder(config.root, config.root / ".guidegen" / "failures")
    for failure in failures:
        shot = None
        if failure.screenshot:
            name = layout.failure_name(
                failure.guide, failure.step, failure.platform, failure.lang, failure.scheme
            )
            write_atomic(folder / name, failure.screenshot)
            shot = str((folder / name).relative_to(config.root))
        # One line, whatever the failure quotes (a target's name can hold a line break).
        print(clean(failure.line(shot)), file=sys.stderr)
    for line in not_run:
        print(clean(f"not run: {line}"), file=sys.stderr)
    if failures:
        print(f"{len(failures)} guide runs failed", file=sys.stderr)
    if not_run:
        print(f"{len(not_run)} guide runs not run: their setup guide failed", file=sys.stderr)
    return 1 if failures or not_run else 0


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from .capture.workers import app_url

    jobs, _ = _jobs(args, config)
    with app_url(config):
        return _check(args, config, jobs)


def _workers(args: argparse.Namespace, config: Config) -> int | None:
    """--workers, else the workers setting; None (the default: see
    capture.workers.default_workers) when neither is set."""
    return args.workers or config.workers or None


def _check(args: argparse.Namespace, config: Config, jobs: list[Job]) -> int:
    from .capture import layout
    from .capture.jobs import job_key, setup_run
    from .capture.workers import execute
    from .progress import progress

    trace_dir = own_folder(config.root, config.root / ".guidegen" / "traces")
    if args.trace:
        trace_dir.mkdir(parents=True, exist_ok=True)
    failed = []
    setups_failed = set()
    not_run = []
    with progress(len(jobs), "checking") as bar:
        for outcome in execute(
            config,
            jobs,
            shoot=False,
            workers=_workers(args, config),
            trace_dir=trace_dir if args.trace else None,
        ):
            if outcome.blocked is not None:
                setup = setup_run(outcome.blocked)
                if setup not in setups_failed:
                    # Its first job, run again, runs the setup guide again (traced).
                    setups_failed.add(setup)
                    failed.append((outcome, outcome.blocked))
                    bar.note(f"FAILED setup guide {setup}")
                not_run.append(outcome.not_run)
                bar.advance(f"not run {outcome.not_run}")
                continue
            if outcome.failure is not None:
                failed.append((outcome, outcome.failure))
            bar.advance(("FAILED " if outcome.failure else "ok ") + outcome.job.name)
    # Tracing slows every run, so without --trace only a run that failed is run
    # again with a trace, and only when its message cannot say it all: a target
    # missing from the settled screen (drift) is named with what is there instead.
    again = [o.job for o, failure in failed if not failure.missing and not args.trace]
    rerun = {}
    if again:
        trace_dir.mkdir(parents=True, exist_ok=True)
        rerun = {
            job_key(o.job): o
            for o in execute(config, again, shoot=False, trace_dir=trace_dir, workers=1)
        }
    failures, traced = [], []
    for outcome, failure in failed:
        again_outcome = rerun.get(job_key(outcome.job))
        if again_outcome is not None:
            failure = (
                again_outcome.blocked if outcome.blocked else again_outcome.failure
            ) or failure
        failures.append(failure)
        if args.trace or again_outcome is not None:
            traced.append(failure)
    code = _report_failures(config, failures, not_run)
    for failure in traced:
        name = layout.trace_name(failure.guide, failure.platform, failure.lang, failure.scheme)
        trace = trace_dir / name
        if trace.is_file():
            print(f"trace: {trace.relative_to(config.root)}", file=sys.stderr)
    if not code:
        print(f"{len(jobs)} guide runs OK")
    return code


def cmd_render(args: argparse.Namespace, config: Config) -> int:
    from .site.images import PictureError
    from .site.render import render

    report = _lint_or_fail(config)
    try:
        missing = render(config, report.guides, report.facts)
    except PictureError as error:
        raise UsageError(str(error)) from None
    for name in missing:
        print(f"warning: no screenshot {name}; run guidegen capture", file=sys.stderr)
    guides, languages = (
        _count(len(report.guides), "guide"),
        _count(len(config.languages), "language"),
    )
    print(f"rendered {guides} in {languages}")
    return 0


def cmd_build(args: argparse.Namespace, config: Config) -> int:
    from .site.build import SectionMissing, build_site, check_folders

    try:
        check_folders(config)
    except SectionMissing as error:
        raise UsageError(str(error)) from None
    cmd_render(args, config)
    try:
        failed = build_site(config)
    except SectionMissing as error:
        raise UsageError(str(error)) from None
    if failed is not None:
        print(failed, file=sys.stderr)
        return 1
    print(f"site built: {config.path('site_dir') / 'index.html'}")
    if not config.site_url:
        print(
            "note: no site_url in [tool.guidegen] (or --site-url): sitemap.xml lists no "
            "pages, and 404.html finds its styles only when the site is at the server's root",
            file=sys.stderr,
        )
    return 0


def cmd_new(args: argparse.Namespace, config: Config) -> int:
    from .guide.scaffold import ScaffoldError, new_guide

    try:
        path = new_guide(config, args.id, args.scenario, args.platforms)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
    print(f"wrote {shown}")
    print(f"next: fill in its steps, then run guidegen serve (or guidegen lint {shown})")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .guide.scaffold import ScaffoldError
    from .newproject import InitError, init, options_from

    try:
        options = options_from(
            args.dir,
            args.app_url,
            args.app_command,
            args.languages,
            args.platforms,
            args.force,
            cwd=args.cwd,
            env=args.env,
            watch=args.watch,
            app_setup=args.app_setup,
        )
        written = init(options)
    except (InitError, ScaffoldError) as error:
        raise UsageError(str(error)) from None
    for path in written:
        print(f"wrote {Path(args.dir) / path}")
    print(f"next: cd {args.dir} && guidegen lint && guidegen build")
    return 0


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    from .capture.workers import app_url
    from .site.preview import preview

    # Served before the first build checks it: a link out would serve its target.
    own_folder(config.root, config.path("site_dir"))
    if args.no_capture:
        return preview(config, port=args.port, recapture=False)
    # Started once for every recapture of the session.
    with app_url(config):
        return preview(
            config,
            port=args.port,
            platforms=args.platform,
            langs=args.lang,
            recapture=not args.no_capture,
        )
