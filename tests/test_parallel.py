"""Independent pieces of work on several cores, with the results and errors of a plain loop."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading

from guidegen.capture import parallel
from tests.conftest import terminal_job


def in_a_fresh_process(body: str) -> str:
    """What a script printed that runs parallel.each in an interpreter of its own:
    a test process may have threads (servers other tests left), and then each
    rightly does not fork."""
    script = textwrap.dedent(
        """
        import json, os, sys
        from guidegen.capture import parallel
        from guidegen.site.images import PictureError
        """
    ) + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout


def test_each_piece_runs_in_a_child_and_comes_back_in_order() -> None:
    printed = in_a_fresh_process(
        """
        def where(item):
            return item * 10, os.getpid()

        results = parallel.each(where, [1, 2, 3, 4, 5], workers=2)
        print(json.dumps({"results": results, "me": os.getpid()}))
        """
    )
    answer = json.loads(printed)
    assert [value for value, _ in answer["results"]] == [10, 20, 30, 40, 50]
    pids = {pid for _, pid in answer["results"]}
    assert len(pids) == 2 and answer["me"] not in pids


def where(item: int) -> tuple[int, int]:
    return item * 10, os.getpid()


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


def test_one_worker_runs_in_this_process() -> None:
    assert parallel.each(where, [1, 2], workers=1) == [(10, os.getpid()), (20, os.getpid())]


def test_an_error_in_a_child_is_raised_in_the_parent_as_it_was() -> None:
    printed = in_a_fresh_process(
        """
        def fail_on_two(item):
            if item == 2:
                raise PictureError("screenshots/b/frames.json: unreadable; run capture again")
            return item

        try:
            parallel.each(fail_on_two, [1, 2], workers=2)
        except PictureError as error:
            print(f"PictureError: {error}")
        """
    )
    assert printed == "PictureError: screenshots/b/frames.json: unreadable; run capture again\n"


def test_an_error_in_one_child_still_takes_the_others_answers() -> None:
    printed = in_a_fresh_process(
        """
        def fail_or_say_a_lot(item):
            if item == 1:
                raise PictureError("the first piece failed")
            return "x" * 5_000_000  # more than a pipe holds: the child waits until it is read

        try:
            parallel.each(fail_or_say_a_lot, [1, 2], workers=2)
        except PictureError as error:
            print(error)
        """
    )
    assert printed == "the first piece failed\n"


def test_ctrl_c_in_a_child_is_ctrl_c_in_the_parent() -> None:
    printed = in_a_fresh_process(
        """
        def interrupted(item):
            raise KeyboardInterrupt

        try:
            parallel.each(interrupted, [1, 2], workers=2)
        except KeyboardInterrupt:
            print("KeyboardInterrupt")
        """
    )
    assert printed == "KeyboardInterrupt\n"


def test_a_child_that_dies_is_named() -> None:
    printed = in_a_fresh_process(
        """
        def dies(item):
            if item == 2:
                os._exit(9)
            return item

        try:
            parallel.each(dies, [1, 2], workers=2)
        except parallel.WorkerDied as error:
            print(error)
        """
    )
    assert "ended with exit code 9 before it finished" in printed


def two_pieces(work: str) -> str:
    """A script that runs `work` (the body of a function of item, which first
    says it is ready) on two children, and says when it was interrupted."""
    return f"""
import os, signal, sys
from guidegen.capture import parallel

def work(item):
    os.write(1, f"ready {{item}}\\n".encode())  # one write: the two children share the pipe
{textwrap.indent(textwrap.dedent(work).strip(), "    ")}

try:
    parallel.each(work, [1, 2], workers=2)
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
"""


SLEEPERS = two_pieces("signal.pause()  # until Ctrl-C")


def test_ctrl_c_stops_every_child_without_a_traceback() -> None:
    process = terminal_job([sys.executable, "-c", SLEEPERS])
    assert process.stdout is not None
    ready = {process.stdout.readline().strip(), process.stdout.readline().strip()}
    assert ready == {"ready 1", "ready 2"}
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (130, "interrupted\n")


FINISHERS = two_pieces(
    """
    os.read(0, 1)  # one byte each of the shared stdin: the test's go-ahead
    return "x" * 5_000_000  # more than a pipe holds
    """
)


def test_ctrl_c_to_the_parent_alone_lets_the_children_finish() -> None:
    process = terminal_job([sys.executable, "-c", FINISHERS], stdin=subprocess.PIPE)
    try:
        assert process.stdout is not None
        assert {process.stdout.readline().strip() for _ in range(2)} == {"ready 1", "ready 2"}
        process.send_signal(signal.SIGINT)
        _, err = process.communicate("go", timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # children a hung parent would leave
    assert (process.returncode, err) == (130, "interrupted\n")
