"""Prose tables, definition lists and footnotes: rendered in the page and the PDF alike."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from publisher.build import BuildConfig, build_site
from publisher.pdf.options import PdfOptions
from publisher.reporter import NullReporter
from tests.conftest import RELEASE, MakeTree

REL = "incidents/test/releases/2020-08-05.yaml"
CLOSING = """\
closing: |
  | Item | Count |
  |---|---|
  | PCs | {{ facts.infected_pcs }} |

  Sender
  : info@example.com

  Subject
  : Notice

  Thanks for your patience.[^1]

  [^1]: A note at the foot.
"""


def test_tables_definition_lists_and_footnotes_render_in_page_and_pdf(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    root = make_tree({REL: RELEASE + CLOSING})
    out = tmp_path / "out"
    build_site(BuildConfig(root, None, out, PdfOptions(1, tmp_path / "cache")), NullReporter())
    page = (out / "test" / "2020-08-05" / "index.html").read_text(encoding="utf-8")
    assert "<th>Item</th>" in page and "<td>PCs</td>\n<td>11</td>" in page
    assert "<dt>Sender</dt>\n<dd>info@example.com</dd>" in page
    assert 'href="#fn-closing-1" id="fnref-closing-1"' in page
    assert '<li id="fn-closing-1" class="footnote-item"><p>A note at the foot.' in page
    assert "|" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    (pdf,) = (out / "test" / "2020-08-05").glob("*.pdf")
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    for said in ("Item", "PCs", "Sender", "info@example.com", "A note at the foot."):
        assert said in text
