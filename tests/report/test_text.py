"""Rendered HTML as the plain text a form's field takes."""

from __future__ import annotations

import pytest

from publisher.report.text import html_text

CASES = [
    ("<p>One.</p><p>Two.</p>", "- ", "One.\nTwo."),
    ("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "・", "・a\n・b"),
    ("<ul><li><p>loose</p></li></ul>", "- ", "- loose"),
    ("<p>line<br />\nbreak</p>", "- ", "line\nbreak"),
    ('<p><a href="https://x.example/a">the page</a>.</p>', "- ", "the page (https://x.example/a)."),
    ('<p><a href="https://x.example/">https://x.example/</a></p>', "- ", "https://x.example/"),
    ('<p><a href="../2020-07-29/">relative</a></p>', "- ", "relative"),
    ("<p>&lt;tag&gt; &amp; &#x3042;</p>", "- ", "<tag> & あ"),
    ("<head><title>T</title><style>p{}</style></head><p>body</p>", "- ", "body"),
    ("<dl><dt>7月28日</dt><dd><p>event</p></dd></dl>", "- ", "7月28日\nevent"),
]


@pytest.mark.parametrize("html,bullet,text", CASES, ids=[c[2][:20] for c in CASES])
def test_html_text(html: str, bullet: str, text: str) -> None:
    assert html_text(html, bullet) == text
