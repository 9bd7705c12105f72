"""The memo (publisher/memo.py): a rebuild takes unchanged files' parses and prose's Markdown from
the last build, gives the site a fresh build gives, and shrugs off a damaged cache file."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path

import msgspec
import pytest

from publisher import memo
from publisher.build import BuildConfig, build_site
from publisher.load import yamlfile
from publisher.load.content import load_content, read_content
from publisher.model.content import IncidentRecord
from publisher.render import prose
from publisher.render import release as release_module
from publisher.render.pages import release_page, render_one
from publisher.render.theme import load_theme
from publisher.render.urls import release_dir
from publisher.reporter import NullReporter, RecordingReporter
from publisher.source import Loc, Located
from tests.conftest import REPO

RELEASE = "incidents/emotet-2020/releases/2020-08-05.yaml"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _as_a_new_process() -> None:
    """Forget the entries in memory, as a new `publisher build` starts without them."""
    memo.load(Path("/nonexistent/memo.msgpack"), "another build")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """The YAML files parsed and the Markdown texts rendered, as they happen (in this process:
    the build shares no work with a second one)."""
    monkeypatch.setenv("PUBLISHER_JOBS", "1")
    seen: dict[str, list[str]] = {"parsed": [], "markdown": []}
    parse, markdown = yamlfile.yaml_document, prose._MARKDOWN.parse

    def counted_parse(raw: bytes, shown: str) -> object:
        seen["parsed"].append(shown)
        return parse(raw, shown)

    def counted_markdown(text: str, env: object = None) -> object:
        seen["markdown"].append(text)
        return markdown(text, env)

    monkeypatch.setattr("publisher.load.content.yaml_document", counted_parse)
    monkeypatch.setattr(prose._MARKDOWN, "parse", counted_markdown)
    yield seen


def _example(tmp_path: Path) -> tuple[Path, BuildConfig]:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    return content, BuildConfig(content, None, tmp_path / "site", cache=tmp_path / "cache")


def test_a_rebuild_parses_and_renders_only_the_changed_release(
    tmp_path: Path, calls: dict[str, list[str]]
) -> None:
    content, config = _example(tmp_path)
    build_site(config, NullReporter())
    assert len(calls["parsed"]) > 5 and len(calls["markdown"]) > 20  # a first build does all
    release = content / RELEASE
    edited = release.read_text().replace("改めてご報告いたします。", "改めてご報告申し上げます。")
    release.write_text(edited)
    _as_a_new_process()
    calls["parsed"].clear()
    calls["markdown"].clear()
    result = build_site(config, NullReporter())
    own = {"emotet-2020/2020-08-05/index.html", "print:emotet-2020/2020-08-05"}
    assert own <= result.rendered  # the other releases' pages as the last build made them,
    assert not any("2020-07-29" in name for name in result.rendered)  # their inputs read back
    (parsed,) = calls["parsed"]  # site.yaml, the incident and the other releases: kept
    assert parsed.endswith(RELEASE)
    (rendered,) = calls["markdown"]  # the release's other prose, and every other's: kept
    assert "改めてご報告申し上げます。" in rendered
    fresh = BuildConfig(content, None, tmp_path / "fresh", cache=tmp_path / "fresh-cache")
    build_site(fresh, NullReporter())
    assert _files(config.out) == _files(tmp_path / "fresh")


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"publisher-memo 3\nnot this code\n\x81"])
def test_a_damaged_or_foreign_memo_file_is_ignored(
    tmp_path: Path, calls: dict[str, list[str]], damage: bytes
) -> None:
    _, config = _example(tmp_path)
    build_site(config, NullReporter())
    first = _files(config.out)
    (config.cache_folder / "memo.msgpack").write_bytes(damage)
    shutil.rmtree(config.out)
    _as_a_new_process()
    calls["parsed"].clear()
    build_site(config, NullReporter())
    assert len(calls["parsed"]) > 5  # nothing taken from the file: everything read again
    assert _files(config.out) == first


@pytest.mark.parametrize("kept", ["memo.msgpack", "renders/*.msgpack"])
def test_a_cache_file_damaged_where_it_still_reads_as_messagepack_is_ignored(
    tmp_path: Path, kept: str
) -> None:
    """The memo, and the pages kept for the next build (whose damage was once written into
    the site as the last build's page)."""
    _, config = _example(tmp_path)
    build_site(config, NullReporter())
    first = _files(config.out)
    (file,) = config.cache_folder.glob(kept)
    assert "弊社".encode() in file.read_bytes()
    file.write_bytes(file.read_bytes().replace("弊社".encode(), "当社".encode()))  # same length
    shutil.rmtree(config.out)
    _as_a_new_process()
    build_site(config, NullReporter())
    assert _files(config.out) == first


def test_an_entry_that_no_longer_reads_as_its_type_is_computed_again(tmp_path: Path) -> None:
    name = memo.key("test", "a text")
    memo.merge({name: b"\x93\x01\x02\x03"})  # a list of three integers, not a text
    assert memo.get(name, str) is None
    memo.put(name, "a text", str)
    assert memo.get(name, str) == "a text"


@pytest.mark.parametrize(
    "value",
    [
        "2020-07-28",  # a date: the memo's MessagePack writes it as text
        "'2020-07-28'",  # a text that looks like one
        "{from: 2020-07-20, to: 2020-07-28}",
        "12",
    ],
)
def test_a_fact_comes_back_from_the_memo_as_it_was_written(tmp_path: Path, value: str) -> None:
    content, config = _example(tmp_path)
    incident = content / "incidents/emotet-2020/incident.yaml"
    found = (
        f"  found:\n    label: 発見\n    values:\n      - {{as_of: 2020-07-29, value: {value}}}\n"
    )
    fact = "facts:\n" + found
    incident.write_text(incident.read_text().replace("facts:\n", fact, 1))
    release = content / RELEASE
    release.write_text(
        release.read_text().replace("改めてご報告", "{{ facts.found }}に改めてご報告")
    )
    build_site(config, NullReporter())
    release.write_text(release.read_text().replace("開始いたしました。", "開始しました。"))
    _as_a_new_process()
    build_site(config, NullReporter())  # the incident read back from the memo
    fresh = BuildConfig(content, None, tmp_path / "fresh", cache=tmp_path / "fresh-cache")
    _as_a_new_process()
    build_site(fresh, NullReporter())
    assert _files(config.out) == _files(tmp_path / "fresh")


def test_a_memo_that_cannot_be_kept_is_said_and_the_site_is_built(tmp_path: Path) -> None:
    _, config = _example(tmp_path)
    (config.cache_folder / "memo.msgpack").mkdir(parents=True)  # a folder where the file goes
    reporter = RecordingReporter()
    build_site(config, reporter)
    (said,) = [m for m in reporter.messages if "for the next" in m]
    assert said.startswith("warning: could not keep what this build read for the next")
    assert (config.out / "index.html").is_file()


def test_a_release_s_prose_taken_from_the_memo_is_the_prose_rendered(
    tmp_path: Path, calls: dict[str, list[str]]
) -> None:
    content = load_content(REPO / "examples" / "retailer-en" / "content")
    theme = load_theme(None)
    pairs = [(i, v) for i in content.incidents for r in i.releases for v in r.versions]
    keys = {release_dir(v) + "index.html": f"the page of {v.id}" for _i, v in pairs}
    kept = tmp_path / "memo.msgpack"
    memo.load(kept, "this code")
    first = [render_one(content, theme, i, v, keys) for i, v in pairs]
    memo.save(kept)
    _as_a_new_process()
    memo.load(kept, "this code")  # the entries as a new process reads them, from the file
    calls["markdown"].clear()
    again = [render_one(content, theme, i, v, keys) for i, v in pairs]
    assert len(first) == 2
    for made, taken in zip(first, again, strict=True):
        assert not isinstance(made, list) and not isinstance(taken, list)
        prose = [f.name for f in fields(made) if f.name != "view"]  # (a view made again is
        assert [getattr(taken, f) for f in prose] == [getattr(made, f) for f in prose]  # another)
        assert [p.doc for p in taken.pieces] == [p.doc for p in made.pieces]
        assert release_page(theme, taken, None).data == release_page(theme, made, None).data
    assert not calls["markdown"]  # nothing rendered: every release's prose from the memo


def test_a_fact_that_turns_from_a_date_to_its_text_is_rendered_anew(tmp_path: Path) -> None:
    """A date and the same date as text encode alike in MessagePack: the kept pages and prose
    are keyed by the incident file's bytes too, so the page shows the text as a fresh build."""
    content, config = _example(tmp_path)
    incident = content / "incidents/emotet-2020/incident.yaml"
    fact = (
        "facts:\n  found_on:\n    label: 発見日\n"
        "    values:\n      - {as_of: 2020-07-01, value: 2020-07-28}\n"
    )
    incident.write_text(incident.read_text().replace("facts:\n", fact, 1))
    release = content / "incidents/emotet-2020/releases/2020-11-14.yaml"
    release.write_text(
        release.read_text().replace(
            "greeting: 日頃より", "greeting: 発見日は{{ facts.found_on }}。日頃より", 1
        )
    )
    build_site(config, NullReporter())
    incident.write_text(incident.read_text().replace("value: 2020-07-28}", "value: '2020-07-28'}"))
    build_site(config, NullReporter())
    fresh = BuildConfig(content, None, tmp_path / "fresh", cache=tmp_path / "fresh-cache")
    build_site(fresh, NullReporter())
    page = "emotet-2020/2020-11-14/index.html"
    assert "発見日は2020-07-28" in (tmp_path / "fresh" / page).read_text()
    assert _files(config.out) == _files(tmp_path / "fresh")


def _read_back(path: Path, identity: str) -> None:
    """Forget the entries in memory and read those `path` holds."""
    memo.load(path.with_name("elsewhere.msgpack"), identity)
    memo.load(path, identity)


def test_entries_added_before_a_build_that_added_none_are_saved_too(tmp_path: Path) -> None:
    """A long-running serve saves only when it stops, after builds that each used what the one
    before added: the file is written when its entries are not those in memory, whichever build
    added them."""
    path, one, two = tmp_path / "memo.msgpack", memo.key("t", "one"), memo.key("t", "two")
    memo.load(path, "code")
    memo.put(one, "1", str)
    memo.save(path)
    memo.load(path, "code")  # the next build, in the same process
    assert memo.get(one, str) == "1"
    memo.put(two, "2", str)
    memo.prune()
    memo.load(path, "code")  # a build that adds nothing
    assert (memo.get(one, str), memo.get(two, str)) == ("1", "2")
    memo.save(path)
    _read_back(path, "code")
    assert (memo.get(one, str), memo.get(two, str)) == ("1", "2")


def test_a_preview_holds_no_more_of_the_memo_than_its_last_build_used(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    config = BuildConfig(content, REPO / "templates", tmp_path / "preview", preview=True)
    release = content / "incidents/emotet-2020/releases/2020-08-05.yaml"
    text = release.read_text(encoding="utf-8")
    held = []
    for word in ("ご報告いたします", "ご報告申し上げます", "お知らせいたします"):
        release.write_text(text.replace("ご報告いたします", word), encoding="utf-8")
        build_site(config, NullReporter())
        held.append(memo.held())
    assert held[1] == held[2]  # the entries of the earlier versions are gone


def test_a_document_from_the_memo_locates_every_field_as_the_file_does(tmp_path: Path) -> None:
    """A file's positions come back from the memo packed by field, each field's read back when
    it is first asked for; every value and key is found where a fresh parse finds it."""
    raw = (REPO / "content" / RELEASE).read_bytes()
    fresh, problems = yamlfile.yaml_document(raw, RELEASE)
    assert fresh is not None and not problems
    path = tmp_path / "memo.msgpack"
    memo.load(path, "test")
    name = memo.key("test", "a document")
    memo.put(name, fresh.packed_marks(), Located)
    memo.save(path)
    _as_a_new_process()
    memo.load(path, "test")
    kept = memo.get(name, Located)
    assert kept is not None and kept.packed and not kept.values
    assert kept.mark(("title",)) == fresh.mark(("title",))
    assert set(kept.packed) == set(fresh.packed_marks().packed) - {"'title'", ""}
    for loc in [*fresh.values, *fresh.keys]:
        assert kept.key_mark(loc) == fresh.key_mark(loc), loc
        assert kept.mark(loc) == fresh.mark(loc), loc
    assert not kept.packed
    assert kept == replace(fresh, data=None)
    assert kept != replace(fresh, data=None, digest="another file")


def test_a_release_s_prose_that_no_longer_reads_back_is_rendered_when_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = load_content(REPO / "examples" / "retailer-en" / "content")
    theme = load_theme(None)
    incident = content.incidents[0]
    record = incident.releases[0].versions[0]
    key = f"the page of {record.id}"
    memo.load(tmp_path / "memo.msgpack", "this code")
    made = render_one(content, theme, incident, record)
    memo.merge({memo.key("release-prose", key, "en"): b"\x93\x01\x02\x03"})  # not prose
    rendered: list[object] = []
    render = release_module._rendered
    monkeypatch.setattr(release_module, "_rendered", lambda *a: rendered.append(a) or render(*a))
    taken = render_one(content, theme, incident, record, {release_dir(record) + "index.html": key})
    assert not rendered  # read back (here: rendered) only when asked for
    assert not isinstance(made, list) and not isinstance(taken, list)
    assert taken.pieces == made.pieces and len(rendered) == 1
    assert release_page(theme, taken, None).data == release_page(theme, made, None).data


def test_two_threads_asking_where_a_field_is_written_both_find_it() -> None:
    """serve's mail preview reads the documents its builds hold from other threads: a field's
    positions are read back before they stop being packed, so no thread finds them nowhere."""
    raw = (REPO / "content" / RELEASE).read_bytes()
    fresh, _ = yamlfile.yaml_document(raw, RELEASE)
    assert fresh is not None
    kept = memo.encode(fresh.packed_marks())
    locs = [loc for loc in fresh.values if loc]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can
    wrong = []
    try:
        for trial in range(600):
            doc = msgspec.msgpack.decode(kept, type=Located)
            loc = locs[trial % len(locs)]
            start = threading.Barrier(2)

            def ask(doc: Located = doc, loc: Loc = loc, start: threading.Barrier = start) -> None:
                start.wait()
                wrong.extend([loc] if doc.mark(loc) != fresh.mark(loc) else [])

            threads = [threading.Thread(target=ask) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not wrong


def test_a_process_reading_the_content_again_takes_the_unchanged_incidents_as_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve reads the content on every save: an incident whose files kept their status (and
    whose entries the memo still holds) is the one read last time; any change reads it again."""
    monkeypatch.setattr("publisher.load.content.RECENT_NS", 0)  # these files are new
    monkeypatch.setenv("PUBLISHER_JOBS", "1")  # read here, not by a second core into the memo
    content, _ = _example(tmp_path)
    shutil.copytree(content / "incidents/emotet-2020", content / "incidents/other-2021")
    memo.load(tmp_path / "memo.msgpack", "this code")

    said: list[str] = []

    def read() -> dict[str, IncidentRecord]:
        found, problems = read_content(content)
        assert found is not None
        said[:] = [str(p) for p in problems]
        return {i.id: i for i in found.incidents}

    read()  # the process's first reading looks at no file's status
    second, third = read(), read()
    assert all(third[i] is second[i] for i in second)
    release = content / "incidents/other-2021" / RELEASE.split("emotet-2020/")[1]
    release.write_text(release.read_text().replace("改めてご報告", "重ねてご報告"))
    fourth = read()
    assert fourth["emotet-2020"] is third["emotet-2020"]
    assert fourth["other-2021"] is not third["other-2021"]
    assert fourth["other-2021"] == load_content(content).incidents[0]
    (content / "incidents/emotet-2020/releases/notes.txt").write_text("not a release")
    fifth, sixth = read(), read()
    assert fifth["emotet-2020"] is not fourth["emotet-2020"]
    assert sixth["emotet-2020"] is fifth["emotet-2020"]
    assert any("notes.txt: not a release file" in p for p in said)  # said again, as read
    _as_a_new_process()  # the memo forgets what reading the files gave: they are read again
    memo.load(tmp_path / "memo.msgpack", "this code")
    assert read()["other-2021"] is not sixth["other-2021"]


def test_an_incident_holding_a_link_is_read_again_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a link leads, and whether that is inside the content folder, hangs on folders the
    status of an incident's files does not show: a link that leads out is said every time."""
    monkeypatch.setattr("publisher.load.content.RECENT_NS", 0)
    monkeypatch.setenv("PUBLISHER_JOBS", "1")
    content, _ = _example(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: not ours\n")
    (content / "incidents/emotet-2020/releases/2021-01-01.yaml").symlink_to(outside)
    memo.load(tmp_path / "memo.msgpack", "this code")
    for _reading in range(4):
        _, problems = read_content(content)
        assert any("2021-01-01.yaml: a symbolic link" in str(p) for p in problems)
