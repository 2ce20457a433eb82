"""The guidegen command line. Exit codes: 0 ok, 1 a guide failed, 2 bad input."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__, childprocess
from .capture.appserver import AppNotReady
from .capture.browser import BrowserNotFound
from .commands import (
    UsageError,
    cmd_build,
    cmd_capture,
    cmd_check,
    cmd_init,
    cmd_lint,
    cmd_merge,
    cmd_new,
    cmd_redraw,
    cmd_render,
    cmd_serve,
    cmd_shop,
)
from .config import ConfigError, hide_secrets, load_config, overridden
from .faults import DriverGone, fault_line
from .guide.types import PLATFORMS, SCHEMES
from .progress import Interrupted
from .safepath import BadFile
from .safetext import cleaned_output
from .server import PortInUse

if TYPE_CHECKING:
    pass


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="guidegen",
        description="Turn YAML guides into an illustrated help site, checked in a real browser.",
    )
    top.add_argument("--version", action="version", version=f"guidegen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("lint", help="validate guides; path:line:col per problem, exit 2 on errors")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="guide files or folders (default: steps/)"
    )
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("shop", help="serve the app under test (the mock shop) on 127.0.0.1")
    p.add_argument("--port", type=port_number, default=0, help="port (default: a free one)")
    p.set_defaults(func=cmd_shop)

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--guide",
            action="append",
            default=[],
            metavar="ID",
            help="only this guide (repeatable)",
        )
        p.add_argument(
            "--platform",
            action="append",
            default=[],
            choices=PLATFORMS,
            help="only this platform (repeatable)",
        )
        p.add_argument(
            "--lang",
            action="append",
            default=[],
            metavar="L",
            help="only this language (repeatable)",
        )
        p.add_argument(
            "--scheme",
            action="append",
            default=[],
            choices=SCHEMES,
            help="only this colour scheme (repeatable)",
        )
        p.add_argument(
            "--workers",
            type=int,
            default=None,
            metavar="N",
            help=(
                "parallel browsers (default: the workers setting, else one per core,"
                " one more when each gets 4 runs or more)"
            ),
        )
        p.add_argument(
            "--base-url",
            default=None,
            metavar="URL",
            help="run against this app instead of serving the shop",
        )

    p = sub.add_parser("capture", help="run guides and write their screenshots")
    filters(p)
    p.add_argument(
        "--force",
        action="store_true",
        help="recapture every guide, whatever the manifest says (images are written as by "
        "an update: only what changed beyond the tolerance)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="capture into memory, compare with the committed images, write none; "
        "exit 1 when any changed beyond the tolerance",
    )
    mode.add_argument(
        "--update",
        action="store_true",
        help="write only images that changed beyond the tolerance (the default)",
    )
    p.add_argument("--prune", action="store_true", help="delete orphaned images")
    p.add_argument("--shard", metavar="i/n", help="run only shard i of n (1-based)")
    p.add_argument(
        "--report", metavar="DIR", help="where to write the report (default: .guidegen/report)"
    )

    p.set_defaults(func=cmd_capture)

    p = sub.add_parser(
        "redraw", help="draw step images again from raw frames and boxes, without a browser"
    )
    p.set_defaults(func=cmd_redraw)

    p = sub.add_parser("merge", help="merge shard reports into one report and manifest")
    p.add_argument("reports", nargs="+", metavar="DIR", help="each shard's --report folder")
    p.add_argument("--out", required=True, metavar="DIR", help="where to write the merged report")
    p.add_argument(
        "--check", action="store_true", help="exit 1 when the merged report shows any change"
    )
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("check", help="run every guide; write nothing; exit 1 on drift")
    filters(p)
    p.add_argument(
        "--trace",
        action="store_true",
        help="record a Playwright trace of every run and keep those of failed runs (slower); "
        "without it, a run that failed for a reason other than a missing element is run "
        "again with a trace",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("render", help="write the guide pages into docs/")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("build", help="render, then the site engine's strict build into site/")
    p.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default=None,
        help="the site engine (default: the configuration's engine, mkdocs)",
    )
    p.add_argument(
        "--site-url",
        default=None,
        metavar="URL",
        help="the site's public URL, e.g. https://example.org/help/ (default: site_url)",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("new", help="write a commented starter guide into steps/")
    p.add_argument("id", metavar="ID", help="the guide's id and file name, e.g. check-orders")
    p.add_argument("--scenario", metavar="S", help="the app state the guide starts from")
    p.add_argument(
        "--platforms",
        metavar="LIST",
        help=f"comma-separated, some of {','.join(PLATFORMS)} (default: all)",
    )
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("init", help="write a complete new docs project for any app into DIR")
    p.add_argument("dir", metavar="DIR", help="the project folder (empty or new)")
    app = p.add_mutually_exclusive_group()
    app.add_argument("--app-url", metavar="URL", help="a running app, e.g. a staging server")
    app.add_argument(
        "--app-command",
        metavar="CMD",
        help="a command that starts the app; {port} becomes a free port",
    )
    p.add_argument("--languages", metavar="LIST", help="comma-separated, first is default (ja,en)")
    p.add_argument(
        "--platforms",
        metavar="LIST",
        help=f"comma-separated, some of {','.join(PLATFORMS)} (default: all)",
    )
    p.add_argument("--cwd", metavar="DIR", help="the folder the app's command runs in")
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the app's command (repeatable)",
    )
    p.add_argument(
        "--watch",
        action="append",
        default=[],
        metavar="GLOB",
        help="the app's source files, relative to DIR or absolute (repeatable)",
    )
    p.add_argument(
        "--app-setup",
        metavar="CMD",
        help="the command that installs the app, run as a step of the CI workflow",
    )
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    p.set_defaults(func=cmd_init, needs_config=False)

    p = sub.add_parser(
        "serve", help="live preview: rebuild and recapture a guide when it changes, reload"
    )
    p.add_argument("--port", type=port_number, default=0, help="port (default: a free one)")
    p.add_argument(
        "--platform",
        action="append",
        default=[],
        choices=PLATFORMS,
        help="recapture only this platform (repeatable)",
    )
    p.add_argument(
        "--lang", action="append", default=[], metavar="L", help="recapture only this language"
    )
    p.add_argument(
        "--no-capture", action="store_true", help="never recapture; show the images there are"
    )
    p.add_argument(
        "--base-url", default=None, metavar="URL", help="capture against this app instead"
    )
    p.set_defaults(func=cmd_serve)
    return top


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: give a port from 1 to 65535, or 0 for any")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Every error ends in one line on stderr, never a traceback
    (GUIDEGEN_DEBUG=1 shows it): exit 2 for bad input (arguments, guides,
    configuration, a damaged or crafted state file, a browser that is missing
    or does not start, a busy port), 1 for a failed run or an environment fault
    (disk full, a read-only folder), 130 for Ctrl-C, 143 for SIGTERM (what
    `timeout`, `kill` and a cancelled CI job send), which is handled as Ctrl-C is.

    Every line printed meanwhile passes through safetext.clean, whoever prints
    it: much of what guidegen prints comes from files a pull request can change."""
    with cleaned_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    terminated: list[int] = []

    def on_sigterm(signum: int, frame: object) -> None:
        # Once: a second SIGTERM must not cut short the cleanup the first one started.
        if not terminated:
            terminated.append(signum)
            # Ctrl-C reaches the browsers too (a terminal signals the whole job);
            # SIGTERM reaches guidegen alone, and runs in flight would go on.
            childprocess.signal_children(signal.SIGTERM)
            raise KeyboardInterrupt

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_sigterm) if main_thread else None
    try:
        try:
            code, message = _run(argv)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    except KeyboardInterrupt:  # a signal that came as the command was returning
        code, message = 130, "interrupted, nothing half-written"
    if terminated:
        code = 143
        message = (
            message.replace("interrupted", "terminated (SIGTERM)", 1)
            if message.startswith("interrupted")
            else "terminated (SIGTERM), nothing half-written"
        )
    if message:
        print(message, file=sys.stderr)
    return code


