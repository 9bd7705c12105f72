"""Rendered HTML as the plain text a regulator's form field takes (pure).

Blocks become lines, list items start with the language's bullet, and a link whose text is
not its address keeps the address after it, so nothing a reader could follow is lost.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCK_TAGS = "address article blockquote br dd div dl dt h1 h2 h3 h4 h5 h6 header li ol p pre"
_BLOCKS = frozenset(f"{_BLOCK_TAGS} section table tr ul".split(" "))
_SKIPPED = frozenset({"head", "style", "script", "title", "footer"})
"""Not what a notice says: a print's footer says where the copy is published and how to check it."""


def html_text(html: str, bullet: str = "- ") -> str:
    """The visible text of `html`, one line per block, list items marked with `bullet`."""
    parser = _Text(bullet)
    parser.feed(html)
    parser.close()
    return parser.text()


class _Text(HTMLParser):
    def __init__(self, bullet: str) -> None:
        super().__init__(convert_charrefs=True)
        self.bullet = bullet
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._break()
            if tag == "li":
                self.line.append(self.bullet)
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len("".join(self.line))))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCKS:
            self._break()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.line)[start:].strip()
            if href and href.startswith(("https://", "http://")) and href != shown:
                self.line.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line.append(data.replace("\n", ""))

    def _break(self) -> None:
        text = "".join(self.line).strip()
        if text == self.bullet.strip():
            return  # a list item's first block (a loose list's <p>) keeps its bullet
        if text:
            self.lines.append(text)
        self.line = []

    def text(self) -> str:
        self._break()
        return "\n".join(self.lines)
