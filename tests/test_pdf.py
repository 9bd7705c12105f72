"""The PDFs, checked with real WeasyPrint, the real fonts and poppler, as a reader would see them.

The example is built once per module (two jobs, a fresh cache); the other tests reuse that
build, its cache, or content trees that fail before anything is rendered.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from publisher.build import BuildConfig, BuildResult, build_site
from publisher.pdf.options import PdfOptions
from publisher.reporter import RecordingReporter
from tests.conftest import REPO, THEME
from tests.pagetext import missing_in_order, seed_sentences, squeeze

Rows = list[dict[str, Any]]
FINAL = "emotet-2020/2020-11-14/emotet-2020-2020-11-14.pdf"
FOOTER = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Built:
    """One build of the example: where it went, what it reported."""

    out: Path
    cache: Path
    result: BuildResult
    reporter: RecordingReporter

    def pdfs(self) -> dict[str, bytes]:
        """Every PDF of the site by path."""
        return {p.relative_to(self.out).as_posix(): p.read_bytes() for p in self.out.rglob("*.pdf")}


def build(content: Path, out: Path, cache: Path, jobs: int = 2) -> Built:
    """Build `content` with the repository's templates into `out`, PDFs cached in `cache`."""
    reporter = RecordingReporter()
    config = BuildConfig(content, REPO / "templates", out, PdfOptions(jobs, cache))
    return Built(out, cache, build_site(config, reporter), reporter)


def tool(*args: str | int | Path) -> str:
    """The output of a poppler tool."""
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("example")
    return build(REPO / "content", root / "site", root / "cache")


@pytest.fixture(scope="module")
def releases(example: Built) -> Rows:
    rows: Rows = json.loads((example.out / "releases.json").read_text())
    return rows


def test_every_release_has_its_pdf_beside_its_page(example: Built, releases: Rows) -> None:
    assert len(releases) == 5
    for row in releases:
        incident, day = str(row["id"]).split("/")
        assert row["pdf"] == f"{incident}/{day}/{incident}-{day}.pdf"
        assert (example.out / str(row["pdf"])).parent.joinpath("index.html").is_file()
    assert sorted(example.pdfs()) == sorted(str(row["pdf"]) for row in releases)


def test_catalog_gives_each_pdf_size_and_sha256(example: Built, releases: Rows) -> None:
    import hashlib

    for row in releases:
        data = (example.out / str(row["pdf"])).read_bytes()
        assert row["pdf_bytes"] == len(data)
        assert row["pdf_sha256"] == hashlib.sha256(data).hexdigest()


def test_release_page_links_its_pdf_with_size(example: Built, releases: Rows) -> None:
    row = next(r for r in releases if r["id"] == "emotet-2020/2020-11-14")
    page = (example.out / "emotet-2020/2020-11-14/index.html").read_text(encoding="utf-8")
    kb = max(1, round(int(str(row["pdf_bytes"])) / 1024))
    assert '<a href="emotet-2020-2020-11-14.pdf" type="application/pdf" download>PDF版</a>' in page
    assert f"(PDF {kb}KB)" in page


def test_incident_page_lists_every_pdf_with_its_size(example: Built, releases: Rows) -> None:
    page = (example.out / "emotet-2020/index.html").read_text(encoding="utf-8")
    assert len(releases) == 5
    for row in releases:
        day, kb = row["date"], max(1, round(int(str(row["pdf_bytes"])) / 1024))
        assert (
            f'<a class="pdf" href="{day}/emotet-2020-{day}.pdf" type="application/pdf">PDF版</a>'
            f'<span class="pdf-size">(PDF {kb}KB)</span>'
        ) in page


def test_build_reports_rendered_and_reused(example: Built) -> None:
    assert "5 PDFs rendered, 0 reused" in example.reporter.messages
    assert ("rendering PDFs", 5, 5) in example.reporter.tasks
    assert (example.result.pdfs_rendered, example.result.pdfs_reused) == (5, 0)


def test_every_font_is_embedded_and_subset(example: Built) -> None:
    for path in example.pdfs():
        rows = tool("pdffonts", example.out / path).splitlines()[2:]
        assert rows, f"{path}: no fonts"
        for row in rows:
            name, *_, emb, sub, uni, _obj, _gen = row.split()
            assert (emb, sub, uni) == ("yes", "yes", "yes"), f"{path}: {row}"
            assert re.fullmatch(r"[A-Z]{6}\+Noto-Sans-CJK-JP(-Bold)?", name), f"{path}: {row}"


def _pdfinfo(path: Path) -> dict[str, str]:
    lines = tool("pdfinfo", "-isodates", path).splitlines()
    return {key: value.strip() for key, value in (line.split(":", 1) for line in lines)}


