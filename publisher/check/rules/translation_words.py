"""The record's and the site's words a translation shows, each in the translation's language.

A translated page, PDF and mail show more than the translation file's words: the organisation's
names, the contact desk's name and hours, a corrected fact's label, unit and note, the titles of
the references it links, the attachment patterns its prose names. Each has its text in other
languages beside it (`translations: {en: ...}`); one without shows the original's language in
the translation, silently. Part of translation-incomplete (publisher.check.rules.translation).
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.prose import release_prose
from publisher.check.rule import Subject
from publisher.errors import Problem
from publisher.messages import N_, _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schema import Incident
from publisher.model.view import view_release
from publisher.source import Loc, Located, dotted


def untranslated_words(
    subject: Subject, incident: IncidentRecord, translation: ReleaseRecord
) -> Iterator[Problem]:
    """The record's words `translation` shows that have no text in its language."""
    lang, shows = translation.variant, _shows(translation)
    record, doc = incident.incident, incident.doc
    view = view_release(subject.content, incident, translation)
    named = {c.name for c in view.corrections}
    notice = translation.release.substitute_notice
    for name in sorted(named | ({notice.count.removeprefix("facts.")} if notice else set())):
        yield from _fact(doc, record, name, lang, shows, corrected=name in named)
    yield from _references(subject, doc, record, translation, shows)
    yield from _patterns(doc, record, translation, shows)
    yield from _desk(subject.content, translation)


def untranslated_site(content: Content, translation: ReleaseRecord) -> Iterator[Problem]:
    """The organisation's names, which every page of `translation` shows, and the sender's
    name its mail shows, if not in its language."""
    lang, site = translation.variant, content.site
    if lang not in site.organization.translations:
        message = _(
            "not in '{lang}': {shows}; add translations: "
            "{{{lang}: {{name: ..., short_name: ..., self_reference: ...}}}}"
        ).format(lang=lang, shows=_shows(translation))
        yield _at(content.site_doc, ("organization", "name"), "organization.name", message)
    sender = site.notify_from
    if translation.release.notify and sender and lang not in sender.translations:
        name = translation.doc.path.rsplit("/", 1)[-1]
        message = _(
            "not in '{lang}': the mail of {file} shows it; add translations: {{{lang}: ...}}"
        )
        message = message.format(lang=lang, file=name)
        yield _at(content.site_doc, ("notify_from", "name"), "notify_from.name", message)


def _fact(
    doc: Located, record: Incident, name: str, lang: str, shows: str, *, corrected: bool
) -> Iterator[Problem]:
    fact = record.facts.get(name)
    if fact is None:  # substitute_notice names no such fact: its own error says so
        return
    words = fact.translations.get(lang)
    if words is None:
        message = _("not in '{lang}': {shows}; add translations: {{{lang}: {{label: ...}}}}")
        message = message.format(lang=lang, shows=shows)
        yield _at(doc, ("facts", name, "label"), f"facts.{name}.label", message)
    elif words.unit is None and fact.unit.strip():
        message = _("{unit} is not in '{lang}': {shows}; add unit: to translations.{lang}")
        message = message.format(unit=repr(fact.unit), lang=lang, shows=shows)
        yield _at(doc, ("facts", name, "unit"), f"facts.{name}.unit", message)
    if not corrected:
        return
    day_values = sorted(enumerate(fact.values), key=lambda v: v[1].as_of)
    i, latest = next((i, v) for i, v in reversed(day_values) if v.note)
    if lang not in latest.translations:
        loc = ("facts", name, "values", i, "note")
        message = _("not in '{lang}': {shows}; add translations: {{{lang}: ...}} beside the note")
        message = message.format(lang=lang, shows=shows)
        yield _at(doc, loc, dotted(loc), message)


def _references(
    subject: Subject,
    doc: Located,
    record: Incident,
    translation: ReleaseRecord,
    shows: str,
) -> Iterator[Problem]:
    lang, day = translation.variant, translation.release.date
    rendered = subject.renderings.releases.get(translation.id)
    linked = {r.id for r in rendered.linked_references} if rendered else set()
    named = any("references" in piece.text for piece in release_prose(translation))
    for i, reference in enumerate(record.references):
        shown = reference.id in linked or (named and reference.as_of <= day)
        if shown and lang not in reference.translations:
            message = _(_NOT_IN).format(lang=lang, shows=shows)
            yield _at(doc, ("references", i, "title"), dotted(("references", i, "title")), message)


def _patterns(
    doc: Located, record: Incident, translation: ReleaseRecord, shows: str
) -> Iterator[Problem]:
    lang, day = translation.variant, translation.release.date
    texts = [piece.text for piece in release_prose(translation)]
    if not any("attachment_patterns" in text or "advice" in text for text in texts):
        return
    for i, pattern in enumerate(record.advice.attachment_patterns):
        if pattern.as_of <= day and lang not in pattern.translations:
            loc = ("advice", "attachment_patterns", i, "text")
            message = _(_NOT_IN).format(lang=lang, shows=shows)
            yield _at(doc, loc, dotted(loc), message)


def _desk(content: Content, translation: ReleaseRecord) -> Iterator[Problem]:
    """The desk's wording (name, hours, address) the site gives and the translation does not."""
    desk, words = content.site.contact, translation.translation
    given = words.contact if words else None
    for part in ("name", "hours", "address"):
        if getattr(desk, part) and not (given and getattr(given, part)):
            message = _(
                "the contact desk's {part} would show as site.yaml has it ({shown}); give "
                "contact: {{{part}: ...}} in this language"
            ).format(part=part, shown=repr(getattr(desk, part).strip()))
            loc: Loc = ("contact",) if given else ()
            yield _at(translation.doc, loc, f"contact.{part}", message)


_NOT_IN = N_("not in '{lang}': {shows}; add translations: {{{lang}: ...}}")


def _shows(translation: ReleaseRecord) -> str:
    return _("{file} shows it").format(file=translation.doc.path.rsplit("/", 1)[-1])


def _at(doc: Located, loc: Loc, field: str, message: str) -> Problem:
    mark = doc.mark(loc)
    return Problem(doc.path, mark.line, mark.col, field, message)
