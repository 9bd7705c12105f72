"""Temporary sibling folders that a write fills before its one rename, and what killed runs left.

A staging folder is named `.<target>.new-XXXXXXXX` (or `.old-`, for a previous output on its way
out) beside its target, and is locked (flock) for as long as its run holds it open. A run killed
before removing it leaves it unlocked: the next run on the same target removes such folders,
and never one that another run, still alive, holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
from pathlib import Path
from types import TracebackType

_ATTEMPTS = 5


class StagingFolder:
    """A new locked folder beside `target`, removed (with whatever it then holds) on exit."""

    def __init__(self, target: Path, kind: str = "new") -> None:
        self.path, self.fd = _locked_folder(target, kind)

    def __enter__(self) -> StagingFolder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.remove()
        os.close(self.fd)

    def remove(self) -> None:
        """Remove whatever is at the folder's path now (after a swap: the previous output)."""
        remove_tree(self.path)


def _locked_folder(target: Path, kind: str) -> tuple[Path, int]:
    """A folder made for this run, and its descriptor, locked; made again if a cleaner of
    another run took it in the moment between making and locking."""
    import tempfile  # here, as shutil below: a build that does nothing only looks for leftovers

    for _ in range(_ATTEMPTS):
        path = Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-", dir=target.parent))
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        with contextlib.suppress(OSError):  # a file system without locks: unlocked, then
            fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink > 0:
            return path, fd
        os.close(fd)
    raise OSError(_("staging folders beside {target} keep vanishing").format(target=target))


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the staging folders beside `target` that runs killed before their end left (none
    that a run still holds); return them."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:new|old)-[a-z0-9_]{{8}}")
    try:
        names = sorted(os.listdir(target.parent))
    except OSError:
        return []
    return [
        target.parent / n
        for n in names
        if pattern.fullmatch(n) and _remove_unheld(target.parent / n)
    ]


def _remove_unheld(path: Path) -> bool:
    """Remove `path` if it is a folder of this user's that no live run holds locked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if info.st_uid != os.geteuid():
            return False
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held by a live run: OSError
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            return False
        remove_tree(path)
        return not os.path.lexists(path)
    except OSError:
        return False
    finally:
        os.close(fd)


def remove_tree(path: Path) -> None:
    """Remove the folder at `path` and all it holds, as far as it can (links are not followed)."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)


@functools.cache
def umask() -> int:
    """This process's umask (asked once: asking sets it, for a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
