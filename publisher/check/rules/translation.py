"""A translation says what its original says: every part of it, as the original now stands, and
no number the original and the facts do not give.

A translation shares its original's date and facts (publisher.model.translation), so a count
written `{{ facts.NAME }}` cannot diverge; what can is what is typed: a section left out, an
original edited after the translation was made, a number typed into the translation's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from html.parser import HTMLParser

from publisher.check.prose import Prose, mail_prose, release_prose
from publisher.check.rule import Rule, Subject
from publisher.check.rules.translation_words import untranslated_site, untranslated_words
from publisher.errors import Problem
from publisher.messages import N_, _, counted
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schema import DateRange, Fact, Release
from publisher.source import dotted

_PARTS = ("greeting", "intro", "closing")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>|https?://\S+", re.IGNORECASE)
_WIDE = str.maketrans("０１２３４５６７８９，", "0123456789,")
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(?![0-9])")


def _pairs(subject: Subject) -> Iterator[tuple[IncidentRecord, ReleaseRecord, ReleaseRecord]]:
    """(incident, original, translation) for every translation in the content."""
    for incident in subject.content.incidents:
        for original in incident.releases:
            for translation in original.translations:
                yield incident, original, translation


def incomplete(subject: Subject) -> Iterator[Problem]:
    """Parts of an original (greeting, intro, sections, closing, contact note, mail) that its
    translation lacks or has of its own, and record or site words it shows untranslated."""
    site_lang = subject.content.site.language
    for incident, original, translation in _pairs(subject):
        own = original.release.lang or site_lang
        if translation.variant == own:
            message = _("the original ({file}) is in '{lang}' already")
            message = message.format(file=_file(original), lang=own)
            yield _at(translation, ("lang",), "lang", message)
            continue
        yield from _missing_parts(original, translation)
        yield from _section_faults(original, translation)
        yield from _untranslated_record(incident, translation)
        yield from untranslated_words(subject, incident, translation)
    if subject.whole is None or not subject.content.incidents:  # the whole, or the site's part
        yield from _untranslated_site(subject.everything)


def _untranslated_site(content: Content) -> Iterator[Problem]:
    """The site's words a translation shows untranslated, said once for each language, at its
    first translation in `content` (all of it: an incident's part leaves them to the site's)."""
    named: set[str] = set()
    for incident in content.incidents:
        for original in incident.releases:
            for translation in original.translations:
                own = original.release.lang or content.site.language
                if translation.variant != own and translation.variant not in named:
                    named.add(translation.variant)
                    yield from untranslated_site(content, translation)


def _untranslated_record(incident: IncidentRecord, translation: ReleaseRecord) -> Iterator[Problem]:
    """The record's texts the translation's page shows (timeline events of a timeline section,
    measures its prose names) that have no text in its language: they would show the original's."""
    lang, day, record = translation.variant, translation.release.date, incident.incident
    shown = _("not in '{lang}': {file} shows it; add translations: {{{lang}: ...}}").format(
        lang=lang, file=_file(translation)
    )
    if any(section.timeline for section in translation.release.sections):
        for i, event in enumerate(record.timeline):
            if event.known_on <= day and lang not in event.translations:
                loc = ("timeline", i, "text")
                yield _at(incident, loc, dotted(loc), shown)
    if any("measures" in piece.text for piece in _texts(translation)):
        for i, measure in enumerate(record.measures):
            if measure.date <= day and lang not in measure.translations:
                loc = ("measures", i, "text")
                yield _at(incident, loc, dotted(loc), shown)


def _missing_parts(original: ReleaseRecord, translation: ReleaseRecord) -> Iterator[Problem]:
    mine, theirs = translation.release, original.release
    name = _file(original)
    parts = [(p, getattr(theirs, p), getattr(mine, p)) for p in _PARTS]
    parts.append(("contact.note", _note(theirs), _note(mine)))
    parts.append(("notify", theirs.notify, mine.notify))
    parts.append(
        (
            "notify.message",
            theirs.notify and theirs.notify.message,
            mine.notify and mine.notify.message,
        )
    )
    for field, there, here in parts:
        if there and not here:
            message = _("the original ({file}) has {field}; translate it")
            yield _at(translation, (), field, message.format(file=name, field=field))
        elif here and not there:
            loc = tuple(field.split("."))
            message = _("the original ({file}) has no {field}")
            yield _at(translation, loc, field, message.format(file=name, field=field))


