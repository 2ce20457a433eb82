"""The static server: byte ranges, so a browser can seek in a served video, and no caching."""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from guidegen.server import serve
from tests.site_fixtures import StaticHost


def fetch(url: str, byte_range: str | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"Range": byte_range} if byte_range else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize(
    ("asked", "status", "body", "content_range"),
    [
        (None, 200, b"0123456789", None),
        ("bytes=0-", 206, b"0123456789", "bytes 0-9/10"),
        ("bytes=2-4", 206, b"234", "bytes 2-4/10"),
        ("bytes=7-99", 206, b"789", "bytes 7-9/10"),
        ("bytes=-3", 206, b"789", "bytes 7-9/10"),
        ("bytes=10-", 416, b"", "bytes */10"),
        ("lines=1-2", 200, b"0123456789", None),
    ],
)
def test_byte_ranges(tmp_path: Path, asked, status, body, content_range) -> None:
    (tmp_path / "v.mp4").write_bytes(b"0123456789")
    with serve(tmp_path) as url:
        got_status, headers, got_body = fetch(url + "v.mp4", asked)
    assert (got_status, got_body) == (status, body)
    assert headers.get("Content-Range") == content_range
    if status == 206:
        assert headers["Content-Type"] == "video/mp4"


def test_captions_are_served_as_utf8_webvtt(tmp_path: Path) -> None:
    (tmp_path / "c.vtt").write_text("WEBVTT\n", "utf-8")
    with serve(tmp_path) as url:
        _, headers, _ = fetch(url + "c.vtt")
    assert headers["Content-Type"] == "text/vtt; charset=utf-8"


def test_answers_are_never_kept_unless_a_handler_says_so(tmp_path: Path) -> None:
    # The app under test and a preview that rebuilds must be seen as they are now.
    (tmp_path / "page.html").write_text("<p>now</p>")
    with serve(tmp_path) as url:
        assert fetch(url + "page.html")[1]["Cache-Control"] == "no-store"

    with serve(tmp_path, handler=StaticHost) as url:
        assert fetch(url + "page.html")[1]["Cache-Control"] == StaticHost.cache_control
    assert StaticHost.cache_control == "max-age=600"
