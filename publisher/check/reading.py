"""Reading a published file as a reader gets it: the links it holds and the text it shows.

HTML (pages, feeds, printed releases, SVG) is parsed: every URL-valued attribute (`href`, `src`,
`srcset`, `action`, a refresh's `url=`, ...), every URL in the text, in scripts, in textual
attributes (`alt`, `title`, a meta's `content`, ...) and in styles (`url(...)`, `@import`). The
text is what a reader is given, one block a line, so a request split over inline markup still
reads as one sentence. Stylesheets give their links; other text files their URLs and text.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from publisher.check.prose import URL

_URL_ATTRIBUTES = frozenset(
    {
        "action", "archive", "background", "cite", "codebase", "data", "formaction", "href",
        "icon", "longdesc", "manifest", "ping", "poster", "src", "srcset", "usemap", "xlink:href",
    }
)  # fmt: skip
_TEXT_ATTRIBUTES = frozenset(
    {
        "abbr", "alt", "aria-description", "aria-label", "content", "label", "placeholder",
        "summary", "title", "value",
    }
)  # fmt: skip
_INLINE = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    }
)  # fmt: skip
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"\s;]+)", re.IGNORECASE)
VOCABULARIES = frozenset({"https://schema.org", "http://schema.org"})
"""What JSON-LD names as its `@context`: an identifier, not a link anyone follows."""


@dataclass(frozen=True)
class Reading:
    """A file as a reader gets it: the links it holds (as written) and the text it shows."""

    links: tuple[str, ...]
    """Each once, as written; but one no URL parser reads (`http://[x`, an IPv6 address left
    open), which no browser follows either."""
    text: str
    raw: str

    def __post_init__(self) -> None:
        if not all(map(followable, self.links)):
            object.__setattr__(self, "links", tuple(filter(followable, self.links)))

    @functools.cached_property
    def plain(self) -> str:
        """The text with every run of white space one space."""
        return plain(self.text)

    def shows(self, needle: str) -> bool:
        """Whether `needle` (a link, a phrase, a character) is in the file."""
        return any(needle in part for part in (self.links, self.text, self.raw, self.plain))


def followable(link: str) -> bool:
    """Whether a URL parser reads `link` (urllib refuses `http://[x`: the checks could not
    resolve it, nor could a browser)."""
    try:
        urlsplit(link)
    except ValueError:
        return False
    return True


def plain(text: str) -> str:
    """`text` with every run of white space one space, and none at either end."""
    return " ".join(text.split())


def read_file(path: str, data: bytes) -> Reading | None:
    """The reading of a published file by its kind (None for images, fonts and the like)."""
    kind = path.rsplit(".", 1)[-1].lower()
    if kind not in ("html", "htm", "xml", "svg", "css", "js", "json", "txt"):
        return None
    text = data.decode("utf-8", errors="replace")
    if kind == "css":
        return Reading(tuple(dict.fromkeys(css_links(text))), "", text)
    if kind in ("js", "json", "txt"):
        return Reading(tuple(dict.fromkeys(urls_in(text))), text, text)
    return read_html(text)


def read_html(markup: str) -> Reading:
    """The links and text of an HTML or XML document.

    Regular expressions do the reading (a parser in Python reads every tag one by one, and a
    check reads thousands of pages): scripts and styles are taken out whole, then the tags that
    remain give their attributes and leave the text, an inline tag nothing, a block one a line.
    Nothing is kept for the next build: a rebuild keeps the findings of each incident whose
    pages did not change (publisher.check.parts), so it reads only the pages that did.
    """
    links: list[str] = []
    scanned: list[str] = []  # the texts whose URLs are links
    raw_texts: list[str] = []

    def take_out(found: re.Match[str]) -> str:
        tag, attrs, text = found.group(1).lower(), found.group(2), found.group(3)
        raw_texts.append(text)
        if tag == "style":
            links.extend(css_links(text))
        if re.search(r"""type\s*=\s*["']?application/ld\+json""", attrs, re.IGNORECASE):
            links.extend(u for u in urls_in(text) if u.rstrip("/") not in VOCABULARIES)
        else:
            scanned.append(text)
        return f"<{tag}{attrs}></{tag}>"

    body = _CDATA.sub(lambda m: html.escape(m.group(1)), _COMMENT.sub("", markup))
    body = _RAW_ELEMENT.sub(take_out, body)
    pieces = _TAG.split(body)  # text, tag, its name, text, tag, its name, ..., text
    tags = "\n".join(pieces[1::3])
    for name, value in _named_values(tags):
        if name in _URL_ATTRIBUTES:
            links.extend(_attribute_urls(name, value))
        elif name == "style":
            links.extend(css_links(value))
        if name in _TEXT_ATTRIBUTES or name.startswith("on"):
            scanned.append(value)
            raw_texts.append(value)
    if "http-equiv" in tags.lower():
        links.extend(u for c in _REFRESH_META.findall(tags) for u in _REFRESH.findall(c))
    pieces[1::3] = map(_BREAKS.__getitem__, pieces[2::3])  # each tag: what it leaves
    pieces[2::3] = [""] * (len(pieces) // 3)
    text = html.unescape("".join(pieces))
    scanned.append(text)
    links.extend(urls_in("\n".join(scanned)))
    return Reading(tuple(dict.fromkeys(links)), "\n".join([text, *raw_texts]), markup)


def urls_in(text: str) -> list[str]:
    """Every URL written out in `text` (a scheme, `://`, and what follows). A URL holds no
    white space, so only the words that hold `://` are searched: the same URLs, found sooner."""
    if "://" not in text:
        return []
    return [url for word in text.split() if "://" in word for url in URL.findall(word)]


def css_links(css: str) -> list[str]:
    """Every URL a stylesheet fetches: `url(...)` and `@import`."""
    return [m.group(2) or m.group(4) or "" for m in _CSS_URL.finditer(css)]


_IN_TAG = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
"""What a tag holds after its name: quoted values may hold `>`. Written as runs of unquoted
characters between quoted values rather than as a choice made at every character (the same
matches, the same backtracking order: a character starts one choice at most), which re reads
some times faster."""
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)|<[!?](?!\[CDATA\[)[^>]*>", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
_RAW_ELEMENT = re.compile(
    rf"<(script|style)(?=[\s/>])({_IN_TAG})>(.*?)(?:</\1[\s/>]{_IN_TAG}|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(rf"(</?([a-zA-Z][^\s/>]*){_IN_TAG}>)")
"""A tag, and its name: an inline tag (`_INLINE`) is taken out of the text, any other leaves a
line break."""
_VALUE = re.compile(r"""[\s"'/]([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
"""An attribute with its value, double-quoted, single-quoted or bare."""
_REFRESH_META = re.compile(
    rf"""<meta(?=[^>]*http-equiv\s*=\s*["']?refresh){_IN_TAG}content\s*=\s*["']([^"']*)""",
    re.IGNORECASE,
)


class _Breaks(dict[str, str]):
    """What a tag of each name leaves in the text: nothing for an inline one, else a line."""

    def __missing__(self, name: str) -> str:
        left = "" if name.lower() in _INLINE else "\n"
        if len(self) < 1024:  # names seen before; a page of made-up ones is not kept
            self[name] = left
        return left


_BREAKS = _Breaks()


def _named_values(tags: str) -> list[tuple[str, str]]:
    """Every attribute that has a value, in `tags` (start tags, one a line), by lower-case name,
    its value unescaped."""
    return [
        (name.lower(), html.unescape(value) if "&" in value else value)
        for name, double, single, bare in _VALUE.findall(tags)
        if (value := double or single or bare)
    ]


def _attribute_urls(name: str, value: str) -> list[str]:
    if name == "srcset":
        return [c.split()[0] for c in value.split(",") if c.split()]
    if name in ("ping", "archive"):
        return value.split()
    return [value]
