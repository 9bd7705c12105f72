"""`publisher serve`: build, serve on loopback, rebuild on change and reload the open page.

A content error does not stop the server: the last good site stays up, the error is printed in
the terminal and shown over the open page until the content is fixed.

The server is for one person's browser and nothing else: it listens on 127.0.0.1 and answers
only requests addressed to a loopback name (`localhost`, `127.0.0.1`, `[::1]`, with its port),
so a page elsewhere cannot read the preview by pointing its own name at 127.0.0.1 (DNS
rebinding). A fixed pool of threads serves the connections, a connection idle for longer than
`idle` seconds is closed, the listen backlog takes a browser's burst of connections, and a
request for a path that names no file (a NUL, a control character, bytes that are not UTF-8)
is answered 400.

The site is served at `/` and at its base URL's path too (`/incident/` for
`https://www.yokohama-toyopet.jp/incident/`), as it will be deployed; a path that names no file
is answered 404 with the site's own 404.html, whose links lead from that path.

`/_mail/<incident>/<date>/` shows a release's notice mail as a fixed, fictional contact gets it
(its HTML part; `…/text` its text part), rendered afresh on each request, for staff to read
before sending; no page of the built site links there.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import http.server
import json
import os
import queue
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from publisher.build import BuildConfig, BuildResult, build_site
from publisher.clock import Clock, wall_clock
from publisher.errors import ContentError, OptionError, PublisherError
from publisher.load.content import load_content
from publisher.messages import _, counted
from publisher.notify.preview import preview_bar, preview_mail
from publisher.render.theme import load_theme
from publisher.reporter import Reporter
from publisher.stamp import inputs_snapshot

STATUS_PATH = "/__publisher__/status"
HOLD = 20.0
"""Seconds a status poll that asks for news is held at most before it is answered."""
MAIL_PATH = "/_mail/"
Answer = tuple[HTTPStatus, str, bytes]
"""A status, a Content-Type and a body."""
_RELOAD = b"""<script>
(function () {
  var seen = SEEN;
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
  var after = -1;
  function poll() {
    fetch("/__publisher__/status?after=" + after).then(function (r) { return r.json(); })
    .then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      var waited = s.generation === after;  // nothing new: the server did not hold the poll
      seen = s.version; after = s.generation; show(s.error);
      setTimeout(poll, waited ? 700 : 0);
    }).catch(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>
"""


@dataclass
class ServeState:
    """What the page polls: the build's version (bumped on success) and the current error.

    The page asks with the `generation` it last saw (`?after=`), and is answered when a build
    ends (or after `HOLD` seconds): it reloads the moment the new site is in place, and no
    page polls the server many times a second."""

    version: int = 0
    error: str = ""
    generation: int = 0
    """Bumped whenever a build ends, well or not."""
    root: str = "/"
    """The path the site is deployed at (its base URL's), where it is served as well."""
    due: datetime | None = None  # when a scheduled release comes due: build again then
    lock: threading.Lock = field(default_factory=threading.Lock)
    keep: Callable[[], None] | None = None
    """What keeps the last good build's reusables on disk for the next (`BuildResult.keep`)."""
    building: threading.Lock = field(default_factory=threading.Lock)
    """Held by a build, and by keeping what it made."""
    ended: threading.Condition = field(init=False)
    """Notified when a build ends (on `lock`)."""
    held: int = field(default=0, init=False)
    """How many polls are held now."""
    closing: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.ended = threading.Condition(self.lock)

    def as_json(self) -> bytes:
        """The state as the JSON the reload script reads."""
        with self.lock:
            return self._json()

    def after(self, generation: int, hold: float, most: int) -> bytes:
        """The state once its generation is not `generation`: at once if it is not now, if
        `most` polls are held already or the server is closing, else when the next build ends
        or `hold` seconds have passed."""
        with self.lock:
            if self.generation == generation and self.held < most and not self.closing:
                self.held += 1
                try:
                    self.ended.wait_for(lambda: self.generation != generation or self.closing, hold)
                finally:
                    self.held -= 1
            return self._json()

    def end_build(self, error: str = "", result: BuildResult | None = None) -> None:
        """A build ended: with `result` the new site is in place, else it failed with
        `error`; the held polls are answered."""
        with self.lock:
            self.generation += 1
            self.error = error
            if result is not None:
                self.version += 1
                self.due = result.due
                self.root = result.root
                if result.keep is not None:
                    self.keep = result.keep
            self.ended.notify_all()

    def close(self) -> None:
        """Answer the held polls: the server is closing."""
        with self.lock:
            self.closing = True
            self.ended.notify_all()

    def _json(self) -> bytes:
        shown = {"version": self.version, "error": self.error, "generation": self.generation}
        return json.dumps(shown).encode()


def serve(config: BuildConfig, port: int, reporter: Reporter, ready: Callable[[str], None]) -> None:
    """Build, serve `config.out` on 127.0.0.1:`port` until interrupted, rebuild on change."""
    state = ServeState()
    _free(port)  # said before the first build, not after it
    before = inputs_snapshot(config.inputs, config.caches)  # a save from now on is seen
    with state.building:  # one thread yet: the first build uses both cores
        _rebuild(config, state, reporter, wall_clock, first=True)
    mail = functools.partial(mail_answer, config)
    try:
        with _listening(config.out, state, port, reporter, mail) as httpd:
            watcher = threading.Thread(  # in this context: its messages in the command's language
                target=contextvars.copy_context().run,
                args=(watch, config, state, reporter),
                kwargs={"since": before},
                daemon=True,
                name="publisher-watch",
            )
            watcher.start()
            ready(f"http://127.0.0.1:{httpd.server_address[1]}/")
            httpd.serve_forever()
    finally:
        keep_last(state)


def _free(port: int) -> None:
    """PublisherError if nothing can listen on 127.0.0.1:`port` now. The probe may bind where
    connections of a server that ended are still closing (TIME_WAIT), as the server itself may
    (http.server's allow_reuse_address), not where one listens."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise _taken(port, exc) from None


def _listening(
    out: Path, state: ServeState, port: int, reporter: Reporter, mail: Callable[[str], Answer]
) -> PreviewServer:
    """The server on 127.0.0.1:`port`; PublisherError if it cannot listen there."""
    try:
        return PreviewServer(out, state, port, reporter, mail=mail)
    except OSError as exc:  # taken since `_free` looked
        raise _taken(port, exc) from None


def _taken(port: int, error: OSError) -> PublisherError:
    said = _("cannot serve on 127.0.0.1:{port}: {error}; choose another --port")
    return PublisherError(said.format(port=port, error=error.strerror or error))


def keep_last(state: ServeState, wait: float = 30.0) -> None:
    """Keep on disk what the last good build left for the next (a `build` or `serve` after
    this one): once a build running now ends, if it ends within `wait` seconds."""
    if state.building.acquire(timeout=wait):
        try:
            if state.keep is not None:
                state.keep()
                state.keep = None
        finally:
            state.building.release()


def rebuild(
    config: BuildConfig, state: ServeState, reporter: Reporter, clock: Clock = wall_clock
) -> None:
    """Build once; record success (new version) or the error, never raise."""
    with state.building:
        _rebuild(config, state, reporter, clock)


def _rebuild(
    config: BuildConfig, state: ServeState, reporter: Reporter, clock: Clock, first: bool = False
) -> None:
    """Build once and record how it went; the `first` build raises OptionError (an --out that
    is not publisher's to replace, one over the content): nothing is served then, since what
    would be served is that folder as it is."""
    with state.lock:
        state.due = None  # a failed build waits for a change of the inputs
    try:
        build_site(config, reporter, clock, functools.partial(_built, state, reporter))
    except ContentError as exc:
        message = "\n".join(str(p) for p in exc.problems)
        said = _("build failed; still serving the last good site:\n{problems}")
        reporter.warn(said.format(problems=message))
        state.end_build(message)
    except PublisherError as exc:
        if first and isinstance(exc, OptionError):
            raise
        reporter.warn(_("build failed: {error}").format(error=exc))
        state.end_build(str(exc))
    except Exception as exc:  # a bug must not stop the watcher: say it, keep serving
        bug = _("internal error, a bug in publisher: {error}: {message}")
        message = bug.format(error=type(exc).__name__, message=exc)
        reporter.warn(message)
        state.end_build(message)


def _built(state: ServeState, reporter: Reporter, result: BuildResult) -> None:
    """The new site is in place: the open page reloads (what the next build reuses is kept
    after this)."""
    state.end_build(result=result)
    said = counted(
        result.written,
        "rebuilt: {n} file written, {unchanged} unchanged",
        "rebuilt: {n} files written, {unchanged} unchanged",
        unchanged=result.files - result.written,
    )
    reporter.info(said)


def watch(
    config: BuildConfig,
    state: ServeState,
    reporter: Reporter,
    interval: float = 0.2,
    clock: Clock = wall_clock,
    stop: threading.Event | None = None,
    since: frozenset[tuple[str, int, int, int]] | None = None,
) -> None:
    """Watch the content and templates folders; rebuild whenever a file changes (from the
    snapshot `since`, taken before the last build began, else now), and when a scheduled
    release comes due; until `stop` is set.

    The system says when a file changes (watchfiles: inotify on Linux), and the files are then
    compared with the last snapshot (an editor's save that changed nothing builds nothing).
    Every `interval` seconds the watcher wakes to see whether a release came due, and every
    `LOOK` seconds it compares the files even if told of no change (a folder replaced whole, a
    file system whose changes the system does not see). Where the system cannot tell (no
    watches left), it says so and compares them every `interval` seconds."""
    stop = stop or threading.Event()
    last = inputs_snapshot(config.inputs, config.caches) if since is None else since
    looked = -LOOK  # at once: a save since `since` is built
    built, settled = time.monotonic(), False
    for changes in _wakes(config, interval, stop, reporter):
        with state.lock:
            due = state.due is not None and clock() >= state.due
        if changes or due or time.monotonic() - looked >= LOOK:
            looked = time.monotonic()
            current = inputs_snapshot(config.inputs, config.caches)
            if current != last or due:
                last = current
                rebuild(config, state, reporter, clock)
                built, settled = time.monotonic(), False
                continue
        if not settled and time.monotonic() - built >= SETTLE:
            _settle()
            settled = True


def _settle() -> None:
    """Collect the last build's garbage, and set aside what is left (`gc.freeze`): the next
    build's collections then scan only what it makes, not the memo and pages held from one
    build to the next (a full collection of those takes a fifth of a second and holds every
    thread, at whatever moment of a build it comes). Done while nothing happens."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _wakes(
    config: BuildConfig, interval: float, stop: threading.Event, reporter: Reporter
) -> Iterator[bool]:
    """Each time the watcher wakes, at least every `interval` seconds, until `stop` is set:
    whether the system told of a change (always, once it cannot tell)."""
    import watchfiles  # here: only serve watches

    try:
        for changes in watchfiles.watch(
            *[root for root in config.inputs if root.is_dir()],
            watch_filter=_Inputs(config.caches),
            stop_event=stop,
            rust_timeout=max(1, round(interval * 1000)),
            yield_on_timeout=True,
            step=STEP_MS,
            raise_interrupt=False,
        ):
            yield bool(changes)
        return
    except (RuntimeError, OSError) as exc:  # watchfiles' own error is a RuntimeError
        said = _("cannot be told of changes to the files ({error}); comparing them every {s} s")
        reporter.warn(said.format(error=exc, s=interval))
    while not stop.wait(interval):
        yield True


LOOK = 2.0
"""Seconds between two comparisons of the files when the system told of no change."""
SETTLE = 1.0
"""Seconds without a change after a build before its garbage is collected (`_settle`)."""
STEP_MS = 30
"""Milliseconds without a further change after which a change is built (an editor's save
that writes a file in steps is built once)."""


class _Inputs:
    """Which changes the watcher is told of: none in the cache folders, which builds write."""

    def __init__(self, caches: list[Path]) -> None:
        self.caches = [os.path.realpath(folder) + os.sep for folder in caches]

    def __call__(self, change: object, path: str) -> bool:
        real = os.path.realpath(path) + os.sep
        return not any(real.startswith(folder) for folder in self.caches)


def mail_answer(config: BuildConfig, asked: str) -> Answer:
    """The answer to `/_mail/<incident>/<date>/` (the mail's HTML part, with its headers and a
    link to its text part) or `/_mail/<incident>/<date>/text`: 404 for another path, a release
    that does not exist or has no mail, 422 with the problems for mail that breaks a rule."""
    incident, _, rest = asked.removeprefix(MAIL_PATH).partition("/")
    day, _, part = rest.partition("/")
    if not incident or not day or part not in ("", "text"):
        return _plain(HTTPStatus.NOT_FOUND, "a mail preview is at /_mail/<incident>/<date>/")
    try:
        preview = preview_mail(
            load_content(config.content), f"{incident}/{day}", load_theme(config.templates)
        )
    except ContentError as exc:
        return _plain(HTTPStatus.UNPROCESSABLE_ENTITY, "\n".join(map(str, exc.problems)))
    except PublisherError as exc:
        return _plain(HTTPStatus.NOT_FOUND, str(exc))
    if part == "text":
        return HTTPStatus.OK, "text/plain; charset=utf-8", preview.text.encode()
    bar = preview_bar(preview, f"{MAIL_PATH}{incident}/{day}/text")
    html = preview.html.replace("</body>", bar + "</body>", 1).encode()
    script = _reload_script(None)
    return HTTPStatus.OK, "text/html; charset=utf-8", html.replace(b"</body>", script + b"</body>")


def _reload_script(version: int | None) -> bytes:
    """The reload script for a page of the build `version` (None: any, the first it hears)."""
    return _RELOAD.replace(b"SEEN", b"null" if version is None else str(version).encode())


def _plain(status: HTTPStatus, message: str) -> Answer:
    return status, "text/plain; charset=utf-8", (message + "\n").encode()


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def host_refusal(hosts: list[str], port: int) -> HTTPStatus | None:
    """Why a request with these Host headers is refused: 400 for none or several, 421 for a
    name that is not loopback's or a port that is not the server's; None if it is served."""
    if len(hosts) != 1:
        return HTTPStatus.BAD_REQUEST
    name, given = hosts[0].strip().lower(), ""
    if not name.endswith("]") and ":" in name:
        name, _, given = name.rpartition(":")
    if name not in LOOPBACK_NAMES or given not in ("", str(port)):
        return HTTPStatus.MISDIRECTED_REQUEST
    return None


def malformed(target: str) -> bool:
    """Whether a request target names no file: not a path from the root, not printable ASCII,
    or a path that, decoded, is not UTF-8 or holds a control character."""
    if not target.startswith("/") or not all("!" <= c <= "~" for c in target):
        return True
    path = target.split("?", 1)[0].split("#", 1)[0]
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any(c < " " or "\x7f" <= c <= "\x9f" for c in decoded)


class PreviewServer(http.server.HTTPServer):
    """Serves `out` on 127.0.0.1:`port` with `workers` threads; up to `waiting` connections
    wait for one (more are answered 503), and one idle for `idle` seconds is closed; `mail`
    answers the mail previews under /_mail/ (None: there are none)."""

    request_queue_size = 128  # the listen backlog: socketserver's 5 drops a browser's burst

    def __init__(
        self,
        out: Path,
        state: ServeState,
        port: int,
        reporter: Reporter,
        *,
        workers: int = 16,
        waiting: int = 64,
        idle: float = 10.0,
        mail: Callable[[str], Answer] | None = None,
    ) -> None:
        self.idle = idle
        self.mail = mail
        self.reporter = reporter
        self.state = state
        self.pool = workers
        self._waiting: queue.Queue[tuple[socket.socket, Any] | None] = queue.Queue(waiting)
        self._serving: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []  # none yet, if listening fails
        handler = functools.partial(_Handler, state, directory=str(out))
        super().__init__(("127.0.0.1", port), handler)
        self._workers = [
            threading.Thread(target=self._work, daemon=True, name=f"publisher-serve-{n}")
            for n in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to the pool, or refuse it if too many are waiting."""
        try:
            self._waiting.put_nowait((request, client_address))
        except queue.Full:
            _refuse(request)
            self.shutdown_request(request)

    def _work(self) -> None:
        while (item := self._waiting.get()) is not None:
            request, client_address = item
            with self._lock:
                self._serving.add(request)
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                with self._lock:
                    self._serving.discard(request)
                self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone or too slow is no news; anything else is a bug, said in one line."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            said = _("internal error in the preview server: {error}")
            self.reporter.warn(said.format(error=repr(error)))

    def server_close(self) -> None:
        """Stop listening, answer the held polls, close every connection, and end the pool's
        threads."""
        self.state.close()
        super().server_close()
        with contextlib.suppress(queue.Empty):
            while True:
                item = self._waiting.get_nowait()
                if item is not None:
                    self.shutdown_request(item[0])
        with self._lock:
            for connection in self._serving:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        for _worker in self._workers:
            self._waiting.put(None)
        for worker in self._workers:
            worker.join(timeout=5)


def _refuse(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.setblocking(False)
        connection.send(
            b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\n"
            b"Content-Length: 0\r\nConnection: close\r\n\r\n"
        )


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; answers the status poll; adds the reload script to HTML pages."""

    server: PreviewServer

    def __init__(self, state: ServeState, *args: object, **kwargs: object) -> None:
        self.state = state
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle)  # for each read and write

    def parse_request(self) -> bool:
        """The request line and headers, refused (and answered) unless the Host is loopback's
        and the path well-formed."""
        if not super().parse_request():
            return False
        refusal = host_refusal(self.headers.get_all("Host") or [], self.server.server_port)
        if refusal is not None:
            self.send_error(refusal, explain="This server answers to localhost only.")
            return False
        if malformed(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, explain="The path names no file.")
            return False
        return True

    def do_GET(self) -> None:
        asked = self.path.split("?", 1)[0].split("#", 1)[0]
        if asked == STATUS_PATH:
            self._send(self._status(), "application/json")
            return
        if asked.startswith(MAIL_PATH) and self.server.mail is not None:
            status, kind, body = self.server.mail(unquote_to_bytes(asked).decode("utf-8"))
            self._send(body, kind, status)
            return
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if path.is_dir() else path
        if page.suffix == ".html" and page.is_file() and (asked.endswith("/") or not path.is_dir()):
            try:
                html = self._with_reload(page)
            except OSError:  # gone with a rebuild since it was looked at
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send(html, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _with_reload(self, page: Path) -> bytes:
        """The page with the reload script, which knows the build the page is of (asked before
        the page is read: a page read during a build is reloaded once the build ends)."""
        with self.state.lock:
            version = self.state.version
        return page.read_bytes().replace(b"</body>", _reload_script(version) + b"</body>", 1)

    def _status(self) -> bytes:
        """The state; with `?after=<generation>`, once a build has ended since that one (a
        poll held at most HOLD seconds, and at most half the pool's threads hold one)."""
        query = urllib.parse.parse_qs(self.path.partition("?")[2])
        try:
            after = int(query.get("after", [""])[0])
        except ValueError:
            return self.state.as_json()
        return self.state.after(after, HOLD, max(1, self.server.pool // 2))

    def translate_path(self, path: str) -> str:
        """The file `path` names, under the site's deployed root path as under `/`."""
        with self.state.lock:
            root = self.state.root
        if root != "/" and (path + "/").startswith(root):
            path = "/" + path[len(root) :]
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors as the standard library says them, but a missing file: the site's 404.html."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        try:
            html = self._with_reload(page)
        except OSError:  # gone with a rebuild since it was looked at
            super().send_error(code, message, explain)
            return
        self._send(html, "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass
