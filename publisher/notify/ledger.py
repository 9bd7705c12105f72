"""The ledger: one SQLite row per (release, transport, address), so a mailout can crash and resume.

States of a recipient, for one release and one transport:

    pending ──begin_batch──> in_flight ──finish_batch──> sent | failed | unknown
    failed  ──(next run)──> in_flight             unknown ──(--resend-unknown)──> in_flight
    pending, failed, unknown ──(SendGrid's events show it accepted the mail)──> sent

A batch is recorded as in flight (one transaction) before its request, and as sent (another)
once the service accepts it. Rows still in flight when a run starts belong to a process that died
mid-request: their outcome is unknown, and they are not sent again unless asked (but for a
transport that cannot deliver twice, such as the outbox, where they are simply failed).

A row says what one transport did: an outbox row marked sent means its file was written, never
that SendGrid told the person. SendGrid's events (publisher.notify.events) add what became of the
mail after that: a row's delivery state; and a row those events show SendGrid accepted is sent
(never mailed again), whatever the ledger said, unless a mailout has it in flight: that mailout
records its outcome, and an unknown outcome with events already in is settled the same way.

What proves the notice (publisher.notify.proof) is recorded with it: `record_notice` keeps the
digest of each shape's mail, which every batch begun after it carries, and the counts of the
list's rows that could not be told. Opening the file, its tables and version, and what its faults
mean are ledger_file's; every SQLite error of a method here reaches the caller as its message.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from publisher.notify.contacts import Contact, ContactReport
from publisher.notify.ledger_file import (
    new_scratch,
    open_for_mailout,
    open_for_reading,
    reported,
    transaction,
)
from publisher.notify.proof import digest_key, mail_digests

if TYPE_CHECKING:
    from publisher.notify.message import Notice

STATES = ("pending", "in_flight", "sent", "failed", "unknown")
_FIELDS = "address, email, name, organization, segment, language, line"
_RUN_FIELDS = ", ".join("run." + f for f in _FIELDS.split(", "))
_RUN = f"""
CREATE TEMP TABLE run (
    address TEXT PRIMARY KEY, email TEXT, name TEXT, organization TEXT, segment TEXT,
    language TEXT, line INTEGER);
CREATE TEMP TABLE queue (id, {_FIELDS});
"""
P = ParamSpec("P")
T = TypeVar("T")


def _reported(method: Callable[Concatenate[Ledger, P], T]) -> Callable[Concatenate[Ledger, P], T]:
    """Turn the SQLite errors of a Ledger method into NotifyErrors that name the file."""

    def wrapper(ledger: Ledger, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with reported(ledger.path):
            return method(ledger, *args, **kwargs)

    wrapper.__doc__ = method.__doc__
    return wrapper


@dataclass(frozen=True)
class Mailing:
    """Whose notice, by which transport: with the address, the key of a ledger row."""

    release: str
    transport: str


@dataclass(frozen=True)
class Queued:
    """A contact waiting in this run's queue: its position, and its ledger id (0 if none)."""

    position: int
    id: int
    contact: Contact


@dataclass(frozen=True)
class UnknownBatch:
    """A batch whose outcome is unknown: it may or may not have been delivered."""

    id: int
    size: int
    started_at: str
    error: str


