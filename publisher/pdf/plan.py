"""What each PDF is made of, decided before any rendering: print HTML, stylesheets, cache key.

Pure: takes rendered releases and the print stylesheet's text, returns values. Links in the
printed text point at the published site (`site.base_url`), never at local files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from publisher.render.release import RenderedRelease
from publisher.render.site import print_html
from publisher.render.theme import Theme
from publisher.render.urls import pdf_path

PRINT_STYLESHEET = "print/release.css"
# PDF/A-3a: archival (PDF/A-3) and level A, which requires the tagged structure and Unicode text.
PDF_VARIANT = "pdf/a-3a"
# Bump when the WeasyPrint options change in a way that changes the bytes of a PDF.
PDF_FORMAT = "1"

_CSS_STRING = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Stylesheet:
    """A stylesheet's text and the URL its relative references resolve against."""

    text: str
    base_url: str


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: the release, its print HTML, and the folders rendering may read."""

    release_id: str
    sources: tuple[str, ...]
    path: str
    html: str
    base_url: str
    stylesheets: tuple[Stylesheet, ...]
    roots: tuple[str, ...]

    def key(self, fonts: str, engine: str, resources: str) -> str:
        """The cache key: a hash of the HTML, stylesheets, fonts, engine version and options.

        `resources` is a hash of the files the HTML uses (fetch.resource_digest); the folder the
        project lives in is not part of the key, so a moved project keeps its cache.
        """
        digest = hashlib.sha256()
        for part in (PDF_FORMAT, PDF_VARIANT, engine, fonts, resources, self.html):
            digest.update(part.encode("utf-8") + b"\0")
        for sheet in self.stylesheets:
            digest.update(sheet.text.encode("utf-8") + b"\0")  # its text; not where it lies
        return digest.hexdigest()


@dataclass(frozen=True)
class PdfFile:
    """A finished PDF: where it goes in the site and its bytes."""

    path: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the bytes, as published in releases.json."""
        return hashlib.sha256(self.data).hexdigest()


def plan_pdfs(
    theme: Theme,
    releases: list[RenderedRelease],
    stylesheet: str,
    roots: tuple[Path, ...],
    prints: Mapping[str, bytes] | None = None,
) -> list[PdfJob]:
    """A PdfJob for every release, printed with `stylesheet` (the print CSS's text), from its
    print HTML in `prints` (by release id: the render pass's), else rendered here."""
    sheet = Stylesheet(stylesheet, theme.find(PRINT_STYLESHEET).resolve().as_uri())
    folders = tuple(str(root.resolve()) for root in roots)
    made = prints or {}
    return [
        _job(r, _html(made.get(r.view.record.id)) or print_html(theme, r), sheet, folders)
        for r in releases
    ]


def _html(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8")


def _job(rendered: RenderedRelease, html: str, sheet: Stylesheet, roots: tuple[str, ...]) -> PdfJob:
    view = rendered.view
    release_file = Path(view.record.doc.path)
    return PdfJob(
        release_id=view.record.id,
        sources=(view.record.doc.path, view.incident.doc.path),
        path=pdf_path(view.incident.id, view.date, view.record.variant),
        html=html,
        base_url=release_file.resolve().parent.as_uri() + "/",
        stylesheets=(sheet,),
        roots=roots,
    )


def printed_characters(job: PdfJob) -> set[str]:
    """Every character the PDF may print: the HTML's text, the stylesheets' strings, digits."""
    parser = _Text()
    parser.feed(job.html)
    strings = [text for sheet in job.stylesheets for text in _CSS_STRING.findall(sheet.text)]
    return set("".join(parser.parts + strings) + "0123456789")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
