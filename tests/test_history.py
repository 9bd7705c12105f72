"""Published history is append-only: the publication record, its corrections, earlier versions."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner, Result

from publisher.build import BuildConfig, build_site
from publisher.cli import cli
from publisher.errors import ContentError, PublisherError
from publisher.load import publication as loading
from publisher.model.publication import Entry, Record, Version
from publisher.pdf.options import PdfOptions, default_cache
from publisher.render.history import digest, reconcile, release_text
from publisher.reporter import NullReporter
from publisher.stamp import stamp_path
from tests import bilingual
from tests.conftest import REPO, MakeTree

RECORD = "content/publication.lock.yaml"
INCIDENT = "content/incidents/emotet-2020/incident.yaml"
AUG5 = "content/incidents/emotet-2020/releases/2020-08-05.yaml"
CORRECTED = ["emotet-2020/2020-08-05/", "emotet-2020/2020-09-30/", "emotet-2020/2020-11-14/"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example's content in tmp_path, the working folder (whose `site` is the deploy one)."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PUBLISHER_SIGNING_KEY", raising=False)
    return tmp_path


def _build(*args: str) -> Result:
    return CliRunner().invoke(cli, ["build", "--no-pdf", "--templates", str(REPO / "templates"),
                                    *args])  # fmt: skip


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _edit(path: str, old: str, new: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    Path(path).write_text(text.replace(old, new), encoding="utf-8")


def _record() -> dict[str, dict]:  # type: ignore[type-arg]
    return yaml.safe_load(Path(RECORD).read_text(encoding="utf-8"))["releases"]


def _correct(folders: list[str]) -> None:
    """What a person adds to the record to allow the change (as --explain shows)."""
    text = Path(RECORD).read_text(encoding="utf-8")
    for folder in folders:
        entry = f"  {folder}:\n"
        start = text.index(entry)
        end = text.index("    corrections: []\n", start)
        text = (
            text[:end]
            + "    corrections:\n      - date: 2020-11-14\n"
            + "        what: 感染端末数を11台から10台に訂正\n"
            + "        why: 重複して数えていた端末が1台あったため\n"
            + text[end + len("    corrections: []\n") :]
        )
    Path(RECORD).write_text(text, encoding="utf-8")


def test_the_first_build_records_the_yokohama_releases(project: Path) -> None:
    result = _build()
    assert result.exit_code == 0, result.output
    record = _record()
    days = ["2020-07-29", "2020-07-31", "2020-08-05", "2020-09-30", "2020-11-14"]
    assert sorted(record) == [f"emotet-2020/{d}/" for d in days]
    entry = record["emotet-2020/2020-08-05/"]
    assert entry["release"] == "emotet-2020/2020-08-05"
    assert entry["published"] == "2020-08-05T00:00:00+09:00"
    [version] = entry["versions"]
    page = (project / "site/emotet-2020/2020-08-05/index.html").read_bytes()
    assert version["text"] == digest(release_text(page))
    assert version["facts"]["infected_pcs"] == "11"
    assert "leaked" not in version["facts"]  # known only from 11/14
    sums = (project / "site/SHA256SUMS").read_text(encoding="utf-8")
    assert (
        f"{version['files']['emotet-2020/2020-08-05/index.html']}  emotet-2020/2020-08-05/" in sums
    )
    archived = project / "content/published/emotet-2020/2020-08-05/v1/index.html"
    assert archived.read_bytes() == page
    assert not (project / "site/emotet-2020/2020-08-05/v1").exists()
    assert b"revisions" not in page


def test_a_build_after_recording_is_a_no_op(project: Path) -> None:
    assert _build().exit_code == 0
    stamp = stamp_path(default_cache(project / "content"), project / "site")
    recorded, record = stamp.stat().st_mtime_ns, Path(RECORD).read_bytes()
    assert _build().exit_code == 0
    assert stamp.stat().st_mtime_ns == recorded  # nothing was done, nothing recorded anew
    assert Path(RECORD).read_bytes() == record


def test_the_text_digest_ignores_how_the_page_looks() -> None:
    page = (b'<html><body><nav>menu</nav><article class="release"><h1>Title</h1>\n'
            b'<p class="release-pdf"><a href="x.pdf">PDF</a> (PDF 12KB)</p><p>Body  &amp;\n text'
            b'<br>more</p></article><footer>f</footer></body></html>')  # fmt: skip
    assert release_text(page) == "Title Body & text more"
    boxed = page.replace(
        b"<footer>", b'<aside class="corrections"><p>11 -&gt; 12</p></aside><footer>'
    )
    assert release_text(boxed) == "Title Body & text more 11 -> 12"  # what it corrected, too
    genuine = page.replace(b"<footer>", b'<aside class="genuine-mail"><p>x</p></aside><footer>')
    assert release_text(genuine) == release_text(page)
    restyled = page.replace(b"<nav>menu</nav>", b"<nav>other</nav>").replace(b"12KB", b"13KB")
    assert release_text(restyled) == release_text(page)
    assert release_text(page.replace(b"Body", b"Bodies")) != release_text(page)


EDITS = [
    pytest.param(
        AUG5,
        "重ねて深くお詫び申し上げます",
        "重ねてお詫びいたします",
        AUG5,
        "its text changed",
        id="text",
    ),
    pytest.param(
        INCIDENT,
        "{as_of: 2020-08-05, value: Emotet}",
        "{as_of: 2020-08-05, value: Emotat}",
        INCIDENT,
        'facts.malware was "Emotet", is now "Emotat"',
        id="fact",
    ),
]


@pytest.mark.parametrize(("path", "old", "new", "located", "said"), EDITS)
def test_a_published_release_may_not_change_silently(
    project: Path, path: str, old: str, new: str, located: str, said: str
) -> None:
    assert _build().exit_code == 0
    site, record = _snapshot(project / "site"), Path(RECORD).read_bytes()
    _edit(path, old, new)
    result = _build()
    assert result.exit_code == 1, result.output
    expected = (
        rf"^{re.escape(located)}:\d+:\d+: .*release emotet-2020/2020-08-05 was published at "
        rf"emotet-2020/2020-08-05/ \(version 1, recorded .*{re.escape(said)}"
    )
    assert re.search(expected, result.output, re.M), result.output
    assert "add a correction to content/publication.lock.yaml" in result.output
    assert "publisher check --explain published-history" in result.output
    assert _snapshot(project / "site") == site
    assert Path(RECORD).read_bytes() == record


def test_a_correction_lets_it_change_and_keeps_the_first_version(project: Path) -> None:
    assert _build().exit_code == 0
    first = (project / "site/emotet-2020/2020-08-05/index.html").read_text(encoding="utf-8")
    _edit(INCIDENT, "{as_of: 2020-08-05, value: 11}\n      - as_of: 2020-11-14",
          "{as_of: 2020-08-05, value: 10}\n      - as_of: 2020-11-14")  # fmt: skip
    refused = _build()
    assert refused.exit_code == 1
    for folder in CORRECTED:  # every page that showed the fact, or knew it
        assert f"published at {folder} " in refused.output
    assert "facts.infected_pcs was 11, is now 10" in refused.output
    _correct(CORRECTED)
    result = _build()
    assert result.exit_code == 0, result.output
    site = project / "site/emotet-2020/2020-08-05"
    current = (site / "index.html").read_text(encoding="utf-8")
    assert "11拠点10台" in current
    old = (site / "v1/index.html").read_text(encoding="utf-8")
    assert "11拠点11台" in old and "11拠点11台" not in release_text(current.encode())
    assert release_text(old.encode()) == release_text(first.encode())
    assert 'href="../../../static/style.css"' in old  # its links lead where they led
    revisions = current[current.index('<aside class="revisions"') :]
    assert '<a href="v1/">第1版</a>: <time datetime="2020-08-05">2020年8月5日</time>' in revisions
    assert '第2版(現在の版): <time datetime="2020-11-14">2020年11月14日</time>' in revisions
    assert old.count('<p class="revision-earlier" role="note">') == 1
    assert 'このページは本リリースの第1版で、その後訂正されています。 <a href="../">' in old
    earlier = old[old.index('<aside class="revisions"') :]
    assert '<a href="../">第2版</a>(現在の版)' in earlier and '<a href="../v1/">' not in earlier
    assert "第2版(現在の版)" in revisions
    assert "訂正内容:感染端末数を11台から10台に訂正" in revisions
    assert "訂正理由:重複して数えていた端末が1台あったため" in revisions
    entry = _record()["emotet-2020/2020-08-05/"]
    assert [v["version"] for v in entry["versions"]] == [1, 2]
    assert entry["versions"][1]["facts"]["infected_pcs"] == "10"
    assert (project / "content/published/emotet-2020/2020-08-05/v2/index.html").is_file()
    sums = (project / "site/SHA256SUMS").read_text(encoding="utf-8")
    assert "  emotet-2020/2020-08-05/v1/index.html\n" in sums
    again = _build()  # the same content again: nothing more to record
    assert again.exit_code == 0 and [v["version"] for v in _record()[CORRECTED[0]]["versions"]] == [
        1,
        2,
    ]


def test_a_correction_without_a_change_is_a_problem(project: Path) -> None:
    assert _build().exit_code == 0
    _correct([CORRECTED[0]])
    result = _build()
    assert result.exit_code == 1
    assert re.search(r"^content/publication.lock.yaml:\d+:\d+: releases.emotet-2020/2020-08-05/"
                     r".corrections: release emotet-2020/2020-08-05: a correction is recorded but "
                     r"the release did not change", result.output, re.M), result.output  # fmt: skip


def test_a_published_release_may_not_disappear() -> None:
    first = Version(version=1, recorded="2020-08-05T00:00:00+00:00", text="0" * 64)
    entry = Entry(release="i/2020-08-05", published="2020-08-05T00:00:00+09:00", versions=[first])
    record = Record(releases={"i/2020-08-05/": entry})
    later = datetime.fromisoformat("2020-09-01T00:00+09:00")
    [problem] = reconcile(record, None, RECORD, {}, {}, later).problems
    assert problem.message.startswith(
        "release i/2020-08-05 was published (2020-08-05T00:00:00+09:00) and is no longer in the "
        "site; a published release stays"
    )
    earlier = datetime.fromisoformat("2020-08-04T00:00+09:00")  # an --as-of before it
    assert reconcile(record, None, RECORD, {}, {}, earlier).problems == []


def test_a_scheduled_release_is_recorded_once_public(project: Path) -> None:
    content = project / "content"
    config = BuildConfig(content, REPO / "templates", project / "site", record_publication=True)

    def at(text: str) -> Callable[[], datetime]:
        return lambda: datetime.fromisoformat(text)

    build_site(config, NullReporter(), at("2020-08-04T23:59+09:00"))
    assert sorted(_record()) == ["emotet-2020/2020-07-29/", "emotet-2020/2020-07-31/"]
    build_site(config, NullReporter(), at("2020-08-05T00:00+09:00"))
    assert "emotet-2020/2020-08-05/" in _record()
    assert "emotet-2020/2020-09-30/" not in _record()


def test_a_newer_release_leaves_what_the_older_ones_said_unchanged(project: Path) -> None:
    """Older pages then say that a newer release exists (issue 14 item 4); that notice is not
    part of what they said, so the build neither refuses nor records them anew."""
    config = BuildConfig(
        project / "content", REPO / "templates", project / "site", record_publication=True
    )
    build_site(config, NullReporter(), lambda: datetime.fromisoformat("2020-08-01T12:00+09:00"))
    before = _record()
    assert sorted(before) == ["emotet-2020/2020-07-29/", "emotet-2020/2020-07-31/"]
    july31 = project / "site/emotet-2020/2020-07-31/index.html"
    assert b"newer-release" not in july31.read_bytes()  # the latest then
    build_site(config, NullReporter(), lambda: datetime.fromisoformat("2020-12-01T12:00+09:00"))
    after = _record()
    assert len(after) == 5
    for folder, entry in before.items():
        assert after[folder] == entry, folder  # one version, the same digests of text and print
    page = july31.read_text(encoding="utf-8")
    notice = page.split('<p class="newer-release" role="note">', 1)[1].split("</p>", 1)[0]
    assert '<a href="../2020-11-14/">最新のリリース(2020年11月14日):' in notice
    assert page.index("newer-release") < page.index('<article class="release">')
    assert (
        digest(release_text(page.encode()))
        == before["emotet-2020/2020-07-31/"]["versions"][0]["text"]
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--out", "preview"],
        ["--as-of", "2030-01-01", "--out", "preview"],
        ["--drafts", "--out", "p"],
    ],
)
def test_previews_never_write_the_record(project: Path, args: list[str]) -> None:
    result = _build(*args)
    assert result.exit_code == 0, result.output
    assert not Path(RECORD).exists() and not (project / "content/published").exists()


def test_a_preview_of_nothing_published_digests_nothing_and_is_the_deploy_site(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no record and no archive, a preview has nothing to reconcile: it digests no page's
    text, and makes the very site a deploy build (which records) makes; once a record holds
    the releases, a preview reconciles with it again."""
    from publisher.render import history

    digested: list[int] = []
    real = history.text_digests

    def counted(pages: list[bytes]) -> list[str]:
        digested.append(len(pages))
        return real(pages)

    monkeypatch.setattr(history, "text_digests", counted)
    assert _build("--out", "preview").exit_code == 0
    assert digested == []
    assert _build().exit_code == 0  # the deploy folder: recorded
    assert digested and Path(RECORD).exists()
    site, preview = _snapshot(project / "site"), _snapshot(project / "preview")
    assert {p: d for p, (d, _) in site.items()} == {p: d for p, (d, _) in preview.items()}
    digested.clear()  # a published release changed without a correction:
    _edit(AUG5, "重ねて深くお詫び申し上げます", "重ねてお詫びいたします")
    refused = _build("--out", "preview")
    assert refused.exit_code == 1 and "published-history" in refused.output
    assert digested