class Ledger:
    """The SQLite ledger of one file; holds an exclusive lock while a mailout runs."""

    def __init__(self, db: sqlite3.Connection, path: Path | None, lock: int | None = None) -> None:
        self.db = db
        self.path = path
        self._lock = lock
        self._digests: dict[str, str] = {}
        self.db.executescript(_RUN)

    @classmethod
    def open(cls, path: Path) -> Ledger:
        """Open (creating) the ledger at `path` for a mailout: refuse it if another mailout
        holds it, or if it is damaged, newer or cannot be written; upgrade an older one."""
        db, lock = open_for_mailout(path)
        return cls(db, path, lock)

    @classmethod
    def read(cls, path: Path) -> Ledger:
        """Open the ledger at `path` to read, never writing to it (an older one is read
        through a copy upgraded in memory)."""
        return cls(open_for_reading(path), path)

    @classmethod
    def scratch(cls) -> Ledger:
        """A throw-away ledger on a temporary file (for --dry-run without a ledger)."""
        return cls(new_scratch(), None)

    def close(self) -> None:
        """Close the database and release the lock."""
        self.db.close()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- staging this run's contacts (publisher.notify.contacts.Seen) ---

    @_reported
    def first_line(self, contact: Contact) -> int | None:
        """Stage `contact` for this run; if its address is already staged, the first line."""
        cursor = self.db.execute(
            f"INSERT OR IGNORE INTO run ({_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            _row(contact),
        )
        if cursor.rowcount:
            return None
        row = self.db.execute("SELECT line FROM run WHERE address = ?", (contact.address,))
        return int(row.fetchone()[0])

    @_reported
    def begin_staging(self) -> None:
        """Start the one transaction that stages a contact list."""
        self.db.execute("BEGIN")

    @_reported
    def end_staging(self) -> None:
        """End the staging transaction."""
        self.db.execute("COMMIT")

    # --- from staged contacts to a queue ---

    @_reported
    def recover(self, mailing: Mailing, now: str, repeatable: bool = False) -> int:
        """Settle what a dead process left in flight: unknown, or failed where sending again
        cannot give anyone a second copy (`repeatable`); return how many recipients."""
        state = "failed" if repeatable else "unknown"
        error = "the process stopped during the request"
        key = (mailing.release, mailing.transport)
        with self._transaction():
            self.db.execute(
                "UPDATE batches SET state = ?, finished_at = ?, error = ?"
                " WHERE release = ? AND transport = ? AND state = 'in_flight'",
                (state, now, error, *key),
            )
            cursor = self.db.execute(
                "UPDATE recipients SET state = ?, updated_at = ?, error = ?"
                " WHERE release = ? AND transport = ? AND state = 'in_flight'",
                (state, now, error, *key),
            )
            self.db.execute(f"{SETTLE} AND release = ? AND transport = ?", (now, *key))
        return cursor.rowcount

    @_reported
    def record_run(self, mailing: Mailing, now: str) -> None:
        """Add this run's contacts to the ledger; unsent rows take the list's current fields."""
        with self._transaction():
            self.db.execute(
                f"INSERT INTO recipients ({_FIELDS}, release, transport, added_at, updated_at)"
                f" SELECT {_FIELDS}, ?, ?, ?, ? FROM run WHERE true"
                " ON CONFLICT (release, transport, address) DO UPDATE SET email = excluded.email,"
                " name = excluded.name, organization = excluded.organization,"
                " segment = excluded.segment, language = excluded.language,"
                " line = excluded.line WHERE recipients.state != 'sent'",
                (mailing.release, mailing.transport, now, now),
            )

    @_reported
    def record_notice(
        self, mailing: Mailing, notice: Notice, report: ContactReport, now: str
    ) -> None:
        """Keep the proof of this run's notice: the digest of each shape's mail, for the batches
        begun from now on, and the list's rows that could not be told by segment, in place of
        an earlier list's counts for the segments this one addresses (all, if it addresses all).
        """
        self._digests = mail_digests(notice)
        key = (mailing.release, mailing.transport)
        marks = ", ".join("?" for _ in report.addressed)
        only = f" AND segment IN ({marks})" if report.addressed else ""
        with self._transaction():
            self.db.execute(
                f"DELETE FROM left_out WHERE release = ? AND transport = ?{only}",
                (*key, *report.addressed),
            )
            self.db.executemany(
                "INSERT INTO left_out VALUES (?, ?, ?, ?, ?, ?)",
                [(*key, *where, n, now) for where, n in sorted(report.unreachable.items())],
            )

    @_reported
    def run_states(self, mailing: Mailing) -> dict[str, int]:
        """Counts by state of this run's contacts (pending for those not yet in the ledger)."""
        rows = self.db.execute(
            f"SELECT coalesce(r.state, 'pending'), count(*) FROM run {_JOIN} GROUP BY 1",
            (mailing.release, mailing.transport),
        )
        return {state: n for state, n in rows}

    @_reported
    def fill_queue(self, mailing: Mailing, states: tuple[str, ...]) -> int:
        """Queue this run's contacts in `states`, grouped by language and shape, then in list
        order."""
        marks = ", ".join("?" for _ in states)
        with self._transaction():
            self.db.execute("DELETE FROM queue")
            cursor = self.db.execute(
                f"INSERT INTO queue SELECT coalesce(r.id, 0), {_RUN_FIELDS} FROM run {_JOIN}"
                f" WHERE coalesce(r.state, 'pending') IN ({marks})"
                " ORDER BY lower(run.language), run.name != '', run.organization != '', run.line",
                (mailing.release, mailing.transport, *states),
            )
        return cursor.rowcount

    @_reported
    def queued(self, after: int, limit: int) -> list[Queued]:
        """Up to `limit` queued contacts after queue position `after`."""
        rows = self.db.execute(
            f"SELECT rowid, id, {_FIELDS} FROM queue WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
        return [Queued(r[0], r[1], _contact(r[2:])) for r in rows]

    # --- batches ---

    @_reported
    def begin_batch(self, mailing: Mailing, addresses: list[str], now: str) -> int:
        """Record a batch as in flight, before its request; return its id."""
        key = (mailing.release, mailing.transport)
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO batches (release, transport, state, size, started_at, digest)"
                " VALUES (?, ?, 'in_flight', ?, ?, ?)",
                (*key, len(addresses), now, self._digest(mailing, addresses)),
            )
            batch = int(cursor.lastrowid or 0)
            self.db.executemany(
                "UPDATE recipients SET state = 'in_flight', batch = ?, attempts = attempts + 1,"
                " updated_at = ?, error = NULL"
                " WHERE release = ? AND transport = ? AND address = ?",
                [(batch, now, *key, a) for a in addresses],
            )
        return batch

    @_reported
    def finish_batch(
        self, batch: int, state: str, now: str, message_id: str | None = None, error: str = ""
    ) -> None:
        """Record a batch's outcome (sent, failed or unknown), in one transaction."""
        assert state in ("sent", "failed", "unknown")
        sent_at = now if state == "sent" else None
        with self._transaction():
            self.db.execute(
                "UPDATE batches SET state = ?, finished_at = ?, message_id = ?, error = ?"
                " WHERE id = ?",
                (state, now, message_id, error or None, batch),
            )
            self.db.execute(
                "UPDATE recipients SET state = ?, updated_at = ?, sent_at = ?, message_id = ?,"
                " error = ? WHERE batch = ? AND state = 'in_flight'",
                (state, now, sent_at, message_id, error or None, batch),
            )
            if state == "unknown":
                self.db.execute(f"{SETTLE} AND batch = ?", (now, batch))

    def _digest(self, mailing: Mailing, addresses: list[str]) -> str | None:
        """The digest of the mail a batch's recipients get (a batch is of one shape)."""
        if not self._digests or not addresses:
            return None
        row = self.db.execute(
            "SELECT name, organization, language FROM recipients"
            " WHERE release = ? AND transport = ? AND address = ?",
            (mailing.release, mailing.transport, addresses[0]),
        ).fetchone()
        return self._digests.get(digest_key(self._digests, *row)) if row else None

    # --- reading the record ---

    @_reported
    def transports(self, release: str) -> list[str]:
        """The transports that have recipients of `release`, by name."""
        rows = self.db.execute(
            "SELECT DISTINCT transport FROM recipients WHERE release = ? ORDER BY 1", (release,)
        )
        return [name for (name,) in rows]

    @_reported
    def counts(self, mailing: Mailing) -> dict[str, int]:
        """Recipients of the mailing by state (every state present, zero if none)."""
        rows = self.db.execute(
            "SELECT state, count(*) FROM recipients WHERE release = ? AND transport = ?"
            " GROUP BY state",
            (mailing.release, mailing.transport),
        )
        return dict.fromkeys(STATES, 0) | {state: n for state, n in rows}

    @_reported
    def unknown_batches(self, mailing: Mailing) -> list[UnknownBatch]:
        """Batches of the mailing whose recipients' outcome is still unknown."""
        rows = self.db.execute(
            "SELECT b.id, count(r.address), b.started_at, coalesce(b.error, '')"
            " FROM batches b JOIN recipients r ON r.batch = b.id AND r.state = 'unknown'"
            " WHERE b.release = ? AND b.transport = ? GROUP BY b.id ORDER BY b.id",
            (mailing.release, mailing.transport),
        )
        return [UnknownBatch(*row) for row in rows]

    def records(self, release: str) -> Iterator[dict[str, Any]]:
        """Every recipient row of `release` as a dict, in list order (for export)."""
        with reported(self.path):
            cursor = self.db.execute(
                "SELECT r.email, r.transport, r.state, r.sent_at, r.message_id, r.batch,"
                " r.attempts, r.error, r.segment, r.delivery, r.delivery_at, b.digest"
                " FROM recipients r LEFT JOIN batches b ON b.id = r.batch"
                " WHERE r.release = ? ORDER BY r.line, r.address, r.transport",
                (release,),
            )
            names = [d[0] for d in cursor.description]
            for row in cursor:
                yield dict(zip(names, row, strict=True))

    def _transaction(self) -> AbstractContextManager[None]:
        return transaction(self.db)


_JOIN = "LEFT JOIN recipients r ON r.release = ? AND r.transport = ? AND r.address = run.address"
SETTLED = "the outcome was not known; SendGrid's events show it accepted the mail"
_SETTLED = SETTLED.replace("'", "''")  # as an SQL string
SETTLE = (
    "UPDATE recipients SET state = 'sent', sent_at = delivery_at, updated_at = ?,"
    f" error = '{_SETTLED}' WHERE state IN ('pending', 'failed', 'unknown')"
    " AND delivery IS NOT NULL"
)
"""Make sent the rows SendGrid's events show it accepted (followed by AND and the rows)."""


def _contact(row: tuple[Any, ...]) -> Contact:
    address, email, name, organization, segment, language, line = row
    return Contact(line, email, address, name, organization, segment, language)


def _row(contact: Contact) -> tuple[str | int, ...]:
    c = contact
    return (c.address, c.email, c.name, c.organization, c.segment, c.language, c.line)
