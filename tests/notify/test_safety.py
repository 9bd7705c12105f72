"""The safety rules of a notice mail read its HTML part's visible text as a reader sees it."""

from __future__ import annotations

import pytest

from publisher.notify.safety import SafetyRules, check_mail

RULES = SafetyRules("www.example.com", ("example.com",), "https://www.example.com/n/")
TEXT = "https://www.example.com/n/ Mail comes from @example.com.\n"
HTML = (
    '<p><a href="https://www.example.com/n/">https://www.example.com/n/</a></p>'
    "<p>Mail comes from @example.com.</p><p>{}</p>"
)

LINES = [
    # (the HTML around the words, the domain the rules see in it, or None)
    ("Example, Inc.<br>Attn: Privacy Desk", None),
    ("Example, Inc.<br/>Attn: Privacy Desk", None),
    ("Example, Inc.</p><p>Attn: Privacy Desk", None),
    ("Example, Inc.Attn: Privacy Desk", "Inc.Attn"),
    ("Write to<br>help.other.example.org", "help.other.example.org"),
]


@pytest.mark.parametrize(("body", "domain"), LINES)
def test_a_line_break_in_html_ends_a_word(body: str, domain: str | None) -> None:
    found = [m for part, m in check_mail(TEXT, HTML.format(body), RULES) if part == "html"]
    expected = [f"names the domain {domain}, which is not official"] if domain else []
    assert found == expected


FILES = [
    # (a link in the HTML part, a URL in the text part, the problems)
    ("https://www.example.com/n/", "", []),
    ("https://www.example.com/n/n.pdf", "", ["html"]),
    ("https://www.example.com/n/N.PDF?x=1", "", ["html"]),
    ("https://www.example.com/n/", "https://www.example.com/n/n.pdf", ["text"]),
    ("https://www.example.com/n/form.zip", "https://www.example.com/n/form.zip", ["html", "text"]),
]


@pytest.mark.parametrize(("link", "url", "parts"), FILES)
def test_a_notice_links_pages_never_files(link: str, url: str, parts: list[str]) -> None:
    html = HTML.format(f'<a href="{link}">notice</a>')
    found = [part for part, m in check_mail(TEXT + url + "\n", html, RULES) if "file" in m]
    assert found == parts
