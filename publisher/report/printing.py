"""PDFs of a report, through publisher.pdf's engine: the same checks, fonts and PDF/A-3a.

A report's PDF is its HTML printed with the theme's report stylesheet; California's sample
copy of the notice is the release's own print (`release-print.html`), as the build makes it.
Fonts and every printed character are checked before anything is rendered; rendering may read
only the theme's folders (and the content, for a release).
"""

from __future__ import annotations

from pathlib import Path

from publisher.pdf.plan import PRINT_STYLESHEET, PdfJob, plan_pdfs
from publisher.pdf.stage import check_pdfs, render_all
from publisher.render.release import RenderedRelease
from publisher.render.theme import Theme
from publisher.report.document import STYLESHEET
from publisher.reporter import Reporter


def report_job(theme: Theme, html: str, name: str, sources: tuple[str, ...]) -> PdfJob:
    """The PDF job of a report's HTML, which holds its stylesheet (`sources`: the content files
    its text comes from, where a character the font lacks is looked for)."""
    folder = theme.find(STYLESHEET).resolve().parent
    return PdfJob(
        release_id=name,
        sources=sources,
        path=name,
        html=html,
        base_url=folder.as_uri() + "/",
        stylesheets=(),
        roots=tuple(str(layer.resolve()) for layer in theme.layers),
    )


def notice_job(theme: Theme, rendered: RenderedRelease, content: Path) -> PdfJob:
    """The print job of a release, as `publisher build` plans it."""
    stylesheet = theme.find(PRINT_STYLESHEET).read_text(encoding="utf-8")
    return plan_pdfs(theme, [rendered], stylesheet, (content, *theme.layers))[0]


def print_jobs(jobs: list[PdfJob], reporter: Reporter) -> dict[str, bytes]:
    """Each job's PDF by its id; RenderError or FontMissing before anything is rendered."""
    check_pdfs(jobs, reporter)
    return render_all(jobs, 1, lambda: None)
