"""How a build makes PDFs: kept apart from the PDF stage so the CLI can name it cheaply."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CACHE_FOLDER = ".publisher-cache"
"""The default cache folder's name (in the content folder): rendered PDFs and build stamps."""


@dataclass(frozen=True)
class PdfOptions:
    """How to make PDFs: worker processes (0: one per CPU) and the cache folder (None: none)."""

    jobs: int = 0
    cache: Path | None = None


def default_cache(content: Path) -> Path:
    """Where rendered PDFs are kept between builds unless --cache says otherwise."""
    return content / CACHE_FOLDER
