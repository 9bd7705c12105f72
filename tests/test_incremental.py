"""Rebuilds touch only what changed: unchanged files keep their inode and modification time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from publisher.build import BuildConfig, BuildResult, build_site
from publisher.errors import ContentError, PublisherError
from publisher.pdf.options import PdfOptions, default_cache
from publisher.reporter import NullReporter, RecordingReporter
from publisher.stamp import _input_entries, inputs_digest, inputs_snapshot, read_stamp, stamp_path
from publisher.write.tree import tree_signature
from tests.conftest import RELEASE, REPO, THEME, MakeTree


def _stats(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def _build(content: Path, out: Path) -> int:
    return build_site(BuildConfig(content, REPO / "templates", out), NullReporter()).written


def _changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def test_rebuild_with_nothing_changed_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(REPO / "content", out)
    before = _stats(out)
    assert _build(REPO / "content", out) == 0
    assert _stats(out) == before


def test_changing_one_release_body_rewrites_its_page_and_the_manifest(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "site"
    _build(content, out)
    before = _stats(out)
    release = content / "incidents/emotet-2020/releases/2020-08-05.yaml"
    release.write_text(
        release.read_text().replace("改めてご報告いたします。", "改めてご報告申し上げます。")
    )
    assert _build(content, out) == 2
    stamps = {"SHA256SUMS"}
    assert _changed(before, _stats(out)) == {"emotet-2020/2020-08-05/index.html", *stamps}


def test_changing_a_title_rewrites_every_page_and_index_that_shows_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "site"
    _build(content, out)
    before = _stats(out)
    release = content / "incidents/emotet-2020/releases/2020-07-31.yaml"
    release.write_text(
        release.read_text().replace("title: 弊社メールサーバの停止", "title: 弊社メールサーバ停止")
    )
    _build(content, out)
    series = {f"emotet-2020/{d}/index.html" for d in
              ("2020-07-29", "2020-07-31", "2020-08-05", "2020-09-30", "2020-11-14")}  # fmt: skip
    feeds_and_indexes = {"feed.xml", "emotet-2020/feed.xml", "releases.json"}
    feeds_and_indexes |= {"SHA256SUMS"}
    assert _changed(before, _stats(out)) == series | feeds_and_indexes | {"emotet-2020/index.html"}


def test_no_op_rebuild_skips_all_work_until_a_scheduled_release_is_due(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    scheduled = RELEASE.replace("2020-08-05", "2020-09-01") + "publish_at: 2020-09-01T10:00+09:00\n"
    root = make_tree({"incidents/test/releases/2020-09-01.yaml": scheduled})
    out = tmp_path / "site"
    config = BuildConfig(root, REPO / "templates", out)

    def at(text: str) -> Callable[[], datetime]:
        return lambda: datetime.fromisoformat(text)

    first = build_site(config, NullReporter(), at("2020-09-01T09:00+09:00"))
    assert first.releases == 1
    stamp = read_stamp(stamp_path(default_cache(root), out))
    assert stamp["valid_until"] == "2020-09-01T10:00:00+09:00"
    published = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"2020-09-01T10:00" not in published  # the schedule is not given away
    before = _stats(out)
    assert build_site(config, NullReporter(), at("2020-09-01T09:59+09:00")).written == 0
    assert _stats(out) == before
    due = build_site(config, NullReporter(), at("2020-09-01T10:00+09:00"))
    assert due.releases == 2
    assert (out / "test/2020-09-01/index.html").is_file()


def test_changed_template_is_not_a_no_op(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(THEME, templates)
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", templates, out)
    build_site(config, NullReporter())
    css = templates / "static" / "style.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert build_site(config, NullReporter()).written == 2  # the stylesheet and the manifest


def test_a_damaged_output_is_repaired_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", REPO / "templates", out)
    build_site(config, NullReporter())
    page = out / "emotet-2020/2020-08-05/index.html"
    good = page.read_bytes()
    page.write_text("edited by hand")
    (out / "emotet-2020/2020-09-30/index.html").unlink()
    (out / "stray.html").write_text("not ours")
    assert build_site(config, NullReporter()).written == 2  # the two pages
    assert page.read_bytes() == good
    assert (out / "emotet-2020/2020-09-30/index.html").is_file()
    assert not (out / "stray.html").exists()


def test_a_deleted_output_folder_is_built_again(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(REPO / "content", out)
    before = _files(out)
    shutil.rmtree(out)
    assert _build(REPO / "content", out) == len(before)  # before: FileNotFoundError, exit 3
    assert _files(out) == before


def test_a_changed_file_is_not_trusted_even_with_its_old_time(tmp_path: Path) -> None:
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", REPO / "templates", out)
    build_site(config, NullReporter())
    page = out / "emotet-2020/2020-08-05/index.html"
    good = page.read_bytes()
    stat = page.stat()
    page.write_bytes(good.replace("簡易調査".encode(), "調査".encode()).ljust(len(good)))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**12))
    assert build_site(config, NullReporter()).written == 1
    assert page.read_bytes() == good


def test_a_file_saved_by_renaming_is_not_trusted_even_with_the_same_time(tmp_path: Path) -> None:
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", REPO / "templates", out)
    build_site(config, NullReporter())
    page = out / "emotet-2020/2020-07-31/index.html"
    good = page.read_bytes()
    stat = page.stat()
    edited = page.with_suffix(".tmp")
    edited.write_bytes(good.replace(b"<h1", b"<h2").replace(b"</h1>", b"</h2>"))
    os.replace(edited, page)  # an editor's save: same name and size, a new inode
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build_site(config, NullReporter()).written == 1  # the page
    assert page.read_bytes() == good


def test_a_change_inside_a_linked_content_folder_is_not_a_no_op(tmp_path: Path) -> None:
    # A link inside content/ may lead only inside it (one leading out is a content problem);
    # the content folder itself may be a link, and what it leads to is what is built.
    real = tmp_path / "real-content"
    shutil.copytree(REPO / "content", real, ignore=shutil.ignore_patterns(".publisher-cache"))
    content = tmp_path / "content"
    content.symlink_to(real)
    out = tmp_path / "site"
    _build(content, out)
    release = real / "incidents/emotet-2020/releases/2020-08-05.yaml"
    release.write_text(
        release.read_text().replace("改めてご報告いたします。", "改めてご報告申し上げます。")
    )
    assert _build(content, out) == 2  # the page and the manifest


# --- what the no-op check must not miss, and what it must survive -------------------------


def _site(tmp_path: Path) -> tuple[BuildConfig, Path]:
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", REPO / "templates", out)
    build_site(config, NullReporter())
    return config, out


def test_an_edit_that_keeps_size_and_times_is_repaired(tmp_path: Path) -> None:
    config, out = _site(tmp_path)
    page = out / "emotet-2020/2020-08-05/index.html"
    good, stat = page.read_bytes(), page.stat()
    page.write_bytes(b"DEFACED" + good[7:])
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only the change time tells
    assert build_site(config, NullReporter()).written == 1
    assert page.read_bytes() == good


def test_a_changed_permission_is_repaired(tmp_path: Path) -> None:
    config, out = _site(tmp_path)
    (out / "index.html").chmod(0o000)
    assert build_site(config, NullReporter()).written == 1
    assert (out / "index.html").stat().st_mode & 0o444 == 0o444


def test_strays_of_any_kind_in_the_output_are_removed(tmp_path: Path) -> None:
    config, out = _site(tmp_path)
    (out / "etc").symlink_to("/etc")
    (out / "empty/sub").mkdir(parents=True)
    (out / "static/.publisher-build").mkdir()
    (out / "static/.publisher-build/leak.txt").write_text("secret")
    (out / os.fsdecode(b"\xff.html")).write_text("not UTF-8")
    assert (
        build_site(config, NullReporter()).written == 0
    )  # every file carried over; the strays are gone
    assert sorted(p.name for p in out.iterdir() if p.name in ("etc", "empty")) == []
    assert not (out / "static/.publisher-build").exists()
    assert not (out / os.fsdecode(b"\xff.html")).exists()
    assert build_site(config, NullReporter()).written == 0


def test_a_linked_output_folder_is_not_hard_linked_into_the_templates(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(THEME, templates)
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", templates, out)
    build_site(config, NullReporter())
    shutil.rmtree(out / "static")
    (out / "static").symlink_to(templates / "static")
    build_site(config, NullReporter())
    published, source = out / "static/style.css", templates / "static/style.css"
    assert not published.is_symlink() and published.stat().st_ino != source.stat().st_ino


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.pop("releases"),
        lambda s: s.update(valid_until="soon"),
        lambda s: s.update(valid_until=5),
        lambda s: s.update(valid_until="2099-01-01T00:00"),
        lambda s: s.update(files=True),
        lambda s: s.update(files=-3),
    ],
    ids=["no releases", "words", "a number", "no zone", "a boolean", "negative"],
)
def test_a_marker_edited_by_hand_means_a_full_build(
    tmp_path: Path, edit: Callable[[dict[str, object]], object]
) -> None:
    config, out = _site(tmp_path)
    path = stamp_path(config.cache_folder, out)
    stamp = read_stamp(path)
    edit(stamp)
    path.write_text(json.dumps(stamp))
    build_site(config, NullReporter())
    redone = read_stamp(path)  # a build that did everything records itself anew
    assert redone["releases"] == 5 and redone["files"] > 10 and redone["valid_until"] is None
    assert redone["tree"] == tree_signature(out)


def test_link_loops_and_special_files_in_the_content_are_listed_once_and_never_read(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (content / "a").symlink_to(".")
    (content / "b").symlink_to(".")
    os.mkfifo(content / "notes.fifo")  # reading it would block forever
    (content / "zero").symlink_to("/dev/zero")  # reading it would never end
    out = tmp_path / "site"
    command = [sys.executable, "-m", "publisher", "build", "--content", str(content),
               "--templates", str(REPO / "templates"), "--out", str(out), "--no-pdf"]  # fmt: skip
    for _ in range(2):
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
    names = [name for name, _ in _input_entries(content, set())]
    assert len(names) == len(set(names)) and "a" not in names and "notes.fifo" in names


def test_a_nested_folder_named_like_the_cache_is_an_input(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(THEME, templates)
    css = templates / "static/.publisher-cache/x.css"
    css.parent.mkdir()
    css.write_text("a{}")
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", templates, out)
    build_site(config, NullReporter())
    css.write_text("b{}")
    assert build_site(config, NullReporter()).written == 2  # the file and the manifest


def test_a_new_empty_folder_in_the_content_is_not_a_no_op(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "site"
    _build(content, out)
    (content / "incidents/New_Incident").mkdir()
    with pytest.raises(ContentError):
        _build(content, out)


def test_the_snapshot_serve_polls_sees_inside_linked_folders(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "incidents").mkdir(parents=True)
    (real / "incidents/a.yaml").write_text("a")
    root = tmp_path / "content"
    root.symlink_to(real)  # the content folder may itself be a link
    before = inputs_snapshot([root])
    (real / "incidents/a.yaml").write_text("bb")
    assert inputs_snapshot([root]) != before


def test_stamps_of_output_folders_that_are_gone_are_forgotten(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    first, second = tmp_path / "first", tmp_path / "second"
    _build(content, first)
    _build(content, second)
    assert stamp_path(default_cache(content), first).is_file()
    shutil.rmtree(first)
    _build(content, second)  # a no-op still records nothing; a build that writes prunes
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "\n")
    _build(content, second)
    assert [p.name for p in stamp_path(default_cache(content), first).parent.iterdir()] == [
        stamp_path(default_cache(content), second).name
    ]


def test_a_chosen_cache_folder_holds_the_stamp_and_is_never_an_input(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    for cache in (tmp_path / "elsewhere", content / ".my-cache"):
        config = BuildConfig(content, REPO / "templates", tmp_path / "site", cache=cache)
        build_site(config, NullReporter())
        assert stamp_path(cache, tmp_path / "site").is_file()
        assert build_site(config, NullReporter()).written == 0  # its own stamp is no change
    assert not (content / ".publisher-cache").exists()


@pytest.mark.parametrize(
    "where",
    ["site/.c", "site", "templates/static/.c", "content/incidents", "content", "."],
)
def test_a_cache_overlapping_the_inputs_or_the_output_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "content", "content", ignore=shutil.ignore_patterns(".publisher-cache"))
    shutil.copytree(THEME, "templates")
    config = BuildConfig(Path("content"), Path("templates"), Path("site"), cache=Path(where))
    with pytest.raises(PublisherError, match="--cache"):
        build_site(config, NullReporter())
    assert not Path("site").exists()


def test_only_stamps_are_ever_pruned_and_a_corrupt_one_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "builds").mkdir(parents=True)
    (cache / "builds/report.json").write_text('{"job": "ci report"}')
    (cache / "builds/0123456789abcdef.json").write_text("[" * 100_000)
    config = BuildConfig(REPO / "content", REPO / "templates", tmp_path / "site", cache=cache)
    build_site(config, NullReporter())
    assert sorted(p.name for p in (cache / "builds").iterdir()) == sorted(
        ["report.json", stamp_path(cache, tmp_path / "site").name]
    )


def test_the_default_cache_is_never_an_input_even_when_another_is_chosen(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    chosen = BuildConfig(content, REPO / "templates", tmp_path / "site", cache=tmp_path / "c")
    build_site(chosen, NullReporter())
    stamp = stamp_path(tmp_path / "c", tmp_path / "site")
    recorded = stamp.stat().st_mtime_ns
    build_site(BuildConfig(content, REPO / "templates", tmp_path / "other"), NullReporter())
    assert (content / ".publisher-cache").is_dir()
    build_site(chosen, NullReporter())
    assert stamp.stat().st_mtime_ns == recorded  # a no-op: nothing was recorded anew


def test_an_output_that_cannot_be_made_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    config = BuildConfig(REPO / "content", REPO / "templates", tmp_path / "file/site")
    with pytest.raises(PublisherError, match="could not write the site"):
        build_site(config, NullReporter())


def test_a_previous_output_that_cannot_be_removed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, out = _site(tmp_path)
    (out / "stray.html").write_text("forces a build")
    (out / "stray-link").symlink_to("stray.html")  # so the previous output is not kept aside
    monkeypatch.setattr("shutil.rmtree", lambda *a, **k: None)
    reporter = RecordingReporter()
    build_site(config, reporter)
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".site.new-")]
    assert len(leftovers) == 1 and (leftovers[0] / "stray.html").is_file()
    assert reporter.messages == [
        f"warning: could not remove {leftovers[0]} (the previous output); remove it"
    ]


def test_the_pdf_cache_keeps_only_what_each_folders_last_build_used(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    cache = tmp_path / "cache"

    def build(out: str, pdf: bool = True) -> None:
        options = PdfOptions(0, cache) if pdf else None
        config = BuildConfig(content, REPO / "templates", tmp_path / out, options, cache=cache)
        build_site(config, NullReporter())

    def entries() -> set[str]:
        return {p.stem for p in cache.glob("pdf/*/*.pdf")}

    release = content / "incidents/emotet-2020/releases/2020-08-05.yaml"
    original = release.read_text()
    build("site")
    first = entries()
    assert len(first) == 5
    (cache / "pdf/notes.txt").write_text("not an entry")
    release.write_text(original.replace("改めてご報告いたします。", "改めてご報告申し上げます。"))
    build("site")
    second = entries()
    assert len(second) == 5 and len(first - second) == 1  # the edited release's old PDF is gone
    build("site", pdf=False)  # an HTML-only build keeps what the folder's PDF build used
    assert entries() == second
    release.write_text(original)
    build("other")  # another folder's build keeps its own
    assert entries() == first | second
    shutil.rmtree(tmp_path / "other")  # a folder that is gone keeps nothing
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "\n")
    release.write_text(original.replace("改めてご報告いたします。", "改めてご報告申し上げます。"))
    build("site")
    assert entries() == second
    assert (cache / "pdf/notes.txt").is_file()


# --- incremental by dependency ---------------------------------------------------------------

EVERY_TIME = {"index.html", "404.html", "releases.json", "sitemap.xml", "robots.txt"}
"""What reads every release, rendered by every build that renders anything."""


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _edited(tmp_path: Path, old: str, new: str, release: str = "2020-08-05") -> BuildResult:
    """Build a copy of the example, change `old` to `new` in one release, build again; the
    second build's result, after checking its site against a full build of the same content."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    out = tmp_path / "site"
    first = build_site(BuildConfig(content, REPO / "templates", out), NullReporter())
    assert "emotet-2020/2020-08-05/index.html" in first.rendered  # a first build renders all
    path = content / f"incidents/emotet-2020/releases/{release}.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    result = build_site(BuildConfig(content, REPO / "templates", out), NullReporter())
    fresh = BuildConfig(content, REPO / "templates", tmp_path / "full", cache=tmp_path / "c")
    build_site(fresh, NullReporter())
    assert _files(out) == _files(tmp_path / "full")  # byte for byte a full build's
    return result


