"""WeasyPrint, inside a worker process: print HTML in, PDF bytes (or a located problem) out.

Each process keeps one FontConfiguration for its whole life: a new one per document leaks memory
and costs a fontconfig scan. This module imports WeasyPrint, so only the PDF stage imports it.
"""

from __future__ import annotations

from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from publisher.errors import Problem
from publisher.messages import _
from publisher.pdf.fetch import allowed, locate, refusal
from publisher.pdf.plan import PDF_VARIANT, PdfJob

_process_fonts: list[FontConfiguration] = []  # this process's one FontConfiguration


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, limited to files under the job's folders (and data: URLs)."""

    def __init__(self, roots: tuple[str, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.roots = roots
        self.refused: str | None = None
        """The URL outside the project that stopped the rendering, if one did."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch `url` if it is allowed; otherwise remember it and stop WeasyPrint at once."""
        if not allowed(url, self.roots):
            self.refused = url
            raise FatalURLFetchingError(url)
        return super().fetch(url, headers)


def font_config() -> FontConfiguration:
    """This process's FontConfiguration, made on first use."""
    if not _process_fonts:
        _process_fonts.append(FontConfiguration())
    return _process_fonts[0]


def render_job(job: PdfJob) -> bytes | Problem:
    """The PDF of `job`, or a Problem naming its content file (picklable either way)."""
    fetcher = ProjectFetcher(job.roots)
    try:
        return write_pdf(job, fetcher, font_config())
    except FatalURLFetchingError as exc:
        if fetcher.refused is not None:
            return locate(fetcher.refused, refusal(fetcher.refused), job.sources)
        cause = exc.__cause__ or exc
        message = _("could not read a resource of the PDF: {error}").format(error=cause)
        return Problem(job.sources[0], message=message)
    except Exception as exc:
        said = _("WeasyPrint failed: {kind}: {error}")
        message = said.format(kind=type(exc).__name__, error=exc)
        return Problem(job.sources[0], message=message)


def write_pdf(job: PdfJob, fetcher: URLFetcher | None, fonts: FontConfiguration | None) -> bytes:
    """Render `job` with WeasyPrint as an archival, tagged PDF (plain WeasyPrint if no fetcher)."""
    html = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher)
    sheets = [
        CSS(string=s.text, base_url=s.base_url, url_fetcher=fetcher, font_config=fonts)
        for s in job.stylesheets
    ]
    pdf: bytes = html.write_pdf(stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT)
    return pdf
