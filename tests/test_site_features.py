"""What the public and search engines read besides the pages: feeds, sitemap, manifest, 404."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.build import BuildConfig, build_site
from publisher.cli import cli
from publisher.reporter import NullReporter
from tests.conftest import RELEASE, REPO, MakeTree

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://www.yokohama-toyopet.jp/incident/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("features") / "site"
    build_site(BuildConfig(REPO / "content", REPO / "templates", out), NullReporter())
    return out


def _feed_entries(path: Path) -> tuple[ET.Element, list[ET.Element]]:
    feed = ET.parse(path).getroot()
    return feed, feed.findall(f"{ATOM}entry")


@pytest.mark.parametrize("name", ["feed.xml", "emotet-2020/feed.xml"])
def test_feeds_are_valid_atom(site: Path, name: str) -> None:
    feed, entries = _feed_entries(site / name)
    assert feed.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert (feed.findtext(ATOM + element) or "").strip(), element
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == BASE + name
    assert len(entries) == 5
    for entry in entries:
        for element in ("id", "title", "updated", "summary"):
            assert (entry.findtext(ATOM + element) or "").strip(), element
        assert entry.findtext(f"{ATOM}id", "").startswith(BASE)
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated", ""))
    updated = [entry.findtext(f"{ATOM}updated", "") for entry in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]


def test_sitemap_lists_every_page_by_absolute_https_url(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = sorted(p for p in site.rglob("index.html"))
    assert len(urls) == len(pages) == 7
    assert all(u and u.startswith(BASE) for u in urls)
    assert BASE + "emotet-2020/2020-11-14/" in urls
    assert (site / "robots.txt").read_text().endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_sha256sums_covers_every_published_file(site: Path) -> None:
    listed = {}
    for line in (site / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    published = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }
    assert set(listed) == published
    for name, digest in listed.items():
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == digest


def test_release_page_has_canonical_url_open_graph_and_json_ld(site: Path) -> None:
    page = (site / "emotet-2020/2020-11-14/index.html").read_text(encoding="utf-8")
    canonical = BASE + "emotet-2020/2020-11-14/"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:type" content="article">' in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )  # type: ignore[index]
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2020-11-14T00:00:00+09:00"
    assert data["headline"].startswith("横浜トヨペット株式会社における")


def test_release_page_shows_its_place_and_how_to_recognise_genuine_mail(site: Path) -> None:
    page = (site / "emotet-2020/2020-08-05/index.html").read_text(encoding="utf-8")
    assert '<a rel="prev" href="../2020-07-31/">' in page
    assert '<a rel="next" href="../2020-09-30/">' in page
    assert "「@yokohama-toyopet.jp」で終わるアドレスから送信" in page
    first = (site / "emotet-2020/2020-07-29/index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' not in first


def test_the_index_links_each_incident_and_its_latest_release(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    latest = index.split('<p class="latest">', 1)[1].split("</p>", 1)[0]
    assert (
        '<time datetime="2020-11-14">2020年11月14日</time> <a href="emotet-2020/2020-11-14/">'
        in (latest)
    )


@pytest.mark.parametrize(
    ("day", "notice"),
    [
        ("2020-07-29", True),
        ("2020-09-30", True),
        ("2020-11-14", False),  # the latest says nothing of a newer one
    ],
)
def test_an_older_release_links_the_latest(site: Path, day: str, notice: bool) -> None:
    page = (site / f"emotet-2020/{day}/index.html").read_text(encoding="utf-8")
    assert ('<p class="newer-release" role="note">' in page) is notice
    if notice:
        assert '<a href="../2020-11-14/">最新のリリース(2020年11月14日):横浜トヨペット' in page


def test_not_found_page_links_from_the_deployed_root_path(site: Path) -> None:
    """Served for a missing address at any depth: its links lead from base_url's path, on any
    host (the preview's too), not from base_url itself."""
    page = (site / "404.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="/incident/static/style.css">' in page
    assert '<p><a href="/incident/">お知らせ一覧</a></p>' in page
    assert "ページが見つかりません" in page


SCHEDULED = RELEASE.replace("2020-08-05", "2020-09-01") + "publish_at: 2020-09-01T10:00:00+09:00\n"


def _built_ids(out: Path) -> list[str]:
    return [row["id"] for row in json.loads((out / "releases.json").read_text())]


def _feed_ids(out: Path) -> list[str]:
    return [e.findtext(f"{ATOM}id", "") for e in _feed_entries(out / "feed.xml")[1]]


@pytest.mark.parametrize(
    "as_of,expected",
    [
        ("2020-09-01T09:59:59+09:00", ["test/2020-08-05"]),
        ("2020-09-01T10:00:00+09:00", ["test/2020-09-01", "test/2020-08-05"]),
    ],
)
def test_scheduled_release_appears_only_when_due(
    make_tree: MakeTree, tmp_path: Path, as_of: str, expected: list[str]
) -> None:
    root = make_tree({"incidents/test/releases/2020-09-01.yaml": SCHEDULED})
    out = tmp_path / "out"
    config = BuildConfig(root, REPO / "templates", out, as_of=datetime.fromisoformat(as_of))
    build_site(config, NullReporter())
    assert _built_ids(out) == expected
    assert len(_feed_ids(out)) == len(expected)
    assert (out / "test/2020-09-01/index.html").exists() == (len(expected) == 2)


def test_clock_decides_when_no_time_is_given(make_tree: MakeTree, tmp_path: Path) -> None:
    root = make_tree({"incidents/test/releases/2020-09-01.yaml": SCHEDULED})
    out = tmp_path / "out"

    def clock() -> datetime:
        return datetime(2020, 9, 1, 0, 59, 59, tzinfo=UTC)

    build_site(BuildConfig(root, REPO / "templates", out), NullReporter(), clock)
    assert _built_ids(out) == ["test/2020-08-05"]


def test_drafts_only_with_drafts(make_tree: MakeTree, tmp_path: Path) -> None:
    draft = RELEASE.replace("2020-08-05", "2020-08-06") + "draft: true\n"
    root = make_tree({"incidents/test/releases/2020-08-06.yaml": draft})
    out = tmp_path / "out"
    build_site(BuildConfig(root, REPO / "templates", out), NullReporter())
    assert _built_ids(out) == ["test/2020-08-05"]
    build_site(BuildConfig(root, REPO / "templates", out, drafts=True), NullReporter())
    assert _built_ids(out) == ["test/2020-08-06", "test/2020-08-05"]


def test_incident_without_public_release_is_not_published(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    root = make_tree({"incidents/test/releases/2020-08-05.yaml": RELEASE + "draft: true\n"})
    out = tmp_path / "out"
    build_site(BuildConfig(root, REPO / "templates", out), NullReporter())
    assert _built_ids(out) == []
    assert not (out / "test").exists()
    assert "Test incident" not in (out / "index.html").read_text()


def test_source_date_epoch_does_not_decide_what_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "315532800")  # 1980, as some build systems set it
    out = tmp_path / "out"
    build_site(BuildConfig(REPO / "content", REPO / "templates", out), NullReporter())
    assert len(_built_ids(out)) == 5


def test_a_preview_must_name_its_folder(make_tree: MakeTree) -> None:
    make_tree()
    for option in (["--drafts"], ["--as-of", "2030-01-01"]):
        result = CliRunner().invoke(cli, ["build", "--no-pdf", *option])
        assert result.exit_code == 2
        assert "name its folder with --out" in result.stderr
    assert not Path("site").exists()


SECRET = "root:x:0:0:a line of another folder:/root:/bin/bash\n"


def _refused(args: list[str], named: str) -> str:
    result = CliRunner().invoke(cli, ["build", "--no-pdf", "--out", "site", *args])
    assert result.exit_code == 1
    assert not Path("site").exists()
    assert named in result.stderr
    return str(result.stderr)


def test_nothing_outside_the_project_is_published_or_printed(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    make_tree()
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "templates" / "static").mkdir(parents=True)
    (tmp_path / "templates" / "static" / "passwd.txt").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "content" / "incidents" / "test" / "releases" / "2020-09-01.yaml").symlink_to(
        tmp_path / "secret.txt"
    )
    shown = _refused(["--templates", "templates"], "templates/static/passwd.txt: ")
    assert "content/incidents/test/releases/2020-09-01.yaml: " in shown
    assert "another folder" not in shown


def test_a_control_character_in_a_summary_never_reaches_the_feed(make_tree: MakeTree) -> None:
    make_tree(
        {"incidents/test/releases/2020-08-05.yaml": RELEASE.replace(
            "summary: Something happened.", 'summary: "Something\\x01 happened."'
        )}
    )  # fmt: skip
    _refused([], "2020-08-05.yaml:4:10: error: schema: summary: holds the control character U+0001")
