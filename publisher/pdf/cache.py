"""Rendered PDFs kept on disk by cache key, so a rebuild renders only what changed.

The key (PdfJob.key) hashes everything that shapes a PDF's bytes; an entry is never updated,
only added, and removed once no recent build uses it (`prune`: the build keeps the keys each
output folder's last PDF build used). Entries are written to a temporary name and renamed, so a
killed build leaves no half-written PDF behind; beside each, its SHA-256 (`<key>.sha256`), so
that a PDF damaged on disk is rendered again rather than published.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from pathlib import Path

from publisher.files import write_whole

_ENTRY = re.compile(r"[0-9a-f]{64}\.(pdf|sha256)")


class PdfCache:
    """A folder of `<key>.pdf` files, two hex digits of fan-out."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / "pdf" / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        """The PDF stored under `key`, or None (also for an entry damaged, or without its
        digest)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
            digest = path.with_suffix(".sha256").read_text("ascii")
        except (OSError, UnicodeDecodeError):
            return None
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically, then its digest."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, data)
        write_whole(path.with_suffix(".sha256"), hashlib.sha256(data).hexdigest().encode())

    def prune(self, keep: Collection[str]) -> int:
        """Remove every entry whose key is not in `keep`, with its digest; how many were
        removed (only entries are: any other file in the folder stays)."""
        removed = 0
        for path in self.folder.glob("pdf/[0-9a-f][0-9a-f]/*"):
            entry = _ENTRY.fullmatch(path.name)
            if entry is None or path.stem in keep:
                continue
            try:
                path.unlink()
            except OSError:
                continue
            if entry.group(1) == "pdf":
                removed += 1
        return removed
