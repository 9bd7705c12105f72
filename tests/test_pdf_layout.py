"""Page breaks of the print stylesheet: a heading never ends a page, no paragraph is split
leaving a single line on either side.

Wherever a page happens to break in the example proves little, so the test slides a heading and
a five-line paragraph down the page, one filler line at a time, past the first page break.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from publisher.pdf.engine import font_config, write_pdf
from publisher.pdf.plan import PRINT_STYLESHEET, PdfJob, Stylesheet
from tests.conftest import THEME

HEADING = "9.見出しの行"
LINE = "段落の行"


def _pages(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "sweep.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")
    ]


def _job(fillers: int) -> PdfJob:
    css = (THEME / PRINT_STYLESHEET).read_text(encoding="utf-8")
    body = "".join(f"<p>埋め草{n}</p>" for n in range(fillers))
    body += f'<section class="numbered"><h2>{HEADING}</h2>'
    body += "<p>" + "<br>".join(f"{LINE}{n}" for n in range(1, 6)) + "</p></section>"
    html = f'<html lang="ja"><head><title>t</title></head><body>{body}</body></html>'
    root = THEME.resolve()
    return PdfJob("t/2020-01-01", ("x.yaml",), "x.pdf", html, root.as_uri() + "/",
                  (Stylesheet(css, root.as_uri() + "/"),), (str(root),))  # fmt: skip


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> list[list[list[str]]]:
    """The pages of documents with 22 to 29 filler paragraphs before the heading."""
    tmp_path = tmp_path_factory.mktemp("sweep")
    return [_pages(write_pdf(_job(n), None, font_config()), tmp_path) for n in range(22, 30)]


def test_the_sweep_crosses_a_page_break(sweep: list[list[list[str]]]) -> None:
    assert any(HEADING in pages[0] for pages in sweep)
    assert any(HEADING in pages[1] for pages in sweep if len(pages) > 1)


def test_a_heading_never_ends_a_page(sweep: list[list[list[str]]]) -> None:
    for pages in sweep:
        for page in pages[:-1]:
            body = [line for line in page if "/" not in line]  # without the "n / N" footer
            assert body[-1] != HEADING, pages


def test_a_split_paragraph_keeps_two_lines_on_each_page(sweep: list[list[list[str]]]) -> None:
    split = 0
    for pages in sweep:
        counts = [sum(line.startswith(LINE) for line in page) for page in pages]
        parts = [count for count in counts if count]
        assert all(count >= 2 for count in parts), counts
        split += len(parts) > 1
    assert split >= 1  # the sweep did split the paragraph at least once
