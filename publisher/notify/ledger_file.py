"""The ledger's SQLite file: opening it, its tables and version, the numbered steps that bring
an older file up to date, and what its faults mean.

The version is SQLite's `PRAGMA user_version`. A new file is created at VERSION; an older one is
upgraded in place by each step after its version, in order and in one transaction, so a file is
either wholly at its old version or wholly at the new one; a newer one is refused untouched.

    0  rows keyed by (release, address); each batch recorded its transport
    1  rows keyed by (release, transport, address): an outbox preview is not notice by SendGrid
    2  proof of notice: SendGrid's delivery events (each kept once, by sg_event_id), a row's
       furthest delivery state and its time, the digest of the mail each batch sent, and the
       rows of a list that could not be told, counted by segment (never their addresses)

Upgrading 0 → 1 gives each row the transport of the batch it was last sent in, which version 0
recorded. A row never sent in any batch (pending) says nothing about any notice: it is left out,
and the next run adds it again from the list. A row whose batch is missing, so that its
transport cannot be known, is kept as SendGrid's with an unknown outcome if it was ever sent
(never mailed again without --resend-unknown, never counted as told) and as SendGrid's failure
otherwise.

Upgrading 1 → 2 only adds: rows and batches of version 1 have no delivery state and no digest
(nothing recorded them), and no rows left out of their lists.

A fault of the file (damaged, read-only, locked by another program, a full disk) is a NotifyError
that names the file, says what it means and what to do: never an SQLite traceback.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from publisher.errors import NewerLedger, NotifyError
from publisher.messages import N_, _

LEDGER_NAME = "notify.ledger.sqlite"
VERSION = 2
BUSY_SECONDS = 5.0  # how long to wait for another program's write lock on the file

_RECIPIENTS_1 = """
CREATE TABLE {name} (
    id INTEGER PRIMARY KEY, release TEXT NOT NULL, transport TEXT NOT NULL,
    address TEXT NOT NULL, email TEXT NOT NULL,
    name TEXT NOT NULL, organization TEXT NOT NULL, segment TEXT NOT NULL,
    language TEXT NOT NULL, line INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
        ('pending', 'in_flight', 'sent', 'failed', 'unknown')),
    batch INTEGER, message_id TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT, error TEXT,
    UNIQUE (release, transport, address)
)"""
_BATCH_INDEX = "CREATE INDEX recipients_batch ON recipients (batch)"
_BATCHES_0 = """
CREATE TABLE batches (
    id INTEGER PRIMARY KEY, release TEXT NOT NULL, transport TEXT NOT NULL,
    state TEXT NOT NULL, size INTEGER NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, message_id TEXT, error TEXT
)"""
_DELIVERIES = "'processed', 'deferred', 'delivered', 'bounced', 'dropped', 'spamreport'"
_STEP_2 = (
    f"ALTER TABLE recipients ADD COLUMN delivery TEXT CHECK (delivery IN ({_DELIVERIES}))",
    "ALTER TABLE recipients ADD COLUMN delivery_at TEXT",
    "ALTER TABLE batches ADD COLUMN digest TEXT",
    """CREATE TABLE events (
    sg_event_id TEXT PRIMARY KEY, recipient INTEGER NOT NULL, event TEXT NOT NULL,
    at INTEGER NOT NULL
) WITHOUT ROWID""",
    """CREATE TABLE left_out (
    release TEXT NOT NULL, transport TEXT NOT NULL, segment TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('invalid', 'duplicate', 'no_address')),
    count INTEGER NOT NULL, recorded_at TEXT NOT NULL,
    PRIMARY KEY (release, transport, segment, reason)
)""",
)
TABLES = (_RECIPIENTS_1.format(name="recipients"), _BATCH_INDEX, _BATCHES_0, *_STEP_2)
"""The tables of a new ledger, at VERSION: version 1's, and what step 2 adds."""

