"""The PDF stage of `publisher build`: check, look up the cache, render the rest in parallel.

Everything is checked before anything is rendered (images and stylesheets the content points
at, then the fonts); nothing is written to the site here: the PDFs come back as values.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from publisher.errors import Problem, RenderError
from publisher.load.theme import Theme
from publisher.pdf.cache import PdfCache
from publisher.pdf.fetch import resource_digest, resource_problems
from publisher.pdf.fonts import require_fonts, subsetter_warning
from publisher.pdf.plan import PRINT_STYLESHEET, PdfFile, PdfJob, plan_pdfs
from publisher.render.release import RenderedRelease
from publisher.reporter import Reporter

Outcome = bytes | Problem
Advance = Callable[[], None]


@dataclass(frozen=True)
class PdfOptions:
    """How to make PDFs: worker processes (0: one per CPU) and the cache folder (None: none)."""

    jobs: int = 0
    cache: Path | None = None


@dataclass(frozen=True)
class PdfResult:
    """The PDFs by release id, and how many were rendered and reused from the cache."""

    files: dict[str, PdfFile]
    rendered: int
    reused: int


def build_pdfs(
    theme: Theme,
    releases: list[RenderedRelease],
    roots: tuple[Path, ...],
    options: PdfOptions,
    reporter: Reporter,
) -> PdfResult:
    """Every release's PDF; RenderError (located) or FontMissing before rendering on problems."""
    stylesheet = (theme.root / PRINT_STYLESHEET).read_text(encoding="utf-8")
    jobs = plan_pdfs(theme, releases, stylesheet, roots)
    problems = [p for j in jobs for p in resource_problems(j.html, j.base_url, j.roots, j.sources)]
    if problems:
        raise RenderError(problems)
    fonts = require_fonts()
    if warning := subsetter_warning():
        reporter.warn(warning)
    cache = PdfCache(options.cache) if options.cache else None
    engine = version("weasyprint")
    keys = {j.release_id: j.key(fonts, engine, resource_digest(j.html, j.base_url)) for j in jobs}
    found = dict(_cached(cache, keys)) if cache else {}
    missing = [job for job in jobs if job.release_id not in found]
    with reporter.task("rendering PDFs", len(missing)) as progress:
        made = render_all(missing, worker_count(options.jobs), progress.advance)
    if cache:
        for release_id, pdf in made.items():
            cache.put(keys[release_id], pdf)
    everything = {**found, **made}
    files = {job.release_id: PdfFile(job.path, everything[job.release_id]) for job in jobs}
    reporter.info(f"{len(made)} PDF{'' if len(made) == 1 else 's'} rendered, {len(found)} reused")
    return PdfResult(files, rendered=len(made), reused=len(found))


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
        _in_workers(jobs, workers, advance)
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


def _in_workers(jobs: list[PdfJob], workers: int, advance: Advance) -> dict[str, Outcome]:
    # forkserver: workers start from a fresh process that has imported WeasyPrint once, never
    # from a copy of this one (which may hold Pango/fontconfig state that is unsafe to fork).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["publisher.pdf.engine"])
    outcomes: dict[str, Outcome] = {}
    with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
        futures = {pool.submit(_render_in_worker, job): job.release_id for job in jobs}
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            advance()
    return outcomes


def _render_in_worker(job: PdfJob) -> Outcome:
    """Runs in a worker: WeasyPrint is imported there, not in the building process."""
    from publisher.pdf.engine import render_job

    return render_job(job)
