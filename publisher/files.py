"""The bytes of input files, read once by a process while each file is unchanged; files written
in one step, sealed with their digest; and the data files shipped in the package.

A build reads every input twice (its digest, then its loading), and `serve` reads them all
again on every save; a file whose status (device, inode, size, modification and change times)
is what it was when it was read is taken as read then. Like git's index, a file changed in the
last seconds is always read again: a clock's tick can hold two writes of the same size.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

RECENT_NS = 2_000_000_000
"""A file modified this recently (in nanoseconds) is read every time."""

_read: dict[str, tuple[tuple[int, ...], bytes]] = {}


def status(info: os.stat_result) -> tuple[int, ...]:
    """What tells that a file is unchanged since `info` was taken: the same in two looks at it
    means the same bytes (writing a file changes its times, saving it by renaming its inode,
    and no call sets its change time)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def file_bytes(path: Path, info: os.stat_result | None = None) -> bytes:
    """The bytes of the file at `path` (OSError if it cannot be read), whose status is `info`
    if the caller just took it."""
    info = info or os.stat(path)
    seen = status(info)
    name = os.fspath(path)
    kept = _read.get(name)
    if kept is not None and kept[0] == seen:
        return kept[1]
    data = path.read_bytes()
    if max(info.st_mtime_ns, info.st_ctime_ns) < time.time_ns() - RECENT_NS:
        _read[name] = (seen, data)
    else:
        _read.pop(name, None)
    return data


def write_whole(path: Path, data: bytes) -> None:
    """Write `data` at `path` in one step: into a temporary file beside it, renamed over it (a
    reader, or a build killed meanwhile, never sees half of it)."""
    import tempfile  # here: a build that does nothing never writes, and starts 7 ms sooner

    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sealed(header: bytes, body: bytes) -> bytes:
    """`body` after `header` and its SHA-256 (which processors compute in hardware: three times
    faster than BLAKE2 over the tens of megabytes of a large site's memo): a file that tells
    when it was damaged, even where it would still read (`unsealed`)."""
    return header + hashlib.sha256(body).digest() + body


def unsealed(header: bytes, data: bytes) -> memoryview | None:
    """The body of `data` written by `sealed` with `header`, not copied; None if it starts
    otherwise or its digest is not the body's."""
    start = len(header) + _SEAL
    body = memoryview(data)[start:]
    if not data.startswith(header) or data[len(header) : start] != hashlib.sha256(body).digest():
        return None
    return body


_SEAL = 32
"""The bytes of a seal: a SHA-256."""


def packaged_yaml(path: Path) -> Any:
    """The data of a YAML file shipped in the package, read with libyaml where PyYAML has it:
    a rule reads its table when it is imported, which pure-Python YAML made slow to start."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text("utf-8"), Loader=loader)
