"""A static file server on 127.0.0.1 that always shuts down.

Used to serve the app under test (the configured shop directory) and a built
site. Text is served as UTF-8 so Japanese never depends on sniffing. Every
request gets an answer (a path no file can have is a 400, a range past any
file a 416, a foreign Host header a 403, not a dropped connection), only files
whose real path is inside the folder are served, an idle connection is closed
after IDLE_SECONDS, and a client that goes away mid-answer is nobody's error.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import io
import os
import re
import sys
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
}


IDLE_SECONDS = 30
# Longer names than this no file system holds: the path cannot name a file.
NAME_BYTES = 255
PATH_BYTES = 4096
# A byte position longer than this is past the end of any file (and Python
# refuses to read an integer of over 4,300 digits).
RANGE_DIGITS = 18


class PortInUse(Exception):
    """The port asked for is taken: one line, exit 2."""


class Handler(http.server.SimpleHTTPRequestHandler):
    """UTF-8 text types, no caching, no request log, no unanswered request."""

    timeout = IDLE_SECONDS
    # Nothing is kept: a reload shows each file as it is now (the app under
    # test, a preview that has just rebuilt the site).
    cache_control = "no-store"

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        # Only this machine's names for the server: a page on another site whose
        # name is made to resolve to 127.0.0.1 (DNS rebinding) is refused.
        port = self.server.server_address[1]  # type: ignore[index]  # an AF_INET server
        if self.headers.get("Host") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            self.send_error(HTTPStatus.FORBIDDEN, "Open this server at 127.0.0.1 or localhost")
            return False
        path = unquote(urlsplit(self.path).path, errors="surrogateescape").encode(
            "utf-8", "surrogateescape"
        )
        try:
            path.decode("utf-8")
        except UnicodeDecodeError:  # e.g. %c0%ae, an overlong "."
            self.send_error(HTTPStatus.BAD_REQUEST, "The path is not UTF-8")
            return False
        if (
            b"\0" in path
            or len(path) > PATH_BYTES
            or any(len(name) > NAME_BYTES for name in path.split(b"/"))
        ):
            self.send_error(HTTPStatus.BAD_REQUEST, "No file can have this path")
            return False
        # Only files whose real path is inside the folder: a symlink in it that
        # leads out (to a secret, say) is no file of the site.
        real = os.path.realpath(self.translate_path(self.path))
        base = os.path.realpath(self.directory)
        if real != base and not real.startswith(base + os.sep):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return False
        return True

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return TEXT_TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> io.BytesIO | None:
        """A file's byte range when one is asked for, as static hosts answer:
        a browser seeks in a video or audio file only if its server does."""
        asked = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if not asked or asked.groups() == ("", "") or not path.is_file():
            return super().send_head()  # type: ignore[return-value]
        size = path.stat().st_size
        first, last = asked.groups()
        if len(first) > RANGE_DIGITS or len(last) > RANGE_DIGITS:
            start, end = size, size - 1  # past any file: not satisfiable
        elif first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # "bytes=-N": the last N bytes
            start, end = max(0, size - int(last)), size - 1
        if start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        with path.open("rb") as file:
            file.seek(start)
            data = file.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the client went away or went quiet: nothing to report
        if os.environ.get("GUIDEGEN_DEBUG"):
            super().handle_error(request, client_address)  # type: ignore[arg-type]
            return
        print(f"guidegen: a request failed: {type(error).__name__}: {error}", file=sys.stderr)


@contextlib.contextmanager
def serve(directory: Path, port: int = 0, handler: type[Handler] = Handler) -> Iterator[str]:
    """Serve directory on 127.0.0.1 (a free port unless given); yield its base URL."""
    try:
        server = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise PortInUse(
            f"port {port} is in use on 127.0.0.1; choose another with --port, "
            "or leave --port out for a free one"
        ) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
