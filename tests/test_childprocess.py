"""A helper program started by guidegen does not outlive a guidegen that is killed."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap

import pytest

from guidegen import childprocess

# Only a helper that outlives guidegen waits this long (and fails the test).
DEADLINE_S = 60

# Says its pid on the stdout it shares with its parent, then waits for a signal.
HELPER = "import os, signal; os.write(1, f'{os.getpid()}\\n'.encode()); signal.pause()"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_helper_program_dies_when_guidegen_is_killed() -> None:
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from guidegen import childprocess
                childprocess.run([sys.executable, "-c", {HELPER!r}])
                """
            ),
        ],
        stdout=subprocess.PIPE,
    )
    assert parent.stdout is not None
    helper = int(parent.stdout.readline())
    # Readable once the helper has ended, whoever its parent is by then.
    ended = os.pidfd_open(helper)
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        readable, _, _ = select.select([ended], [], [], DEADLINE_S)
        assert readable, "the helper outlived the killed guidegen"
    finally:
        if not select.select([ended], [], [], 0)[0]:
            os.kill(helper, signal.SIGKILL)
        os.close(ended)
        parent.stdout.close()


def test_run_returns_what_the_program_did() -> None:
    result = childprocess.run(
        [sys.executable, "-c", "import sys; print('out'); sys.exit(3)"],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (3, "out\n")
