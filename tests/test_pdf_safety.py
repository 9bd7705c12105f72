"""What the PDF stage refuses: files outside the project, the network, and a missing font.

A real HTTP server on 127.0.0.1 counts the requests rendering makes: refusing must mean that
nothing was fetched, not only that an error was printed.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from publisher.cli import cli
from publisher.errors import FontMissing, Problem
from publisher.pdf.cache import PdfCache
from publisher.pdf.engine import render_job
from publisher.pdf.fetch import allowed
from publisher.pdf.fonts import missing_glyphs, require_fonts
from publisher.pdf.plan import PdfJob, Stylesheet
from publisher.render.urls import absolute_links
from tests.conftest import REPO, THEME, MakeTree

RELEASE_WITH_IMAGE = """\
date: 2020-08-05
kind: first_notice
title: Notice
summary: Something happened.
sections:
  - heading: What happened
    body: |
      Something.

      ![logo]({url})
"""
SOURCE = "content/incidents/test/releases/2020-08-05.yaml"
ONLY = "only files under content/, templates/ and the output folder may be used"


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server: its base URL and the paths it was asked for."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    _Counting.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counting.requests
    httpd.shutdown()
    httpd.server_close()


def _build(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    templates = str(REPO / "templates")
    result = CliRunner().invoke(
        cli,
        ["build", "--content", "content", "--templates", templates, "--out", "site", *args],
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("written", "resolved"),
    [
        ("/etc/hostname", "file:///etc/hostname"),
        ("../../../../../../../../../../etc/hostname", "file:///etc/hostname"),
    ],
)
def test_image_outside_the_project_fails_the_build_naming_the_file(
    make_tree: MakeTree, tmp_path: Path, written: str, resolved: str
) -> None:
    make_tree({"incidents/test/releases/2020-08-05.yaml": RELEASE_WITH_IMAGE.format(url=written)})
    code, _, stderr = _build(tmp_path, "--cache", "cache")
    assert code == 1
    assert stderr.splitlines() == [
        f"{SOURCE}:10:15: refusing to read {resolved} while rendering the PDF: {ONLY}",
        "1 problem; nothing was written.",
    ]
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "cache").exists()


def test_http_image_fails_the_build_and_nothing_is_fetched(
    make_tree: MakeTree, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    url = f"{base}/logo.png"
    make_tree({"incidents/test/releases/2020-08-05.yaml": RELEASE_WITH_IMAGE.format(url=url)})
    code, _, stderr = _build(tmp_path, "--cache", "cache")
    assert code == 1
    # The content checks may name it first (a link that is not https); either way: located.
    assert any(line.startswith(f"{SOURCE}:10:") and url in line for line in stderr.splitlines())
    assert requests == []
    assert not (tmp_path / "site").exists()


def test_literal_file_url_fails_the_build(make_tree: MakeTree, tmp_path: Path) -> None:
    # Markdown does not make `file:` URLs images; the content checks refuse the link itself.
    url = "file:///etc/hostname"
    make_tree({"incidents/test/releases/2020-08-05.yaml": RELEASE_WITH_IMAGE.format(url=url)})
    code, _, stderr = _build(tmp_path, "--cache", "cache")
    assert code == 1
    assert any(line.startswith(f"{SOURCE}:10:") and url in line for line in stderr.splitlines())
    assert not (tmp_path / "site").exists()


def test_image_on_the_web_even_the_official_site_is_not_fetched(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    url = "https://www.example.com/logo.png"
    make_tree({"incidents/test/releases/2020-08-05.yaml": RELEASE_WITH_IMAGE.format(url=url)})
    code, _, stderr = _build(tmp_path, "--cache", "cache")
    assert code == 1
    assert stderr.splitlines() == [
        f"{SOURCE}:10:15: refusing to read {url} while rendering the PDF: {ONLY}",
        "1 problem; nothing was written.",
    ]


def test_fetcher_refuses_what_the_html_check_cannot_see(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    for url in (f"{base}/x.png", "file:///etc/hostname"):
        job = PdfJob(
            release_id="test/2020-08-05",
            sources=("content/x.yaml",),
            path="x.pdf",
            html=f'<p style="background: url({url})">text</p>',
            base_url=tmp_path.as_uri() + "/",
            stylesheets=(Stylesheet("p { color: #000 }", tmp_path.as_uri() + "/"),),
            roots=(str(tmp_path),),
        )
        assert render_job(job) == Problem(
            "content/x.yaml",
            message=f"refusing to read {url} " + (f"while rendering the PDF: {ONLY}"),
        )
    assert requests == []


def test_files_inside_the_project_may_be_used(tmp_path: Path) -> None:
    (tmp_path / "red.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="red"/></svg>'
    )
    job = PdfJob(
        "t/2020-01-01", ("x.yaml",), "x.pdf", '<img src="red.svg">', tmp_path.as_uri() + "/",
        (), (str(tmp_path),),
    )  # fmt: skip
    assert isinstance(render_job(job), bytes)


def test_allowed_urls(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "link").symlink_to("/etc")
    roots = [str(content)]
    inside = content.as_uri()
    assert allowed("data:image/png;base64,AAAA", roots)
    assert allowed(f"{inside}/figure.png", roots)
    assert not allowed(f"{inside}/../secret.png", roots)
    assert not allowed(f"{inside}/link/hostname", roots)
    assert not allowed("file:///etc/hostname", roots)
    assert not allowed(f"file://elsewhere{content}/figure.png", roots)
    assert not allowed("http://127.0.0.1/figure.png", roots)
    assert not allowed("https://example.com/figure.png", roots)


def test_missing_font_fails_the_build_naming_it(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<fontconfig><dir>{tmp_path / 'no-fonts'}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    code, _, stderr = _build(tmp_path, "--cache", "cache")
    assert code == 1
    assert stderr.startswith("error: font 'Noto Sans CJK JP' is not installed")
    assert "fonts-noto-cjk" in stderr and "--no-pdf" in stderr
    assert not (tmp_path / "site").exists()


def test_character_missing_from_the_font_fails_the_build_naming_it(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    release = RELEASE_WITH_IMAGE.replace("![logo]({url})", "We apologise 🙇.")
    make_tree({"incidents/test/releases/2020-08-05.yaml": release})
    code, _, stderr = _build(tmp_path, "--cache", "cache")
    assert code == 1
    assert stderr.splitlines() == [
        f"{SOURCE}:10:20: character '🙇' (U+1F647) is not in the font 'Noto Sans CJK JP': "
        "the PDF would print an empty box in its place",
        "1 problem; nothing was written.",
    ]


def test_missing_glyphs_finds_the_few_among_many() -> None:
    kanji = "".join(chr(c) for c in range(0x4E00, 0x5200))
    assert missing_glyphs(kanji + "・ー、。ABCé") == set()
    assert missing_glyphs(kanji + "🙇" + "\U0001f9ea") == {"🙇", "\U0001f9ea"}


def test_a_project_print_stylesheet_replaces_the_default_one(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    make_tree()
    print_css = tmp_path / "templates/print/release.css"
    print_css.parent.mkdir(parents=True)
    default = (THEME / "print/release.css").read_text(encoding="utf-8")
    print_css.write_text(default.replace("size: A4;", "size: A5;"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", "site", "--cache", "cache"])
    assert result.exit_code == 0, result.output
    (pdf,) = Path("site").rglob("*.pdf")
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5, in points
    assert (Path("site") / "static/style.css").read_bytes() == (
        THEME / "static/style.css"
    ).read_bytes()


def test_require_fonts_names_each_missing_family() -> None:
    assert len(require_fonts()) == 64
    with pytest.raises(FontMissing, match="font 'No Such Sans JP' is not installed"):
        require_fonts(["Noto Sans CJK JP", "No Such Sans JP"])


def test_cli_build_reports_rendered_then_reused(make_tree: MakeTree, tmp_path: Path) -> None:
    root = make_tree()
    first = _build(tmp_path, "--jobs", "1")
    assert first[0] == 0, first
    assert "1 PDF rendered, 0 reused" in first[1].splitlines()
    assert (tmp_path / "content/.publisher-cache").is_dir()
    assert (tmp_path / "site/test/2020-08-05/test-2020-08-05.pdf").is_file()
    # The cache inside content/ is not an input: the rebuild is a no-op, and says so.
    again = _build(tmp_path)[1].splitlines()
    assert "0 PDFs rendered, 1 reused (nothing changed since the last build)" in again
    release = root / "incidents/test/releases/2020-08-05.yaml"
    release.write_text(release.read_text().replace("Notice", "Notice (corrected)"))
    assert "1 PDF rendered, 0 reused" in _build(tmp_path)[1].splitlines()
    elsewhere = CliRunner().invoke(cli, ["build", "--templates", str(REPO / "templates"),
                                         "--out", "other"])  # fmt: skip
    assert "0 PDFs rendered, 1 reused" in elsewhere.stdout.splitlines()


def test_no_pdf_builds_pages_only(make_tree: MakeTree, tmp_path: Path) -> None:
    make_tree()
    code, stdout, _ = _build(tmp_path, "--no-pdf")
    assert code == 0
    assert "PDF" not in stdout
    assert not list((tmp_path / "site").rglob("*.pdf"))
    assert not list((tmp_path / "content/.publisher-cache").rglob("*.pdf"))


def test_damaged_cache_entry_is_not_used(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    cache.put("ab" * 32, b"%PDF-1.7\n...\n%%EOF\n")
    assert cache.get("ab" * 32) == b"%PDF-1.7\n...\n%%EOF\n"
    entry = tmp_path / "pdf/ab" / ("ab" * 32 + ".pdf")
    entry.write_bytes(b"%PDF-1.7\n.,.\n%%EOF\n")  # one byte changed where it still reads
    assert cache.get("ab" * 32) is None
    entry.write_bytes(b"%PDF-1.7\ntruncat")
    assert cache.get("ab" * 32) is None
    assert cache.get("cd" * 32) is None
    cache.put("cd" * 32, b"%PDF-1.7\n...\n%%EOF\n")
    entry.with_suffix(".sha256").unlink()  # an entry without its digest, as an older one
    assert cache.get("ab" * 32) is None
    (tmp_path / "pdf/ab/notes.txt").write_text("not ours")
    assert cache.prune({"cd" * 32}) == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "cd" * 32 + ".pdf",
        "cd" * 32 + ".sha256",
        "notes.txt",
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="../2020-09-30/">x</a>', '<a href="https://ex.jp/i/a/2020-09-30/">x</a>'),
        ('<a href="https://other.jp/">x</a>', '<a href="https://other.jp/">x</a>'),
        ('<a href="mailto:a@ex.jp">x</a>', '<a href="mailto:a@ex.jp">x</a>'),
        ('<a href="#top">x</a>', '<a href="#top">x</a>'),
    ],
)
def test_printed_links_point_at_the_published_site(html: str, expected: str) -> None:
    assert absolute_links(html, "https://ex.jp/i/a/2020-11-14/") == expected
