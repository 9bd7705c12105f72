"""What a release may not show: the record's texts first known after its date, as phrases.

A page that shows such a phrase got it past the as-of views (a template reading the raw record):
the phrases are the lines of the text as Markdown renders them, between its Jinja expressions,
of at least `MIN_PHRASE` characters, so that a short word shared with known text does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from publisher.check.prose import Prose
from publisher.check.published import fact_texts
from publisher.check.reading import plain, read_html
from publisher.model.content import IncidentRecord
from publisher.render.prose import markdown_html

MIN_PHRASE = 8
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def later_texts(incident: IncidentRecord, day: date) -> Iterator[tuple[Prose, date]]:
    """Each text of the record first known after `day`, with the date it became known."""
    doc, record = incident.doc, incident.incident
    for i, event in enumerate(record.timeline):
        if event.known_on > day:
            yield Prose(doc, ("timeline", i, "text"), event.text), event.known_on
    for i, measure in enumerate(record.measures):
        if measure.date > day:
            yield Prose(doc, ("measures", i, "text"), measure.text), measure.date
    for i, pattern in enumerate(record.advice.attachment_patterns):
        if pattern.as_of > day:
            yield (
                Prose(doc, ("advice", "attachment_patterns", i, "text"), pattern.text),
                pattern.as_of,
            )
    for i, reference in enumerate(record.references):
        if reference.as_of > day:
            yield Prose(doc, ("references", i, "title"), reference.title), reference.as_of
    yield from ((text, known) for text, known in fact_texts(incident) if known > day)


def phrases(text: str) -> Iterator[str]:
    """The phrases of `text` a page would carry: its rendered lines between Jinja expressions."""
    for chunk in _JINJA.split(text):
        for line in read_html(markdown_html(chunk)).text.splitlines():
            phrase = plain(line)
            if len(phrase) >= MIN_PHRASE:
                yield phrase
