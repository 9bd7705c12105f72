"""Links between pages: relative inside the site (it deploys under any path), absolute outside."""

from __future__ import annotations

import pytest

from publisher.render.urls import relative_url

CASES = [
    ("emotet-2020/2020-11-14/", "emotet-2020/2020-09-30/", "../2020-09-30/"),
    ("emotet-2020/2020-11-14/", "", "../../"),
    ("emotet-2020/2020-11-14/", "emotet-2020/2020-11-14/", "./"),
    ("emotet-2020/2020-11-14/", "emotet-2020/2020-11-14/e.pdf", "e.pdf"),
    ("emotet-2020/2020-11-14/", "static/style.css", "../../static/style.css"),
    ("emotet-2020/", "emotet-2020/2020-07-29/", "2020-07-29/"),
    ("", "emotet-2020/", "emotet-2020/"),
    ("", "feed.xml", "feed.xml"),
    ("", "", "./"),
    ("a-2020/2020-01-01/", "a-2021/2021-01-01/", "../../a-2021/2021-01-01/"),
]


@pytest.mark.parametrize("here,target,expected", CASES)
def test_relative_url(here: str, target: str, expected: str) -> None:
    assert relative_url(here, target) == expected
