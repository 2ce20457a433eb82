"""guidegen shop: serves the app on 127.0.0.1, says where, stops cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request

from tests.conftest import ROOT, as_a_terminal_job


def test_shop_serves_utf8_on_loopback_and_stops_on_interrupt():
    process = subprocess.Popen(
        [sys.executable, "-m", "guidegen.cli", "shop"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_a_terminal_job,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("serving http://127.0.0.1:") and first.endswith("/")
        url = first.removeprefix("serving ")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert b"data-ready" in response.read()
        with urllib.request.urlopen(url + "scenarios.json", timeout=10) as response:
            assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
