"""What the people concerned were told, for APPI item 6 and GDPR Art. 34: the notice mail as
the notification ledger counted it, and the substitute notice the releases published (pure).

The ledger gives counts and times only (publisher.notify.record.notice_proof), never an
address: per release mailed, transport and segment, how many were notified (accepted by the
transport), delivered, bounced or dropped, and how many rows of the list could not be told
(invalid, duplicate, no address), each with the first and last time of that state. A release
with a substitute notice (`substitute_notice: {count: facts.NAME}`) states its count as a fact;
the fact, as known on the report's date, is compared with the ledger's bounced, dropped and not
reachable of the latest mailout by then, and a difference is a warning located at the fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from publisher.errors import Problem
from publisher.messages import _
from publisher.notify.proof import REASONS
from publisher.notify.record import MEASURES, Measure, SegmentProof
from publisher.report.form import FROM_RECORD, Field
from publisher.report.snapshot import KnownRelease, Snapshot
from publisher.report.words import Words

REVIEW_ONLY = "outbox"
"""The transport that writes .eml files for review: nobody is told by it."""
FROM_LEDGER = "from the notification ledger"
RULE = "substitute-notice-count"


@dataclass(frozen=True)
class Mailout:
    """One release's notice mail as the ledger had recorded it by the report's date."""

    release: KnownRelease
    key: str
    """The release as the ledger names it (incident/date)."""
    transports: Mapping[str, list[SegmentProof]]


@dataclass(frozen=True)
class NoticeRecord:
    """The notice mails of an incident's releases, from the ledger (if there is one)."""

    ledger: bool
    """Whether there was a ledger to read."""
    until: datetime
    """The end of the report's date, in the site's time zone."""
    mailouts: tuple[Mailout, ...] = ()


def mailed_releases(snapshot: Snapshot) -> list[tuple[KnownRelease, str]]:
    """The releases public by the snapshot's date that have a notice mail, with their ledger key."""
    return [
        (r, f"{snapshot.id}/{r.date.isoformat()}")
        for r in snapshot.releases
        if r.notify_subject is not None
    ]


def with_notice(field: Field, snapshot: Snapshot, record: NoticeRecord | None) -> Field:
    """`field` (APPI item 6, GDPR Art. 34) with the notice mail's counts and the substitute
    notices after the record's own text; unchanged if the ledger was not consulted."""
    if record is None:
        return field
    words = snapshot.words
    blocks = [_mail_text(snapshot, record, words)]
    parts: list[Mapping[str, Any]] = [_mail_data(m) for m in record.mailouts]
    sources = [f"ledger: {m.key} ({', '.join(m.transports)})" for m in record.mailouts]
    for release in _substitutes(snapshot):
        blocks.append(_substitute_text(snapshot, release, words))
        parts.append(_substitute_data(snapshot, release))
        sources.append(f"release:{release.date.isoformat()}#substitute_notice")
    value = "\n\n".join(b for b in (field.value, *blocks) if b)
    status = field.status
    if field.status != "stated" and (record.mailouts or len(blocks) > 1):
        status = FROM_LEDGER if record.mailouts else FROM_RECORD
    return replace(
        field,
        status=status,
        value=value,
        sources=(*field.sources, *sources),
        parts=(*field.parts, *parts),
    )


def disagreements(snapshot: Snapshot, record: NoticeRecord | None) -> list[Problem]:
    """Warnings where a substitute notice's fact, as of the snapshot's date, differs from the
    ledger's bounced + dropped + not reachable of the latest mailout by its release's date."""
    if record is None:
        return []
    found = []
    for release in _substitutes(snapshot):
        substitute = release.rendered.substitute
        assert substitute is not None
        mailout = _mailout_for(record, release.date)
        fact = snapshot.facts.get(substitute.fact)
        if mailout is None or fact is None:
            continue
        counted, why = _unreached(mailout)
        if counted != fact.value:
            message = _(
                "{value} as of {as_of}, but the notification ledger counts {counted} not reached "
                "for {mailout} by the end of {day} ({why}); correct the fact with a dated value, "
                "or import the delivery events"
            ).format(
                value=fact.value,
                as_of=fact.as_of,
                counted=counted,
                mailout=mailout.key,
                day=snapshot.as_of,
                why=why,
            )
            found.append(_at_fact(snapshot, substitute.fact, message))
    return found


def _substitutes(snapshot: Snapshot) -> list[KnownRelease]:
    return [r for r in snapshot.releases if r.rendered.substitute is not None]


def _mailout_for(record: NoticeRecord, day: date) -> Mailout | None:
    earlier = [m for m in record.mailouts if m.release.date <= day]
    return max(earlier, key=lambda m: m.release.date) if earlier else None


def _told_by(mailout: Mailout) -> dict[str, list[SegmentProof]]:
    """The transports that told people (the outbox only if there is no other)."""
    told = {t: p for t, p in mailout.transports.items() if t != REVIEW_ONLY}
    return told or dict(mailout.transports)


