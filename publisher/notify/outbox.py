"""The outbox transport: one RFC 5322 .eml file per recipient, exactly what they would receive.

Files are named by a digest of (release, address), so a batch written twice leaves one file per
person; each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from publisher.clock import Clock
from publisher.errors import NotifyError
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice, build_mime, message_id


def eml_path(folder: Path, notice: Notice, contact: Contact) -> Path:
    """Where `contact`'s copy of `notice` is written: <folder>/<incident>/<date>/<digest>.eml."""
    digest = message_id(notice, contact).split(".", 1)[1].split("@", 1)[0]
    return folder / notice.release_id / f"{digest}.eml"


class OutboxTransport:
    """Writes .eml files into a folder instead of sending."""

    name = "outbox"

    def __init__(self, folder: Path, clock: Clock) -> None:
        self.folder = folder
        self.clock = clock

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Write one .eml per recipient; return None (there is no service message id)."""
        now = self.clock()
        for queued in recipients:
            mail = build_mime(notice, queued.contact, now)
            write_eml(eml_path(self.folder, notice, queued.contact), mail.as_bytes())
        return None


def write_eml(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file, then rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".eml.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        raise NotifyError(f"{path}: cannot write the message: {exc.strerror}") from None
