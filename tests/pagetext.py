"""Reading built pages as a person would: the visible text of an element, and the links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.conftest import SEED


class _Text(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.depth = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag or self.depth:
            self.depth += 1
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def element_text(html: str, tag: str = "main") -> str:
    """The text inside the first `tag` element (and everything after it at the same depth)."""
    parser = _Text(tag)
    parser.feed(html)
    return "".join(parser.parts)


def links(html: str) -> list[str]:
    """Every href and src in the page."""
    parser = _Text("html")
    parser.feed(html)
    return parser.links


def squeeze(text: str) -> str:
    """Text without any whitespace, for comparisons "whitespace aside"."""
    return re.sub(r"\s+", "", text)


SPACING_ARTEFACTS = (
    ("Word ファイル", "Wordファイル"),
    ("zip ファイル", "zipファイル"),
    ("zipファイル付きメール の場合", "zipファイル付きメールの場合"),
)
"""Stray spaces in the seed's copy of the company's text, which elsewhere writes these words
without one (「Wordファイル(.doc)」 in its timeline): the example leaves them out, the fixture
keeps the text as published, and the comparison reads the seed without them."""


def seed_sentences() -> list[str]:
    """The sentences of the seed's 11/14 release, in order, from its first copy.

    The seed repeats its body twice (a copy artefact): only the text before the second
    "さて、" is the release. Its first line, the date `2020.11.14`, is the date the release
    shows as 2020年11月14日; list bullets (・) are markers, not words; the stray spaces of
    SPACING_ARTEFACTS are left out.
    """
    text = SEED.read_text(encoding="utf-8")
    for copied, meant in SPACING_ARTEFACTS:
        text = text.replace(copied, meant)
    first = text[: text.index("さて、", text.index("さて、") + 1)]
    lines = [squeeze(line).lstrip("・") for line in first.splitlines()]
    lines[0] = "2020年11月14日" if lines[0] == "2020.11.14" else lines[0]
    sentences = []
    for line in filter(None, lines):
        sentences += [s + "。" for s in line.split("。")[:-1]] + [line.split("。")[-1]]
    return [s for s in sentences if s]


def missing_in_order(sentences: list[str], text: str) -> list[str]:
    """The sentences that cannot be found in `text` in the given order (empty: all found)."""
    haystack = squeeze(text)
    position, missing = 0, []
    for sentence in sentences:
        found = haystack.find(sentence, position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found + len(sentence)
    return missing
