"""What prose refers to, found without rendering it: facts, references, release links and URLs.

Rules read prose through `Prose` values that remember where the text was written, so a finding
points at the line inside a literal block (column 1 there), the exact column on a one-line value,
and the first line of a value that YAML folded or unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from publisher.errors import Problem
from publisher.model.content import IncidentRecord, ReleaseRecord
from publisher.model.schema import Event
from publisher.source import Loc, Located, dotted

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_NAMED = r"(?:\.([A-Za-z_]\w*)|\[\s*['\"]([^'\"]*)['\"]\s*\])"
FACT = re.compile(r"\bfacts" + _NAMED)
REFERENCE = re.compile(r"\breferences" + _NAMED)
RELEASE_LINK = re.compile(r"(?<=[(<])release:([^\s)>]*)")
_URL_END = "\\s)<>\\]\"'`「」『』（）［］【】〈〉《》〔〕、。，．！？：；"
"""What ends a URL written out: white space, a bracket or quote, Japanese punctuation."""
_JAPANESE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
"""Kana and kanji: in a host (an internationalised name) they belong to the URL, after it
(the text that follows: https://…/loginをご覧ください) they do not."""
_PATH = rf"[/?#][^{_URL_END}{_JAPANESE}]*"
_LETTER = "a-zA-Z\u0130\u0131\u017f\u212a"
"""The letters `[a-z]` matches ignoring case (İ, ı, ſ and the Kelvin sign among them), written
out: a pattern that ignores case makes its large classes of characters slow to compile."""
URL = re.compile(
    rf"(?<![{_LETTER}0-9+.-])[{_LETTER}][{_LETTER}0-9+.-]*://"
    rf"(?:[^/?#{_URL_END}]+(?:{_PATH})?|{_PATH})(?<![.,;:!?])"
)
"""A URL written out: a scheme that no letter, digit or `+.-` runs into (Japanese text may stand
right before it: 詳細はhttps://…), `://`, a host (none: file:///etc) and a path up to what ends
it (and to any kana or kanji); not a final `.,;:!?`."""


@dataclass(frozen=True)
class Prose:
    """A piece of prose and where it was written."""

    doc: Located
    loc: Loc
    text: str

    def at(self, offset: int, message: str) -> Problem:
        """A Problem at character `offset` of the text, located in the file."""
        mark = self.doc.mark(self.loc)
        before = self.text[:offset]
        if mark.style == "|":  # a literal block: lines of the text are lines of the file
            line, col = mark.text_line + before.count("\n"), 1
        elif mark.verbatim:
            line, col = mark.line, mark.col + offset + (1 if mark.quoted else 0)
        else:  # folded, spread over lines or escaped: where the value starts
            line, col = mark.text_line, 1 if mark.style == ">" else mark.col
        return Problem(self.doc.path, line, col, dotted(self.loc), message)

    def names(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
        """(offset, name) of every `facts.x` / `references["x"]` inside Jinja expressions."""
        for block in _JINJA.finditer(self.text):
            for match in pattern.finditer(block.group()):
                yield block.start() + match.start(), match.group(1) or match.group(2) or ""

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
        """(offset, text of the first group or the whole match) of `pattern` in the prose."""
        for match in pattern.finditer(self.text):
            yield match.start(), match.group(1) if pattern.groups else match.group()


def release_prose(record: ReleaseRecord) -> Iterator[Prose]:
    """Every piece of prose of a release (title and summary included), in file order."""
    release = record.release
    doc = record.doc
    for key in ("title", "summary", "greeting", "intro"):
        text = getattr(release, key)
        if text:
            yield Prose(doc, (key,), text)
    for i, section in enumerate(release.sections):
        if section.body:
            yield Prose(doc, ("sections", i, "body"), section.body)
    if release.closing:
        yield Prose(doc, ("closing",), release.closing)
    if release.contact and release.contact.note:
        yield Prose(doc, ("contact", "note"), release.contact.note)


def mail_prose(record: ReleaseRecord) -> Iterator[Prose]:
    """The prose of a release's notice mail: its subject and message."""
    notify = record.release.notify
    if notify is None:
        return
    yield Prose(record.doc, ("notify", "subject"), notify.subject)
    if notify.message:
        yield Prose(record.doc, ("notify", "message"), notify.message)


def event_prose(incident: IncidentRecord) -> Iterator[tuple[int, Event, Prose]]:
    """(index, event, prose) for every timeline event of the incident."""
    for i, event in enumerate(incident.incident.timeline):
        yield i, event, Prose(incident.doc, ("timeline", i, "text"), event.text)


def shows_timeline(record: ReleaseRecord) -> bool:
    """Whether the release has a section generated from the timeline."""
    return any(section.timeline for section in record.release.sections)
