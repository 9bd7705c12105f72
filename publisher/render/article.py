"""The text of a release's own content on its page or print: what the publication record
digests (render/history.py), inside `<article class="release">` (but its `.release-pdf` link,
its print's `.release-languages` and its short `.genuine-mail` box) and
`<aside class="corrections">`, in the order it stands, one piece between any two tags.

A page is read by regular expressions, since the build reads every page and print it makes and
Python's html.parser takes a call per tag. They read the markup the templates make (tags with
quoted or bare attributes, comments, the doctype, scripts and styles outside the article);
anything else in a page (a `<` that starts no tag, a script inside the article) is read by
html.parser, which the expressions agree with wherever they read (tests/test_history.py).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Collection
from html.parser import HTMLParser

_OWN = {"article": "release", "aside": "corrections"}
"""The release's own content: its article, and its box of corrected facts."""
_LEFT_OUT = frozenset({"release-pdf", "release-languages", "genuine-mail"})
"""Inside the article, what is not the release's own word: how big its PDF is, in which other
languages it is (a translation is a page of its own), and the short genuine-mail box (which may
change as the full one may)."""
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}
_RAW = {"script", "style"}
"""Whose content html.parser reads as text, not markup."""
_ESCAPABLE = {"title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
"""Elements some versions of html.parser read as text: left to it inside the article."""

_MARKUP = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*)([^<>]*?)(/?)>|<[^<>]*>")
"""A tag (end or start, its name, its attributes, `/` if it ends itself), or other markup."""
_OWN_START = re.compile(r"<(?:article|aside)[\s/>]", re.IGNORECASE)
_RAW_START = re.compile(r"<(?:script|style)[\s/>]", re.IGNORECASE)
_RAW_PLAIN = re.compile(r"<(script|style)(?:\s[^<>]*)?>[^<]*</\1\s*>", re.IGNORECASE)
"""A script or style with no `<` in it: where html.parser's reading and ours agree."""
_ATTRIBUTES = re.compile(r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def article_text(markup: str) -> str:
    """The pieces of text of the release's own content, one space between them."""
    parts = _read(markup)
    if parts is None:
        parser = _ArticleText()
        parser.feed(markup)
        parser.close()
        parts = parser.parts
    return " ".join(parts)


def _read(markup: str) -> list[str] | None:
    """The pieces of text, or None where the markup is not what the expressions read."""
    if "<!--" in markup or "<![" in markup or "<?" in markup:
        return None
    parts: list[str] = []
    open_: list[bool] = []  # inside the article: for each open element, whether it is left out
    raw = ""  # the script or style whose text comes next
    at = _first_own(markup)
    for found in _MARKUP.finditer(markup, at):
        text, at = markup[at : found.start()], found.end()
        if raw:
            if not _ends(found.group(), raw):
                return None  # a script holding `<`: html.parser reads it its own way
            raw = ""
            continue
        if "<" in text or ">" in text:
            return None  # a stray `<`, or a tag holding one
        if open_ and not open_[-1] and text:
            parts.append(html.unescape(text) if "&" in text else text)
        end, name, attributes, closed = found.groups()
        if name is None:
            if found.group()[:9].lower() != "<!doctype":
                return None
            continue
        name = name.lower()
        if end:
            if attributes.strip() or closed:
                return None
            if open_ and name not in _VOID:
                open_.pop()
            continue
        if name in _RAW or name in _ESCAPABLE:
            if open_:
                return None
            raw = name if name in _RAW and not closed else ""
            continue
        classes = _classes(attributes) if attributes else ()
        if classes is None:
            return None
        _start(open_, name, classes, closed == "/")
    last = markup[at:]
    if raw or "<" in last or ">" in last:
        return None
    if open_ and not open_[-1] and last:
        parts.append(html.unescape(last))
    return parts


def _first_own(markup: str) -> int:
    """Where the first tag that may open the release's own content starts, if what comes
    before it holds no script or style with a `<` in it (else 0: everything is read)."""
    first = _OWN_START.search(markup)
    if first is None:
        return 0
    before = markup[: first.start()]
    opened = len(_RAW_START.findall(before))
    return first.start() if opened == len(_RAW_PLAIN.findall(before)) else 0


def _ends(tag: str, raw: str) -> bool:
    """Whether `tag` is the end tag of the raw-text element `raw`."""
    return tag[:2] == "</" and tag[2:-1].rstrip().lower() == raw


def _start(open_: list[bool], tag: str, classes: Collection[str], closed: bool) -> None:
    """A start tag, as _ArticleText takes it (`<x/>`: started and ended)."""
    if open_ and tag not in _VOID:
        open_.append(open_[-1] or not _LEFT_OUT.isdisjoint(classes))
    elif not open_ and _OWN.get(tag) in classes:
        open_.append(False)
    if closed and open_ and tag not in _VOID:
        open_.pop()


@functools.lru_cache(maxsize=1024)
def _classes(attributes: str) -> tuple[str, ...] | None:
    """The class attribute's words (the last one, as html.parser keeps it); None for
    attributes written in a way the expressions do not read."""
    if _ATTRIBUTES.fullmatch(attributes) is None:
        return None
    value = ""
    for name, double, single, bare in _ATTRIBUTE.findall(attributes):
        if name.lower() == "class":
            value = html.unescape(double or single or bare)
    return tuple(value.split())


class _ArticleText(HTMLParser):
    """The same text, read by html.parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[bool] = []
        """Inside the article: for each open element, whether its text is left out."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._open and tag not in _VOID:
            self._open.append(self._open[-1] or not _LEFT_OUT.isdisjoint(classes))
        elif not self._open and _OWN.get(tag) in classes:
            self._open.append(False)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in _VOID:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and not self._open[-1]:
            self.parts.append(data)
