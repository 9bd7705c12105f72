"""PDFs that stand alone (issue 14 item 5): every page's foot names the page the PDF is
published on and how to check the file, a link that leaves the site prints its address, and
the contact desk never stands alone on a page. Read off real WeasyPrint output with poppler.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from publisher.pdf.engine import font_config, write_pdf
from publisher.pdf.plan import PRINT_STYLESHEET, PdfJob, Stylesheet
from publisher.render.site import printed_urls
from tests.conftest import REPO, THEME
from tests.test_pdf import Built, build

BASE = "https://www.yokohama-toyopet.jp/incident/"
DAYS = ["2020-07-29", "2020-07-31", "2020-08-05", "2020-09-30", "2020-11-14"]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _pdf(site: Path, day: str) -> Path:
    return site / f"emotet-2020/{day}/emotet-2020-{day}.pdf"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("standalone")
    return build(REPO / "content", root / "site", root / "cache")


@pytest.mark.parametrize("day", DAYS)
def test_every_page_names_where_the_pdf_is_published_and_how_to_check_it(
    example: Built, day: str
) -> None:
    pages = _pages(_pdf(example.out, day))
    assert len(pages) >= 2 or day == "2020-07-29"
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert f"このPDFの掲載ページ: {BASE}emotet-2020/{day}/" in lines, (day, number)
        assert f"(emotet-2020-{day}.pdf)" in page, (day, number)
        assert f"{BASE}SHA256SUMS" in page, (day, number)  # unbroken, on one line
        assert lines[-1] == f"{number}/{len(pages)}", (day, number)


def test_an_english_pdf_sends_its_reader_to_the_page_to_check_the_signature(
    tmp_path: Path,
) -> None:
    """SHA256SUMS is a list of digests, not a page that explains anything: the foot names
    the page the PDF is published on (whose footer gives the commands), as the Japanese one
    does (署名の確かめ方は掲載ページに記載)."""
    built = build(REPO / "examples/retailer-en/content", tmp_path / "site", tmp_path / "cache")
    pdf = built.out / "order-database-2026/2026-09-18/order-database-2026-2026-09-18.pdf"
    for page in _pages(pdf):
        said = " ".join(page.split())
        assert "the page it is published on says how to check the list's signature" in said
        assert "that page says" not in said


@pytest.mark.parametrize("day", DAYS)
def test_the_contact_desk_shares_its_page_with_the_closing_lines(example: Built, day: str) -> None:
    pages = _pages(_pdf(example.out, day))
    page = next(p for p in pages if "お問い合わせ先" in p)
    body = [line for line in page.splitlines() if line.strip() and "掲載ページ" not in line]
    before = body[: next(i for i, line in enumerate(body) if "お問い合わせ先" in line)]
    assert "以上" in "".join(before), (day, page)
    assert "お詫び申し上げ" in "".join(before), (day, page)  # the closing apology came along


def test_the_page_footer_names_the_release_pdf_not_a_placeholder(example: Built) -> None:
    for day in DAYS:
        page = (example.out / f"emotet-2020/{day}/index.html").read_text(encoding="utf-8")
        assert f"sha256sum &lt; emotet-2020-{day}.pdf | cut" in page
        assert "ファイル名.pdf" not in page
    index = (example.out / "index.html").read_text(encoding="utf-8")
    assert "ファイル名.pdf" in index  # a page without a PDF of its own names none


OWN = f"{BASE}emotet-2020/2020-07-29/"
JPCERT = "https://www.jpcert.or.jp/at/2019/at190044.html"


@pytest.mark.parametrize(
    ("link", "marked"),
    [
        (f'<a href="{JPCERT}">JPCERT/CCの注意喚起</a>', True),
        (f'<a href="{JPCERT}" title="t"><span class="phrase">注意喚起</span></a>', True),
        (f'<a href="{JPCERT}">{JPCERT}</a>', False),  # its text is its address already
        (f'<a href="{OWN}">7月29日のリリース</a>', False),  # the site's own page
        ('<a href="mailto:info@yokohama-toyopet.jp">お問い合わせ</a>', False),
        ('<a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&c=2</a>', False),
    ],
)
def test_which_links_print_their_address(link: str, marked: bool) -> None:
    printed = printed_urls(f"<p>{link}</p>", BASE)
    assert ("data-print-url" in printed) is marked
    assert printed.replace(" data-print-url", "") == f"<p>{link}</p>"


def test_an_external_link_prints_its_address_after_its_text(tmp_path: Path) -> None:
    css = (THEME / PRINT_STYLESHEET).read_text(encoding="utf-8")
    body = printed_urls(
        f'<p>詳しくは<a href="{JPCERT}">JPCERT/CCの注意喚起</a>をご覧ください。</p>'
        f'<p><a href="{OWN}">7月29日のリリース</a></p><p><a href="{JPCERT}">{JPCERT}</a></p>',
        BASE,
    )
    html = f'<html lang="ja"><head><title>t</title></head><body>{body}</body></html>'
    root = THEME.resolve()
    job = PdfJob("t/2020-01-01", ("x.yaml",), "x.pdf", html, root.as_uri() + "/",
                 (Stylesheet(css, root.as_uri() + "/"),), (str(root),))  # fmt: skip
    path = tmp_path / "links.pdf"
    path.write_bytes(write_pdf(job, None, font_config()))
    text = "".join(_pages(path))
    flat = "".join(text.split())
    assert f"JPCERT/CCの注意喚起({JPCERT})をご覧ください。" in flat
    assert "7月29日のリリース(" not in flat
    assert flat.count(JPCERT) == 2  # once after the text, once as the autolink's own text
