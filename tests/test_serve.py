"""`publisher serve` as a user runs it (a real process on loopback, edited content, a bad file),
and its server as a browser or an attacker meets it: real sockets on 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from publisher.build import BuildConfig, BuildResult
from publisher.reporter import NullReporter, RecordingReporter, Reporter
from publisher.serve import PreviewServer, ServeState, rebuild, watch
from publisher.stamp import inputs_snapshot
from tests.conftest import RELEASE as RELEASE_TEXT
from tests.conftest import REPO, THEME, MakeTree

RELEASE = "content/incidents/emotet-2020/releases/2020-08-05.yaml"
INCIDENT = "content/incidents/emotet-2020/incident.yaml"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(THEME, tmp_path / "templates")
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    url = ""
    for line in process.stdout:
        if line.startswith("serving "):
            url = line.split()[1]
            break
    try:
        assert url.startswith("http://127.0.0.1:")
        yield url, tmp_path
        assert process.poll() is None, "the server stopped"
    finally:
        process.kill()
        process.communicate(timeout=10)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _status(url: str) -> dict[str, object]:
    return json.loads(_get(url + "__publisher__/status"))  # type: ignore[no-any-return]


def _wait_for(url: str, predicate: object, seconds: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _status(url)
        if predicate(status):  # type: ignore[operator]
            return status
        time.sleep(0.2)
    raise AssertionError(f"status never matched: {_status(url)}")


def test_serve_rebuilds_on_change_and_survives_a_broken_file(served: tuple[str, Path]) -> None:
    url, root = served
    page = _get(url + "emotet-2020/2020-08-05/")
    assert "/__publisher__/status" in page and "簡易調査の結果" in page
    assert "/__publisher__/status" in _get(url + "emotet-2020/2020-08-05/?utm=x")
    assert _status(url) == {"version": 1, "error": "", "generation": 1}

    release = root / RELEASE
    release.write_text(release.read_text().replace("簡易調査の結果", "簡易調査の結果概要"))
    _wait_for(url, lambda s: s["version"] == 2)
    assert "簡易調査の結果概要" in _get(url + "emotet-2020/2020-08-05/")

    incident = root / INCIDENT
    good = incident.read_text()
    incident.write_text(good.replace("category: malware", "category: virus"))
    status = _wait_for(url, lambda s: s["error"])
    assert str(status["error"]).startswith(INCIDENT + ":5:11: ")
    assert "category: expected one of" in str(status["error"])
    assert "簡易調査の結果概要" in _get(url + "emotet-2020/2020-08-05/")

    incident.write_text(good)
    assert _wait_for(url, lambda s: s["version"] == 3)["error"] == ""


def _fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_serve_shows_a_release_mail_for_a_sample_contact(served: tuple[str, Path]) -> None:
    url, root = served
    page = "https://www.yokohama-toyopet.jp/incident/emotet-2020/2020-11-14/"
    status, kind, html = _fetch(url + "_mail/emotet-2020/2020-11-14/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert ">山田 太郎 様</p>" in html and "max-width:600px" in html
    assert f'<a href="{page}"' in html and ".pdf" not in html
    assert "Reply-To: info@yokohama-toyopet.jp" in html and "yamada.taro@example.jp" in html
    assert '<a href="/_mail/emotet-2020/2020-11-14/text">' in html
    status, kind, text = _fetch(url + "_mail/emotet-2020/2020-11-14/text")
    assert (status, kind) == (200, "text/plain; charset=utf-8")
    assert text.startswith("山田 太郎 様\n\n横浜トヨペット株式会社でございます。") and page in text
    assert _fetch(url + "_mail/emotet-2020/2020-08-05/")[0] == 404  # a release without a mail
    assert _fetch(url + "_mail/emotet-2020/2099-01-01/")[0] == 404
    assert _fetch(url + "_mail/emotet-2020/2020-11-14/pdf")[0] == 404
    built = "".join(p.read_text("utf-8") for p in (root / ".preview").rglob("*.html"))
    assert "/_mail/" not in built and "yamada.taro" not in built

    templates = root / "templates" / "mail" / "notice.ja.txt"
    templates.write_text(templates.read_text("utf-8") + "https://evil.example/\n", "utf-8")
    status, _, problems = _fetch(url + "_mail/emotet-2020/2020-11-14/text")
    assert status == 422
    assert "https://evil.example/ is not https://www.yokohama-toyopet.jp/" in problems


def test_serve_builds_again_when_a_scheduled_release_comes_due(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    scheduled = RELEASE_TEXT.replace("2020-08-05", "2020-09-01") + (
        "publish_at: 2020-09-01T10:00+09:00\n"
    )
    root = make_tree({"incidents/test/releases/2020-09-01.yaml": scheduled})
    out = tmp_path / "preview"
    config = BuildConfig(root, REPO / "templates", out)
    now = [datetime.fromisoformat("2020-09-01T09:59+09:00")]
    state = ServeState()
    rebuild(config, state, NullReporter(), lambda: now[0])
    assert not (out / "test/2020-09-01").exists()
    with _watching(config, state, NullReporter(), lambda: now[0]):
        time.sleep(0.3)
        assert state.version == 1  # nothing changed, nothing due: no build
        now[0] = datetime.fromisoformat("2020-09-01T10:00+09:00")
        _until(lambda: state.version >= 2, "the due release was never built")
        assert (out / "test/2020-09-01/index.html").is_file() and state.due is None


def _until(done: Callable[[], object], what: str, seconds: float = 20) -> None:
    """Wait until `done()` is true; fail saying `what` never happened."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


