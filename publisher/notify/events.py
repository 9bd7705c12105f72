"""SendGrid's delivery events, mapped to ledger rows and each stored once.

An Event Webhook POST (or a file of one) is a JSON array of events. Each mail SendGrid sends
carries the opaque ids publisher.notify.sendgrid put in its `custom_args` (`release`, `batch`,
`recipient`: the ledger row's id), and SendGrid repeats them in every event of that mail. An
event belongs to a row when its recipient id, release and address are the row's, for SendGrid:
an event of any other mail, or of a ledger made again since, is counted as for an unknown
recipient and not stored. Events other than the six of delivery (opens, clicks, ...) are
counted and left out.

A row's delivery state follows this order, not the order the events arrive in: an event moves a
row only to a state later in it, so a `delivered` that arrives before its `processed` is never
undone by it, and a replayed event changes nothing.

    processed    SendGrid took the mail for delivery
    deferred     the receiving server put it off; SendGrid tries again
    delivered    the receiving server accepted it
    bounced      it refused it, even after accepting it (SendGrid's `bounce`), or
    dropped      SendGrid would not send it (an address it had suppressed); the first of these
                 two to arrive stays
    spamreport   it reached the person, who reported it as spam

Every event SendGrid's `sg_event_id` names is stored once (the table `events`); one seen before
is counted as repeated and changes nothing. The events of one POST are stored in one transaction:
a crash part way stores none of them, and SendGrid, answered nothing, sends them again. Events
prove SendGrid accepted a mail, so a row they reach is sent (publisher.notify.ledger). Addresses
are compared, never stored or shown.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

from publisher.clock import Clock, wall_clock
from publisher.errors import NotifyError
from publisher.messages import _, counted
from publisher.notify.ledger import SETTLE
from publisher.notify.ledger_file import open_for_events, reported, transaction

TRANSPORT = "sendgrid"
STATES = {
    "processed": "processed",
    "deferred": "deferred",
    "delivered": "delivered",
    "bounce": "bounced",
    "dropped": "dropped",
    "spamreport": "spamreport",
}
"""SendGrid's name of each delivery event → the ledger's name of the state it reports."""
ORDER = {"processed": 1, "deferred": 2, "delivered": 3, "bounced": 4, "dropped": 4, "spamreport": 5}
"""The ledger's delivery states, earliest first: a row only ever moves to a later one."""
CHUNK = 1000  # events stored per transaction when a file is imported
MAX_ID = 100  # the longest sg_event_id taken (SendGrid's are about 22 to 48 characters)
_RANK = "CASE delivery {} ELSE 0 END".format(
    " ".join(f"WHEN '{s}' THEN {n}" for s, n in ORDER.items())
)
_MOVE = (
    f"UPDATE recipients SET delivery = CASE WHEN {_RANK} < ? THEN ? ELSE delivery END,"
    f" delivery_at = CASE WHEN {_RANK} < ? THEN ? ELSE delivery_at END WHERE id = ?"
)


@dataclass(frozen=True)
class Event:
    """One delivery event of a mail publisher sent: whose row, which state, when."""

    id: str
    state: str
    recipient: int
    release: str
    address: str
    at: int

    @property
    def at_text(self) -> str:
        """When SendGrid saw it, as the ledger writes times."""
        return datetime.fromtimestamp(self.at, UTC).isoformat(timespec="seconds")


