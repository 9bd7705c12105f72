"""The release's own text on a page, read by regular expressions, is html.parser's reading of it:
the digests of the publication record do not depend on which of the two read a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.load.content import load_content
from publisher.render import article
from publisher.render.site import render_site
from publisher.render.theme import load_theme
from tests.conftest import REPO


def _parsed(markup: str) -> str:
    parser = article._ArticleText()
    parser.feed(markup)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _read(markup: str) -> str | None:
    parts = article._read(markup)
    return None if parts is None else " ".join(" ".join(parts).split())


PAGE = "<!DOCTYPE html><html><head>{head}</head><body><nav>menu</nav>{body}<footer>f</footer>"
CASES = [
    # (what, the body, read by the expressions (False: left to html.parser))
    ("plain", '<article class="release"><h1>T</h1><p>a&amp;b &lt;c&gt;</p></article>', True),
    ("the PDF link left out", '<article class="release"><p class="x release-pdf">PDF'
     '<span>12KB</span></p><p>kept</p></article>', True),
    ("the genuine-mail box and the languages left out", '<article class="release"><div '
     'class="genuine-mail short">x</div><p class="release-languages">en</p>kept</article>', True),
    ("the corrections box", '<article class="release">a</article><aside class="corrections">'
     '<p>11 -&gt; 12</p></aside><aside class="other">no</aside>', True),
    ("void and self-closing tags", '<article class="release">a<br>b<br/>c<img src="x" alt="y" />'
     '<span/>d<wbr>e</article>', True),
    ("upper case and other quotes", "<ARTICLE CLASS='release'><P>a</P></ARTICLE>"
     '<aside class=corrections>b</aside>', True),
    ("a class attribute twice", '<article class="release" class="other">no</article>'
     '<article class="other" class="release">yes</article>', True),
    ("quoted > in an attribute", '<article class="release"><a title="a>b">x</a>y</article>', False),
    ("a stray <", '<article class="release">a < b</article>', False),
    ("a comment", '<article class="release">a<!-- b -->c</article>', False),
    ("a script inside", '<article class="release">a<script>var b = 1;</script>c</article>', False),
    ("a title inside (an SVG's)", '<article class="release"><svg><title>t</title></svg>a</article>',
     False),
    ("an unclosed article", '<article class="release"><p>a', True),
    ("unbalanced end tags", '<article class="release"></p></div>after</article>more', True),
    ("an end tag with attributes", '<article class="release">a</p class="x">b</article>', False),
    ("entities", '<article class="release">&#x41;&#66;&eacute;&amp;amp;&notanentity;</article>',
     True),
    ("a character reference in the class", '<article class="&#114;elease">a</article>', True),
    ("a script after the article", '<article class="release">a</article><script>if (a < b) {}'
     '</script><aside class="corrections">b</aside>', True),
    ("a left-out box in a left-out box, then text", '<article class="release">a<p class='
     '"release-pdf">b<span class="genuine-mail">c</span>d</p>e</article>', True),
    ("a left-out box never closed", '<article class="release">a<p class="release-pdf">b', True),
    ("the article opened inside itself, left out", '<article class="release">a<article class='
     '"release genuine-mail">b</article>c</article>d', True),
    ("an entity cut by a tag", '<article class="release">&am<b>p;</b>&#6<i>5;</i></article>', True),
]  # fmt: skip
HEADS = {
    "nothing": "",
    "JSON-LD": '<script type="application/ld+json">{"a": "<article class=\\u0022release\\u0022"}'
    "</script><style>a > b {}</style>",
    "a script holding <": "<script>if (a < b) {}</script><style>p{}</style>",
    "an article in a script": "<script>'<article class=\"release\">x</article>'</script>",
}


@pytest.mark.parametrize("head", HEADS.values(), ids=HEADS.keys())
@pytest.mark.parametrize(("what", "body", "fast"), CASES, ids=[c[0] for c in CASES])
def test_the_expressions_read_what_html_parser_reads(
    what: str, body: str, fast: bool, head: str
) -> None:
    markup = PAGE.format(head=head, body=body)
    expected = _parsed(markup)
    read = _read(markup)
    if fast and "<" not in head.partition(">")[2].partition("</script>")[0]:
        assert read == expected
    else:
        assert read is None or read == expected
    assert " ".join(article.article_text(markup).split()) == expected


@pytest.mark.parametrize(
    "content",
    [
        REPO / "content",
        REPO / "examples/retailer-en/content",
        REPO / "examples/association-ja/content",
    ],
    ids=["example", "retailer-en", "association-ja"],
)
def test_every_page_and_print_of_the_examples_is_read_by_the_expressions(content: Path) -> None:
    site = render_site(load_content(content), load_theme(REPO / "templates"))
    markups = [o.data.decode() for o in site.outputs if o.path.endswith(".html")]
    markups += [html.decode() for html in site.prints.values()]
    assert len(markups) > 5
    for markup in markups:
        assert _read(markup) == _parsed(markup)
    assert any(_parsed(m) for m in markups)
