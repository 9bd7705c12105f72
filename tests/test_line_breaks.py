"""Japanese titles break between phrases, never inside a word, in Chromium and in the PDFs.

The phrases are BudouX's own segmentation of each title; every line of the rendered title must
start where a phrase starts (so 「コンピュ/ータ」, 「お/詫び」, 「ご報/告」 and 「12/台」 are
failures). Lines are read off the real renderers: Chromium's layout (a box per character) at a
phone's and a desktop's width, and `pdftotext -layout` over each release's PDF.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

import budoux
import pytest
from playwright.sync_api import Browser

from publisher.build import BuildConfig, build_site
from publisher.pdf.options import PdfOptions
from publisher.reporter import NullReporter
from tests.conftest import REPO

RELEASES = ["2020-07-29", "2020-07-31", "2020-08-05", "2020-09-30", "2020-11-14"]
WIDTHS = [390, 1280]
PARSER = budoux.load_default_japanese_parser()
LINE_TOPS = """el => {
  const tops = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      tops.push(box ? box.top : null);
    }
  }
  return [el.textContent, tops];
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("phrases")
    pdf = PdfOptions(2, root / "cache")
    out = root / "site"
    build_site(BuildConfig(REPO / "content", REPO / "templates", out, pdf), NullReporter())
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def phrase_starts(text: str) -> set[int]:
    """The offsets where BudouX starts a phrase of `text` (0 included)."""
    return {0, *accumulate(len(chunk) for chunk in PARSER.parse(text))}


def line_starts(tops: list[float | None]) -> list[int]:
    """The offsets of the characters that start a new line, from each character's box top."""
    starts, last = [0], None
    for index, top in enumerate(tops):
        if top is None:
            continue
        if last is not None and top > last + 4:
            starts.append(index)
        last = top
    return starts


def bad_breaks(text: str, starts: list[int]) -> list[str]:
    """Each line break of `text` that falls inside a phrase, shown as `before/after`."""
    allowed = phrase_starts(text)
    return [f"{text[max(0, i - 4) : i]}/{text[i : i + 4]}" for i in starts if i not in allowed]


def test_breaks_are_found_where_they_are() -> None:
    """The measure itself: a break inside 「お詫び」 is a bad break, one before it is not."""
    text = "「なりすましメール」に関するお詫びとご報告"
    inside = text.index("詫")
    assert bad_breaks(text, [0, inside]) == ["関するお/詫びとご"]
    assert bad_breaks(text, [0, text.index("お詫")]) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_titles_break_between_phrases_in_chromium(
    server: str, browser: Browser, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    wrapped = 0
    for day in RELEASES:
        page.goto(f"{server}emotet-2020/{day}/")
        text, tops = page.locator("main h1").first.evaluate(LINE_TOPS)
        starts = line_starts(tops)
        wrapped += len(starts) > 1
        assert bad_breaks(text, starts) == [], (day, width)
    page.close()
    assert wrapped, "no title wrapped at this width, so nothing was tested"


def _pdf_title_lines(pdf: Path, title: str) -> list[str]:
    """The lines of the PDF's first page that make up the title, in order."""
    layout = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines = [line.strip() for line in layout.splitlines() if line.strip()]
    for first in range(len(lines)):
        taken, joined = [], ""
        for line in lines[first:]:
            if not title.startswith(joined + line):
                break
            taken.append(line)
            joined += line
            if joined == title:
                return taken
    raise AssertionError(f"the title is not on the first page of {pdf.name}")


def test_titles_break_between_phrases_in_the_pdfs(site: Path) -> None:
    wrapped = 0
    for day in RELEASES:
        pdf = site / "emotet-2020" / day / f"emotet-2020-{day}.pdf"
        html = (site / "emotet-2020" / day / "index.html").read_text()
        title = html.split("<title>", 1)[1].split(" | ", 1)[0]
        lines = _pdf_title_lines(pdf, title)
        starts = list(accumulate([0, *(len(line) for line in lines[:-1])]))
        wrapped += len(lines) > 1
        assert bad_breaks(title, starts) == [], day
    assert wrapped >= 3
