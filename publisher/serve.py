"""`publisher serve`: build, serve on loopback, rebuild on change and reload the open page.

A content error does not stop the server: the last good site stays up, the error is printed in
the terminal and shown over the open page until the content is fixed.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from publisher.build import BuildConfig, build_site
from publisher.clock import Clock, wall_clock
from publisher.errors import ContentError, PublisherError
from publisher.load.stamp import inputs_snapshot
from publisher.reporter import Reporter

STATUS_PATH = "/__publisher__/status"
_RELOAD = b"""<script>
(function () {
  var seen = null;
  function show(error) {
    var box = document.getElementById("publisher-error");
    if (!error) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "publisher-error";
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;" +
        "margin:0;padding:1em;background:#fff0f0;color:#900;border-top:3px solid #900;z-index:9";
      document.body.appendChild(box);
    }
    box.textContent = error;
  }
  function poll() {
    fetch("/__publisher__/status").then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version; show(s.error);
    }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>
"""


@dataclass
class ServeState:
    """What the page polls: the build's version (bumped on success) and the current error."""

    version: int = 0
    error: str = ""
    due: datetime | None = None  # when a scheduled release comes due: build again then
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        """The state as the JSON the reload script reads."""
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}).encode()


def serve(config: BuildConfig, port: int, reporter: Reporter, ready: Callable[[str], None]) -> None:
    """Build, serve `config.out` on 127.0.0.1:`port` until interrupted, rebuild on change."""
    state = ServeState()
    rebuild(config, state, reporter)
    handler = functools.partial(_Handler, state, directory=str(config.out))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        watcher = threading.Thread(
            target=watch, args=(config, state, reporter), daemon=True, name="publisher-watch"
        )
        watcher.start()
        ready(f"http://127.0.0.1:{httpd.server_address[1]}/")
        httpd.serve_forever()


def rebuild(
    config: BuildConfig, state: ServeState, reporter: Reporter, clock: Clock = wall_clock
) -> None:
    """Build once; record success (new version) or the error, never raise."""
    with state.lock:
        state.due = None  # a failed build waits for a change of the inputs
    try:
        result = build_site(config, reporter, clock)
    except ContentError as exc:
        message = "\n".join(str(p) for p in exc.problems)
        reporter.warn(f"build failed; still serving the last good site:\n{message}")
        with state.lock:
            state.error = message
        return
    except PublisherError as exc:
        reporter.warn(f"build failed: {exc}")
        with state.lock:
            state.error = str(exc)
        return
    except Exception as exc:  # a bug must not stop the watcher: say it, keep serving
        message = f"internal error, a bug in publisher: {type(exc).__name__}: {exc}"
        reporter.warn(message)
        with state.lock:
            state.error = message
        return
    with state.lock:
        state.version += 1
        state.error = ""
        state.due = result.due
    reporter.info(
        f"rebuilt: {result.written} files written, {result.files - result.written} unchanged"
    )


def watch(
    config: BuildConfig,
    state: ServeState,
    reporter: Reporter,
    interval: float = 0.4,
    clock: Clock = wall_clock,
    stop: threading.Event | None = None,
) -> None:
    """Poll the content and templates folders; rebuild whenever a file changes, and when a
    scheduled release comes due; until `stop` is set."""
    stop = stop or threading.Event()
    last = inputs_snapshot(config.inputs, config.caches)
    while not stop.wait(interval):
        current = inputs_snapshot(config.inputs, config.caches)
        with state.lock:
            due = state.due is not None and clock() >= state.due
        if current != last or due:
            last = current
            rebuild(config, state, reporter, clock)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; answers the status poll; adds the reload script to HTML pages."""

    def __init__(self, state: ServeState, *args: object, **kwargs: object) -> None:
        self.state = state
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        asked = urlsplit(self.path).path
        if asked == STATUS_PATH:
            self._send(self.state.as_json(), "application/json")
            return
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if path.is_dir() else path
        if page.suffix == ".html" and page.is_file() and (asked.endswith("/") or not path.is_dir()):
            html = page.read_bytes().replace(b"</body>", _RELOAD + b"</body>", 1)
            self._send(html, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass
