"""What a rebuild takes from the last build instead of rendering it again: each release's page
and print and each incident's page, keyed by a digest of what it reads.

A release's page and print read the theme, the site settings, the incident record, the release
itself, and of the incident's other releases (and translations) what lists and links to them
show: every field but their prose (the series names their titles, dates and kinds, a link to one
its date). An incident's page reads the whole incident, its releases too. An output whose key is
the last build's is taken as the last build made it; the indexes, feeds and sitemap read every
release and are rendered every time. Pure: the caller says what the theme is (a digest of its
files and of the code that renders) and keeps the outputs between builds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import msgspec
from msgspec.structs import replace

from publisher import memo
from publisher.model.content import Content, ReleaseRecord
from publisher.model.schema import Release
from publisher.render.urls import page_dir, release_dir


def _plain(value: object) -> object:
    """A value msgspec does not write, as data: a subclass of text or of a date as its plain
    form (a time zone name read from the file and one taken from the memo alike), else its repr."""
    try:
        return memo.plain(value)
    except TypeError:
        return repr(value)


_ENCODER = msgspec.msgpack.Encoder(enc_hook=_plain, order="deterministic")
"""Model values as bytes, the same in every process (sets and mappings sorted)."""

Made = Mapping[str, tuple[str, bytes]]
"""Outputs by name (a page's path, `print:<release id>`), each with its key and its bytes."""


@dataclass(frozen=True)
class Reuse:
    """What the render pass may take from the last build."""

    theme: str
    """The theme's identity: a digest of its files and of the code that renders."""
    previous: Made = field(default_factory=dict)
    """The last build's outputs."""

    def kept(self, keys: Mapping[str, str]) -> dict[str, bytes]:
        """The last build's outputs whose keys are those given, by name."""
        found = {}
        for name, key in keys.items():
            made = self.previous.get(name)
            if made is not None and made[0] == key:
                found[name] = made[1]
        return found


def print_name(release_id: str) -> str:
    """The name a release's print HTML is kept under."""
    return f"print:{release_id}"


LISTING = "listing:"
"""The name of the key of what lists every release shows (the site's feed, releases.json): the
theme, the site settings, and of each incident its record and what lists show of its releases,
none of their prose."""
EVERYTHING = "everything:"
"""The name of the key of everything every release holds, its prose too (the site's feed of a
project's own feed.xml, which may show it)."""


def output_keys(content: Content, theme: str) -> dict[str, str]:
    """The key of each release's page and print and each incident's page, by name; and the
    LISTING key."""
    site = _ENCODER.encode((content.site, content.site_doc.digest))
    keys = {}
    listing = []
    incidents = content.incidents
    for incident in incidents:
        read = (incident.incident, incident.doc.digest)  # the bytes too: a date and its text
        base = _digest(theme.encode(), site, _ENCODER.encode(read)).encode()  # encode alike
        records = [v for original in incident.releases for v in original.versions]
        encoded = [_encodings(record) for record in records]
        listed = b"".join(lists for lists, _ in encoded)
        unreadable = _ENCODER.encode(sorted(incident.unreadable))
        whole = b"".join(all_of for _, all_of in encoded)
        keys[page_dir(incident.id) + "index.html"] = _digest(base, whole, unreadable)
        listing.append(_digest(base, listed).encode())
        for record, (_, all_of) in zip(records, encoded, strict=True):
            key = _digest(base, listed, unreadable, all_of)
            keys[release_dir(record) + "index.html"] = key
            keys[print_name(record.id)] = key
    keys[LISTING] = _digest(theme.encode(), site, *listing)
    keys[EVERYTHING] = _digest(*(keys[page_dir(i.id) + "index.html"].encode() for i in incidents))
    return keys


def _encodings(record: ReleaseRecord) -> tuple[bytes, bytes]:
    """What lists show of `record` (`_listed`) and all of it (`_record`), encoded; once per
    release object this process holds (a long-running `serve`, whose memo hands it the same
    object while the file is unchanged, encodes each once)."""
    seen: tuple[tuple[object, ...], tuple[bytes, bytes]] | None
    seen = _encoded.get(id(record.release), (record.release,))
    if seen is not None and seen[0] == _identity(record):
        return seen[1]
    made = _listed(record), _record(record)
    _encoded.put(id(record.release), (record.release,), (_identity(record), made))
    return made


def _identity(record: ReleaseRecord) -> tuple[object, ...]:
    """What of a record besides its release the encodings hold."""
    return record.id, record.digest, record.translation


_encoded = memo.Held()


def _record(record: ReleaseRecord) -> bytes:
    """All of a release: its file's digest and what it was read as."""
    parts = (record.id, record.digest, record.release, record.translation)
    return _ENCODER.encode(parts)


def _listed(record: ReleaseRecord) -> bytes:
    """What a list of the incident's releases, or a link to one, may show of it: all but its
    prose."""
    return _ENCODER.encode((record.id, _without_prose(record.release), record.translation))


def _without_prose(release: Release) -> Release:
    sections = [replace(s, body=None) for s in release.sections]
    contact = replace(release.contact, note=None) if release.contact else None
    return replace(release, greeting=None, intro=None, closing=None, sections=sections,
                   contact=contact)  # fmt: skip


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()
