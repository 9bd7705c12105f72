"""A release in another language: the translation's words over the original's dates and facts.

A translation file (`releases/<date>.<lang>.yaml`) holds only text: title, summary, prose,
the desk's wording and the mail's. Everything else (date, kind, schedule, layout, who is told,
the mail template, the desk's numbers and addresses) is the original's, and prose reaches the
same incident record through the same `{{ facts.NAME }}`, so the numbers of the two cannot
diverge. Pure: publisher.load.content reads the files and calls `translated`.
"""

from __future__ import annotations

import msgspec
from msgspec import UNSET

from publisher.model.content import ReleaseRecord
from publisher.model.schema import ContactChange, Release, Translation
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
