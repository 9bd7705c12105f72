"""What marks an output folder as publisher's, and its signature: what a no-op build compares
to tell that nobody touched the output since the last build."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

MARKER = ".publisher-build"
"""The file in an output folder that marks it as publisher's (so a build may replace it)."""


def tree_signature(folder: Path | int) -> str:
    """SHA-256 over every entry in `folder` (a path, or an open descriptor of it): name, type
    and mode, and for all but folders the size, modification and change times and inode.
    Writing a file changes its times, saving it by renaming its inode; `touch` and `chmod`
    cannot hide a change of ctime. Links are not followed: publisher never makes one, so any
    link is a change. A folder that is not there has the signature "missing"."""
    if not isinstance(folder, int) and not os.path.lexists(folder):
        return "missing"
    top, dir_fd = (os.curdir, folder) if isinstance(folder, int) else (folder, None)
    digest = hashlib.sha256()
    for path, dirs, files, fd in os.fwalk(top, dir_fd=dir_fd):
        base = os.path.relpath(path, top)
        prefix = "" if base == os.curdir else base + os.sep
        for name in sorted(dirs) + sorted(files):
            try:
                info = os.lstat(name, dir_fd=fd)
            except OSError:
                continue
            times = (
                ()
                if stat.S_ISDIR(info.st_mode)
                else (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            )
            digest.update(os.fsencode(prefix + name) + f"\0{info.st_mode}{times}\n".encode())
        dirs.sort()
    return digest.hexdigest()