def test_serve_and_tests_do_not_record_by_default(project: Path) -> None:
    build_site(BuildConfig(project / "content", None, project / "site"), NullReporter())
    assert not Path(RECORD).exists()


def test_explain_says_how_to_record_a_correction() -> None:
    result = CliRunner().invoke(cli, ["check", "--explain", "published-history"])
    assert result.exit_code == 0
    assert "corrections:" in result.output and "what:" in result.output and "why:" in result.output


def test_a_translation_is_recorded_and_kept_by_its_own_url(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """The record knows pages by their folder: a translated release is one more page."""
    root = make_tree(bilingual.tree())
    config = BuildConfig(root, None, tmp_path / "site", record_publication=True)
    later = datetime.fromisoformat("2026-03-05T00:00+09:00")
    build_site(config, NullReporter(), lambda: later)
    assert sorted(_record()) == ["leak-2026/2026-03-04/", "leak-2026/2026-03-04/en/"]
    assert _record()["leak-2026/2026-03-04/en/"]["versions"][0]["facts"] == {
        "affected_people": "1200"
    }
    changed = bilingual.translation(closing="|\n  We will report new findings at once.")
    make_tree(bilingual.tree(**{"incidents/leak-2026/releases/2026-03-04.en.yaml": changed}))
    with pytest.raises(ContentError) as refused:
        build_site(config, NullReporter(), lambda: later)
    [problem] = refused.value.problems
    assert problem.path == "content/incidents/leak-2026/releases/2026-03-04.en.yaml"
    assert "published at leak-2026/2026-03-04/en/ (version 1" in problem.message


def test_a_record_another_build_wrote_meanwhile_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds that overlap: the one that finishes second says so, and loses nothing."""
    content = project / "content"
    config = BuildConfig(content, REPO / "templates", project / "site", record_publication=True)
    build_site(config, NullReporter(), lambda: datetime.fromisoformat("2020-07-30T00:00+09:00"))
    read = loading.read_publication

    def read_then_another_build(root: Path) -> loading.Publication:
        found = read(root)
        Path(RECORD).write_text(Path(RECORD).read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return found

    monkeypatch.setattr(loading, "read_publication", read_then_another_build)
    later = datetime.fromisoformat("2020-08-06T00:00+09:00")
    with pytest.raises(PublisherError, match="another build recorded a publication"):
        build_site(config, NullReporter(), lambda: later)
    assert sorted(_record()) == ["emotet-2020/2020-07-29/"]


def test_a_racing_build_of_the_same_content_that_recorded_first_is_no_conflict(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds of the same content race: the one that records second finds the same
    releases and texts already recorded (at another moment) and succeeds, changing nothing."""
    content = project / "content"
    config = BuildConfig(content, REPO / "templates", project / "site", record_publication=True)
    other = BuildConfig(content, REPO / "templates", project / "other", record_publication=True)
    later = datetime.fromisoformat("2020-08-06T00:00+09:00")
    read = loading.read_publication

    def read_then_another_build(root: Path) -> loading.Publication:
        found = read(root)
        monkeypatch.setattr(loading, "read_publication", read)
        build_site(other, NullReporter(), lambda: later.replace(minute=1))
        return found

    monkeypatch.setattr(loading, "read_publication", read_then_another_build)
    build_site(config, NullReporter(), lambda: later)
    written = Path(RECORD).read_text(encoding="utf-8")
    days = ["2020-07-29", "2020-07-31", "2020-08-05"]
    assert sorted(_record()) == [f"emotet-2020/{day}/" for day in days]
    assert ":01:00" in written  # as the other build recorded it
    assert (project / "site" / "index.html").is_file()


def test_a_pdf_that_would_say_something_else_is_a_change(project: Path) -> None:
    """The print is digested apart: a print template that rewords the release is refused."""
    templates = project / "templates"
    shutil.copytree(REPO / "templates", templates)
    assert _build("--templates", str(templates)).exit_code == 0
    assert _record()["emotet-2020/2020-08-05/"]["versions"][0]["printed"]
    default = (REPO / "publisher/theme/release-print.html").read_text(encoding="utf-8")
    reworded = default.replace("</article>", "<p>この内容は撤回いたします。</p>\n</article>")
    assert reworded != default
    (templates / "release-print.html").write_text(reworded, encoding="utf-8")
    result = _build("--templates", str(templates))
    assert result.exit_code == 1
    assert "the text of its PDF changed (the print template says something else)" in result.output


def _no_corrections(entry: dict) -> None:  # type: ignore[type-arg]
    entry["corrections"] = []


def _no_versions(entry: dict) -> None:  # type: ignore[type-arg]
    entry["versions"] = []


def _version_3(entry: dict) -> None:  # type: ignore[type-arg]
    entry["versions"][1]["version"] = 3


def _reworded(entry: dict) -> None:  # type: ignore[type-arg]
    entry["corrections"][0]["why"] = "数え間違いのため"


def _redated(entry: dict) -> None:  # type: ignore[type-arg]
    entry["corrections"][0]["date"] = "2020-11-13"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_no_corrections, "version 2 was made public by a correction, which is missing"),
        (_no_versions, "versions: must not be empty"),
        (_version_3, "must be numbered 1, 2, 3... in order, not [1, 3]"),
        (_reworded, "corrections[1]: changed since version 2 made it public"),
        (_redated, "corrections[1]: changed since version 2 made it public"),
    ],
    ids=[
        "a used correction removed",
        "no versions",
        "versions out of order",
        "a used correction reworded",
        "a used correction redated",
    ],
)
def test_a_record_that_contradicts_itself_is_a_located_error(
    project: Path,
    change: Callable[[dict], None],
    said: str,  # type: ignore[type-arg]
) -> None:
    """History the record cannot account for is said at the record, never a crash (exit 3)."""
    assert _build().exit_code == 0
    _edit(INCIDENT, "{as_of: 2020-08-05, value: 11}\n      - as_of: 2020-11-14",
          "{as_of: 2020-08-05, value: 10}\n      - as_of: 2020-11-14")  # fmt: skip
    _correct(CORRECTED)
    assert _build().exit_code == 0
    data = yaml.safe_load(Path(RECORD).read_text(encoding="utf-8"))
    change(data["releases"][CORRECTED[0]])
    Path(RECORD).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _build()
    assert result.exit_code == 1, result.output
    assert RECORD in result.output and said in result.output