def test_pdfinfo_says_a4_tagged_no_javascript_and_release_metadata(
    example: Built, releases: Rows
) -> None:
    for row in releases:
        info = _pdfinfo(example.out / row["pdf"])
        assert info["Page size"].endswith("(A4)")
        assert (info["Tagged"], info["JavaScript"], info["Encrypted"]) == ("yes", "no", "no")
        assert (info["Title"], info["Author"]) == (row["title"], "横浜トヨペット株式会社")
        assert info["CreationDate"].startswith(row["date"])
        assert info["ModDate"].startswith(row["date"])
    assert _pdfinfo(example.out / FINAL)["CreationDate"].startswith("2020-11-14")


def test_xmp_identifies_pdf_a_3a_and_catalog_has_lang(example: Built) -> None:
    for path in example.pdfs():
        reader = PdfReader(example.out / path)
        xmp = tool("pdfinfo", "-meta", example.out / path)
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp, path
        assert "<xmp:CreateDate>" + path.split("/")[1] in xmp
        catalog: Any = reader.root_object
        assert catalog["/Lang"] == "ja"
        assert "/StructTreeRoot" in catalog
        assert bool(catalog["/MarkInfo"]["/Marked"])


def _structure(node: Any, found: Counter[str]) -> Counter[str]:
    node = node.get_object()
    if isinstance(node, dict):
        found.update([str(node["/S"])] if "/S" in node else [])
        if "/K" in node:
            _structure(node["/K"], found)
    elif isinstance(node, list):
        for kid in node:
            _structure(kid, found)
    return found


def test_structure_tags_title_sections_and_lists(example: Built) -> None:
    catalog: Any = PdfReader(example.out / FINAL).root_object
    tags = _structure(catalog["/StructTreeRoot"], Counter())
    assert tags["/H1"] == 1
    assert tags["/H2"] == 6  # the five numbered sections, and the corrected facts box after them
    assert tags["/L"] >= 1 and tags["/LI"] >= 7  # the bullet lists
    assert tags["/P"] > 10


def _pages(path: Path) -> list[str]:
    count = len(PdfReader(path).pages)
    return [tool("pdftotext", "-layout", "-f", n, "-l", n, path, "-") for n in range(1, count + 1)]


def test_final_report_pdf_holds_every_seed_sentence_in_order(example: Built) -> None:
    pages = _pages(example.out / FINAL)
    body = "\n".join(line for page in pages for line in page.splitlines() if not FOOTER.match(line))
    sentences = seed_sentences()
    assert len(sentences) > 50
    assert missing_in_order(sentences, body) == []


def test_footer_numbers_pages_n_of_n(example: Built) -> None:
    pages = _pages(example.out / FINAL)
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        footers = [m.groups() for line in page.splitlines() if (m := FOOTER.match(line))]
        assert footers == [(str(number), str(len(pages)))]


def test_formal_layout_order_and_date_at_top_right(example: Built) -> None:
    text = tool("pdftotext", "-layout", example.out / FINAL, "-")
    flat = squeeze(text)
    marks = ["2020年11月14日", "横浜トヨペット株式会社", "日頃より", "記", "1.事象概要", "以上"]
    positions = [flat.find(mark) for mark in marks]
    assert positions == sorted(positions) and -1 not in positions
    assert flat.index("以上") < flat.index("お問い合わせ先:横浜トヨペットお客様相談室")
    date_line = next(line for line in text.splitlines() if "2020年11月14日" in line)
    assert len(date_line) - len(date_line.lstrip()) > 30  # pushed to the right margin


def test_two_clean_builds_give_identical_bytes(example: Built, tmp_path: Path) -> None:
    again = build(REPO / "content", tmp_path / "site", tmp_path / "cache", jobs=1)
    assert again.result.pdfs_rendered == 5
    assert again.pdfs() == example.pdfs()
    first = json.loads((example.out / "releases.json").read_text())
    second = json.loads((again.out / "releases.json").read_text())
    assert [r["pdf_sha256"] for r in second] == [r["pdf_sha256"] for r in first]


def test_noop_rebuild_renders_nothing_and_says_so(example: Built, tmp_path: Path) -> None:
    again = build(REPO / "content", tmp_path / "site", example.cache)
    assert "0 PDFs rendered, 5 reused" in again.reporter.messages
    assert ("rendering PDFs", 0, 0) in again.reporter.tasks
    assert again.pdfs() == example.pdfs()


def test_changing_one_release_renders_only_its_pdf(example: Built, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    release = content / "incidents/emotet-2020/releases/2020-07-31.yaml"
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("\ntitle: ", "\ntitle: 【訂正】", 1), encoding="utf-8")
    again = build(content, tmp_path / "site", example.cache)
    assert "1 PDF rendered, 4 reused" in again.reporter.messages
    changed = {p for p, d in again.pdfs().items() if example.pdfs()[p] != d}
    assert changed == {"emotet-2020/2020-07-31/emotet-2020-2020-07-31.pdf"}


def test_a_moved_project_keeps_its_cache(example: Built, tmp_path: Path) -> None:
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    shutil.copytree(THEME, templates)
    reporter = RecordingReporter()
    config = BuildConfig(content, templates, tmp_path / "site", PdfOptions(1, example.cache))
    build_site(config, reporter)
    assert "0 PDFs rendered, 5 reused" in reporter.messages
