"""Published text is text: no control character or non-character reaches a page, feed or print.

YAML refuses them where they are written (the schema rule); a Jinja expression or a template
can still make one (`{{ "\\x01" }}`, `&#1;`), and a feed holding one is not well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.load.yamlfile import UNPRINTABLE, unprintable_name
from publisher.messages import _

_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]"
)
"""What UNPRINTABLE finds, and any character beyond the BMP: ten times as quick to look for."""


def characters(subject: Subject) -> Iterator[Problem]:
    """No published file holds a control character (but tab and line breaks), a surrogate or a
    Unicode non-character, written or as a character reference."""
    published = subject.published
    for readable in published.readables:
        raw = readable.reading.raw  # the text and links are read from it: only references
        found = [*_SUSPECT.findall(raw), *_referenced(raw)]  # can add to them
        for char in dict.fromkeys(c for c in found if c != "\r" and UNPRINTABLE.match(c)):
            message = _("the published text holds {character}, which is not text")
            message = message.format(character=unprintable_name(char))
            yield from published.locate(readable, char, message)


def _referenced(markup: str) -> Iterator[str]:
    """The characters of `markup`'s numeric character references that are not text (a parser
    drops them, or reads U+FFFD: the file still holds them)."""
    for match in _REFERENCE.finditer(markup):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if code <= 0x10FFFF and UNPRINTABLE.match(chr(code)):
            yield chr(code)


RULES = (
    Rule(
        "control-characters",
        "error",
        "No page, feed, printed release or static text file holds a control character (but "
        "tab and line breaks), a surrogate or a Unicode non-character (U+FFFE, U+FFFF, "
        "U+FDD0 to U+FDEF, ...), written or as a character reference: a reader cannot be shown "
        "one, and a feed that holds one is not well-formed XML. The content's YAML files are "
        "refused them where they are written (schema); this rule reads what Jinja expressions "
        "and templates make.",
        "XML 1.0 §2.2 (Char); Unicode §23.7 (noncharacters); publisher issue 16",
        characters,
    ),
)
