"""The ledger on disk: states, the lock, and files it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import NotifyError
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Ledger
from publisher.notify.record import export_ledger

RELEASE = "r/2020-11-14"


def staged(ledger: Ledger, n: int) -> list[str]:
    ledger.begin_staging()
    addresses = [f"a{i}@example.jp" for i in range(n)]
    for i, address in enumerate(addresses):
        assert ledger.first_line(Contact(i + 2, address, address)) is None
    ledger.end_staging()
    ledger.record_run(RELEASE, "t0")
    return addresses


def test_a_batch_goes_in_flight_then_sent_and_a_dead_one_becomes_unknown(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        addresses = staged(ledger, 4)
        first = ledger.begin_batch(RELEASE, "outbox", addresses[:2], "t1")
        assert ledger.counts(RELEASE) == {
            "pending": 2, "in_flight": 2, "sent": 0, "failed": 0, "unknown": 0,
        }  # fmt: skip
        ledger.finish_batch(first, "sent", "t2", "m-1")
        ledger.begin_batch(RELEASE, "outbox", addresses[2:], "t3")
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        assert ledger.recover(RELEASE, "t4") == 2
        assert ledger.counts(RELEASE)["unknown"] == 2
        records = list(ledger.records(RELEASE))
    assert [(r["email"], r["state"], r["message_id"]) for r in records] == [
        ("a0@example.jp", "sent", "m-1"),
        ("a1@example.jp", "sent", "m-1"),
        ("a2@example.jp", "unknown", None),
        ("a3@example.jp", "unknown", None),
    ]


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
    with pytest.raises(NotifyError) as caught:
        Ledger.open(tmp_path / "l.sqlite")
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
