"""The ledger: one SQLite row per (release, address), so a mailout can crash and resume.

States of a recipient:

    pending ──begin_batch──> in_flight ──finish_batch──> sent | failed | unknown
    failed  ──(next run)──> in_flight             unknown ──(--resend-unknown)──> in_flight

A batch is recorded as in flight (one transaction) before its request, and as sent (another)
once the service accepts it. Rows still in flight when a run starts belong to a process that died
mid-request: their outcome is unknown, and they are not sent again unless asked.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.errors import NotifyError
from publisher.notify.contacts import Contact

STATES = ("pending", "in_flight", "sent", "failed", "unknown")
_FIELDS = "address, email, name, organization, segment, language, line"
_RUN_FIELDS = ", ".join("run." + f for f in _FIELDS.split(", "))
_SCHEMA = """
CREATE TABLE IF NOT EXISTS recipients (
    id INTEGER PRIMARY KEY, release TEXT NOT NULL, address TEXT NOT NULL, email TEXT NOT NULL,
    name TEXT NOT NULL, organization TEXT NOT NULL, segment TEXT NOT NULL,
    language TEXT NOT NULL, line INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
        ('pending', 'in_flight', 'sent', 'failed', 'unknown')),
    batch INTEGER, message_id TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT, error TEXT,
    UNIQUE (release, address)
);
CREATE INDEX IF NOT EXISTS recipients_batch ON recipients (batch);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY, release TEXT NOT NULL, transport TEXT NOT NULL,
    state TEXT NOT NULL, size INTEGER NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, message_id TEXT, error TEXT
);
"""
_RUN = f"""
CREATE TEMP TABLE run (
    address TEXT PRIMARY KEY, email TEXT, name TEXT, organization TEXT, segment TEXT,
    language TEXT, line INTEGER);
