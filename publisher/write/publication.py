"""Writing the publication record and the archive after a build made releases public: the
archive's new files first, then the record in one rename, each flushed to disk."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import yaml

from publisher.messages import _
from publisher.model.publication import ARCHIVE_FOLDER, Record

HEADER = (
    "# What this site has published: written by `publisher build`, committed with the content.\n"
    "# A published release may change only with a correction entry (date, what, why) under its\n"
    "# `corrections:`; see `publisher check --explain published-history`.\n"
)


def write_publication(
    path: Path, record: Record, archive: Mapping[str, bytes], read: bytes | None
) -> None:
    """Add `archive`'s files beside the record (never replacing one) and put `record` at `path`,
    unless another build changed the record since it was `read` (OSError: build again)."""
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # builds that overlap write one at a time
        current = _current(path)
        if current != read:
            if current is not None and _says_the_same(current, record):
                return  # a build of the same content, racing this one, recorded it first
            raise OSError(_("another build recorded a publication while this one ran"))
        root = path.parent / ARCHIVE_FOLDER
        for name, data in archive.items():
            if not (root / name).exists():
                _atomic(root / name, data)
        text = yaml.safe_dump(
            msgspec.to_builtins(record, builtin_types=(date,)),
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        _atomic(path, (HEADER + text).encode("utf-8"))
    finally:
        os.close(folder)  # and the lock with it


def _says_the_same(current: bytes, record: Record) -> bool:
    """Whether the record another build wrote holds the same releases, versions and texts as
    `record` (when each was recorded, and the files' bytes, may differ)."""
    try:
        theirs = msgspec.convert(yaml.safe_load(current), Record, builtin_types=(date,))
    except (yaml.YAMLError, msgspec.ValidationError):
        return False
    return _what_was_said(theirs) == _what_was_said(record)


def _what_was_said(record: Record) -> dict[str, Any]:
    return {
        page: (
            entry.release,
            [(v.version, v.text, v.printed, v.facts) for v in entry.versions],
            entry.corrections,
        )
        for page, entry in record.releases.items()
    }


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _atomic(path: Path, data: bytes) -> None:
    """`data` at `path` in one rename, flushed with its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
