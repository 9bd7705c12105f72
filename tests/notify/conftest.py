"""Fixtures for the notify tests: the repository's content, contact lists, a SendGrid stand-in."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.mailout import MailoutConfig
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
def project(tmp_path: Path) -> Path:
    """A copy of the repository's content in tmp_path/project/content (no ledger beside it)."""
    content = tmp_path / "project" / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    return content


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 kB tmpfs mounted at tmp_path/disk, unmounted afterwards (root only, else skipped)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=200k,mode=0777", "tmpfs", str(disk)]
    if os.geteuid() != 0 or subprocess.run(command, capture_output=True).returncode != 0:
        pytest.skip("a small disk is a tmpfs, and mounting one needs root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True)


def grow(disk: Path, size: str = "4m") -> None:
    """Give the small disk room."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)


def free_bytes(folder: Path) -> int:
    """The bytes free on `folder`'s file system."""
    found = os.statvfs(folder)
    return found.f_bavail * found.f_frsize


@pytest.fixture
def stub() -> Iterator[SendGridStub]:
    """A running SendGrid stand-in; fails the test if any body broke the description."""
    server = SendGridStub().start()
    yield server
    server.stop()
    assert server.invalid == [], server.invalid
