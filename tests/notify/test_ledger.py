"""The ledger on disk: states per transport, the lock, versions and upgrades, unusable files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from publisher.errors import NotifyError
from publisher.notify import ledger_file
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Ledger, Mailing
from publisher.notify.ledger_file import VERSION
from publisher.notify.record import export_ledger, ledger_status

RELEASE = "r/2020-11-14"
BY_OUTBOX = Mailing(RELEASE, "outbox")
BY_SENDGRID = Mailing(RELEASE, "sendgrid")
V0 = Path(__file__).parent / "fixtures" / "ledger-v0.sql"
V0_RELEASE = "emotet-2020/2020-11-14"


def staged(ledger: Ledger, n: int, mailing: Mailing = BY_OUTBOX) -> list[str]:
    ledger.begin_staging()
    addresses = [f"a{i}@example.jp" for i in range(n)]
    for i, address in enumerate(addresses):
        assert ledger.first_line(Contact(i + 2, address, address)) is None
    ledger.end_staging()
    ledger.record_run(mailing, "t0")
    return addresses


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {state: n for state, n in counts.items() if n}


def test_a_batch_goes_in_flight_then_sent_and_a_dead_one_becomes_unknown(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        addresses = staged(ledger, 4, BY_SENDGRID)
        first = ledger.begin_batch(BY_SENDGRID, addresses[:2], "t1")
        assert ledger.counts(BY_SENDGRID) == {
            "pending": 2, "in_flight": 2, "sent": 0, "failed": 0, "unknown": 0,
        }  # fmt: skip
        ledger.finish_batch(first, "sent", "t2", "m-1")
        ledger.begin_batch(BY_SENDGRID, addresses[2:], "t3")
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        assert ledger.recover(BY_SENDGRID, "t4") == 2
        assert ledger.counts(BY_SENDGRID)["unknown"] == 2
        records = list(ledger.records(RELEASE))
    assert [(r["email"], r["state"], r["message_id"]) for r in records] == [
        ("a0@example.jp", "sent", "m-1"),
        ("a1@example.jp", "sent", "m-1"),
        ("a2@example.jp", "unknown", None),
        ("a3@example.jp", "unknown", None),
    ]


def test_a_batch_a_repeatable_transport_left_in_flight_is_failed_and_sent_again(
    tmp_path: Path,
) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        addresses = staged(ledger, 3)
        ledger.begin_batch(BY_OUTBOX, addresses, "t1")
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        assert ledger.recover(BY_OUTBOX, "t2", repeatable=True) == 3
        assert nonzero(ledger.counts(BY_OUTBOX)) == {"failed": 3}
        assert ledger.unknown_batches(BY_OUTBOX) == []


def test_what_the_outbox_wrote_is_not_what_sendgrid_sent(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        addresses = staged(ledger, 3, BY_OUTBOX)
        ledger.finish_batch(ledger.begin_batch(BY_OUTBOX, addresses, "t1"), "sent", "t2")
        ledger.record_run(BY_SENDGRID, "t3")
        assert nonzero(ledger.counts(BY_OUTBOX)) == {"sent": 3}
        assert nonzero(ledger.counts(BY_SENDGRID)) == {"pending": 3}
        assert nonzero(ledger.run_states(BY_SENDGRID)) == {"pending": 3}
        assert ledger.fill_queue(BY_SENDGRID, ("pending", "failed")) == 3
        assert ledger.transports(RELEASE) == ["outbox", "sendgrid"]


def test_the_same_address_is_staged_once(tmp_path: Path) -> None:
    with Ledger.scratch() as ledger:
        assert ledger.first_line(Contact(2, "a@example.jp", "a@example.jp")) is None
        assert ledger.first_line(Contact(9, "A@example.jp", "a@example.jp")) == 2


def test_a_second_mailout_on_the_same_ledger_is_refused(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite"), pytest.raises(NotifyError) as caught:
        Ledger.open(tmp_path / "l.sqlite")
    assert str(caught.value) == f"{tmp_path / 'l.sqlite'}: another mailout is using this ledger"


def test_a_file_that_is_not_a_ledger_is_refused(tmp_path: Path) -> None:
    (tmp_path / "l.sqlite").write_text("email\na@example.jp\n" * 100)
    for opening in (Ledger.open, Ledger.read):
        with pytest.raises(NotifyError) as caught:
            opening(tmp_path / "l.sqlite")
        assert str(caught.value) == (
            f"{tmp_path / 'l.sqlite'}: cannot open the ledger: file is not a database"
        )


def test_an_export_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        staged(ledger, 1)
    out = tmp_path / "missing" / "notice.csv"
    with pytest.raises(NotifyError) as caught:
        export_ledger(tmp_path / "l.sqlite", RELEASE, out)
    assert str(caught.value) == f"{out}: cannot write the export: No such file or directory"


def test_a_new_ledger_carries_the_schema_version(tmp_path: Path) -> None:
    Ledger.open(tmp_path / "l.sqlite").close()
    assert user_version(tmp_path / "l.sqlite") == VERSION == 2


# --- a ledger of version 0 (tests/notify/fixtures/ledger-v0.sql, made by publisher at dfc3aa0) ---


def v0_ledger(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(V0.read_text(encoding="utf-8"))
    db.close()
    assert user_version(path) == 0
    return path


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def rows(ledger: Ledger) -> list[tuple[str, str, str]]:
    found = ledger.db.execute(
        "SELECT address, transport, state FROM recipients ORDER BY address, transport"
    )
    return [tuple(r) for r in found]


# What version 0 said (outbox a-c; SendGrid: d, e sent, f, g dropped, h, i refused, j, k killed
# mid-request, l never tried), and what each row becomes at version 1.
V0_UPGRADED = [
    ("a@example.jp", "outbox", "sent"),
    ("b@example.jp", "outbox", "sent"),
    ("c@example.jp", "outbox", "sent"),
    ("d@example.jp", "sendgrid", "sent"),
    ("e@example.jp", "sendgrid", "sent"),
    ("f@example.jp", "sendgrid", "unknown"),
    ("g@example.jp", "sendgrid", "unknown"),
    ("h@example.jp", "sendgrid", "failed"),
    ("i@example.jp", "sendgrid", "failed"),
    ("j@example.jp", "sendgrid", "in_flight"),
    ("k@example.jp", "sendgrid", "in_flight"),
]


def test_a_version_0_ledger_is_upgraded_in_place_each_row_to_its_batchs_transport(
    tmp_path: Path,
) -> None:
    path = v0_ledger(tmp_path / "l.sqlite")
    with Ledger.open(path) as ledger:
        assert rows(ledger) == V0_UPGRADED
        ids = dict(ledger.db.execute("SELECT address, id FROM recipients"))
        assert ids["a@example.jp"] == 1 and ids["k@example.jp"] == 11  # ids as they were
    assert user_version(path) == VERSION
    with Ledger.open(path) as ledger:  # once only
        assert rows(ledger) == V0_UPGRADED
        mailing = Mailing(V0_RELEASE, "sendgrid")
        assert ledger.recover(mailing, "t") == 2  # j and k, in flight when killed
        assert [(b.id, b.size) for b in ledger.unknown_batches(mailing)] == [(3, 2), (5, 2)]


def test_reading_a_version_0_ledger_upgrades_a_copy_and_leaves_the_file_as_it_was(
    tmp_path: Path,
) -> None:
    path = v0_ledger(tmp_path / "l.sqlite")
    before = path.read_bytes()
    with Ledger.read(path) as ledger:
        assert rows(ledger) == V0_UPGRADED
    status = {s.transport: s.counts for s in ledger_status(path, V0_RELEASE)}
    assert status == {
        "outbox": {"pending": 0, "sent": 3, "failed": 0, "unknown": 0},
        "sendgrid": {"pending": 0, "sent": 2, "failed": 2, "unknown": 4},
    }
    assert path.read_bytes() == before and user_version(path) == 0


def test_a_version_0_row_whose_transport_is_lost_is_never_told_or_mailed_again(
    tmp_path: Path,
) -> None:
    path = v0_ledger(tmp_path / "l.sqlite")
    db = sqlite3.connect(path)
    db.execute("DELETE FROM batches WHERE id IN (1, 4)")  # a: sent, h: failed; their batches gone
    db.commit()
    db.close()
    with Ledger.open(path) as ledger:
        found = ledger.db.execute(
            "SELECT address, transport, state, error FROM recipients WHERE address IN (?, ?)",
            ("a@example.jp", "h@example.jp"),
        )
        assert sorted(found) == [
            (
                "a@example.jp", "sendgrid", "unknown",
                "upgraded from a ledger that did not record how it was sent",
            ),
            ("h@example.jp", "sendgrid", "failed", "SendGrid refused the batch (400): bad"),
        ]  # fmt: skip


def test_a_ledger_of_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    Ledger.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.close()
    before = path.read_bytes()
    for opening in (Ledger.open, Ledger.read):
        with pytest.raises(NotifyError) as caught:
            opening(path)
        assert str(caught.value) == (
            f"{path}: the ledger is of version 3, written by a newer publisher (this one knows "
            "versions up to 2); use that publisher, or a newer one, with it"
        )
    assert path.read_bytes() == before


def test_an_upgrade_that_fails_halfway_leaves_the_ledger_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = v0_ledger(tmp_path / "l.sqlite")
    before = dump(path)

    def breaks(db: sqlite3.Connection) -> None:
        upgrade(db)  # the whole step, then a failure before the commit
        raise sqlite3.OperationalError("disk I/O error")

    upgrade = ledger_file.STEPS[1]
    monkeypatch.setitem(ledger_file.STEPS, 1, breaks)
    with pytest.raises(NotifyError, match="the ledger failed: disk I/O error"):
        Ledger.open(path)
    assert (user_version(path), dump(path)) == (0, before)
    monkeypatch.undo()
    with Ledger.open(path) as ledger:  # and the lock was let go
        assert rows(ledger) == V0_UPGRADED


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()