def _note(release: Release) -> str | None:
    return release.contact.note if release.contact else None


def _section_faults(original: ReleaseRecord, translation: ReleaseRecord) -> Iterator[Problem]:
    theirs, mine = original.release.sections, translation.release.sections
    name = _file(original)
    for i, section in enumerate(theirs[len(mine) :], len(mine)):
        message = _(
            "section {number} of the original ({file}: {heading}) is missing; translate every "
            "section, in the original's order"
        ).format(number=i + 1, file=name, heading=section.heading)
        yield _at(translation, ("sections",), "sections", message)
    for i in range(len(theirs), len(mine)):
        message = counted(
            len(theirs),
            "the original ({file}) has {n} section; this is one more",
            "the original ({file}) has {n} sections; this is one more",
            file=name,
        )
        yield _at(translation, ("sections", i), dotted(("sections", i)), message)
    for i, (there, here) in enumerate(zip(theirs, mine, strict=False)):
        if there.timeline != here.timeline or bool(there.body) != bool(here.body):
            said = _(_SECTION_SHAPES[there.timeline, bool(there.body)])
            message = said.format(number=i + 1, heading=there.heading)
            yield _at(translation, ("sections", i), dotted(("sections", i)), message)


_SECTION_SHAPES = {
    (True, True): N_(
        "section {number} of the original ({heading}) is the timeline and has a body; the "
        "translation's must be the same"
    ),
    (True, False): N_(
        "section {number} of the original ({heading}) is the timeline and has no body; the "
        "translation's must be the same"
    ),
    (False, True): N_(
        "section {number} of the original ({heading}) is not the timeline and has a body; the "
        "translation's must be the same"
    ),
    (False, False): N_(
        "section {number} of the original ({heading}) is not the timeline and has no body; the "
        "translation's must be the same"
    ),
}
"""What a translated section of another shape than its original's is told, by the original's
(is the timeline, has a body)."""


def stale(subject: Subject) -> Iterator[Problem]:
    """Translations made from an earlier version of their original, or not stamped."""
    for _incident, original, translation in _pairs(subject):
        assert translation.translation is not None
        stamp = translation.translation.translated_from
        if stamp == original.digest:
            continue
        update = _(
            "bring the translation up to date with {file}, then set translated_from: {digest} "
            "(its sha256sum now)"
        ).format(file=_file(original), digest=original.digest)
        if stamp is None:
            message = _("no translated_from: which version of the original is this? {update}")
            yield _at(translation, (), "translated_from", message.format(update=update))
        else:
            message = _("the original changed after this translation was made; {update}")
            loc = ("translated_from",)
            yield _at(translation, loc, "translated_from", message.format(update=update))


def numbers(subject: Subject) -> Iterator[Problem]:
    """Numbers typed into a translation that neither its original's text nor the facts give."""
    for incident, original, translation in _pairs(subject):
        day = original.release.date
        allowed = (
            _original_numbers(subject, original)
            | _fact_numbers(incident.incident.facts, day)
            | _day_numbers(_days(incident, day))
        )
        for piece in _texts(translation):
            for offset, number in _typed_numbers(piece.text):
                if number not in allowed:
                    message = _(
                        "{number} is neither in the original ({file}) nor a fact's value as of "
                        "its date; write the number as the original does "
                        "({{{{ facts.NAME }}}} for a count)"
                    ).format(number=number, file=_file(original))
                    yield piece.at(offset, message)


def _texts(record: ReleaseRecord) -> Iterator[Prose]:
    yield from release_prose(record)
    for i, section in enumerate(record.release.sections):
        yield Prose(record.doc, ("sections", i, "heading"), section.heading)
    yield from mail_prose(record)


