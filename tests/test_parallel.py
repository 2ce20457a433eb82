"""Independent pieces of work on several cores, with the results and errors of a plain loop."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator import parallel
from generator.site_images import PictureError
from tests.conftest import as_a_terminal_job


def where(item: int) -> tuple[int, int]:
    return item * 10, os.getpid()


def test_each_piece_runs_in_a_child_and_comes_back_in_order() -> None:
    results = parallel.each(where, [1, 2, 3, 4, 5], workers=2)
    assert [value for value, _ in results] == [10, 20, 30, 40, 50]
    pids = {pid for _, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_process_with_threads_does_not_fork() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        results = parallel.each(where, [1, 2], workers=2)
    finally:
        stop.set()
        other.join()
    assert {pid for _, pid in results} == {os.getpid()}


def fail_on_two(item: int) -> int:
    if item == 2:
        raise PictureError("screenshots/b/frames.json: unreadable; run guidegen capture again")
    return item


def test_an_error_in_a_child_is_raised_in_the_parent_as_it_was() -> None:
    with pytest.raises(
        PictureError, match=r"^screenshots/b/frames\.json: unreadable; run guidegen capture again$"
    ):
        parallel.each(fail_on_two, [1, 2], workers=2)


def interrupted(item: int) -> int:
    raise KeyboardInterrupt


def test_ctrl_c_in_a_child_is_ctrl_c_in_the_parent() -> None:
    with pytest.raises(KeyboardInterrupt):
        parallel.each(interrupted, [1, 2], workers=2)


def dies(item: int) -> int:
    if item == 2:
        os._exit(9)
    return item


def test_a_child_that_dies_is_named() -> None:
    with pytest.raises(parallel.WorkerDied, match="exit code 9"):
        parallel.each(dies, [1, 2], workers=2)


def test_one_worker_runs_in_this_process() -> None:
    assert parallel.each(where, [1, 2], workers=1) == [(10, os.getpid()), (20, os.getpid())]


def fail_or_say_a_lot(item: int) -> str:
    if item == 1:
        raise PictureError("the first piece failed")
    return "x" * 5_000_000  # more than a pipe holds: the child waits until it is read


def test_an_error_in_one_child_still_takes_the_others_answers() -> None:
    with pytest.raises(PictureError, match="the first piece failed"):
        parallel.each(fail_or_say_a_lot, [1, 2], workers=2)


SLEEPERS = """
import sys, time
from generator import parallel

def sleep(item):
    print("ready", item, flush=True)
    time.sleep(3600)

try:
    parallel.each(sleep, [1, 2], workers=2)
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
"""


def test_ctrl_c_stops_every_child_without_a_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SLEEPERS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=as_a_terminal_job,
    )
    assert process.stdout is not None
    ready = {process.stdout.readline().strip(), process.stdout.readline().strip()}
    assert ready == {"ready 1", "ready 2"}
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (130, "interrupted\n")


FINISHERS = """
import pathlib, sys, time
from generator import parallel

def finish(item):
    print("ready", item, flush=True)
    while not pathlib.Path(sys.argv[1]).exists():
        time.sleep(0.01)
    return "x" * 5_000_000  # more than a pipe holds

try:
    parallel.each(finish, [1, 2], workers=2)
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
"""


def test_ctrl_c_to_the_parent_alone_lets_the_children_finish(tmp_path: Path) -> None:
    go = tmp_path / "go"
    process = subprocess.Popen(
        [sys.executable, "-c", FINISHERS, str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_a_terminal_job,
    )
    try:
        assert process.stdout is not None
        assert {process.stdout.readline().strip() for _ in range(2)} == {"ready 1", "ready 2"}
        process.send_signal(signal.SIGINT)
        go.touch()
        _, err = process.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # children a hung parent would leave
    assert (process.returncode, err) == (130, "interrupted\n")