def _feeds(result: BuildResult) -> set[str]:
    return {path for path in result.rendered if path.endswith(".xml") and "feed" in path}


def test_changed_prose_renders_its_page_print_incident_page_feeds_and_indexes(
    tmp_path: Path,
) -> None:
    result = _edited(tmp_path, "改めてご報告いたします。", "改めてご報告申し上げます。")
    assert _feeds(result) >= {"feed.xml", "emotet-2020/feed.xml"}
    own = {"emotet-2020/2020-08-05/index.html", "print:emotet-2020/2020-08-05"}
    assert result.rendered == own | {"emotet-2020/index.html"} | _feeds(result) | EVERY_TIME


def test_a_changed_title_renders_every_page_that_lists_it(tmp_path: Path) -> None:
    result = _edited(
        tmp_path, "title: 弊社メールサーバの停止", "title: 弊社メールサーバ停止", "2020-07-31"
    )
    days = ("2020-07-29", "2020-07-31", "2020-08-05", "2020-09-30", "2020-11-14")
    series = {f"emotet-2020/{day}/index.html" for day in days}
    series |= {f"print:emotet-2020/{day}" for day in days}
    assert result.rendered == series | {"emotet-2020/index.html"} | _feeds(result) | EVERY_TIME


def test_a_changed_template_or_kept_renders_that_are_damaged_render_everything(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(THEME, templates)
    out = tmp_path / "site"
    config = BuildConfig(REPO / "content", templates, out, cache=tmp_path / "cache")
    everything = build_site(config, NullReporter()).rendered
    series = templates / "series.html"
    series.write_text(series.read_text() + "\n")
    assert build_site(config, NullReporter()).rendered == everything
    (kept,) = (tmp_path / "cache/renders").iterdir()
    kept.write_bytes(b"\x00damaged")
    series.write_text(series.read_text() + "\n")
    assert build_site(config, NullReporter()).rendered == everything


def test_a_link_out_of_the_content_folder_is_not_read(tmp_path: Path) -> None:
    """The inputs' digest takes a link that leads out of the folder as a link: what it leads to
    is never read (the build refuses the link, naming it)."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    outside = tmp_path / "secret.yaml"
    outside.write_text("not publisher's to read\n")
    (content / "incidents/emotet-2020/releases/2030-01-01.yaml").symlink_to(outside)
    (content / "elsewhere").symlink_to(tmp_path / "outside-folder")
    (tmp_path / "outside-folder").mkdir()
    (tmp_path / "outside-folder" / "a.yaml").write_text("a\n")
    first = inputs_digest([content], {})
    outside.write_text("changed, and still not read\n")
    (tmp_path / "outside-folder" / "a.yaml").write_text("b\n")
    assert inputs_digest([content], {}) == first
    inside = content / "incidents/emotet-2020/releases/2020-08-05.yaml"
    (content / "linked.yaml").symlink_to(inside)  # a link inside is followed, and read
    linked = inputs_digest([content], {})
    inside.write_text(inside.read_text() + "# a comment\n")
    assert inputs_digest([content], {}) != linked


def test_a_project_feed_that_shows_prose_is_rendered_again_when_the_prose_changes(
    tmp_path: Path,
) -> None:
    """The default feed.xml shows no prose, so the site's feed is kept while what it lists is
    unchanged; a project's own feed.xml may show anything a release holds."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(REPO / "examples/retailer-en/content", content)
    templates.mkdir()
    summary = "<summary>{{ entry.release.summary }}</summary>"
    feed = (REPO / "publisher/theme/feed.xml").read_text()
    assert summary in feed
    (templates / "feed.xml").write_text(
        feed.replace(summary, summary + "\n<content>{{ entry.release.intro }}</content>")
    )
    config = BuildConfig(content, templates, tmp_path / "out")
    build_site(config, NullReporter())
    release = content / "incidents/order-database-2026/releases/2026-09-18.yaml"
    text = release.read_text()
    assert "We are writing to tell you about" in text
    release.write_text(text.replace("We are writing to tell you about", "We write about"))
    build_site(config, NullReporter())
    assert "We write about" in (tmp_path / "out/feed.xml").read_text()