ARCHIVE = "content/published/"
V1 = "emotet-2020/2020-08-05/v1/index.html"


def _rewrite_record(change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    data = yaml.safe_load(Path(RECORD).read_text(encoding="utf-8"))
    change(data["releases"])
    Path(RECORD).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _corrected_once() -> None:
    """The example built, its 8/5 count corrected, built again: 8/5 has versions 1 and 2."""
    assert _build().exit_code == 0
    _edit(INCIDENT, "{as_of: 2020-08-05, value: 11}\n      - as_of: 2020-11-14",
          "{as_of: 2020-08-05, value: 10}\n      - as_of: 2020-11-14")  # fmt: skip
    _correct(CORRECTED)
    assert _build().exit_code == 0


def _lose_entry(releases: dict) -> None:  # type: ignore[type-arg]
    del releases[CORRECTED[0]]


def _lose_version(releases: dict) -> None:  # type: ignore[type-arg]
    entry = releases[CORRECTED[0]]
    entry["versions"], entry["corrections"] = entry["versions"][:1], []


def _lose_record(releases: dict) -> None:  # type: ignore[type-arg]
    Path(RECORD).unlink()


LOST = [
    pytest.param(
        _lose_entry,
        rf"^{RECORD}:\d+:\d+: releases.{CORRECTED[0]}: {RECORD} has no entry releases."
        rf"{CORRECTED[0]}, yet {ARCHIVE}{CORRECTED[0]}v1/ holds it as published: the record lost "
        rf"published history; restore it from version control \(git log -p {RECORD}, then git "
        rf"checkout <commit> -- {RECORD}\)",
        id="an entry deleted",
    ),
    pytest.param(
        _lose_version,
        rf"^{RECORD}:\d+:\d+: releases.{CORRECTED[0]}: {RECORD} lists 1 versions of "
        rf"{CORRECTED[0]}, yet {ARCHIVE}{CORRECTED[0]}v2/ holds version 2: the record lost",
        id="a version and its correction deleted",
    ),
    pytest.param(
        _lose_record,
        rf"^{RECORD}: releases.{CORRECTED[0]}: {RECORD} has no entry releases.{CORRECTED[0]}",
        id="the record deleted",
    ),
]


@pytest.mark.parametrize(("lose", "said"), LOST)
def test_history_the_record_lost_is_refused_not_recorded_anew(
    project: Path,
    lose: Callable[[dict], None],
    said: str,  # type: ignore[type-arg]
) -> None:
    """A release whose entry (or versions) left the record is not new: its archive says it was
    published; the build says how to restore the record instead of rewriting its history."""
    _corrected_once()
    _edit(AUG5, "重ねて深くお詫び申し上げます", "重ねてお詫びいたします")  # would be a v1 anew
    if lose is not _lose_record:
        _rewrite_record(lose)
    else:
        lose({})
    record = Path(RECORD).read_bytes() if Path(RECORD).exists() else None
    archive, site = _snapshot(project / ARCHIVE), _snapshot(project / "site")
    result = _build()
    assert result.exit_code == 1, result.output
    assert re.search(said, result.output, re.M), result.output
    assert (Path(RECORD).read_bytes() if Path(RECORD).exists() else None) == record
    assert _snapshot(project / ARCHIVE) == archive and _snapshot(project / "site") == site


def _edit_archived(path: str) -> None:
    file = Path(ARCHIVE, path)
    file.write_bytes(file.read_bytes().replace("11拠点11台".encode(), "11拠点12台".encode()))


def _remove_archived(path: str) -> None:
    Path(ARCHIVE, path).unlink()


def _edit_recorded_text(path: str) -> None:
    def change(releases: dict) -> None:  # type: ignore[type-arg]
        releases[CORRECTED[0]]["versions"][0]["text"] = "0" * 64

    _rewrite_record(change)


TAMPERED = [
    pytest.param(
        _edit_archived,
        rf"releases.{CORRECTED[0]}.versions\[1\].files.emotet-2020/2020-08-05/index.html: "
        rf"{ARCHIVE}{V1} is not the file published: its SHA-256 is not the one the record holds; "
        rf"restore it from version control \(git checkout HEAD -- {ARCHIVE}{V1}\)",
        id="an archived page edited",
    ),
    pytest.param(
        _remove_archived,
        rf"releases.{CORRECTED[0]}.versions\[1\].files.emotet-2020/2020-08-05/index.html: "
        rf"{ARCHIVE}{V1} is missing; restore it from version control",
        id="an archived page removed",
    ),
    pytest.param(
        _edit_recorded_text,
        rf"releases.{CORRECTED[0]}.versions\[1\].text: {ARCHIVE}{V1} does not say what the "
        rf"record says it said \(its text digest is not this one\); restore {RECORD}",
        id="the recorded text digest edited",
    ),
]


@pytest.mark.parametrize(("tamper", "said"), TAMPERED)
def test_history_an_archive_unlike_the_record_is_never_served(
    project: Path, tamper: Callable[[str], None], said: str
) -> None:
    """The earlier version served is the one published: each archived file is held to the
    digests the record keeps, and a mismatch is said at the record's entry."""
    _corrected_once()
    tamper(V1)
    result = _build()
    assert result.exit_code == 1, result.output
    assert re.search(rf"^{RECORD}:\d+:\d+: {said}", result.output, re.M), result.output
    assert "11拠点12台" not in (project / "site" / V1).read_text(encoding="utf-8")


def test_history_an_edited_archive_of_a_current_version_is_refused_too(project: Path) -> None:
    """Not only what is served: the latest version's archive is what its correction will
    serve, and what a changed text is told apart from."""
    assert _build().exit_code == 0
    path = Path(ARCHIVE, "emotet-2020/2020-07-29/v1/index.html")
    path.write_bytes(path.read_bytes().replace(b"</article>", b"<p>x</p></article>"))
    result = _build()
    assert result.exit_code == 1
    assert f"{ARCHIVE}emotet-2020/2020-07-29/v1/index.html is not the file published" in (
        result.output
    )


def _entry(corrections: str, recorded: str = "2020-11-14T10:00:00+09:00") -> str:
    digest_text = "a" * 64
    return f"""\
releases:
  i/2020-08-05/:
    release: i/2020-08-05
    published: '2020-08-05T00:00:00+09:00'
    versions:
      - {{version: 1, recorded: '2020-08-05T01:00:00+09:00', text: '{digest_text}'}}
      - {{version: 2, recorded: '{recorded}', text: '{digest_text}'}}
    corrections:
{corrections}"""


CORRECTIONS = [
    pytest.param(
        "      - {date: 2020-08-01, what: 件数を訂正, why: 重複があったため}\n",
        "9:16: releases.i/2020-08-05/.corrections[1].date: 2020-08-01 is before the release it "
        "corrects was published (2020-08-05); date a correction the day it is published",
        id="dated before the version it corrects",
    ),
    pytest.param(
        "      - {date: 2020-11-15, what: 件数を訂正, why: 重複があったため}\n",
        "9:16: releases.i/2020-08-05/.corrections[1].date: 2020-11-15 is after version 2, which "
        "it made public, was recorded (2020-11-14T10:00:00+09:00); date it 2020-11-14 or earlier",
        id="dated after the version it made public",
    ),
    pytest.param(
        "      - {date: 2020-11-14, what: 件数を訂正, why: TBD}\n",
        "9:46: releases.i/2020-08-05/.corrections[1].why: 'TBD' says nothing; the revision list "
        "shows readers why it changed: write it out",
        id="a placeholder why",
    ),
    pytest.param(
        "      - {date: 2020-11-14, what: ' 未定 ', why: 重複があったため}\n",
        "9:34: releases.i/2020-08-05/.corrections[1].what: '未定' says nothing; the revision list "
        "shows readers what changed: write it out",
        id="a placeholder what",
    ),
    pytest.param(
        "      - {date: 2020-11-14, what: 件数を訂正, why: ' '}\n",
        "9:46: releases.i/2020-08-05/.corrections[1].why: must not be empty",
        id="an empty why",
    ),
    pytest.param(
        "      - {date: 2020-11-14, what: 件数を訂正, why: 件数を訂正}\n",
        "9:46: releases.i/2020-08-05/.corrections[1].why: repeats what; say why the release "
        "changed",
        id="a why that repeats what",
    ),
]


@pytest.mark.parametrize(("corrections", "said"), CORRECTIONS)
def test_history_a_correction_says_when_what_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corrections: str, said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("content").mkdir()
    Path(RECORD).write_text(_entry(corrections), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        loading.read_publication(Path("content"))
    assert [str(p) for p in refused.value.problems] == [f"{RECORD}:{said}"]


def test_history_a_record_moment_that_is_none_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("content").mkdir()
    text = _entry("      - {date: 2020-11-14, what: 件数を訂正, why: 重複があったため}\n", "昨日")
    Path(RECORD).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        loading.read_publication(Path("content"))
    assert [str(p) for p in refused.value.problems] == [
        f"{RECORD}:7:32: releases.i/2020-08-05/.versions[2].recorded: expected a date and time "
        "with its zone, got '昨日'"
    ]


def test_history_a_correction_dated_after_the_build_is_refused(project: Path) -> None:
    """A correction is dated the day it is published: one dated after the build's moment
    (in the site's zone) would list a revision from the future."""
    config = BuildConfig(project / "content", REPO / "templates", project / "site",
                         record_publication=True)  # fmt: skip
    at = datetime.fromisoformat("2020-11-20T08:00+09:00")  # 11/19 in UTC
    build_site(config, NullReporter(), lambda: at.astimezone(ZoneInfo("UTC")))
    _edit(INCIDENT, "{as_of: 2020-08-05, value: 11}\n      - as_of: 2020-11-14",
          "{as_of: 2020-08-05, value: 10}\n      - as_of: 2020-11-14")  # fmt: skip
    _correct(CORRECTED)
    text = Path(RECORD).read_text(encoding="utf-8")  # the first (8/5's) dated later
    Path(RECORD).write_text(text.replace("date: 2020-11-14", "date: 2020-11-21", 1), "utf-8")
    with pytest.raises(ContentError) as refused:
        build_site(config, NullReporter(), lambda: at)
    [problem] = refused.value.problems
    assert problem.field == f"releases.{CORRECTED[0]}.corrections[1].date"
    assert problem.message == (
        "the correction is dated 2020-11-21, after this build's moment (2020-11-20T08:00+09:00): "
        "a correction is dated the day it is published; date it 2020-11-20, or build again on "
        "2020-11-21"
    )
    _edit(RECORD, "date: 2020-11-21", "date: 2020-11-20")  # today in Tokyo, yesterday in UTC
    build_site(config, NullReporter(), lambda: at.astimezone(ZoneInfo("UTC")))
    assert len(_record()[CORRECTED[0]]["versions"]) == 2


def test_history_a_translation_added_later_is_a_page_of_its_own(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A translation beside a published original: recorded as first published by the build
    that makes it public; the original, whose print now names it, is no change."""
    files = bilingual.tree()
    translated = files.pop("incidents/leak-2026/releases/2026-03-04.en.yaml")
    root = make_tree(files)
    config = BuildConfig(root, None, tmp_path / "site", record_publication=True)
    build_site(config, NullReporter(), lambda: datetime.fromisoformat("2026-03-04T12:00+09:00"))
    original = _record()["leak-2026/2026-03-04/"]
    make_tree({**files, "incidents/leak-2026/releases/2026-03-04.en.yaml": translated})
    later = datetime.fromisoformat("2026-03-06T09:30+09:00")
    build_site(config, NullReporter(), lambda: later)
    record = _record()
    assert record["leak-2026/2026-03-04/"] == original
    assert record["leak-2026/2026-03-04/en/"]["published"] == "2026-03-06T09:30:00+09:00"
    assert record["leak-2026/2026-03-04/en/"]["versions"][0]["recorded"] == (
        "2026-03-06T09:30:00+09:00"
    )


def test_history_a_published_pdf_is_not_taken_down_by_a_build_without_pdfs(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A recording build with --no-pdf would drop the PDF of a release published with one (its
    page no longer links it, the site no longer has it): it is refused; a preview is not."""
    root = make_tree(bilingual.tree())
    pdfs = PdfOptions(1, tmp_path / "pdf-cache")
    config = BuildConfig(root, None, tmp_path / "site", pdfs, record_publication=True)
    later = datetime.fromisoformat("2026-03-05T00:00+09:00")
    build_site(config, NullReporter(), lambda: later)
    assert (
        "leak-2026/2026-03-04/leak-2026-2026-03-04.pdf"
        in (_record()["leak-2026/2026-03-04/"]["versions"][0]["files"])
    )
    site, record = _snapshot(tmp_path / "site"), Path(RECORD).read_bytes()
    with pytest.raises(ContentError) as refused:
        build_site(replace(config, pdf=None), NullReporter(), lambda: later)
    assert [p.field for p in refused.value.problems] == [
        "releases.leak-2026/2026-03-04/.versions[1].files.leak-2026/2026-03-04/"
        "leak-2026-2026-03-04.pdf",
        "releases.leak-2026/2026-03-04/en/.versions[1].files.leak-2026/2026-03-04/en/"
        "leak-2026-2026-03-04-en.pdf",
    ]
    assert refused.value.problems[0].message.startswith(
        "release leak-2026/2026-03-04 was published with its PDF (leak-2026/2026-03-04/"
        "leak-2026-2026-03-04.pdf), which a build into the deploy folder without PDFs "
        "(--no-pdf) would take down: a published PDF stays published; build with PDFs"
    )
    assert refused.value.problems[0].line > 0
    assert _snapshot(tmp_path / "site") == site and Path(RECORD).read_bytes() == record
    preview = replace(config, pdf=None, out=tmp_path / "preview", record_publication=False)
    build_site(preview, NullReporter(), lambda: later)
    assert Path(RECORD).read_bytes() == record
    archived = Path(ARCHIVE, "leak-2026/2026-03-04/v1/leak-2026-2026-03-04.pdf")
    archived.write_bytes(archived.read_bytes() + b"\n")  # an archived PDF is held to the record
    with pytest.raises(ContentError) as edited:
        build_site(config, NullReporter(), lambda: later)
    [problem] = edited.value.problems
    assert problem.field == refused.value.problems[0].field
    assert problem.message.startswith(
        f"{ARCHIVE}leak-2026/2026-03-04/v1/leak-2026-2026-03-04.pdf is not the file published"
    )


def test_history_the_pdf_prints_the_correction_notes_the_page_shows(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A release that corrects a value shows the correction and its note on its page, and
    prints them in its PDF too."""
    root = make_tree(bilingual.tree())
    config = BuildConfig(root, None, tmp_path / "site", PdfOptions(1, tmp_path / "pdf-cache"),
                         record_publication=True)  # fmt: skip
    build_site(config, NullReporter(), lambda: datetime.fromisoformat("2026-03-05T00:00+09:00"))
    for folder, name, note in [
        ("leak-2026/2026-03-04/", "leak-2026-2026-03-04.pdf", "調査の結果、対象の方が増えました。"),
        ("leak-2026/2026-03-04/en/", "leak-2026-2026-03-04-en.pdf",
         "The investigation found more people affected."),
    ]:  # fmt: skip
        page = (tmp_path / "site" / folder / "index.html").read_text(encoding="utf-8")
        assert note in page[page.index('<aside class="corrections"') :]
        printed = subprocess.run(["pdftotext", str(tmp_path / "site" / folder / name), "-"],
                                 capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert note.replace(" ", "") in "".join(printed.split()), printed
        assert "1,000" in printed and "1,200" in printed


def _check() -> Result:
    return CliRunner().invoke(cli, ["check", "--templates", str(REPO / "templates")])


def test_history_check_says_what_a_build_would_refuse_and_how_to_correct_it(
    project: Path,
) -> None:
    """`publisher check`, not only the build, holds the content to the record: a change to a
    published release is an error at the changed field, saying how to record a correction."""
    assert _build().exit_code == 0
    assert "published-history" not in _check().output
    _edit(INCIDENT, "{as_of: 2020-08-05, value: 11}\n      - as_of: 2020-11-14",
          "{as_of: 2020-08-05, value: 10}\n      - as_of: 2020-11-14")  # fmt: skip
    result = _check()
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "published-history" in line]
    assert len(lines) == 3, result.output  # 8/5, 9/30 and 11/14 knew the count
    assert re.match(
        rf"{INCIDENT}:\d+:\d+: error: published-history: facts.infected_pcs: release "
        r"emotet-2020/2020-08-05 was published at emotet-2020/2020-08-05/ \(version 1, recorded "
        r".*\) and would change: its text changed \(was \"….*11拠点11台.*\"\); "
        r"facts.infected_pcs was 11, is now 10; published history is "
        rf"append-only: add a correction to {RECORD} \(publisher check --explain "
        r"published-history\)$",
        lines[0],
    ), lines
    explained = CliRunner().invoke(cli, ["check", "--explain", "published-history"]).output
    assert "corrections:\n        - date: 2020-11-14\n" in explained
    _correct(CORRECTED)
    assert "published-history" not in _check().output  # the build would record version 2
    text = (
        Path(RECORD).read_text(encoding="utf-8").replace("why: 重複", "why: TBD #", 1)
    )  # a comment
    Path(RECORD).write_text(text, encoding="utf-8")
    said = _check().output
    assert re.search(rf"^{RECORD}:\d+:\d+: error: published-history: releases.{CORRECTED[0]}"
                     r".corrections\[1\].why: 'TBD' says nothing", said, re.M), said  # fmt: skip


def test_history_check_holds_the_archive_to_the_record(project: Path) -> None:
    assert _build().exit_code == 0
    Path(ARCHIVE, "emotet-2020/2020-07-29/v1/index.html").unlink()
    said = _check().output
    missing = (
        rf"^{RECORD}:\d+:\d+: error: published-history: releases.emotet-2020/2020-07-29/"
        r".versions\[1\].files.emotet-2020/2020-07-29/index.html: "
        rf"{ARCHIVE}emotet-2020/2020-07-29/v1/index.html is missing"
    )
    assert re.search(missing, said, re.M), said


def _sums(root: Path) -> dict[str, str]:
    lines = (root / "site/SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines)}


def test_history_the_record_digests_each_version_as_sha256sums_lists_it(project: Path) -> None:
    """What was public when: a corrected version's page is served with its list of versions,
    and recorded and archived so (its digest is the one SHA256SUMS signed); served again as an
    earlier version, it lists the versions once."""
    _corrected_once()
    page, folder = CORRECTED[0] + "index.html", CORRECTED[0]
    recorded = _record()[folder]["versions"][1]["files"][page]
    assert _sums(project)[page] == recorded
    assert (
        Path(ARCHIVE, folder, "v2/index.html").read_bytes()
        == (project / "site" / page).read_bytes()
    )
    assert _build().exit_code == 0 and _record()[folder]["versions"][1]["files"][page] == recorded
    _edit(INCIDENT, "{as_of: 2020-08-05, value: 10}\n      - as_of: 2020-11-14",
          "{as_of: 2020-08-05, value: 9}\n      - as_of: 2020-11-14")  # fmt: skip

    def correct_again(releases: dict) -> None:  # type: ignore[type-arg]
        for entry in CORRECTED:  # (each its own date: PyYAML would write one as an alias)
            what, why = "感染端末数を10台から9台に訂正", "再集計で1台の重複が見つかったため"
            releases[entry]["corrections"].append(
                {"date": date(2020, 11, 20), "what": what, "why": why}
            )

    _rewrite_record(correct_again)
    result = _build()
    assert result.exit_code == 0, result.output
    assert _sums(project)[page] == _record()[folder]["versions"][2]["files"][page]
    earlier = (project / "site" / folder / "v2/index.html").read_text(encoding="utf-8")
    assert earlier.count('<aside class="revisions"') == 1
    assert (
        '<a href="../">第3版</a>(現在の版)' in earlier and '<a href="../v1/">第1版</a>' in earlier
    )
