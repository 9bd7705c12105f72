"""The PDF stage of `publisher build`: check, look up the cache, render the rest in parallel.

Everything is checked before anything is rendered: images and stylesheets the content points
at, the fonts, and every printed character. Nothing is written to the site here: the PDFs come
back as values (only the cache folder is written).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from publisher.errors import Problem, RenderError, display_path
from publisher.messages import _, counted
from publisher.pdf.cache import PdfCache
from publisher.pdf.fetch import locate, resource_digest, resource_problems
from publisher.pdf.fonts import REQUIRED_FONTS, missing_glyphs, require_fonts, subsetter_warning
from publisher.pdf.options import PdfOptions
from publisher.pdf.plan import PRINT_STYLESHEET, PdfFile, PdfJob, plan_pdfs, printed_characters
from publisher.pdf.workers import Outcome, render_in_workers
from publisher.render.release import RenderedRelease
from publisher.render.theme import Theme
from publisher.reporter import Reporter

Advance = Callable[[], None]


@dataclass(frozen=True)
class PdfResult:
    """The PDFs by release id, and how many were rendered and reused from the cache."""

    files: dict[str, PdfFile]
    rendered: int
    reused: int
    keys: tuple[str, ...] = ()
    """The cache keys of the PDFs, sorted."""
    made: tuple[str, ...] = ()
    """The paths of the PDFs rendered (not found in the cache)."""


def build_pdfs(
    theme: Theme,
    releases: list[RenderedRelease],
    roots: tuple[Path, ...],
    options: PdfOptions,
    reporter: Reporter,
    prints: Mapping[str, bytes] | None = None,
) -> PdfResult:
    """Every release's PDF (from its print HTML in `prints`, by id, where given); RenderError
    (located) or FontMissing before rendering on problems."""
    jobs = plan_pdfs(theme, releases, _print_stylesheet(theme), roots, prints)
    fonts = check_pdfs(jobs, reporter)
    engine = version("weasyprint")
    keys = {j.release_id: j.key(fonts, engine, resource_digest(j.html, j.base_url)) for j in jobs}
    cache = PdfCache(options.cache) if options.cache else None
    found = dict(_cached(cache, keys)) if cache else {}
    missing = [job for job in jobs if job.release_id not in found]
    with reporter.task("rendering PDFs", len(missing)) as progress:
        made = render_all(missing, worker_count(options.jobs), progress.advance)
    if cache:
        _store(cache, keys, made, reporter)
    everything = {**found, **made}
    files = {job.release_id: PdfFile(job.path, everything[job.release_id]) for job in jobs}
    said = counted(
        len(made),
        "{n} PDF rendered, {reused} reused",
        "{n} PDFs rendered, {reused} reused",
        reused=len(found),
    )
    reporter.info(said)
    keys_used = tuple(sorted(set(keys.values())))
    paths = tuple(files[release_id].path for release_id in made)
    return PdfResult(files, len(made), len(found), keys_used, paths)


def _print_stylesheet(theme: Theme) -> str:
    path = theme.find(PRINT_STYLESHEET)
    if not path.is_file():
        problem = Problem(
            display_path(path), message=_("not found: the PDFs need a print stylesheet")
        )
        raise RenderError([problem])
    return path.read_text(encoding="utf-8")


def check_pdfs(jobs: list[PdfJob], reporter: Reporter) -> str:
    """Refuse resources outside the project and missing fonts; return the fonts' fingerprint."""
    problems = [p for j in jobs for p in resource_problems(j.html, j.base_url, j.roots, j.sources)]
    if problems:
        raise RenderError(problems)
    fonts = require_fonts()
    if problems := glyph_problems(jobs):
        raise RenderError(problems)
    if warning := subsetter_warning():
        reporter.warn(warning)
    return fonts


def glyph_problems(jobs: list[PdfJob]) -> list[Problem]:
    """A located problem for each character the print font lacks (it would print a blank box)."""
    printed = {job.release_id: printed_characters(job) for job in jobs}
    missing = missing_glyphs(set().union(*printed.values()))
    return [
        locate(char, _no_glyph(char), job.sources)
        for job in jobs
        for char in sorted(printed[job.release_id] & missing)
    ]


def _no_glyph(char: str) -> str:
    said = _(
        "character {char} (U+{code}) is not in the font '{font}': the PDF would print an empty "
        "box in its place"
    )
    return said.format(char=repr(char), code=f"{ord(char):04X}", font=REQUIRED_FONTS[0])


def _store(
    cache: PdfCache, keys: dict[str, str], made: dict[str, bytes], reporter: Reporter
) -> None:
    try:
        for release_id, pdf in made.items():
            cache.put(keys[release_id], pdf)
    except OSError as exc:
        said = _("could not keep the PDFs in the cache {folder}: {error}")
        reporter.warn(said.format(folder=cache.folder, error=exc))


def _cached(cache: PdfCache, keys: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    for release_id, key in keys.items():
        if (data := cache.get(key)) is not None:
            yield release_id, data


def worker_count(jobs: int) -> int:
    """`jobs`, or the CPUs this process may use when `jobs` is 0."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_all(jobs: list[PdfJob], workers: int, advance: Advance) -> dict[str, bytes]:
    """Render `jobs` in up to `workers` processes; RenderError listing every failure."""
    outcomes = (
        render_in_workers(jobs, workers, advance)
        if workers > 1 and len(jobs) > 1
        else _in_process(jobs, advance)
    )
    problems = [o for o in outcomes.values() if isinstance(o, Problem)]
    if problems:
        raise RenderError(problems)
    return {k: o for k, o in outcomes.items() if isinstance(o, bytes)}


def _in_process(jobs: list[PdfJob], advance: Advance) -> dict[str, Outcome]:
    from publisher.pdf.engine import render_job

    outcomes = {}
    for job in jobs:
        outcomes[job.release_id] = render_job(job)
        advance()
    return outcomes
