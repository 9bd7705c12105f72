"""What each PDF is made of, decided before any rendering: print HTML, stylesheets, cache key.

Pure: takes rendered releases and the print stylesheet's text, returns values. Links in the
printed text point at the published site (`site.base_url`), never at local files.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from publisher.render.pages import release_versions, render_page
from publisher.render.release import RenderedRelease
from publisher.render.theme import Theme
from publisher.render.urls import page_dir, release_dir

PRINT_TEMPLATE = "release-print.html"
PRINT_STYLESHEET = "print/release.css"
# PDF/A-3a: archival (PDF/A-3) and level A, which requires the tagged structure and Unicode text.
PDF_VARIANT = "pdf/a-3a"
# Bump when the WeasyPrint options change in a way that changes the bytes of a PDF.
PDF_FORMAT = "1"

_CSS_STRING = re.compile(r'"([^"]*)"')
_RELATIVE_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^"]*)"')


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


def pdf_path(incident_id: str, day: date, lang: str = "") -> str:
    """`<incident>/<date>/<incident>-<date>.pdf`, beside the release's page; a translation's
    is `<incident>/<date>/<lang>/<incident>-<date>-<lang>.pdf`."""
    name = f"{incident_id}-{day.isoformat()}" + (f"-{lang}" if lang else "")
    return f"{page_dir(incident_id, day, lang)}{name}.pdf"


def plan_pdfs(
    theme: Theme, releases: list[RenderedRelease], stylesheet: str, roots: tuple[Path, ...]
) -> list[PdfJob]:
    """A PdfJob for every release, printed with `stylesheet` (the print CSS's text)."""
    sheet = Stylesheet(stylesheet, theme.find(PRINT_STYLESHEET).resolve().as_uri())
    folders = tuple(str(root.resolve()) for root in roots)
    return [_job(theme, rendered, sheet, folders) for rendered in releases]


def _job(
    theme: Theme, rendered: RenderedRelease, sheet: Stylesheet, roots: tuple[str, ...]
) -> PdfJob:
    view = rendered.view
    path = pdf_path(view.incident.id, view.date, view.record.variant)
    here = release_dir(view.record)
    site = view.content.site
    page_url = urljoin(site.base_url, here)
    context = {
        "strings": theme.strings_for(view.lang),
        "site": site,
        "lang": view.lang,
        "r": rendered,
        "view": view,
        "release": view.record.release,
        "versions": release_versions(view.content, theme, view.incident, view.date, here),
        "page_url": page_url,
        "pdf_name": path.rpartition("/")[2],
        "sums_url": urljoin(site.base_url, "SHA256SUMS"),
    }
    html = render_page(theme, PRINT_TEMPLATE, path, context).data.decode("utf-8")
    release_file = Path(view.record.doc.path)
    return PdfJob(
        release_id=view.record.id,
        sources=(view.record.doc.path, view.incident.doc.path),
        path=path,
        html=printed_urls(absolute_links(html, page_url), site.base_url),
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


_LINK = re.compile(r'<a href="(https?://[^"]+)"([^>]*)>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def printed_urls(html: str, site_url: str) -> str:
    """`html` with each link that leaves the site marked `data-print-url`, so the print
    stylesheet prints its address after its text; not a link whose text is its address, nor
    one to the site's own pages (the PDF's footer names the site)."""

    def mark(link: re.Match[str]) -> str:
        href, rest, text = link.groups()
        shown = html_lib.unescape(_TAG.sub("", text)).strip()
        if href.startswith(site_url) or shown.rstrip("/") == html_lib.unescape(href).rstrip("/"):
            return link.group(0)
        return f'<a href="{href}" data-print-url{rest}>{text}</a>'

    return _LINK.sub(mark, html)


def absolute_links(html: str, page_url: str) -> str:
    """`html` with every relative link made absolute against the page's public URL."""
    return _RELATIVE_HREF.sub(lambda m: f'href="{urljoin(page_url, m.group(1))}"', html)