CREATE TEMP TABLE queue (id, {_FIELDS});
"""


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

    def __init__(self, db: sqlite3.Connection, path: Path | None) -> None:
        self.db = db
        self.path = path
        self._lock: int | None = None
        self.db.executescript(_SCHEMA + _RUN)

    @classmethod
    def open(cls, path: Path, lock: bool = True) -> Ledger:
        """Open (creating) the ledger at `path`; with `lock`, refuse if another run holds it."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            ledger = cls(db, path)
        except (OSError, sqlite3.Error) as exc:
            raise NotifyError(f"{path}: cannot open the ledger: {exc}") from None
        if lock:
            ledger._take_lock(path)
        return ledger

    @classmethod
    def scratch(cls) -> Ledger:
        """A throw-away ledger on a temporary file (for --dry-run)."""
        return cls(sqlite3.connect("", isolation_level=None), None)

    def _take_lock(self, path: Path) -> None:
        self._lock = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise NotifyError(f"{path}: another mailout is using this ledger") from None

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

    def begin_staging(self) -> None:
        """Start the one transaction that stages a contact list."""
        self.db.execute("BEGIN")

    def end_staging(self) -> None:
        """End the staging transaction."""
        self.db.execute("COMMIT")

    # --- from staged contacts to a queue ---

    def recover(self, release: str, now: str) -> int:
        """Mark what a dead process left in flight as unknown; return how many recipients."""
        with self._transaction():
            self.db.execute(
                "UPDATE batches SET state = 'unknown', finished_at = ?,"
                " error = 'the process stopped during the request'"
                " WHERE release = ? AND state = 'in_flight'",
                (now, release),
            )
            cursor = self.db.execute(
                "UPDATE recipients SET state = 'unknown', updated_at = ?"
                " WHERE release = ? AND state = 'in_flight'",
                (now, release),
            )
        return cursor.rowcount

    def record_run(self, release: str, now: str) -> None:
        """Add this run's contacts to the ledger; unsent rows take the list's current fields."""
        with self._transaction():
            self.db.execute(
                f"INSERT INTO recipients ({_FIELDS}, release, added_at, updated_at)"
                f" SELECT {_FIELDS}, ?, ?, ? FROM run WHERE true"
                " ON CONFLICT (release, address) DO UPDATE SET email = excluded.email,"
                " name = excluded.name, organization = excluded.organization,"
                " segment = excluded.segment, language = excluded.language,"
                " line = excluded.line WHERE recipients.state != 'sent'",
                (release, now, now),
            )

    def run_states(self, release: str) -> dict[str, int]:
        """Counts by state of this run's contacts (pending for those not yet in the ledger)."""
        rows = self.db.execute(
            "SELECT coalesce(r.state, 'pending'), count(*) FROM run"
            " LEFT JOIN recipients r ON r.release = ? AND r.address = run.address"
            " GROUP BY 1",
            (release,),
        )
        return {state: n for state, n in rows}

    def fill_queue(self, release: str, states: tuple[str, ...]) -> int:
        """Queue this run's contacts in `states`, grouped by shape then in list order."""
        marks = ", ".join("?" for _ in states)
        with self._transaction():
            self.db.execute("DELETE FROM queue")
            cursor = self.db.execute(
                f"INSERT INTO queue SELECT coalesce(r.id, 0), {_RUN_FIELDS}"
                " FROM run LEFT JOIN recipients r ON r.release = ? AND r.address = run.address"
                f" WHERE coalesce(r.state, 'pending') IN ({marks})"
                " ORDER BY run.name != '', run.organization != '', run.line",
                (release, *states),
            )
        return cursor.rowcount

    def queued(self, after: int, limit: int) -> list[Queued]:
        """Up to `limit` queued contacts after queue position `after`."""
        rows = self.db.execute(
            f"SELECT rowid, id, {_FIELDS} FROM queue WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
        return [Queued(r[0], r[1], _contact(r[2:])) for r in rows]

    # --- batches ---

    def begin_batch(self, release: str, transport: str, addresses: list[str], now: str) -> int:
        """Record a batch as in flight, before its request; return its id."""
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO batches (release, transport, state, size, started_at)"
                " VALUES (?, ?, 'in_flight', ?, ?)",
                (release, transport, len(addresses), now),
            )
            batch = int(cursor.lastrowid or 0)
            self.db.executemany(
                "UPDATE recipients SET state = 'in_flight', batch = ?, attempts = attempts + 1,"
                " updated_at = ?, error = NULL WHERE release = ? AND address = ?",
                [(batch, now, release, a) for a in addresses],
            )
        return batch

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

    # --- reading the record ---

    def counts(self, release: str) -> dict[str, int]:
        """Recipients of `release` by state (every state present, zero if none)."""
        rows = self.db.execute(
            "SELECT state, count(*) FROM recipients WHERE release = ? GROUP BY state", (release,)
        )
        found = dict.fromkeys(STATES, 0) | {state: n for state, n in rows}
        return found

    def unknown_batches(self, release: str) -> list[UnknownBatch]:
        """Batches of `release` whose recipients' outcome is still unknown."""
        rows = self.db.execute(
            "SELECT b.id, count(r.address), b.started_at, coalesce(b.error, '')"
            " FROM batches b JOIN recipients r ON r.batch = b.id AND r.state = 'unknown'"
            " WHERE b.release = ? GROUP BY b.id ORDER BY b.id",
            (release,),
        )
        return [UnknownBatch(*row) for row in rows]

    def records(self, release: str) -> Iterator[dict[str, Any]]:
        """Every recipient of `release` as a dict, in list order (for export)."""
        cursor = self.db.execute(
            "SELECT email, state, sent_at, message_id, batch, attempts, error, updated_at"
            " FROM recipients WHERE release = ? ORDER BY line, address",
            (release,),
        )
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def _contact(row: tuple[Any, ...]) -> Contact:
    address, email, name, organization, segment, language, line = row
    return Contact(line, email, address, name, organization, segment, language)


def _row(contact: Contact) -> tuple[str | int, ...]:
    c = contact
    return (c.address, c.email, c.name, c.organization, c.segment, c.language, c.line)
