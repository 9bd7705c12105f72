"""A build's inputs as one digest, so that a rebuild with nothing changed can do nothing at all."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CACHE_FOLDER = ".publisher-cache"
"""The default PDF cache's folder name (publisher.pdf); never an input of the build."""

MARKER = ".publisher-build"
"""The file in an output folder that marks it as publisher's, and holds the build's stamp."""


def inputs_digest(roots: Iterable[Path], options: Mapping[str, Any]) -> str:
    """SHA-256 over the build options and every file (path and bytes) under `roots`."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    for root in roots:
        # The PDF cache holds outputs, not inputs; a linked folder's files are inputs too.
        for name in _files(root, skip=CACHE_FOLDER, follow_links=True):
            try:
                data = (root / name).read_bytes()
            except OSError:  # gone since it was listed (an editor's swap file): not an input
                continue
            digest.update(f"{root.name}/{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def read_stamp(marker: Path) -> dict[str, Any]:
    """The stamp a previous build left in its marker file ({} if none or unreadable)."""
    try:
        stamp = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def tree_signature(out: Path) -> str:
    """SHA-256 over the name, size, modification time and inode of every file in `out` but the
    marker: the quick check of git, make and rsync. Writing a file changes its time (or, saved
    by renaming, its inode); adding, removing or renaming one changes the names."""
    digest = hashlib.sha256()
    for name in _files(out, skip=MARKER):
        try:
            info = os.lstat(out / name)
        except OSError:
            continue
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\n".encode())
    return digest.hexdigest()


def _files(root: Path, skip: str, follow_links: bool = False) -> list[str]:
    """Every file under `root` as a sorted relative POSIX path, leaving out entries named `skip`."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=follow_links):
        dirs[:] = [d for d in dirs if d != skip]
        base = Path(folder).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        found += [prefix + f for f in files if f != skip]
    return sorted(found)
