"""Reading a published file as a reader gets it, table-driven: markup → its links, its text."""

from __future__ import annotations

import pytest

from publisher.check.reading import read_file, read_html

LINKS: list[tuple[str, str, list[str]]] = [
    ("a link and an image", '<a href="https://a.example/">a</a><img src="//b.example/p.png">',
     ["https://a.example/", "//b.example/p.png"]),
    ("a value unescaped", '<a href="https://a.example/?x=1&amp;y=2">a</a>',
     ["https://a.example/?x=1&y=2"]),
    ("single quotes, no quotes, upper case", "<A HREF='https://a.example/'>a</A><img src=x.png>",
     ["https://a.example/", "x.png"]),
    ("a > inside a quoted value", '<a title="1 > 0" href="https://a.example/">a</a>',
     ["https://a.example/"]),
    ("every candidate of a srcset", '<img srcset="a.png 1x, https://b.example/b.png 2x">',
     ["a.png", "https://b.example/b.png"]),
    ("a style attribute and element", '<div style="background:url(\'//b.example/x\')"></div>'
     "<style>@import 'https://c.example/s.css'; p { background: url(d.png) }</style>",
     ["//b.example/x", "https://c.example/s.css", "d.png"]),
    ("a refresh", '<meta http-equiv="refresh" content="0; url=https://e.example/">',
     ["https://e.example/"]),
    ("a URL in the text and in a textual attribute", '<p title="see https://t.example/x">Go to '
     "https://u.example/y.</p>", ["https://t.example/x", "https://u.example/y"]),
    ("JSON-LD's vocabulary is no link, its other URLs are",
     '<script type="application/ld+json">{"@context": "https://schema.org", '
     '"url": "https://v.example/"}</script>', ["https://v.example/"]),
    ("a script's URLs", '<script>location = "https://w.example/";</script>',
     ["https://w.example/"]),
    ("a form, an object", '<form action="https://f.example/"></form><object data="//o.example/x">',
     ["https://f.example/", "//o.example/x"]),
    ("a comment is not read", '<!-- <a href="https://c.example/"> --><p>x</p>', []),
    ("URLs right after Japanese text, in Japanese brackets, before Japanese text",
     "<p>詳細はhttps://a.example/x。「https://b.example/」、https://c.example/loginをご覧ください"
     "</p>", ["https://a.example/x", "https://b.example/", "https://c.example/login"]),
    ("URLs among words and lines, the first after a word boundary only",
     "<p>see https://a.example/x, or\nhttp://b.example/y.\tftp://c.example/z and xhttp://d</p>",
     ["https://a.example/x", "http://b.example/y", "ftp://c.example/z", "xhttp://d"]),
]  # fmt: skip


@pytest.mark.parametrize("name,markup,links", LINKS, ids=[c[0] for c in LINKS])
def test_the_links_of_a_document(name: str, markup: str, links: list[str]) -> None:
    assert sorted(read_html(markup).links) == sorted(links)


TEXTS: list[tuple[str, str, list[str]]] = [
    ("inline markup joins a sentence", "<p>Please enter your <b>password</b> here.</p>",
     ["Please enter your password here."]),
    ("a block is a line", "<p>one</p><p>two</p><li>three</li>", ["one", "two", "three"]),
    ("entities", "<p>A &amp; B &lt;c&gt;</p>", ["A & B <c>"]),
    ("textual attributes", '<meta name="description" content="Confirm your PIN"><img alt="x y">',
     ["Confirm your PIN", "x y"]),
    ("CDATA", "<summary><![CDATA[a <b> c]]></summary>", ["a <b> c"]),
    ("an inline tag in upper case, a block one in mixed case",
     "<P>enter your <STRONG>PIN</Strong> now<Div>then</dIV>", ["enter your PIN now", "then"]),
    ("a tag named like an inline one is a block", "<p>a<bx>b</bx>c<spanner>d</p>",
     ["a", "b", "c", "d"]),
    ("a tag inside a quoted value leaves no line", '<p title="<br>">one <i\ntitle=">">two</i></p>',
     ["one two", "<br>", ">"]),
    ("URLs among words, and among lines", "<p>see https://a.example/x, or\nhttp://b.example/y."
     "</p>", ["see https://a.example/x, or", "http://b.example/y."]),
    ("a < that starts no tag is text, as a browser shows it", "<p>a<<b>p>x, a<ſpan>b</p>",
     ["a<p>x, a<ſpan>b"]),
]  # fmt: skip


@pytest.mark.parametrize("name,markup,lines", TEXTS, ids=[c[0] for c in TEXTS])
def test_the_text_of_a_document(name: str, markup: str, lines: list[str]) -> None:
    found = [line.strip() for line in read_html(markup).text.splitlines() if line.strip()]
    assert found == lines


def test_files_by_kind() -> None:
    css = read_file("static/a.css", b"p { background: url(https://c.example/x.png) }")
    assert css is not None and css.links == ("https://c.example/x.png",)
    text = read_file("robots.txt", b"Sitemap: https://www.example.com/sitemap.xml\n")
    assert text is not None and text.links == ("https://www.example.com/sitemap.xml",)
    assert read_file("static/logo.png", b"\x89PNG") is None