_UNRECORDED = "b.transport IS NULL AND r.state IN ('sent', 'in_flight', 'unknown')"
_COPY_0_TO_1 = f"""
INSERT INTO recipients_1 SELECT r.id, r.release, coalesce(b.transport, 'sendgrid'), r.address,
    r.email, r.name, r.organization, r.segment, r.language, r.line,
    CASE WHEN {_UNRECORDED} THEN 'unknown' ELSE r.state END,
    r.batch, r.message_id, r.attempts, r.added_at, r.updated_at, r.sent_at,
    CASE WHEN {_UNRECORDED} THEN 'upgraded from a ledger that did not record how it was sent'
        ELSE r.error END
FROM recipients r LEFT JOIN batches b ON b.id = r.batch
WHERE r.batch IS NOT NULL OR r.state != 'pending'
"""


def ledger_path(given: Path | None, content: Path) -> Path:
    """The ledger a command uses, the one place its default is decided: `given` (--ledger, or
    publisher.yaml's `ledger`), else notify.ledger.sqlite beside where the content folder
    really is, so the same content reached through a symbolic link (or another spelling of
    its path) finds the same ledger."""
    return given or content.resolve().parent / LEDGER_NAME


def _to_1(db: sqlite3.Connection) -> None:
    """Key rows by transport too; a row's transport is its batch's."""
    db.execute(_RECIPIENTS_1.format(name="recipients_1"))
    db.execute(_COPY_0_TO_1)
    db.execute("DROP TABLE recipients")  # and its index
    db.execute("ALTER TABLE recipients_1 RENAME TO recipients")
    db.execute(_BATCH_INDEX)


def _to_2(db: sqlite3.Connection) -> None:
    """Add SendGrid's delivery events, the digests of the mails and the rows left out."""
    for statement in _STEP_2:
        db.execute(statement)


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_1, 2: _to_2}
"""Step n upgrades a ledger of version n - 1 to version n."""


