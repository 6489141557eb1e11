"""Live preview: build, serve on loopback, watch the sources, rebuild what changed, reload the browser.

The reload script is added to pages as they are served, never written into the site. A request
that arrives during a rebuild waits for it. A rebuild that fails keeps the last good site and shows
the errors over the page and in the terminal; the next good save takes them away.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
import time
import traceback
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from .cache import file_signature
from .config import ConfigError, load_config
from .errors import BuildError
from .pipeline import IncrementalBuilder
from .search import SearchIndexError, build_index
from .write import OutputError

RELOAD_PATH = "/__livereload"
INDEX_DELAY = 1.0  # seconds of quiet before the search index is refreshed
KEEPALIVE = 15.0
NO_SITE_PAGE = (b'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Nog geen site</title></head>'
                b"<body><main><h1>Nog geen site</h1><p>De eerste build is mislukt; zie de fouten.</p></main></body></html>")

RELOAD_SCRIPT = """<script>
(function () {
  "use strict";
  var generation = %(generation)d;
  var overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "kamerarchief-fouten";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;padding:1rem 1.5rem;" +
        "font:14px/1.5 ui-monospace,monospace;box-shadow:0 2px 12px rgba(0,0,0,.3)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "De laatste wijziging bevat fouten; u ziet de laatste goede versie.";
    overlay.appendChild(title);
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0";
    list.textContent = errors.join("\\n");
    overlay.appendChild(list);
  }
  var source = new EventSource("%(path)s");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) { show(state.errors); return; }
    if (state.generation !== generation) { window.location.reload(); return; }
    if (overlay) { overlay.remove(); overlay = null; }
  });
})();
</script>
"""


@dataclass
class PreviewState:
    """What every request thread needs to know, guarded by one condition variable."""

    condition: threading.Condition = field(default_factory=threading.Condition)
    building: bool = False
    generation: int = 0
    errors: list[str] = field(default_factory=list)
    closing: bool = False

    def snapshot(self) -> dict:
        return {"generation": self.generation, "errors": list(self.errors)}


class Preview:
    """The preview server's work: the first build, rebuilds after edits, and the search index."""

    def __init__(self, config_path: Path, content: Path | None, output: Path | None, say,
                 base_url: str | None = None):
        self.config_path = config_path
        self.overrides = (content, output, base_url)
        self.say = say
        self.state = PreviewState()
        self.config = load_config(config_path, *self.overrides)
        self.builder = IncrementalBuilder(self.config)
        self.indexer: _Indexer | None = None

    def first_build(self) -> None:
        """Build everything; with errors, serve whatever the output folder holds and show them."""
        try:
            report = self.builder.full_build(meanwhile=IncrementalBuilder.warm)
            self.say(f"Built {report.pages} pages in {report.total:.2f} s.")
        except BuildError as exc:
            self._failed([str(e) for e in exc.errors])
        # Its thread starts only now: while other threads run, a build uses one core (worker
        # processes are not forked then), and the first build is the one that needs them all.
        self.indexer = _Indexer(self)

    def apply(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        """Rebuild after a batch of changed files; never raises."""
        content, templates, static, config = self._classify(changes)
        if not (content or templates or static or config):
            return
        with self.state.condition:
            self.state.building = True
        try:
            if config or self.builder.result is None:
                self.config = load_config(self.config_path, *self.overrides)
                self.builder = IncrementalBuilder(self.config)
                report = self.builder.full_build(meanwhile=IncrementalBuilder.warm)
                self._succeeded(f"Rebuilt everything ({report.pages} pages) in {report.total:.2f} s.")
            else:
                update = self.builder.update(content, templates, static)
                written = len(update.written) + len(update.removed) + len(update.static)
                self._succeeded(f"Rebuilt in {update.seconds * 1000:.0f} ms: {update.rendered} pages rendered, "
                                f"{written} files changed.", changed=update.changed)
                if update.written or update.removed:
                    self.indexer.schedule()
        except (BuildError, ConfigError) as exc:
            self._failed([str(e) for e in exc.errors])
        except OutputError as exc:
            self._failed([f"{self.config_path.name}:1: {exc}"])
        except Exception as exc:  # the server outlives any error; show it where the editor looks
            traceback.print_exc()
            self._failed([f"{self.config_path.name}:1: internal error while rebuilding: {exc!r}"])
        finally:
            with self.state.condition:
                self.state.building = False
                self.state.condition.notify_all()

    def _classify(self, changes) -> tuple[set[Path], set[str], set[Path], bool]:
        content, templates, static, config = set(), set(), set(), False
        for _, name in changes:
            path = Path(name)
            if path == self.config_path.resolve():
                config = True
            elif path.is_relative_to(self.config.content):
                content.add(path)
            elif path.is_relative_to(self.config.templates):
                templates.add(path.relative_to(self.config.templates).as_posix())
            elif path.is_relative_to(self.config.static):
                static.add(path)
        return content, templates, static, config

    def _succeeded(self, message: str, changed: bool = True) -> None:
        with self.state.condition:
            had_errors = bool(self.state.errors)
            self.state.errors = []
            if changed or had_errors:
                self.state.generation += 1
        self.say(message, flush=True)

    def _failed(self, errors: list[str]) -> None:
        with self.state.condition:
            self.state.errors = errors
        count = len(errors)
        self.say("\n".join(errors) + f"\n{count} error{'s' if count != 1 else ''}; still serving the last good site.",
                 flush=True)

    def watch(self, stop: threading.Event) -> None:
        """Watch the sources until `stop` is set, applying each batch of changes.

        The content, template and static folders are watched; config.yaml is checked on each quiet
        half second, since watching its folder would mean watching the whole project. After a
        config change the watch starts again on the folders the new config names.
        """
        catch_up = False
        while not stop.is_set():
            folders = (self.config.content, self.config.templates, self.config.static)
            config_seen = file_signature(self.config_path)
            for changes in watchfiles.watch(*[p for p in folders if p.exists()], stop_event=stop, debounce=40,
                                            step=10, rust_timeout=500, yield_on_timeout=True,
                                            raise_interrupt=False):
                if catch_up:
                    # The new folders are watched from here on; what changed in them before that
                    # is caught by building everything once more.
                    catch_up = False
                    changes = {*changes, (watchfiles.Change.modified, str(self.config_path.resolve()))}
                if file_signature(self.config_path) != config_seen:
                    config_seen = file_signature(self.config_path)
                    changes = {*changes, (watchfiles.Change.modified, str(self.config_path.resolve()))}
                if changes:
                    self.apply(changes)
                if (self.config.content, self.config.templates, self.config.static) != folders:
                    catch_up = True
                    break  # the config moved a folder: watch the new ones


class _Indexer:
    """Refreshes the Pagefind index in the background, once edits have paused for a moment."""

    def __init__(self, preview: Preview):
        self.preview = preview
        self.due: float | None = None
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self.thread.start()

    def schedule(self) -> None:
        self.due = time.monotonic() + INDEX_DELAY
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            while self.due is not None and time.monotonic() < self.due:
                time.sleep(max(0.0, self.due - time.monotonic()))
            self.due = None
            try:
                self._reindex()
            except (OSError, SearchIndexError) as exc:
                self.preview.say(f"Search index not refreshed: {exc}", flush=True)

    def _reindex(self) -> None:
        output = self.preview.config.output
        fresh = output.parent / f".{output.name}.pagefind-new"
        shutil.rmtree(fresh, ignore_errors=True)
        # Read once no rebuild runs (so that it names the pages on disk), before indexing: pages
        # edited meanwhile give another id, so a later build knows this index is not theirs.
        with self.preview.state.condition:
            while self.preview.state.building:
                self.preview.state.condition.wait()
            site_id = self.preview.builder.site_id
            digests = dict(self.preview.builder.digests)
        # Only the bundles whose pages changed are indexed again; the others are linked.
        live_index = output / "pagefind"
        build_index(output, site_id, digests, self.preview.config.search_bundle_pages,
                    live_index if live_index.is_dir() else None, index_dir=fresh)
        retired = output.parent / f".{output.name}.pagefind-old"
        state = self.preview.state
        with state.condition:
            while state.building:
                state.condition.wait()
            shutil.rmtree(retired, ignore_errors=True)
            if (output / "pagefind").exists():
                os.rename(output / "pagefind", retired)
            os.rename(fresh, output / "pagefind")
        shutil.rmtree(retired, ignore_errors=True)
        self.preview.say("Search index refreshed.", flush=True)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder only, with the reload script added to HTML as it is sent."""

    preview: Preview  # set on the subclass made for each server

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def do_GET(self):
        if urllib.parse.urlsplit(self.path).path == RELOAD_PATH:
            self._events()
            return
        self._send(head=False)

    def do_HEAD(self):
        self._send(head=True)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _send(self, head: bool) -> None:
        state = self.preview.state
        with state.condition:
            while state.building and not state.closing:
                state.condition.wait()
            generation = state.generation
        root = self.preview.config.output.resolve()
        # Built for a base path (/archief), the site is served under it, as it will be published;
        # any other address, the preview's "/" first, leads there.
        site_path = within_base_path(self.path, self.preview.config.base_path)
        if site_path is None:
            self._redirect(self.preview.config.base_path + urllib.parse.urlsplit(self.path).path)
            return
        path = Path(self.translate_path(site_path))
        if path.is_dir():
            if not urllib.parse.urlsplit(self.path).path.endswith("/"):
                self._redirect(urllib.parse.urlsplit(self.path).path + "/")
                return
            path = path / "index.html"
        status = 200
        real = path.resolve()
        if not real.is_relative_to(root) or not real.is_file():
            status, real = 404, root / "404.html"
        try:
            body = real.read_bytes()
        except OSError:
            # No site has been built yet (the first build failed): a bare page that shows the errors.
            body = NO_SITE_PAGE
            real = root / "404.html"
        content_type = self.guess_type(str(real))
        if real.suffix == ".html":
            body = inject_reload_script(body, generation)
            content_type = "text/html; charset=utf-8"
        elif real.suffix == ".csv":
            content_type = "text/csv; charset=utf-8"  # the data tables; text/csv alone means ASCII
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state now, then each time it changes."""
        state = self.preview.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            while True:
                with state.condition:
                    while not state.closing and (state.building or state.snapshot() == seen):
                        if not state.condition.wait(KEEPALIVE):
                            break
                    if state.closing:
                        return
                    current = state.snapshot()
                if current != seen:
                    self.wfile.write(f"event: state\ndata: {json.dumps(current)}\n\n".encode())
                    seen = current
                else:
                    self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def within_base_path(request_path: str, base_path: str) -> str | None:
    """The site path a request asks for ('/archief/verslagen/?q=x' -> '/verslagen/?q=x' under
    base path '/archief'), or None when it lies outside the base path."""
    if not base_path:
        return request_path
    path = urllib.parse.urlsplit(request_path).path
    if path == base_path:
        return "/"  # a folder without its slash: redirected to '/archief/' by the caller
    if not path.startswith(base_path + "/"):
        return None
    return request_path[len(base_path):]


def inject_reload_script(html: bytes, generation: int) -> bytes:
    """Add the live-reload script before </body>; only pages served in preview get it."""
    script = (RELOAD_SCRIPT % {"generation": generation, "path": RELOAD_PATH}).encode()
    index = html.rfind(b"</body>")
    return html[:index] + script + html[index:] if index >= 0 else html + script


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the preview; port 0 picks a free port."""
    handler = type("Handler", (PreviewHandler,), {"preview": preview,
                                                   "__init__": _handler_init(preview.config.output)})
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def _handler_init(output: Path):
    def __init__(self, *args, **kwargs):
        PreviewHandler.__init__(self, *args, directory=str(output), **kwargs)
    return __init__


def serve(config_path: Path, content: Path | None, output: Path | None, host: str, port: int, say,
          base_url: str | None = None) -> int:
    """Build, serve and watch until Ctrl-C; `base_url` overrides the config's."""
    preview = Preview(config_path, content, output, say, base_url)
    preview.first_build()
    server = make_server(preview, host, port)
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), name="watch", daemon=True)
    watcher.start()
    say(f"Serving on http://{host}:{server.server_address[1]}{preview.config.base_path}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        say("\nStopped.", flush=True)
    finally:
        stop.set()
        with preview.state.condition:
            preview.state.closing = True
            preview.state.condition.notify_all()
        server.server_close()
        watcher.join(timeout=2)
    return 0