@dataclass
class Tally:
    """What became of the events of one POST or file (or of all since the webhook started)."""

    received: int = 0
    stored: int = 0
    repeated: int = 0
    unknown: int = 0
    ignored: int = 0
    malformed: int = 0

    def add(self, other: Tally) -> None:
        """Count `other`'s events too."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def __str__(self) -> str:
        return counted(
            self.received,
            "{n} event: {stored} stored, {repeated} already stored, {unknown} for recipients "
            "not in this ledger, {ignored} not about delivery, {malformed} malformed",
            "{n} events: {stored} stored, {repeated} already stored, {unknown} for recipients "
            "not in this ledger, {ignored} not about delivery, {malformed} malformed",
            stored=self.stored,
            repeated=self.repeated,
            unknown=self.unknown,
            ignored=self.ignored,
            malformed=self.malformed,
        )


def parse_events(doc: object) -> tuple[list[Event], Tally]:
    """The delivery events of publisher's mails in `doc` (a decoded JSON array), and the count
    of all; ValueError if `doc` is not an array."""
    if not isinstance(doc, list):
        said = _("expected a JSON array of events, got {kind}")
        raise ValueError(said.format(kind=_kind(doc)))
    tally = Tally(received=len(doc))
    found = []
    for item in doc:
        event = _event(item)
        if isinstance(event, Event):
            found.append(event)
        else:
            setattr(tally, event, getattr(tally, event) + 1)
    return found, tally


def _event(item: object) -> Event | str:
    """The Event in `item`, or which count it goes to: malformed, ignored or unknown."""
    if not isinstance(item, dict) or not isinstance(kind := item.get("event"), str):
        return "malformed"
    if kind not in STATES:
        return "ignored"
    event_id, at = item.get("sg_event_id"), item.get("timestamp")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_ID or not _is_time(at):
        return "malformed"
    recipient, release, email = (item.get(k) for k in ("recipient", "release", "email"))
    if not isinstance(recipient, str) or not _is_row_id(recipient):
        return "unknown"
    if not isinstance(release, str) or not isinstance(email, str):
        return "unknown"
    return Event(event_id, STATES[kind], int(recipient), release, email.lower(), int(at))


def _is_row_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 18  # an SQLite integer


def _is_time(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 2**41


def _kind(doc: object) -> str:
    names = {"dict": _("an object"), "str": _("a string"), "NoneType": "null"}
    return names.get(type(doc).__name__, type(doc).__name__)


class EventStore:
    """Stores events in the ledger, one transaction per batch; holds no lock on it, so a
    mailout can run meanwhile (each waits for the other's short writes)."""

    def __init__(self, db: sqlite3.Connection, path: Path, clock: Clock = wall_clock) -> None:
        self.db = db
        self.path = path
        self.clock = clock

    @classmethod
    def open(cls, path: Path, clock: Clock = wall_clock) -> EventStore:
        """The store of the ledger at `path`, which must exist (upgraded if older)."""
        return cls(open_for_events(path), path, clock)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def store(self, events: list[Event]) -> Tally:
        """Store `events` in one transaction; count them stored, repeated or unknown."""
        with reported(self.path), transaction(self.db):
            return self._store(events)

    def _store(self, events: list[Event]) -> Tally:
        tally = Tally()
        rows = self._rows({e.recipient for e in events})
        reached = set()
        for event in events:
            if rows.get(event.recipient) != (event.release, TRANSPORT, event.address):
                tally.unknown += 1
            elif self._insert(event):
                rank = ORDER[event.state]
                at = event.at_text
                self.db.execute(_MOVE, (rank, event.state, rank, at, event.recipient))
                reached.add(event.recipient)
                tally.stored += 1
            else:
                tally.repeated += 1
        now = self.clock().isoformat(timespec="seconds")
        for ids in _chunks(sorted(reached)):
            self.db.execute(f"{SETTLE} AND id IN ({_marks(ids)})", (now, *ids))
        return tally

    def _insert(self, event: Event) -> bool:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)",
            (event.id, event.recipient, event.state, event.at),
        )
        return cursor.rowcount == 1

    def _rows(self, ids: set[int]) -> dict[int, tuple[str, str, str]]:
        """(release, transport, address) of each row of `ids` in the ledger."""
        found = {}
        for chunk in _chunks(sorted(ids)):
            cursor = self.db.execute(
                "SELECT id, release, transport, address FROM recipients"
                f" WHERE id IN ({_marks(chunk)})",
                chunk,
            )
            found.update({row[0]: (row[1], row[2], row[3]) for row in cursor})
        return found


def import_events(path: Path, ledger: Path, clock: Clock = wall_clock) -> Tally:
    """Store the events of a saved JSON array at `path` in `ledger`, CHUNK per transaction
    (a file stopped part way can simply be imported again)."""
    try:
        events, tally = parse_events(_read_json(path))
    except ValueError as exc:
        raise NotifyError(f"{path}: {exc}") from None  # a path and a message, as written
    with EventStore.open(ledger, clock) as store:
        for chunk in _chunks(events, CHUNK):
            tally.add(store.store(chunk))
    return tally


def _read_json(path: Path) -> object:
    try:
        with path.open("rb") as stream:
            return json.load(stream)
    except OSError as exc:
        said = _("{path}: cannot read the events: {error}")
        raise NotifyError(said.format(path=path, error=exc.strerror)) from None
    except ValueError as exc:  # not UTF-8 or not JSON; the message says where, not what
        said = _("{path}: not a JSON file of events: {error}")
        raise NotifyError(said.format(path=path, error=_where(exc))) from None


def _where(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        said = _("{error} (line {line}, column {column})")  # the error in json's own words
        return said.format(error=exc.msg, line=exc.lineno, column=exc.colno)
    return _("not UTF-8")


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(items: list[Any]) -> str:
    return ", ".join("?" for _ in items)
