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


@dataclass(eq=False)
class Located:
    """Data read from one file, with the position of every value and of every mapping key."""

    path: str
    data: Any
    values: dict[Loc, Mark] = field(default_factory=dict)
    keys: dict[Loc, Mark] = field(default_factory=dict)
    digest: str = ""
    """The SHA-256 (hex) of the file's bytes ('' for a document not read from a file)."""
    packed: dict[str, bytes] = field(default_factory=dict)
    """Positions not read back yet, by the field they lie in (`packed_marks`): a rebuild takes
    every file's document from the memo and asks where a few fields of each are written."""

    def mark(self, loc: Loc) -> Mark:
        """The position of the value at `loc`, or of its nearest located ancestor."""
        if self.packed:
            self._unpack(loc)
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return Mark(1, 1)

    def key_mark(self, loc: Loc) -> Mark:
        """The position of the key that introduces `loc`, falling back to its value."""
        if self.packed:
            self._unpack(loc)
        return self.keys.get(loc) or self.mark(loc)

    def packed_marks(self) -> Located:
        """This document without its data, its positions packed by the field they lie in
        (read back, a field's at a time, when first asked for): as the memo keeps it."""
        self._unpack(None)
        groups: dict[str, tuple[dict[Loc, Mark], dict[Loc, Mark]]] = {}
        for table, marks in enumerate((self.values, self.keys)):
            for loc, mark in marks.items():
                groups.setdefault(_group(loc), ({}, {}))[table][loc] = mark
        packed = {name: _MARKS_ENCODER.encode(group) for name, group in groups.items()}
        return Located(self.path, None, digest=self.digest, packed=packed)

    def _unpack(self, loc: Loc | None) -> None:
        """Read back the packed positions `loc` may need (None: all of them)."""
        names = list(self.packed) if loc is None else [_group(loc), ""]
        for name in names:
            data = self.packed.get(name)
            if data is not None:  # unpacked before it is no longer packed: another thread
                values, keys = _MARKS_DECODER.decode(data)  # (serve's mail preview) that asks
                self.values.update(values)  # meanwhile finds it in one place or the other
                self.keys.update(keys)
                self.packed.pop(name, None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Located):
            return NotImplemented
        if self.packed != other.packed:  # the same packed bytes hold the same positions
            self._unpack(None)
            other._unpack(None)
        return (self.path, self.data, self.values, self.keys, self.digest) == (
            other.path,
            other.data,
            other.values,
            other.keys,
            other.digest,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is


def _group(loc: Loc) -> str:
    """The name of the packed group that holds `loc`'s position: its field's ('' for the root)."""
    return repr(loc[0]) if loc else ""


_MARKS = tuple[dict[Loc, Mark], dict[Loc, Mark]]
_MARKS_ENCODER = msgspec.msgpack.Encoder()
_MARKS_DECODER = msgspec.msgpack.Decoder(_MARKS)


def dotted(loc: Loc) -> str:
    """`('releases', 0, 'date')` as `releases[1].date`: a field's path as messages show it, its
    list items counted from 1 as lines and columns are (a Loc counts them from 0)."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
