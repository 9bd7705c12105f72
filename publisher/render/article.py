"""The text of a release's own content on its page or print: what the publication record
digests (render/history.py), inside `<article class="release">` (but its `.release-pdf` link,
its print's `.release-languages` and its short `.genuine-mail` box) and
`<aside class="corrections">`, in the order it stands, one piece between any two tags.

A page is read by string splits and regular expressions, since the build reads every page and
print it makes and Python's html.parser takes a call per tag: the page is split at its tags,
each distinct tag is read once (a page repeats them), and where an element ends is found from a
running count of the elements open, so that only the few tags that open the release's own
content or a part left out of it take a step of their own. They read the markup the templates
make (tags with quoted or bare attributes, comments, the doctype, scripts and styles outside
the article); anything else in a page (a `<` that starts no tag, a script inside the article)
is read by html.parser, which the expressions agree with wherever they read
(tests/test_render_article.py).
"""

from __future__ import annotations

import functools
import html
import itertools
import operator
import re
from collections.abc import Iterator
from html.parser import HTMLParser

_OWN_CLASS = {"article": "release", "aside": "corrections"}
"""The release's own content: its article, and its box of corrected facts."""
_LEFT_OUT_CLASSES = frozenset({"release-pdf", "release-languages", "genuine-mail"})
"""Inside the article, what is not the release's own word: how big its PDF is, in which other
languages it is (a translation is a page of its own), and the short genuine-mail box (which may
change as the full one may)."""
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}
_RAW_ELEMENTS = {"script", "style"}
"""Whose content html.parser reads as text, not markup."""
_ESCAPABLE = {"title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
"""Elements some versions of html.parser read as text: left to it inside the article."""

_MARKUP = re.compile(r"(<[^<>]*>)")
"""A tag or other markup: what a page is split at, leaving the text between."""
_TAG = re.compile(r"(/?)([a-zA-Z][^\s/<>]*)([^<>]*?)(/?)")
"""A tag without its `<` and `>`: end or start, its name, its attributes, `/` if it ends
itself."""
_NAME = re.compile(r"[^\s/<>]*")
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
    texts, tags, stray = _tokens(markup[_first_own(markup) :])
    codes = bytes(map(_code, tags))
    if _UNREAD in codes:
        return None
    read = _runs(codes, tags)
    if read is None:
        return None
    runs, raw_texts = read
    if stray and any("<" in t or ">" in t for i, t in enumerate(texts) if i not in raw_texts):
        return None  # a stray `<` or `>`, or a tag holding one
    parts = []
    for first, end in runs:  # the text after each tag of the run
        run = " ".join(filter(None, texts[first + 1 : end + 1]))
        if run:
            parts.append(html.unescape(run) if "&" in run else run)
    return parts


def _tokens(markup: str) -> tuple[list[str], list[str], bool]:
    """The texts of `markup` and the tags between them (without their `<` and `>`), and whether
    a text may hold a `<` or `>` (where none does, each `<` starts a tag that the next `>`
    ends, and plain string splits find them)."""
    pieces = markup.split("<")
    tags = len(pieces) - 1
    if (
        ">" not in pieces[0]
        and markup.count(">") == tags
        and sum(map(operator.contains, pieces, itertools.repeat(">"))) == tags
    ):
        split = markup.replace("<", ">").split(">")
        return split[::2], split[1::2], False
    split = _MARKUP.split(markup)
    return split[::2], [tag[1:-1] for tag in split[1::2]], True


def _runs(codes: bytes, tags: list[str]) -> tuple[list[tuple[int, int]], set[int]] | None:
    """The runs of tags whose following texts are the release's own (first tag, end), and
    the texts that are a script's or a style's; None for a script or a title in the release's
    own content, or a script whose text holds a tag."""
    depth = list(itertools.accumulate(map(_DELTAS.__getitem__, codes)))  # as if all inside
    runs, raw_texts = [], set()
    own_end = -1  # the tag that ends the release's own element read last
    hidden_end = -1  # the tag that ends the left-out element read last
    start = 0  # where the run read now starts
    for at in _specials(codes):
        code = codes[at]
        if at <= own_end:
            if code in (_RAW, _TEXT):
                return None
            if at > hidden_end and code in (_LEFT_OUT, _OWN_LEFT_OUT):
                runs.append((start, at))
                start = hidden_end = _closed(depth, at)
        elif code in (_OWN, _OWN_LEFT_OUT):
            if own_end >= 0:
                runs.append((start, own_end))
            start, own_end = at, _closed(depth, at)
        elif code == _RAW:
            if at + 1 == len(tags) or not _ends(tags[at + 1], tags[at]):
                return None  # a script holding `<`: html.parser reads it its own way
            raw_texts.add(at + 1)
    if own_end >= 0:
        runs.append((start, own_end))
    return runs, raw_texts


def _specials(codes: bytes) -> Iterator[int]:
    """Where the few tags stand that do more than open or close an element."""
    marked = codes.translate(_SPECIAL)
    at = marked.find(1)
    while at >= 0:
        yield at
        at = marked.find(1, at + 1)


def _closed(depth: list[int], at: int) -> int:
    """The tag that ends the element the tag `at` starts (after the last tag: never ended)."""
    try:
        return depth.index(depth[at] - 1, at + 1)
    except ValueError:
        return len(depth)


_NOTHING, _OPENS, _CLOSES, _LEFT_OUT, _OWN, _OWN_LEFT_OUT, _RAW, _TEXT, _UNREAD = range(9)
"""What a tag does: nothing (a void or self-closing tag, the doctype); opens an element, closes
one; opens an element left out (inside the release's own content); opens the release's own
content (outside it; inside, one element more, or one left out); starts a script's or a style's
text (outside the release's own content; inside, left to html.parser, as is the text of a
title, which outside does nothing); is not read by the expressions."""
_DELTAS = (0, 1, -1, 1, 1, 1, 0, 0, 0)
"""How many elements more each kind of tag leaves open."""
_SPECIAL = bytes(_LEFT_OUT <= code <= _TEXT for code in range(256))


@functools.lru_cache(maxsize=4096)
def _code(tag: str) -> int:
    """What `tag` (without its `<` and `>`) does: a page repeats its tags, so each is read once."""
    found = _TAG.fullmatch(tag)
    if found is None:
        return _NOTHING if tag[:8].lower() == "!doctype" else _UNREAD
    end, name, attributes, closed = found.groups()
    name = name.lower()
    if end:
        if attributes.strip() or closed:
            return _UNREAD
        return _NOTHING if name in _VOID else _CLOSES
    if name in _RAW_ELEMENTS or name in _ESCAPABLE:
        return _RAW if name in _RAW_ELEMENTS and not closed else _TEXT
    classes = _classes(attributes) if attributes else ()
    if classes is None:
        return _UNREAD
    if name in _VOID or closed:  # `<x/>`: started and ended
        return _NOTHING
    left_out = not _LEFT_OUT_CLASSES.isdisjoint(classes)
    if _OWN_CLASS.get(name) in classes:
        return _OWN_LEFT_OUT if left_out else _OWN
    return _LEFT_OUT if left_out else _OPENS


def _first_own(markup: str) -> int:
    """Where the first tag that may open the release's own content starts, if what comes
    before it holds no script or style with a `<` in it (else 0: everything is read)."""
    first = _OWN_START.search(markup)
    if first is None:
        return 0
    before = markup[: first.start()]
    opened = len(_RAW_START.findall(before))
    return first.start() if opened == len(_RAW_PLAIN.findall(before)) else 0


def _ends(tag: str, start: str) -> bool:
    """Whether `tag` is the end tag of the raw-text element that the tag `start` starts."""
    name = _NAME.match(start)  # always: the name may be empty
    return name is not None and tag[:1] == "/" and tag[1:].rstrip().lower() == name[0].lower()


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
            self._open.append(self._open[-1] or not _LEFT_OUT_CLASSES.isdisjoint(classes))
        elif not self._open and _OWN_CLASS.get(tag) in classes:
            self._open.append(False)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in _VOID:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and not self._open[-1]:
            self.parts.append(data)
