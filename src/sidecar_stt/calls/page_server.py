"""``serve_call_page``: one call's page (and, for an unredacted page, its audio) on a loopback HTTP port.

The server answers exactly two paths: the page's name and, when ``audio`` is given, that file's name. Every other
path is a 404: no directory listing, no file that merely lies beside the page (the recording, the journal, the
database, anything the operator keeps there). A request whose ``Host`` header is not a loopback name is refused
with 403, so a web page elsewhere cannot reach the server through a DNS name that resolves to 127.0.0.1.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

__all__ = ["LOOPBACK_HOSTS", "serve_call_page"]

LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})

_TYPES: Final = {".html": "text/html; charset=utf-8", ".wav": "audio/wav"}


def _host_name(header: str | None) -> str | None:
    """The name part of a ``Host`` header (``localhost:8080`` → ``localhost``, ``[::1]:80`` → ``[::1]``)."""
    if not header:
        return None
    host = header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1] if end > 0 else None
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class _PageHandler(BaseHTTPRequestHandler):
    files: Mapping[str, Path] = {}
    """URL path (``/call.html``) → the file it serves: nothing else is served."""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the URLs name calls: no request log

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        if _host_name(self.headers.get("Host")) not in LOOPBACK_HOSTS:
            self.send_error(HTTPStatus.FORBIDDEN, "only loopback host names are served")
            return
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        target = self.files.get(path)
        if target is None or not target.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        data = target.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", _TYPES.get(target.suffix.lower(), "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextmanager
def serve_call_page(
    page: str | Path, *, audio: str | Path | None = None, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve ``page`` (and ``audio``, the WAV an unredacted page links beside it) on ``host`` (loopback by
    default) while the block runs; yields the page's URL. Nothing else is served."""
    path = Path(page).resolve()
    files = {"/" + path.name: path}
    if audio is not None:
        audio_path = Path(audio).resolve()
        files["/" + audio_path.name] = audio_path
    handler = type("CallPageHandler", (_PageHandler,), {"files": files})
    server = ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, name="sidecar-call-page", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/{urllib.parse.quote(path.name)}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
