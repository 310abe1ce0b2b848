"""A real HTTP server on 127.0.0.1 for the refresh tests, scripted page by page."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml


@dataclass
class Page:
    body: bytes
    content_type: str | None = "text/plain; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    failures: list[int] = field(default_factory=list)  # answered first, one per request
    length: bool = True  # send Content-Length; else the body ends when the connection closes
    delay: float = 0.0  # seconds before answering
    trickle: float = 0.0  # seconds between two bytes of the body (a slow or hostile server)
    redirect: str | None = None  # answer 302 with this Location


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append((self.path, dict(self.headers)))
        page = site.pages.get(self.path)
        if page is None:
            self.send_error(404)
            return
        time.sleep(page.delay)
        if page.failures:
            self.send_error(page.failures.pop(0))
            return
        if page.redirect:
            self.send_response(302)
            self.send_header("Location", page.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if (page.etag and self.headers.get("If-None-Match") == page.etag) or (
            page.last_modified and self.headers.get("If-Modified-Since") == page.last_modified
        ):
            self.send_response(304)
            self._validators(page)
            self.end_headers()
            return
        self.send_response(200)
        if page.content_type:
            self.send_header("Content-Type", page.content_type)
        if page.length:
            self.send_header("Content-Length", str(len(page.body)))
        self._validators(page)
        self.end_headers()
        if not page.trickle:
            self.wfile.write(page.body)
        for byte in page.body if page.trickle else b"":
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(page.trickle)

    def _validators(self, page: Page) -> None:
        if page.etag:
            self.send_header("ETag", page.etag)
        if page.last_modified:
            self.send_header("Last-Modified", page.last_modified)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    site: Site

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early (a refused oversized body, a timeout) is part of
        the tests; socketserver would print its traceback into the output under test."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Site:
    """Pages by path, and every request received (path, headers) for assertions."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def mirror(project: Path, site: Site, missing: str | None = None) -> dict[str, bytes]:
    """Serve every registered raw file from the site (with an ETag), point the registry at it.

    The ``missing`` source gets an address that answers 404. Returns the texts by source id.
    """
    path = project / "raw" / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    texts = {}
    for entry in data["sources"]:
        sid = entry["source_id"]
        texts[sid] = (project / "raw" / entry["file"]).read_bytes()
        site.pages[f"/{sid}"] = Page(texts[sid], etag=f'"{entry["sha256"][:8]}"')
        entry["url"] = site.url("/gone" if sid == missing else f"/{sid}")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return texts


def serve_html(site: Site, pages: dict[str, bytes]) -> None:
    """Serve each source's page at /<source_id> as HTML, with an ETag."""
    for sid, body in pages.items():
        site.pages[f"/{sid}"] = Page(body, "text/html; charset=utf-8", etag=f'"{sid}-1"')


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder with its sha256, to show that nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
