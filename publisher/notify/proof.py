"""What a mailout keeps as proof of notice, besides who was sent: the digest of each mail it sent,
and the rows of its list that could not be told, counted (never named).

A mail's digest is the SHA-256 of one shape's mail as rendered (publisher.notify.message), with
the tokens in place of the personal fields: the canonical JSON (keys sorted, no spaces, UTF-8)
of its sender, reply-to address, subject, text and HTML. Everyone of a shape gets that mail with
their own fields put in, so the digest names what each of them received, without any of them;
rendering the release again gives the same digest.

Rows that could not be told are the list's invalid rows (a bad address, a name that is refused),
its rows without an address, and its duplicates (that address is told once, from its first
line), by the segment each row names; contacts.ContactReport counts them as the list is read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publisher.notify.message import Notice

REASONS = ("invalid", "duplicate", "no_address")
"""Why a row of the list could not be told, as the ledger names it."""


def mail_digest(notice: Notice, shape: str) -> str:
    """The SHA-256 (hex) of the mail of `shape`: '', 'name', 'organization' or both."""
    body = notice.bodies[shape]
    sender = notice.sender
    doc = {
        "from": {"email": sender.email, "name": sender.name},
        "reply_to": sender.reply_to or "",
        "subject": notice.subject,
        "text": body.text,
        "html": body.html,
    }
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mail_digests(notice: Notice) -> dict[str, str]:
    """The digest of the mail of each shape of `notice`, and of each of its translations'
    (keyed `<lang>:<shape>`, as digest_key names them)."""
    return {
        (f"{version.lang}:{shape}" if version.lang else shape): mail_digest(version, shape)
        for version in notice.versions
        for shape in version.bodies
    }


def shape_of_fields(name: str, organization: str) -> str:
    """The shape of a contact with these fields (as message.shape_of names it)."""
    return "+".join(f for f, value in (("name", name), ("organization", organization)) if value)


def chosen_language(languages: Iterable[str], wanted: str) -> str:
    """Which of `languages` (a release's translations) a contact whose list says `wanted`
    reads: the same tag, letter case aside, else its language without the region (en for
    en-GB); '' for none of them (the original)."""
    by_tag = {lang.lower(): lang for lang in languages}
    tag = wanted.strip().lower()
    return (by_tag.get(tag) or by_tag.get(tag.split("-")[0], "")) if tag else ""


def digest_key(digests: dict[str, str], name: str, organization: str, language: str) -> str:
    """The key in `digests` of the mail a contact with these fields gets: its language's
    translation if there is one (as Notice.for_contact chooses), else the original's."""
    shape = shape_of_fields(name, organization)
    lang = chosen_language({key.split(":")[0] for key in digests if ":" in key}, language)
    return f"{lang}:{shape}" if lang else shape
