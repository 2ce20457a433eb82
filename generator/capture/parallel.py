"""Doing independent pieces of work (render's languages) on several cores.

Most of a render that finds nothing new to encode is Python code looking at
files, which threads cannot spread over cores; forked processes can, and they
start with everything the parent has loaded (the guides, the configuration)
without copying it. Each piece runs in one child; what it returns, or what it
raises, comes back to the parent, so a caller sees the same results and the
same errors as from a plain loop.

Forking is safe only from a process with one thread (another thread may hold a
lock the child would wait for forever) and on Linux (macOS's own libraries
start threads of their own, and Windows has no fork), so a process with threads,
another system, or a machine with one core runs the pieces one after another.
The browser threads a capture keeps for the next one (browsers.py) do not
count while they wait for it, nor do their drivers' child watchers: the
preview renders on every core after it recaptured.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from .. import childprocess
from . import browsers

Item = TypeVar("Item")
Result = TypeVar("Result")


# A child's exit code after Ctrl-C (the shell's 128 + SIGINT).
_INTERRUPTED = 130


class WorkerDied(RuntimeError):
    """A child ended without an answer (killed, out of memory)."""


def each(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None
) -> list[Result]:
    """[function(item) for item in items], the items shared among up to
    `workers` child processes (default: one per core)."""
    workers = min(len(items), workers or os.cpu_count() or 1)
    if workers < 2 or _others_at_work() or not sys.platform.startswith("linux"):
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    tie = childprocess.tie_to_parent()
    shares = [list(range(first, len(items), workers)) for first in range(workers)]
    children: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    replies: list[tuple[bool, Any]] = []
    # Ctrl-C in a terminal reaches the children too: each stops and says so. A
    # signal to this process alone, even while it starts them, lets them finish
    # their pieces first: they are always read to the end and waited for.
    try:
        for share in shares:
            receiver, sender = context.Pipe(duplex=False)
            work = [items[i] for i in share]
            process = context.Process(target=_child, args=(function, work, sender, tie))
            children.append((process, receiver))
            try:
                process.start()
            finally:
                sender.close()
        for child, receiver in children:
            replies.append(_reply(child, receiver))
    finally:
        for child, receiver in children[len(replies) :]:
            if child.pid is not None:
                # Read, so that no child waits forever to send a long answer.
                with contextlib.suppress(Exception):
                    receiver.recv()
        for child, receiver in children:
            if child.pid is not None:
                child.join()
            receiver.close()
    results: list[Any] = [None] * len(items)
    for share, (ok, answer) in zip(shares, replies, strict=True):
        if not ok:
            raise answer
        for index, result in zip(share, answer, strict=True):
            results[index] = result
    return results


def _reply(child: multiprocessing.process.BaseProcess, receiver: Connection) -> tuple[bool, Any]:
    """(True, the results) or (False, the exception to raise)."""
    try:
        ok, value = receiver.recv()
    except EOFError:
        child.join()
        if child.exitcode == _INTERRUPTED:
            return False, KeyboardInterrupt()
        return False, WorkerDied(
            f"a worker process ended with exit code {child.exitcode} before it finished; "
            "if the machine ran out of memory, run with fewer languages at once"
        )
    if not ok and value is None:
        return False, KeyboardInterrupt()
    return ok, value


def _others_at_work() -> bool:
    """Whether a thread besides this one may hold a lock that a forked child
    would wait for forever. Two kinds never do: a browser thread a capture
    keeps while it waits for the next (browsers.waiting), and asyncio's child
    watcher, which only waits for its process (Playwright's driver) to end."""
    watchers = [t for t in threading.enumerate() if t.name.startswith("asyncio-waitpid-")]
    return threading.active_count() - 1 - browsers.waiting() - len(watchers) > 0


def _child(
    function: Callable[[Any], Any],
    work: list[Any],
    sender: Connection,
    tie: Callable[[], None] | None,
) -> None:
    try:
        if tie is not None:
            tie()
        try:
            answer: tuple[bool, Any] = (True, [function(item) for item in work])
        except KeyboardInterrupt:
            answer = (False, None)
        except BaseException as error:  # every error goes back to the parent
            answer = (False, error)
        try:
            sender.send(answer)
        except Exception as error:  # an error that cannot be pickled still says what it was
            problem = RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({error})")
            sender.send((False, problem))
    except KeyboardInterrupt:  # a second Ctrl-C while it answered the first
        sys.exit(_INTERRUPTED)
    finally:
        sender.close()
