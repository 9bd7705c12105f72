"""Where a value came from: positions in a source file, documents that remember them, and the
dotted paths that name a value in messages (`releases[0].date`).

These are the located-source types every layer shares: the YAML reader fills them, the model's
validation reads them to place its problems, and checks point at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec

Loc = tuple[str | int, ...]
"""A value's place in a document: mapping keys and list indexes from the root."""


class Mark(msgspec.Struct, frozen=True, gc=False):
    """A 1-based position in a file, and the text of the scalar found there (if any). A struct,
    not a dataclass: a rebuild reads tens of thousands back from the memo, three times faster."""

    line: int
    col: int
    text: str | None = None
    style: str | None = None
    end: tuple[int, int] = (0, 0)
    """Where the scalar ends (line, column), for telling whether its text maps 1:1 onto the file."""

    @property
    def quoted(self) -> bool:
        """Whether the scalar was written quoted or as a block, so YAML took it as text."""
        return self.style is not None

    @property
    def verbatim(self) -> bool:
        """Whether the scalar's text stands on one line as it is: an offset is a column."""
        if self.text is None or self.end[0] != self.line or "\n" in self.text:
            return False
        quotes = 2 if self.style in ("'", '"') else 0
        return self.end[1] - self.col == len(self.text) + quotes

    @property
    def text_line(self) -> int:
        """The line where the scalar's text starts (the line after `|` or `>` for blocks)."""
        return self.line + 1 if self.style in ("|", ">") else self.line


@dataclass
class Located:
    """Data read from one file, with the position of every value and of every mapping key."""

    path: str
    data: Any
    values: dict[Loc, Mark] = field(default_factory=dict)
    keys: dict[Loc, Mark] = field(default_factory=dict)
    digest: str = ""
    """The SHA-256 (hex) of the file's bytes ('' for a document not read from a file)."""

    def mark(self, loc: Loc) -> Mark:
        """The position of the value at `loc`, or of its nearest located ancestor."""
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return Mark(1, 1)

    def key_mark(self, loc: Loc) -> Mark:
        """The position of the key that introduces `loc`, falling back to its value."""
        return self.keys.get(loc) or self.mark(loc)


def dotted(loc: Loc) -> str:
    """`('releases', 0, 'date')` as `releases[1].date`: a field's path as messages show it, its
    list items counted from 1 as lines and columns are (a Loc counts them from 0)."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
