"""Writing a new project folder: whole or not at all, and never over anything already there."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from publisher.errors import PublisherError
from publisher.messages import _
from publisher.write.staging import umask


def write_project(files: Mapping[str, bytes], folder: Path) -> None:
    """Write `files` (by POSIX path) into `folder`, which must be missing or empty.

    They are staged first in a temporary folder: beside a missing folder, which the staging
    folder then becomes in one rename; inside an existing empty one (which keeps its own owner,
    mode and inode, so a shell standing in it still sees the project), whose entries are then
    moved up. A failure removes whatever was written.
    """
    _check_free(folder)
    exists = folder.is_dir()
    try:
        where = folder if exists else Path(os.path.abspath(folder)).parent
        where.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".publisher-new-", dir=where))
    except OSError as exc:
        raise _could_not(folder, exc) from None
    try:
        _stage(files, staging)
        if exists:
            for entry in sorted(os.listdir(staging)):
                os.rename(staging / entry, folder / entry)
        else:
            _check_free(folder)  # made meanwhile by someone else: leave theirs alone
            os.rename(staging, folder)
    except OSError as exc:
        if exists:
            _empty(folder, keep=staging)
        raise _could_not(folder, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(files: Mapping[str, bytes], staging: Path) -> None:
    staging.chmod(0o777 & ~umask())
    for name, data in files.items():
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            raise PublisherError(f"internal: a starter file outside the project: {name}")
        target = staging.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _empty(folder: Path, keep: Path) -> None:
    """Take out of `folder` what was moved into it (it was empty before)."""
    for entry in folder.iterdir():
        if entry != keep:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _could_not(folder: Path, exc: OSError) -> PublisherError:
    said = _("{folder}: could not write the new project: {error}")
    return PublisherError(said.format(folder=folder, error=exc.strerror or exc))


def _check_free(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        said = _("{folder}: exists and is not a folder; choose a new folder")
        raise PublisherError(said.format(folder=folder))
    try:
        busy = folder.is_dir() and any(folder.iterdir())
    except OSError as exc:
        raise _could_not(folder, exc) from None
    if busy:
        said = _("{folder}: is not empty; publisher new writes only into a new folder")
        raise PublisherError(said.format(folder=folder))
