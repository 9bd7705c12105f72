"""`publisher build`: load and check everything, render, then write the site in one swap."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher.check.runner import checked_content
from publisher.load.theme import load_theme
from publisher.pdf.stage import PdfOptions, PdfResult, build_pdfs
from publisher.render.pages import plan_pages, render_releases
from publisher.reporter import Reporter
from publisher.write.site import write_site


@dataclass(frozen=True)
class BuildConfig:
    """Where the content, templates and output are; how to make PDFs (None: no PDFs)."""

    content: Path
    templates: Path
    out: Path
    pdf: PdfOptions | None = None


@dataclass(frozen=True)
class BuildResult:
    """What a build made."""

    releases: int
    files: int
    pdfs_rendered: int = 0
    pdfs_reused: int = 0


def build_site(config: BuildConfig, reporter: Reporter) -> BuildResult:
    """Build the site; on any problem raise before the output folder is touched."""
    content = checked_content(config.content, config.templates, reporter)
    theme = load_theme(config.templates)
    rendered = render_releases(content, theme)
    pdfs: PdfResult | None = None
    if config.pdf is not None:
        roots = (config.content, config.templates, config.out)
        pdfs = build_pdfs(theme, rendered, roots, config.pdf, reporter)
    outputs = plan_pages(content, theme, rendered, pdfs.files if pdfs else None)
    write_site(outputs, config.out)
    return BuildResult(
        releases=len(rendered),
        files=len(outputs),
        pdfs_rendered=pdfs.rendered if pdfs else 0,
        pdfs_reused=pdfs.reused if pdfs else 0,
    )
