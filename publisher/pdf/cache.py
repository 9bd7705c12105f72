"""Rendered PDFs kept on disk by cache key, so a rebuild renders only what changed.

The key (PdfJob.key) hashes everything that shapes a PDF's bytes; an entry is never updated,
only added. Entries are written to a temporary name and renamed, so a killed build leaves no
half-written PDF behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PdfCache:
    """A folder of `<key>.pdf` files, two hex digits of fan-out."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / "pdf" / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        """The PDF stored under `key`, or None (also for a damaged entry)."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        return data if data.startswith(b"%PDF-") and b"%%EOF" in data[-32:] else None

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".new-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
