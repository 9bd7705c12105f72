"""`serve`'s preview: its folder updated file by file, what the next build reuses kept in memory
and on disk when serve stops, its theme loaded once, its inputs read once while unchanged."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from publisher import files
from publisher.build import BuildConfig, build_site
from publisher.errors import OptionError, PublisherError
from publisher.render.pages import Output
from publisher.render.theme import load_theme
from publisher.reporter import NullReporter
from publisher.serve import _free, serve
from publisher.stamp import read_stamp, stamp_path
from publisher.write.site import marker, update_site, write_site
from tests.conftest import REPO, THEME


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _site(pages: dict[str, bytes]) -> list[Output]:
    return [*(Output(path, data) for path, data in pages.items()), marker()]


# --- the writer ---


def test_an_update_writes_what_changed_keeps_the_rest_and_removes_what_is_gone(
    tmp_path: Path,
) -> None:
    out = tmp_path / "preview"
    write_site(_site({"index.html": b"home", "a/index.html": b"a", "b/c/index.html": b"c"}), out)
    before = _inodes(out)
    now = {"index.html": b"home", "a/index.html": b"A", "d/index.html": b"d"}
    result = update_site(_site(now), out)
    assert _files(out) == {**now, ".publisher-build": marker().data}
    assert not (out / "b").exists()  # its folders went with their only file
    after = _inodes(out)
    assert after["index.html"] == before["index.html"]
    assert after["a/index.html"] != before["a/index.html"]  # replaced by a rename
    assert (result.written, result.unchanged, result.tree) == (2, 2, None)
    assert not [p for p in out.rglob(".*.new-*")]


def test_an_update_reads_a_file_changed_by_hand_since_it_was_written(tmp_path: Path) -> None:
    out = tmp_path / "preview"
    write_site(_site({"index.html": b"home"}), out)
    update_site(_site({"index.html": b"page"}), out)
    (out / "index.html").write_bytes(b"PAGE")  # the same size: only its status tells
    assert update_site(_site({"index.html": b"page"}), out).written == 1
    assert (out / "index.html").read_bytes() == b"page"


def test_an_update_of_a_folder_holding_a_link_is_one_swap_and_writes_nothing_through_it(
    tmp_path: Path,
) -> None:
    out, elsewhere = tmp_path / "preview", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_site(_site({"index.html": b"home"}), out)
    (out / "a").symlink_to(elsewhere, target_is_directory=True)
    update_site(_site({"index.html": b"home", "a/index.html": b"a"}), out)
    assert list(elsewhere.iterdir()) == []
    assert not (out / "a").is_symlink()
    assert (out / "a/index.html").read_bytes() == b"a"


def test_an_update_refuses_a_folder_publisher_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(PublisherError, match="did not make"):
        update_site(_site({"index.html": b"home"}), out)
    assert (out / "notes.txt").read_text() == "mine"


# --- the preview build ---


def _config(content: Path, out: Path, preview: bool) -> BuildConfig:
    return BuildConfig(content, REPO / "templates", out, preview=preview)


def _edit(release: Path, old: str, new: str) -> None:
    text = release.read_text(encoding="utf-8")
    assert old in text
    release.write_text(text.replace(old, new), encoding="utf-8")


def test_previews_in_one_process_make_the_site_a_full_build_makes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    preview = _config(content, tmp_path / "preview", True)
    build_site(preview, NullReporter())
    release = content / "incidents/emotet-2020/releases/2020-08-05.yaml"
    _edit(release, "改めてご報告いたします。", "改めてご報告申し上げます。")  # its prose
    build_site(preview, NullReporter())
    neighbour = content / "incidents/emotet-2020/releases/2020-07-31.yaml"
    _edit(neighbour, "title: 弊社メールサーバの停止", "title: 弊社メールサーバ停止")  # a title
    build_site(preview, NullReporter())
    full = BuildConfig(content, REPO / "templates", tmp_path / "full", cache=tmp_path / "fresh")
    build_site(full, NullReporter())
    assert _files(tmp_path / "preview") == _files(tmp_path / "full")


def test_a_preview_keeps_what_the_next_build_reuses_only_when_told(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    out = tmp_path / "preview"
    result = build_site(_config(content, out, True), NullReporter())
    cache = content / ".publisher-cache"
    assert not stamp_path(cache, out).exists()
    assert not (cache / "memo.msgpack").exists()
    assert result.keep is not None
    result.keep()
    assert read_stamp(stamp_path(cache, out))
    assert (cache / "memo.msgpack").is_file()
    again = build_site(_config(content, out, False), NullReporter())  # what serve left
    assert again.keep is None
    assert again.written == 0 and again.rendered == frozenset()  # nothing done at all


def test_serve_on_a_port_in_use_says_so_before_it_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    out = tmp_path / "preview"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PublisherError, match=f"cannot serve on 127.0.0.1:{port}"):
            serve(_config(content, out, True), port, NullReporter(), lambda url: None)
    assert not out.exists()


def test_serve_into_a_folder_publisher_did_not_make_stops_before_serving_it(tmp_path: Path) -> None:
    """Its first build refuses the folder (a wrong --out): serve stops there, rather than serve
    the folder as it is, the person's own files in it, until the next save."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    out = tmp_path / "mine"
    out.mkdir()
    (out / "secret.txt").write_text("private")
    served: list[str] = []
    with pytest.raises(OptionError, match="did not make"):
        serve(_config(content, out, True), 0, NullReporter(), served.append)
    assert served == []
    assert sorted(p.name for p in out.iterdir()) == ["secret.txt"]


