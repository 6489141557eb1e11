"""Preview server: builds the site, then serves the output folder on loopback."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files under the site folder only; the standard handler already refuses '..'."""

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def make_server(site_dir: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for `site_dir`; port 0 picks a free port."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    return http.server.ThreadingHTTPServer((host, port), handler)