def version_of(db: sqlite3.Connection) -> int:
    """The ledger's version; raise NewerLedger if this publisher cannot read it."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > VERSION:
        raise NewerLedger(version, VERSION)
    return version


def is_new(db: sqlite3.Connection) -> bool:
    """Whether the file holds no table yet (a ledger about to be created)."""
    return int(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0


def bring_up_to_date(db: sqlite3.Connection) -> int:
    """Create the tables of a new file, or upgrade an older one, in one transaction.

    Return the version the file was at (VERSION if it was already current). The version is
    written even when it is current: a file that cannot be written fails here, before anything
    is sent. `db` is in autocommit mode (isolation_level=None).
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        found = version_of(db)
        if found < VERSION:
            _upgrade(db, found)
        db.execute(f"PRAGMA user_version = {VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return found


def _upgrade(db: sqlite3.Connection, found: int) -> None:
    if is_new(db):
        for statement in TABLES:
            db.execute(statement)
    else:
        for step in range(found + 1, VERSION + 1):
            STEPS[step](db)


_FAULTS = {
    sqlite3.SQLITE_CORRUPT: N_(
        "{path}: the ledger file is damaged ({error}): restore it from a backup (`sqlite3 FILE "
        ".recover` saves what is readable); nothing more is sent without it, or people could be "
        "mailed twice"
    ),
    sqlite3.SQLITE_NOTADB: N_("{path}: cannot open the ledger: {error}"),
    sqlite3.SQLITE_READONLY: N_(
        "{path}: the ledger cannot be written ({error}): check the permissions of the file and "
        "of its folder"
    ),
    sqlite3.SQLITE_BUSY: N_(
        "{path}: another program holds the ledger's write lock ({error}); close it (an open "
        "sqlite3 shell, a backup) and run again"
    ),
    sqlite3.SQLITE_LOCKED: N_(
        "{path}: another program holds the ledger's write lock ({error}); close it and run again"
    ),
    sqlite3.SQLITE_FULL: N_(
        "{path}: the ledger cannot grow: the disk is full ({error}); free some space and run again"
    ),
    sqlite3.SQLITE_IOERR: N_("{path}: the ledger cannot be read or written ({error})"),
    sqlite3.SQLITE_CANTOPEN: N_("{path}: cannot open the ledger: {error}"),
}


def fault(path: Path | None, exc: sqlite3.Error) -> NotifyError:
    """The message for an SQLite error of the ledger at `path`: what it means, what to do."""
    code = getattr(exc, "sqlite_errorcode", sqlite3.SQLITE_ERROR) & 0xFF
    if code == sqlite3.SQLITE_IOERR and path is not None and _nearly_full(path.parent):
        code = sqlite3.SQLITE_FULL  # SQLite says I/O error when it cannot grow its -shm file
    said = _(_FAULTS.get(code, N_("{path}: the ledger failed: {error}")))
    return NotifyError(said.format(path=path or _("the scratch ledger"), error=exc))


def _nearly_full(folder: Path) -> bool:
    """Whether the file system of `folder` has less than 1 MB free."""
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < 1_000_000


@contextmanager
def reported(path: Path | None) -> Iterator[None]:
    """Turn SQLite's errors, and a newer ledger, into NotifyErrors that name the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise fault(path, exc) from None
    except NewerLedger as exc:
        raise NotifyError(f"{path}: {exc}") from None


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on `db` (in autocommit mode), committed or rolled back whole."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:  # SQLite may have rolled back already (a full disk)
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def open_for_mailout(path: Path) -> tuple[sqlite3.Connection, int]:
    """The ledger at `path` (created if missing), up to date, and the lock that keeps other
    mailouts off it; refused if it is damaged, newer, or cannot be written."""
    lock = _take_lock(path)
    try:
        with reported(path):
            db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                _check_intact(db, path)
                bring_up_to_date(db)
            except BaseException:
                db.close()
                raise
    except BaseException:
        os.close(lock)
        raise
    return db, lock


def open_for_events(path: Path) -> sqlite3.Connection:
    """The ledger at `path`, to record SendGrid's events while a mailout may be running: it
    must exist and be intact; it is not locked (each write is one short transaction), and an
    older one is upgraded first, which needs the mailouts' lock for a moment."""
    if not path.is_file():
        raise NotifyError(_("{path}: no ledger here; has a mailout been run?").format(path=path))
    with reported(path):  # the webhook's threads take turns with it
        db = sqlite3.connect(
            path, isolation_level=None, timeout=BUSY_SECONDS, check_same_thread=False
        )
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            _check_intact(db, path)
            if version_of(db) < VERSION:
                _upgrade_locked(db, path)
        except BaseException:
            db.close()
            raise
    return db


def _upgrade_locked(db: sqlite3.Connection, path: Path) -> None:
    """Bring `db` up to date holding the mailouts' lock, which is let go at once."""
    lock = _take_lock(path)
    try:
        bring_up_to_date(db)
    finally:
        os.close(lock)


def open_for_reading(path: Path) -> sqlite3.Connection:
    """The ledger at `path`, never written to: an older one is read through a copy upgraded
    in memory, a newer one is refused."""
    if not path.is_file():
        raise NotifyError(_("{path}: no ledger here; has a mailout been run?").format(path=path))
    with reported(path):
        db = sqlite3.connect(path.absolute().as_uri() + "?mode=rw", uri=True, timeout=1.0)
        db.isolation_level = None
        if version_of(db) < VERSION:
            db = _upgraded_copy(db)
    return db


def new_scratch() -> sqlite3.Connection:
    """A throw-away ledger on a temporary file, at VERSION."""
    db = sqlite3.connect("", isolation_level=None)
    for statement in TABLES:
        db.execute(statement)
    return db


def _take_lock(path: Path) -> int:
    """Hold an exclusive lock on `path` (created if missing) while a mailout runs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)
    except OSError as exc:
        said = _("{path}: cannot open the ledger: {error}")
        raise NotifyError(said.format(path=path, error=exc.strerror)) from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        said = _("{path}: another mailout is using this ledger").format(path=path)
        raise NotifyError(said) from None
    return lock


def _check_intact(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file before anything is read from it or sent."""
    found = str(db.execute("PRAGMA quick_check(1)").fetchone()[0])
    if found != "ok":
        detail = "; ".join(line for line in found.splitlines() if not line.startswith("***"))
        said = _(_FAULTS[sqlite3.SQLITE_CORRUPT])
        raise NotifyError(said.format(path=path, error=detail or found))


def _upgraded_copy(db: sqlite3.Connection) -> sqlite3.Connection:
    """An in-memory copy of `db` brought up to VERSION; `db` is closed, its file untouched."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    db.backup(memory)
    db.close()
    bring_up_to_date(memory)
    return memory