@contextlib.contextmanager
def _watching(
    config: BuildConfig, state: ServeState, reporter: Reporter, *args: object, **kwargs: object
) -> Iterator[None]:
    """serve's watcher, every 0.05 s, in a thread for as long as the block runs."""
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch, args=(config, state, reporter, 0.05, *args), kwargs={**kwargs, "stop": stop}
    )
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_a_save_during_the_first_build_is_built_too(make_tree: MakeTree, tmp_path: Path) -> None:
    """serve takes its snapshot before the first build: a file saved while that build ran, or
    before the watcher's first look, is not taken for the state that build saw."""
    root = make_tree({})
    config = BuildConfig(root, REPO / "templates", tmp_path / "preview")
    before = inputs_snapshot(config.inputs, config.caches)
    state = ServeState()
    rebuild(config, state, NullReporter())
    release = root / "incidents/test/releases/2020-08-05.yaml"
    release.write_text(release.read_text().replace("title: Notice", "title: A notice"))
    with _watching(config, state, NullReporter(), since=before):  # after the save
        _until(lambda: state.version >= 2, "the save was never built")


# --- the server itself: real sockets on 127.0.0.1, a server thread in this process ---


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    return out


@contextlib.contextmanager
def _running(server: PreviewServer) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _answer(port: int, request: bytes, seconds: float = 5) -> bytes:
    """Everything the server says to `request` on a new connection, until it closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as client:
        client.sendall(request)
        return _read_all(client)


def _read_all(client: socket.socket) -> bytes:
    received = b""
    while chunk := client.recv(65536):
        received += chunk
    return received


def _code(answer: bytes) -> int | None:
    """The status code of an HTTP answer; None if the connection was dropped without one."""
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None


def _request(target: bytes, host: bytes | None) -> bytes:
    header = b"" if host is None else b"Host: " + host + b"\r\n"
    return b"GET " + target + b" HTTP/1.1\r\n" + header + b"Connection: close\r\n\r\n"


HOSTS = [
    (b"127.0.0.1:{port}", 200),
    (b"localhost:{port}", 200),
    (b"[::1]:{port}", 200),
    (b"localhost", 200),
    (b"LocalHost:{port}", 200),
    (b"evil.example", 421),
    (b"evil.example:{port}", 421),
    (b"127.0.0.1.evil.example:{port}", 421),
    (b"localhost.evil.example:{port}", 421),
    (b"localhost:1", 421),
    (b"127.0.0.2:{port}", 421),
    (b"[::1]", 200),
    (b"::1", 421),
    (b"", 421),
]


@pytest.mark.parametrize(("host", "status"), HOSTS)
def test_only_requests_to_a_loopback_name_are_served(
    site: Path, host: bytes, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with _running(PreviewServer(site, ServeState(), 0, NullReporter())) as port:
        answer = _answer(port, _request(b"/index.html", host.replace(b"{port}", b"%d" % port)))
    assert _code(answer) == status
    assert (b"home" in answer) == (status == 200)
    assert capsys.readouterr().err == ""


def test_a_request_without_a_host_or_with_two_is_refused(site: Path) -> None:
    with _running(PreviewServer(site, ServeState(), 0, NullReporter())) as port:
        without = _answer(port, b"GET /index.html HTTP/1.0\r\n\r\n")
        host = b"Host: 127.0.0.1:%d\r\n" % port
        twice = _answer(port, b"GET /index.html HTTP/1.1\r\n" + host + host + b"\r\n")
    assert (_code(without), _code(twice)) == (400, 400)


PATHS = [
    (b"GET", b"/x%00.html", 400),
    (b"HEAD", b"/x%00.html", 400),
    (b"GET", b"/%00", 400),
    (b"GET", b"/a%0d%0aSet-Cookie:%20x=1", 400),
    (b"GET", b"/%7f.html", 400),
    (b"GET", b"/%c2%85.html", 400),  # U+0085, a C1 control
    (b"GET", b"/%ff.html", 400),  # not UTF-8
    (b"GET", b"/caf\xc3\xa9.html", 400),  # not percent-encoded
    (b"GET", b"index.html", 400),
    (b"GET", b"http://evil.example/index.html", 400),
    (b"GET", b"/missing.html", 404),
    (b"GET", b"/%E3%81%82.html", 404),  # well-formed, just missing
    (b"GET", b"/index.html?q=%00", 200),  # the query names no file
    (b"GET", b"/%69ndex.html", 200),
]


@pytest.mark.parametrize(("method", "target", "status"), PATHS)
def test_a_malformed_path_is_answered_400_without_a_traceback(
    site: Path, method: bytes, target: bytes, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with _running(PreviewServer(site, ServeState(), 0, NullReporter())) as port:
        request = _request(target, b"127.0.0.1:%d" % port).replace(b"GET", method, 1)
        answer = _answer(port, request)
    assert _code(answer) == status
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("sent", [b"", b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1"])
def test_an_idle_connection_is_closed(site: Path, sent: bytes) -> None:
    with _running(PreviewServer(site, ServeState(), 0, NullReporter(), idle=0.3)) as port:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(sent)
            assert client.recv(65536) == b""  # closed by the server, nothing said
        assert time.monotonic() - started < 3


def test_idle_connections_hold_a_bounded_pool_and_the_server_still_answers(site: Path) -> None:
    before = threading.active_count()
    server = PreviewServer(site, ServeState(), 0, NullReporter(), workers=4, waiting=8, idle=0.3)
    with _running(server) as port:
        clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(300)]
        try:
            time.sleep(0.2)
            assert threading.active_count() <= before + 4 + 1  # the pool and serve_forever
            answers = [_read_all(client) for client in clients]  # each ends, 503 or closed
        finally:
            for client in clients:
                client.close()
        assert {_code(a) for a in answers} <= {503, None}
        assert threading.active_count() <= before + 4 + 1
        assert _code(_answer(port, _request(b"/index.html", b"localhost:%d" % port))) == 200


def test_a_burst_of_connections_waits_in_the_backlog_instead_of_being_dropped(
    site: Path,
) -> None:
    server = PreviewServer(site, ServeState(), 0, NullReporter())
    port = server.server_port
    clients = []
    try:
        for _ in range(50):  # before the server accepts any: only the backlog holds them
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=0.5))
    finally:
        with _running(server):
            for client in clients:
                client.settimeout(10)
                client.sendall(_request(b"/index.html", b"127.0.0.1:%d" % port))
            answers = [_read_all(client) for client in clients]
            for client in clients:
                client.close()
    assert [_code(a) for a in answers] == [200] * 50


# --- the status the open page asks for ---


def _poll(port: int, after: int | str) -> threading.Thread:
    """A status request with `?after=`, in a thread; its answer in `thread.answer` (None if
    the server closed the connection)."""

    def ask() -> None:
        url = f"http://127.0.0.1:{port}/__publisher__/status?after={after}"
        try:
            thread.answer = json.loads(_get(url))  # type: ignore[attr-defined]
        except (OSError, http.client.HTTPException):  # the server closed meanwhile
            thread.answer = None  # type: ignore[attr-defined]

    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def test_the_status_is_held_until_a_build_ends_and_given_at_once_if_one_has(site: Path) -> None:
    state = ServeState()
    with _running(PreviewServer(site, state, 0, NullReporter())) as port:
        assert json.loads(_get(f"http://127.0.0.1:{port}/__publisher__/status?after=-1")) == {
            "version": 0, "error": "", "generation": 0,
        }  # fmt: skip
        held = _poll(port, 0)
        held.join(timeout=0.5)
        assert held.is_alive()  # nothing new: the answer waits
        state.end_build("content/site.yaml:1:1: error: schema: ...")
        held.join(timeout=5)
        assert held.answer == {  # type: ignore[attr-defined]
            "version": 0, "error": "content/site.yaml:1:1: error: schema: ...", "generation": 1,
        }  # fmt: skip
        stale = _poll(port, 0)  # asked with a generation already past: at once
        stale.join(timeout=5)
        assert not stale.is_alive()
        assert _status(f"http://127.0.0.1:{port}/")["generation"] == 1


def test_held_status_requests_leave_threads_to_serve_pages_and_end_with_the_server(
    site: Path,
) -> None:
    state = ServeState()
    server = PreviewServer(site, state, 0, NullReporter(), workers=4)
    with _running(server) as port:
        held = [_poll(port, 0) for _ in range(2)]  # half the pool holds at most
        _until(lambda: state.held >= 2, "the polls were not held")
        extra = _poll(port, 0)  # the pool holds no more: answered at once
        extra.join(timeout=5)
        assert not extra.is_alive() and extra.answer["generation"] == 0  # type: ignore[attr-defined]
        assert "home" in _get(f"http://127.0.0.1:{port}/index.html")
    for thread in held:  # the server closed: every held poll was answered
        thread.join(timeout=5)
        assert not thread.is_alive()


def test_the_open_page_shows_a_failed_build_and_reloads_the_moment_one_succeeds(
    site: Path, browser: Browser
) -> None:
    state = ServeState()
    with _running(PreviewServer(site, state, 0, NullReporter())) as port:
        page = browser.new_page()
        try:
            page.goto(f"http://127.0.0.1:{port}/index.html")
            page.evaluate("window.before = true")
            _until(lambda: state.held >= 1, "the page's status request was not held")
            state.end_build("content/site.yaml:3:1: error: schema: name: expected text")
            error = page.wait_for_selector("#publisher-error", timeout=5000)
            assert error is not None and "expected text" in error.inner_text()
            assert page.evaluate("window.before") is True  # shown over the page, not reloaded
            _until(lambda: state.held >= 1, "the page's status request was not held")
            state.end_build(result=BuildResult(releases=0, files=1))
            page.wait_for_function("window.before === undefined", timeout=5000)  # reloaded
            assert page.query_selector("#publisher-error") is None
        finally:
            page.close()


def test_where_the_system_cannot_tell_of_changes_the_files_are_compared(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchfiles

    def refused(*args: object, **kwargs: object) -> Iterator[object]:
        raise OSError(24, "Too many open files")
        yield  # a generator, as watchfiles.watch is

    monkeypatch.setattr(watchfiles, "watch", refused)
    root = make_tree({})
    config = BuildConfig(root, REPO / "templates", tmp_path / "preview")
    state, reporter = ServeState(), RecordingReporter()
    rebuild(config, state, reporter)
    with _watching(config, state, reporter):
        said = lambda: any("cannot be told of changes" in m for m in reporter.messages)  # noqa: E731
        _until(said, "the watcher said nothing")
        release = root / "incidents/test/releases/2020-08-05.yaml"
        release.write_text(release.read_text().replace("title: Notice", "title: A notice"))
        _until(lambda: state.version >= 2, "the save was never built")


def test_a_page_knows_the_build_it_is_of(site: Path) -> None:
    """A page read during a build (from a folder half updated) is reloaded once the build ends:
    its script compares the build it came with, not the first it hears of."""
    state = ServeState()
    state.end_build(result=BuildResult(releases=0, files=1))
    with _running(PreviewServer(site, state, 0, NullReporter())) as port:
        assert "var seen = 1;" in _get(f"http://127.0.0.1:{port}/index.html")
