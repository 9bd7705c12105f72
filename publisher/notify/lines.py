"""Long texts read a line at a time, so that a line many texts share is scanned once.

The pages of a site share most of their lines (the chrome, the reminder of how to recognise
genuine mail; a release's print repeats its page), so a scanner that remembers what it found in
each line (functools.lru_cache, bounded by LINES) reads a thousand pages in the time of a few.
What a pattern finds in a line alone is what it finds there in the whole text if no match
holds a line break and no part of the pattern tells a line break from the end of the string
(a class that leaves it out, `\\b`, a lookaround that does not name it). The scanners of
publisher.notify.phishing and publisher.check.rules.lures each say why theirs qualify.

The scanners of one text share its lines (`_lines`, which remembers the last TEXTS texts split):
a line is then one string for all of them, whose hash Python computes once, not once a scanner.

Nothing is kept for the next build: a rebuild keeps the findings of every incident whose pages
did not change (publisher.check.parts), and reads only the texts that did.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from functools import lru_cache, reduce
from itertools import accumulate, compress
from operator import or_
from typing import TypeVar

R = TypeVar("R")
LINES = 1 << 15
"""How many distinct lines (or chunks of lines) each scanner remembers."""
TEXTS = 256
"""How many texts' lines are remembered: more than one incident's pages, prints and mails, which
the rules read one after another."""


def hits(
    find: Callable[[str], R | None], text: str, joined: Collection[int] = ()
) -> list[tuple[int, R]]:
    """(where the line starts in `text`, what `find` found in it) for each line of `text` in
    which `find` finds something (a true value), in order; a line break at an offset in
    `joined` does not end a line."""
    lines = _chunks(text, joined) if joined else _lines(text)
    found = list(map(find, lines))
    if not any(found):
        return []
    pairs = compress(enumerate(zip(_before(lines), found, strict=True)), found)
    return [(before + index, hit) for index, (before, hit) in pairs if hit is not None]


def marked(mark: Callable[[str], int], text: str, wanted: int) -> list[tuple[int, int, int]]:
    """(start, end, marks) of each line of `text` whose `mark` (bits) has one of `wanted`'s,
    in order."""
    lines = _lines(text)
    if not wanted & reduce(or_, map(mark, set(lines)), 0):
        return []  # each distinct line looked at once
    bits = [mark(line) & wanted for line in lines]
    spans = compress(enumerate(zip(_before(lines), map(len, lines), bits, strict=True)), bits)
    return [(before + i, before + i + size, bit) for i, (before, size, bit) in spans]


def _before(lines: Sequence[str]) -> Iterator[int]:
    """How many characters precede each line but the line breaks (which number its index)."""
    return accumulate(map(len, lines[:-1]), initial=0)


def _chunks(text: str, joined: Collection[int]) -> list[str]:
    """The lines of `text`, those either side of a line break at an offset in `joined` taken
    together (in one pass however many there are); the others are `_lines`' own strings."""
    lines = _lines(text)
    glued = set()  # the lines whose line break is joined
    index = last = 0
    for at in sorted(joined):
        index += text.count("\n", last, at)
        last = at
        glued.add(index)
    chunks: list[str] = []
    start = end = 0  # the run of lines joined last: lines[start:end]
    for number in sorted(glued):
        if number != end - 1:  # not the run's last line: a run of its own begins
            if end > start:
                chunks.append("\n".join(lines[start:end]))
            chunks += lines[end:number]
            start = number
        end = number + 2
    if end > start:
        chunks.append("\n".join(lines[start:end]))
    return chunks + list(lines[end:])


@lru_cache(maxsize=TEXTS)
def _lines(text: str) -> tuple[str, ...]:
    """The lines of `text` (the same strings for every scanner that asks within TEXTS texts)."""
    return tuple(text.split("\n"))
