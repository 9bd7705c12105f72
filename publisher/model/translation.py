"""A release in another language: the translation's words over the original's dates and facts.

A translation file (`releases/<date>.<lang>.yaml`) holds only text: title, summary, prose,
the desk's wording and the mail's. Everything else (date, kind, schedule, layout, who is told,
the mail template, the desk's numbers and addresses) is the original's, and prose reaches the
same incident record through the same `{{ facts.NAME }}`, so the numbers of the two cannot
diverge. The record's and the site's own words (a fact's label, unit and note, a reference's
title, an attachment pattern, the organisation's names) carry theirs beside them
(`translations: {en: ...}`): `incident_in` and `site_in` give the record and the site in a
language, the original's words where none is given. Pure: publisher.load.content reads the
files and calls `translated`.
"""

from __future__ import annotations

import msgspec
from msgspec import UNSET

from publisher.model.content import ReleaseRecord
from publisher.model.schema import (
    AttachmentPattern,
    ContactChange,
    Fact,
    FactValue,
    Incident,
    Reference,
    Release,
    Site,
    Translation,
)
from publisher.source import Located


def translated(original: ReleaseRecord, translation: Translation, doc: Located) -> ReleaseRecord:
    """The release `original` in the words of `translation` (read from `doc`)."""
    return ReleaseRecord(
        original.incident_id,
        _release(original.release, translation),
        doc,
        translation=translation,
    )


def _release(original: Release, words: Translation) -> Release:
    notify = original.notify
    if notify is not None:
        notify = (
            msgspec.structs.replace(
                notify, subject=words.notify.subject, message=words.notify.message
            )
            if words.notify is not None
            else None  # no mail in this language: its contacts get the original's
        )
    return msgspec.structs.replace(
        original,
        lang=words.lang,
        title=words.title,
        summary=words.summary,
        greeting=words.greeting,
        intro=words.intro,
        sections=list(words.sections),
        closing=words.closing,
        contact=_contact(original.contact, words),
        notify=notify,
    )


def _contact(original: ContactChange | None, words: Translation) -> ContactChange | None:
    note = words.contact.note if words.contact else None
    email = original.email if original else UNSET
    if original is None and note is None:
        return None
    return ContactChange(email=email, note=note)


def site_in(site: Site, lang: str) -> Site:
    """The site with the organisation's and the mail sender's names in `lang`, where it gives
    them."""
    sender, words = site.notify_from, site.organization.translations.get(lang)
    if sender is not None and lang in sender.translations:
        sender = msgspec.structs.replace(sender, name=sender.translations[lang])
    organization = site.organization
    if words is not None:
        organization = msgspec.structs.replace(
            organization,
            name=words.name,
            short_name=words.short_name,
            self_reference=words.self_reference,
        )
    return msgspec.structs.replace(site, organization=organization, notify_from=sender)


def incident_in(incident: Incident, lang: str) -> Incident:
    """The record with its facts' labels, units and notes, its references' titles and its
    attachment patterns in `lang`, where it gives them (timeline and measures: at rendering)."""
    advice = msgspec.structs.replace(
        incident.advice,
        attachment_patterns=[_pattern(p, lang) for p in incident.advice.attachment_patterns],
    )
    return msgspec.structs.replace(
        incident,
        facts={name: _fact(fact, lang) for name, fact in incident.facts.items()},
        advice=advice,
        references=[_reference(r, lang) for r in incident.references],
    )


def _fact(fact: Fact, lang: str) -> Fact:
    words = fact.translations.get(lang)
    values = [_value(v, lang) for v in fact.values]
    if words is None:
        return msgspec.structs.replace(fact, values=values)
    unit = fact.unit if words.unit is None else words.unit
    return msgspec.structs.replace(fact, label=words.label, unit=unit, values=values)


def _value(value: FactValue, lang: str) -> FactValue:
    note = value.translations.get(lang)
    return value if note is None else msgspec.structs.replace(value, note=note)


def _pattern(pattern: AttachmentPattern, lang: str) -> AttachmentPattern:
    text = pattern.translations.get(lang)
    return pattern if text is None else msgspec.structs.replace(pattern, text=text)


def _reference(reference: Reference, lang: str) -> Reference:
    title = reference.translations.get(lang)
    return reference if title is None else msgspec.structs.replace(reference, title=title)
