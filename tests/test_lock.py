"""One writer at a time for a project's screenshots (lock)."""

from __future__ import annotations

import contextlib
import io
import os
import threading
from pathlib import Path

import pytest

from guidegen.capture.lock import lock_path, screenshots_lock
from guidegen.config import Config
from guidegen.safepath import UnsafePath


def config(root: Path) -> Config:
    return Config(root=root, languages=("en",))


def test_the_holder_writes_its_pid_and_clears_it_and_leftovers_go(tmp_path: Path) -> None:
    screenshots = tmp_path / "screenshots" / "en" / "web" / "g"
    screenshots.mkdir(parents=True)
    leftover = screenshots / ".step-1.webp.k2j3.tmp"
    leftover.write_bytes(b"half")
    kept = screenshots / "step-1.webp"
    kept.write_bytes(b"whole")
    with screenshots_lock(config(tmp_path)):
        assert lock_path(config(tmp_path)).read_text() == f"{os.getpid()}\n"
        assert not leftover.exists() and kept.exists()
    assert lock_path(config(tmp_path)).read_text() == ""


def test_a_second_holder_waits_saying_whom_for_until_the_first_lets_go(tmp_path: Path) -> None:
    order: list[str] = []
    waits = threading.Event()

    class Said(io.StringIO):
        """stderr that tells when the second holder has said it waits (then it blocks)."""

        def write(self, text: str) -> int:
            waits.set()
            return super().write(text)

    def second() -> None:
        with screenshots_lock(config(tmp_path)):
            order.append("second")

    said = Said()
    with screenshots_lock(config(tmp_path)), contextlib.redirect_stderr(said):
        waiting = threading.Thread(target=second)
        waiting.start()
        assert waits.wait(timeout=60)
        order.append("first")
    waiting.join(timeout=60)
    assert order == ["first", "second"]
    assert f"waiting for pid {os.getpid()}, which holds " in said.getvalue()


def test_the_lock_goes_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), screenshots_lock(config(tmp_path)):
        raise RuntimeError
    with screenshots_lock(config(tmp_path)):
        pass


def test_a_linked_lock_file_or_cache_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".guidegen").mkdir()
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    lock_path(config(tmp_path)).symlink_to(victim)
    with (
        pytest.raises(UnsafePath, match=r"screenshots\.lock: a symlink"),
        screenshots_lock(config(tmp_path)),
    ):
        pass
    assert victim.read_text() == "keep me"
    lock_path(config(tmp_path)).unlink()
    (tmp_path / ".guidegen" / "cache").symlink_to(tmp_path)
    with pytest.raises(UnsafePath, match="cache: a symlink"), screenshots_lock(config(tmp_path)):
        pass
