"""Writing a new project folder: whole or not at all, and never over anything already there."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from publisher.errors import PublisherError


def write_project(files: Mapping[str, bytes], folder: Path) -> None:
    """Write `files` (by POSIX path) as the new folder `folder`, which must be missing or empty.

    They are written into a temporary sibling first, which then takes the folder's place in one
    rename: an interrupted `publisher new` leaves no half-made project behind.
    """
    _check_free(folder)
    parent = Path(os.path.abspath(folder)).parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=parent))
    try:
        staging.chmod(0o755)
        for name, data in files.items():
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts:
                raise PublisherError(f"internal: a starter file outside the project: {name}")
            target = staging.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _check_free(folder)  # made meanwhile by someone else: leave theirs alone
        os.replace(staging, folder)  # onto a missing or empty folder only
    except OSError as exc:
        raise PublisherError(f"{folder}: could not write the new project: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_free(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise PublisherError(f"{folder}: exists and is not a folder; choose a new folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise PublisherError(f"{folder}: is not empty; publisher new writes only into a new folder")
