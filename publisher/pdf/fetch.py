"""What rendering may read: files under content/, templates/ and the output folder, nothing else.

`allowed` is the rule; `resource_problems` applies it to a PDF's HTML before rendering, so content
pointing an image at `/etc/hostname` or at an http(s) URL stops the build with the content file
and line named. The URL fetcher in `engine` applies the same rule again while rendering.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from publisher.errors import Problem
from publisher.messages import _

_FETCHED = {"img": "src", "image": "href", "link": "href", "object": "data", "source": "src"}


def allowed(url: str, roots: Sequence[str]) -> bool:
    """Whether rendering may read `url`: inline data, or a file under one of `roots`."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return any(path.is_relative_to(root) for root in roots)


def refusal(url: str) -> str:
    """The message for a refused URL."""
    said = _(
        "refusing to read {url} while rendering the PDF: only files under content/, templates/ "
        "and the output folder may be used"
    )
    return said.format(url=url)


def resource_problems(
    html: str, base_url: str, roots: Sequence[str], sources: Sequence[str]
) -> list[Problem]:
    """A located problem for each image or stylesheet of `html` that rendering may not read."""
    return [
        locate(written, refusal(url), sources)
        for written, url in resource_urls(html, base_url)
        if not allowed(url, roots)
    ]


def resource_urls(html: str, base_url: str) -> list[tuple[str, str]]:
    """Each image or stylesheet URL of `html`: as written, and resolved against `base_url`."""
    parser = _Resources()
    parser.feed(html)
    return [(written, urljoin(base_url, written)) for written in parser.urls]


def resource_digest(html: str, base_url: str) -> str:
    """A hash of the bytes of every local file `html` uses, for the cache key."""
    digest = hashlib.sha256()
    for written, url in sorted(resource_urls(html, base_url)):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(url2pathname(parts.path))
            data = path.read_bytes() if path.is_file() else b"(missing)"
            # the URL as written (relative), not as resolved: the project's folder is no input
            digest.update(written.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def locate(written: str, message: str, sources: Sequence[str]) -> Problem:
    """A Problem at the first place `written` appears in `sources` (else the first source)."""
    for source in sources:
        for line, col in _find(source, (written, unquote(written))):
            return Problem(source, line, col, "", message)
    return Problem(sources[0], message=message)


def _find(source: str, needles: Iterable[str]) -> Iterable[tuple[int, int]]:
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for number, text in enumerate(lines, 1):
        for needle in needles:
            if needle and needle in text:
                yield number, text.index(needle) + 1


class _Resources(HTMLParser):
    """The URLs a renderer would fetch: image sources, stylesheet links, object data."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _FETCHED.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)
