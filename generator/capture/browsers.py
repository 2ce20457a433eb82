"""Browsers kept from one capture to the next in the same process.

Playwright's sync API is bound to the thread that started it, so each browser
lives on a thread of its own, which runs the work a capture hands it. A capture
takes one such thread per worker; the next capture in the same process (the
preview's recapture after an edit, a check's second pass with traces, an
embedding program's next call) finds its driver and browser started. Starting
them costs about half a CPU-second, and a fresh browser's first pages cost more
than a warm one's. Every job still gets a fresh browser context, so nothing of
one run reaches another. The browsers close when the process exits.
"""

from __future__ import annotations

import atexit
import queue
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from .browser import chosen_chromium, launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

Work = Callable[["BrowserThread"], None]

# How long the exit waits for each browser to close before leaving it to its
# driver, which ends with the process and takes its browser with it.
CLOSE_WAIT_S = 10.0


class BrowserThread:
    """A thread that keeps a Playwright driver and a Chromium, started on first
    use, and runs the work handed to it with them. Its methods other than
    hand() and wait() are for that work, on this thread."""

    def __init__(self) -> None:
        self._todo: queue.Queue[Work | None] = queue.Queue()
        self._done = threading.Event()
        self._done.set()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._executable: str | None = None
        self._driver_gone = False
        self.retired = False
        self._thread = threading.Thread(target=self._loop, name="guidegen-browser", daemon=True)
        self._thread.start()

    def usable(self) -> bool:
        return self._thread.is_alive() and not self.retired

    def hand(self, work: Work) -> None:
        """Run work on this thread; wait() returns once it has."""
        self._done.clear()
        self._todo.put(work)

    def wait(self) -> None:
        self._done.wait()

    def _driver(self) -> Playwright:
        if self._playwright is None:
            # Imported only where a browser starts, so that commands that never
            # start one (lint, render, redraw) do not load Playwright.
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
        return self._playwright

    def started(self) -> tuple[Browser, Playwright]:
        """The browser kept from earlier work, while it is connected and is the
        Chromium that is configured now (GUIDEGEN_CHROMIUM may have changed),
        else a new one; and the driver it runs on. A browser that went away may
        have taken its driver with it (Ctrl-C reaches both), so the driver is
        started anew too: the two are handed out together."""
        wanted = chosen_chromium()
        kept = self._browser
        if kept is not None and not kept.is_connected():
            self._browser = None
            self._stop_driver()
        elif kept is not None and wanted != self._executable:
            self._close_browser()
        if self._browser is None:
            self._browser = launch(self._driver())
            self._executable = wanted
        return self._browser, self._driver()

    def retire(self) -> None:
        """Give up this thread's driver (it died): the thread ends after the
        work in hand, and the next capture starts another."""
        self.retired = self._driver_gone = True

    def _close_browser(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        browser, self._browser = self._browser, None
        if browser is not None:
            with suppress(PlaywrightError):
                browser.close()

    def _stop_driver(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        driver, self._playwright = self._playwright, None
        if driver is not None:
            with suppress(PlaywrightError):
                driver.stop()

    def _close(self) -> None:
        if not self._driver_gone:  # a dead driver closes nothing
            self._close_browser()
        self._stop_driver()

    def _loop(self) -> None:
        try:
            while not self.retired and (work := self._todo.get()) is not None:
                try:
                    work(self)
                finally:
                    self._done.set()
        finally:
            self.retired = True
            self._close()
            self._done.set()

    def close(self) -> None:
        """End the thread, closing its browser and driver (from another thread)."""
        self._todo.put(None)
        self._thread.join(CLOSE_WAIT_S)


_lock = threading.Lock()
_kept: list[BrowserThread] = []
_taken: set[BrowserThread] = set()


def take(count: int) -> list[BrowserThread]:
    """count browser threads that no other capture of this process is using,
    the kept ones first; give them back with give_back()."""
    with _lock:
        _kept[:] = [thread for thread in _kept if thread.usable()]
        free = [thread for thread in _kept if thread not in _taken]
        while len(free) < count:
            thread = BrowserThread()
            _kept.append(thread)
            free.append(thread)
        chosen = free[:count]
        _taken.update(chosen)
    return chosen


def give_back(threads: list[BrowserThread]) -> None:
    with _lock:
        _taken.difference_update(threads)


def waiting() -> int:
    """How many kept threads wait for a capture to take them. Such a thread
    only waits on its queue, holding no lock that a process forked meanwhile
    (parallel.each) could need."""
    with _lock:
        return sum(1 for thread in _kept if thread.usable() and thread not in _taken)


@atexit.register
def close_all() -> None:
    """Close every kept browser and driver: at exit, or when a caller wants
    them gone now."""
    with _lock:
        threads, _kept[:] = list(_kept), []
    for thread in threads:
        thread.close()