def _typed_numbers(text: str) -> Iterator[tuple[int, int]]:
    """(offset, value) of every number typed in `text`, Jinja and link targets left out."""
    bare = text.translate(_WIDE)
    for pattern in (_JINJA, _LINK_TARGET):
        bare = pattern.sub(lambda m: re.sub(r"\S", " ", m.group()), bare)
    for match in _NUMBER.finditer(bare):
        yield match.start(), int(match.group(1).replace(",", ""))


def _original_numbers(subject: Subject, original: ReleaseRecord) -> set[int]:
    """The numbers of the original as written and as rendered (its facts printed)."""
    texts = [p.text for p in _texts(original)]
    rendered = subject.renderings.releases.get(original.id)
    if rendered is not None:
        texts += [_text_of(str(piece.html)) for piece in rendered.pieces]
    return {n for text in texts for _, n in _typed_numbers(text)}


def _fact_numbers(facts: dict[str, Fact], day: date) -> set[int]:
    """Every number a fact says as of `day`: counts, and the year, month and day of dates."""
    found: set[int] = set()
    for fact in facts.values():
        known = [v for v in fact.values if v.as_of <= day]
        if not known:
            continue
        value = max(known, key=lambda v: v.as_of).value
        items = [value.start, value.end] if isinstance(value, DateRange) else [value]
        found |= {i for i in items if isinstance(i, int)}
        found |= _day_numbers(i for i in items if isinstance(i, date))
    return found


def _days(incident: IncidentRecord, day: date) -> Iterator[date]:
    """The dates a release of `day` shows or may name: its own, the discovery, and those of
    the events and measures known by then."""
    record = incident.incident
    yield day
    yield record.discovered
    yield from (e.date for e in record.timeline if e.known_on <= day)
    yield from (m.date for m in record.measures if m.date <= day)


def _day_numbers(days: Iterable[date]) -> set[int]:
    return {n for d in days for n in (d.year, d.month, d.day)}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _file(record: ReleaseRecord) -> str:
    return record.doc.path.rsplit("/", 1)[-1]


def _at(
    record: ReleaseRecord | IncidentRecord, loc: tuple[str | int, ...], field: str, message: str
) -> Problem:
    mark = record.doc.mark(loc)
    return Problem(record.doc.path, mark.line, mark.col, field, message)


_SOURCE = "publisher issue 11 item 7 (one incident in two languages)"
RULES = (
    Rule(
        "translation-incomplete",
        "error",
        "A translation (releases/<date>.<lang>.yaml) is in another language than its original "
        "and has every part its original has, and no other: greeting, intro, closing, "
        "contact.note, the notice mail and its message; as many sections, in the same order, "
        "each the timeline where the original's is and with a body where the original's has "
        "one. The record's and the site's words its page, PDF and mail show have a text in its "
        "language (translations: {en: ...}): the timeline events of a timeline section, the "
        "measures and attachment patterns its prose names, the titles of the references it "
        "links or names, a corrected fact's label, unit and note (and the substitute notice's "
        "fact's), the organisation's names and the mail sender's (site.yaml), and the contact "
        "desk's name, hours and address (the translation's contact:).",
        _SOURCE,
        incomplete,
    ),
    Rule(
        "translation-stale",
        "warning",
        "A translation's translated_from is the SHA-256 of its original's file (sha256sum "
        "releases/<date>.yaml) as it was when translated: if the original changed since, or the "
        "stamp is missing, the translation may not say what the original now says. Update it, "
        "then set translated_from to the digest the finding gives.",
        _SOURCE,
        stale,
    ),
    Rule(
        "translation-number",
        "error",
        "Every number typed into a translation's text (Jinja expressions and link targets "
        "aside; headings and the mail's subject and message included) is one its original "
        "writes or prints (its facts rendered), or the value of a fact as of the release's "
        "date (a count; a date's year, month or day): a translation states no fact its "
        "original and the record do not.",
        _SOURCE,
        numbers,
    ),
)