def _run(argv: Sequence[str] | None) -> tuple[int, str]:
    """The command's exit code and its last line, if it ends in an error."""
    args = parser().parse_args(argv)
    # A large project keeps tens of thousands of parsed objects alive for a
    # whole run (guides, frames.json files); at the default threshold the
    # collector rescans them every 700 allocations, a fifth of a render's time.
    gc.set_threshold(100_000, 50, 50)
    debug = bool(os.environ.get("GUIDEGEN_DEBUG"))
    if not debug:
        # Playwright's sync API runs an asyncio loop per browser thread; when a
        # browser dies, asyncio reports the futures it abandoned as noise.
        # Every failed run is reported by guidegen itself.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
    secrets: tuple[str, ...] = ()
    try:
        if not getattr(args, "needs_config", True):
            return int(args.func(args)), ""
        config = overridden(
            load_config(),
            base_url=getattr(args, "base_url", None),
            engine=getattr(args, "engine", None),
            site_url=getattr(args, "site_url", None),
        )
        # No message may hold a secret's value, whatever its source (the app's output).
        secrets = tuple(config.secret_values().values())
        for lang in getattr(args, "lang", []):
            if lang not in config.languages:
                raise UsageError(f"--lang {lang}: not one of {', '.join(config.languages)}")
        return int(args.func(args, config)), ""
    except (UsageError, ConfigError, BrowserNotFound, BadFile, PortInUse) as error:
        return 2, hide_secrets(f"guidegen: {error}", secrets)
    except (AppNotReady, DriverGone) as error:
        return 1, hide_secrets(f"guidegen: {error}", secrets)
    except Interrupted as stop:
        return 130, f"interrupted: {stop.done} of {stop.total} runs done, nothing half-written"
    except KeyboardInterrupt:
        return 130, "interrupted, nothing half-written"
    except Exception as error:
        if debug:
            raise
        return 1, hide_secrets(f"guidegen: {fault_line(error)}", secrets)


if __name__ == "__main__":
    sys.exit(main())