def _unreached(mailout: Mailout) -> tuple[int, str]:
    """Bounced + dropped + not reachable over the transports that told people, and the sum
    spelled out."""
    segments = [p for proofs in _told_by(mailout).values() for p in proofs]
    bounced = sum(p.measures["bounced"].count for p in segments)
    dropped = sum(p.measures["dropped"].count for p in segments)
    left = {r: sum(p.not_reachable[r] for p in segments) for r in REASONS}
    why = _(
        "{bounced} bounced, {dropped} dropped, {invalid} invalid, {duplicate} duplicate, "
        "{no_address} no address"
    ).format(bounced=bounced, dropped=dropped, **left)
    return bounced + dropped + sum(left.values()), why


def _at_fact(snapshot: Snapshot, name: str, message: str) -> Problem:
    doc = snapshot.incident.doc
    values = snapshot.incident.incident.facts[name].values
    as_of = snapshot.facts[name].as_of
    index = max(i for i, v in enumerate(values) if v.as_of == as_of)
    mark = doc.mark(("facts", name, "values", index, "value"))
    field = f"facts.{name}"
    return Problem(doc.path, mark.line, mark.col, field, f"{RULE}: {message}", "warning")


# --- the text to paste, in the record's language ---


def _mail_text(snapshot: Snapshot, record: NoticeRecord, words: Words) -> str:
    day = words.date(snapshot.as_of)
    if not record.mailouts:
        said = words.no_ledger if not record.ledger else words.no_mail
        return said.format(date=day)
    lines = [words.mail_heading.format(date=day)]
    zone = ZoneInfo(snapshot.site.timezone)
    for mailout in record.mailouts:
        for transport, segments in mailout.transports.items():
            review = words.review_only if transport == REVIEW_ONLY else ""
            release_day = words.date(mailout.release.date)
            lines.append(words.mail_release.format(date=release_day, transport=transport) + review)
            lines += [_segment_line(p, words, zone) for p in segments]
    return "\n".join(lines)


def _segment_line(p: SegmentProof, words: Words, zone: ZoneInfo) -> str:
    measures = [
        f"{words.measures[name]} {words.count(m.count)}{_when(m, words, zone)}"
        for name, m in p.measures.items()
    ]
    left = p.not_reachable
    reasons = words.list_separator.join(
        f"{words.measures[r]} {words.count(left[r])}" for r in REASONS
    )
    listed = ""
    if p.listed_at:
        listed = f"{words.list_separator}{words.listed} {_time(p.listed_at, zone)}"
    unreached = f"{words.measures['not_reachable']} {words.count(sum(left.values()))}"
    segment = p.segment or words.no_segment
    joined = words.list_separator.join(measures)
    return f"{words.bullet}{segment}: {joined}{words.then}{unreached}({reasons}{listed})"


def _when(m: Measure, words: Words, zone: ZoneInfo) -> str:
    if not m.count or m.first is None or m.last is None:
        return ""
    first, last = _time(m.first, zone), _time(m.last, zone)
    return f"({first})" if first == last else f"({first}{words.until}{last})"


def _time(stamp: str, zone: ZoneInfo) -> str:
    """A ledger time in the site's time zone, to the minute (2020-11-14T10:00+09:00)."""
    moment = datetime.fromisoformat(stamp)
    return moment.astimezone(zone).isoformat(timespec="minutes")


def _substitute_text(snapshot: Snapshot, release: KnownRelease, words: Words) -> str:
    substitute = release.rendered.substitute
    assert substitute is not None
    shown = f"{substitute.label}: {words.count(substitute.count, substitute.unit)}"
    title = words.quoted.format(text=release.title)
    lines = [
        words.substitute.format(
            release=f"{words.date(release.date)} {title}",
            shown=shown,
            date=words.date(substitute.as_of),
        ),
        f"{release.url}#substitute-notice",
    ]
    fact = snapshot.facts.get(substitute.fact)
    if fact is not None and fact.value != substitute.count:
        value = fact.value if isinstance(fact.value, int) else 0
        now = words.count(value, fact.unit)
        lines.append(words.substitute_now.format(value=now, date=words.date(fact.as_of)))
    return "\n".join(lines)


# --- the same as data, for the JSON ---


def _mail_data(mailout: Mailout) -> dict[str, Any]:
    return {
        "notice_mail": {
            "release": mailout.release.date.isoformat(),
            "ledger_release": mailout.key,
            "transports": {
                name: {
                    "told_people": name != REVIEW_ONLY,
                    "segments": {p.segment: _segment_data(p) for p in segments},
                }
                for name, segments in mailout.transports.items()
            },
        }
    }


def _segment_data(p: SegmentProof) -> dict[str, Any]:
    data: dict[str, Any] = {name: asdict(p.measures[name]) for name in MEASURES}
    return data | {
        "not_reachable": dict(p.not_reachable),
        "listed_at": p.listed_at,
        "mails": {f"sha256:{d}": m.count for d, m in p.mails.items()},
    }


def _substitute_data(snapshot: Snapshot, release: KnownRelease) -> dict[str, Any]:
    substitute = release.rendered.substitute
    assert substitute is not None
    fact = snapshot.facts.get(substitute.fact)
    return {
        "substitute_notice": {
            "release": release.date.isoformat(),
            "url": f"{release.url}#substitute-notice",
            "fact": substitute.fact,
            "shown": substitute.count,
            "shown_as_of": substitute.as_of.isoformat(),
            "value": fact.value if fact else None,
            "as_of": fact.as_of.isoformat() if fact else None,
            "unit": substitute.unit,
        }
    }
