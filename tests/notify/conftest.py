"""Fixtures for the notify tests: the repository's content, contact lists, a SendGrid stand-in."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.notify.mailout import MailoutConfig
from tests.sendgrid_server import SendGridStub

REPO = Path(__file__).resolve().parents[2]
RELEASE = "emotet-2020/2020-11-14"
HEADER = ("email", "name", "organization", "segment", "language")
Row = tuple[str, ...]
WriteList = Callable[..., Path]


def fixed_clock() -> datetime:
    """A clock stopped at the release's date."""
    return datetime(2020, 11, 14, 1, 0, tzinfo=UTC)


def people(n: int, start: int = 0, segment: str = "customers") -> list[Row]:
    """`n` distinct valid rows; every third without a name, every fifth with an organisation."""
    return [
        (
            f"person{i}@example.jp",
            "" if i % 3 == 0 else f"利用者 {i}",
            f"例示商事{i}" if i % 5 == 0 else "",
            segment,
            "ja",
        )
        for i in range(start, start + n)
    ]


def csv_text(rows: list[Row], header: Row = HEADER) -> str:
    """A contact list as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_list(tmp_path: Path) -> WriteList:
    """Write rows (or raw bytes) to tmp_path/<name> and return its path."""

    def write(rows: list[Row] | bytes, name: str = "contacts.csv", header: Row = HEADER) -> Path:
        path = tmp_path / name
        data = rows if isinstance(rows, bytes) else csv_text(rows, header).encode()
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def config(tmp_path: Path) -> Callable[..., MailoutConfig]:
    """A MailoutConfig for the repository's 11/14 release, ledger and outbox in tmp_path."""

    def make(contacts: Path, **changes: object) -> MailoutConfig:
        options: dict[str, object] = {
            "content": REPO / "content",
            "templates": REPO / "templates",
            "release": RELEASE,
            "contacts": contacts,
            "ledger": tmp_path / "ledger.sqlite",
            "outbox": tmp_path / "outbox",
            **changes,
        }
        return MailoutConfig(**options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def stub() -> Iterator[SendGridStub]:
    """A running SendGrid stand-in; fails the test if any body broke the description."""
    server = SendGridStub().start()
    yield server
    server.stop()
    assert server.invalid == [], server.invalid
