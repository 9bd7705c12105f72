"""The outbox transport: one RFC 5322 .eml file per recipient, exactly what they would receive.

Files are named by a digest of (release, address), so a batch written twice leaves one file per
person: the outbox is repeatable. Each file is written to `<name>.eml.part`, flushed to the disk
(fsync) and renamed into place, and the folder is synced once the batch is complete; only then
does the ledger mark the batch sent. A batch that cannot be written whole (a full disk) removes
its partial file and the files it had written, and is refused: its recipients are failed and
written again by the next run. A `.part` file left by a killed run is removed by the next one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from publisher.clock import Clock
from publisher.errors import NotifyError, Refused
from publisher.messages import _
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice, build_mime, message_id

PARTIAL = ".part"


def eml_path(folder: Path, notice: Notice, contact: Contact) -> Path:
    """Where `contact`'s copy of `notice` is written: <folder>/<incident>/<date>/<digest>.eml."""
    digest = message_id(notice, contact).split(".", 1)[1].split("@", 1)[0]
    return folder / notice.release_id / f"{digest}.eml"


class OutboxTransport:
    """Writes .eml files into a folder instead of sending."""

    name = "outbox"
    repeatable = True

    def __init__(self, folder: Path, clock: Clock) -> None:
        self.folder = folder
        self.clock = clock
        self._swept: set[Path] = set()

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Write one .eml per recipient, all or none; return None (no service message id)."""
        now = self.clock()
        written: list[Path] = []
        path = self.folder / notice.release_id
        try:
            self._sweep(path)
            for queued in recipients:
                path = eml_path(self.folder, notice, queued.contact)
                write_synced(path, build_mime(notice, queued.contact, now).as_bytes())
                written.append(path)
            sync_folder(path.parent)
        except OSError as exc:
            for done in written:
                done.unlink(missing_ok=True)
            said = _(
                "{path}: cannot write the message: {error}; none of the batch's {files} files "
                "was kept"
            )
            raise Refused(
                said.format(path=path, error=exc.strerror, files=len(recipients))
            ) from None
        return None

    def _sweep(self, folder: Path) -> None:
        """Remove the partial files a killed run left in `folder` (once per run)."""
        if folder in self._swept:
            return
        self._swept.add(folder)
        if folder.is_dir():
            for leftover in folder.glob(f"*.eml{PARTIAL}"):
                leftover.unlink(missing_ok=True)


def write_eml(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a synced temporary file, then rename)."""
    try:
        write_synced(path, data)
    except OSError as exc:
        said = _("{path}: cannot write the message: {error}")
        raise NotifyError(said.format(path=path, error=exc.strerror)) from None


def write_synced(path: Path, data: bytes) -> None:
    """Write `data` to `path` through `<path>.part`, synced before the rename; on any failure
    the partial file is removed and the error raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + PARTIAL)
    try:
        fill(partial, data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def fill(partial: Path, data: bytes) -> None:
    """Write `data` into the file `partial` and flush it to the disk."""
    with partial.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def sync_folder(folder: Path) -> None:
    """Flush `folder`'s entries (the renames into it) to the disk."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