def test_a_port_whose_last_server_ended_is_free_though_its_connections_still_close() -> None:
    """A server that closed its connections first leaves them closing (TIME_WAIT) for a minute:
    the preview server binds there all the same, and so must the look before it, which once
    said the port was in use after a restart of serve."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as http.server's do
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = listener.accept()
            accepted.close()  # the server's side closes first, as an HTTP server does
            client.recv(1)
    _free(port)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(PublisherError, match="cannot serve on"):
            _free(taken.getsockname()[1])


# --- the theme, and the inputs' bytes ---


def test_a_theme_of_the_same_identity_is_loaded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(THEME, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    first = load_theme(Path("templates"), "one")
    assert load_theme(Path("templates"), "one") is first
    assert load_theme(Path("templates"), "two") is not first
    assert load_theme(Path("templates")) is not load_theme(Path("templates"))
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(THEME, elsewhere / "templates")
    monkeypatch.chdir(elsewhere)  # the same name leads to other files now
    assert load_theme(Path("templates"), "two").layers[0].resolve() == elsewhere / "templates"


def test_an_input_is_read_again_when_it_changed_and_always_when_it_changed_lately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or read_bytes(p))
    new, old = tmp_path / "new.yaml", tmp_path / "old.yaml"
    new.write_bytes(b"one")
    assert [files.file_bytes(new), files.file_bytes(new)] == [b"one", b"one"]
    assert reads == [new, new]  # changed in the last seconds: a tick may hold two writes
    monkeypatch.setattr(files, "RECENT_NS", -3600 * 10**9)  # as if written an hour ago
    old.write_bytes(b"one")
    assert [files.file_bytes(old), files.file_bytes(old)] == [b"one", b"one"]
    assert reads == [new, new, old]
    times = old.stat()
    old.write_bytes(b"two")
    os.utime(old, ns=(times.st_atime_ns, times.st_mtime_ns))  # its times put back: the size
    assert files.file_bytes(old) == b"two"  # and inode are the same, its change time is not
    assert reads == [new, new, old, old]


def test_an_update_turns_a_file_into_a_folder_and_back(tmp_path: Path) -> None:
    out = tmp_path / "preview"
    write_site(_site({"index.html": b"home", "static/logo": b"x"}), out)
    update_site(_site({"index.html": b"home", "static/logo/a.svg": b"<svg/>"}), out)
    assert (out / "static/logo/a.svg").read_bytes() == b"<svg/>"
    update_site(_site({"index.html": b"home", "static/logo": b"y"}), out)
    assert (out / "static/logo").read_bytes() == b"y"


def test_what_serve_keeps_signs_the_folder_as_its_build_left_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    out = tmp_path / "preview"
    build_site(_config(content, out, True), NullReporter())
    release = content / "incidents/emotet-2020/releases/2020-08-05.yaml"
    _edit(release, "改めてご報告いたします。", "改めてご報告申し上げます。")
    good = build_site(_config(content, out, True), NullReporter())  # updated in place
    page = out / "emotet-2020/2020-08-05/index.html"
    made = page.read_bytes()
    page.write_bytes(made.replace(b"</body>", b"<p>edited by hand</p></body>"))
    assert good.keep is not None
    good.keep()  # serve stops later: the folder is not what its last build made any more
    again = build_site(_config(content, out, False), NullReporter())
    assert again.written >= 1 and page.read_bytes() == made
