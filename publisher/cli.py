"""The command line: thin click commands that call one library function each.

Exit status: 0 done; 1 the content, contacts or a service had problems (each printed as a line);
2 the command line itself was wrong. Heavy libraries are imported inside the commands that need
them, so `publisher --help` answers at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from publisher.errors import ContentError, PublisherError

F = TypeVar("F", bound=Callable[..., Any])

CONTENT = click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("content"),
    show_default=True,
    help="Folder of the incident records.",
)
TEMPLATES = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("templates"),
    show_default=True,
    help="Folder of the Jinja templates and per-language strings.",
)
QUIET = click.option("--quiet", "-q", is_flag=True, help="Print nothing unless something is wrong.")


def reports_errors(command: F) -> F:
    """Turn publisher's errors into messages and exit status 1, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ContentError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            noun = "problem" if len(exc.problems) == 1 else "problems"
            click.echo(f"{len(exc.problems)} {noun}; nothing was written.", err=True)
            sys.exit(1)
        except PublisherError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher")
def cli() -> None:
    """Publish incident releases as a static site, PDFs and notification mails."""


@cli.command()
@CONTENT
@TEMPLATES
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Output folder; replaced as a whole when the build succeeds.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes rendering PDFs  [default: 0, one per CPU]",
)
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs: a quick HTML-only build.")
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of rendered PDFs reused by later builds  [default: .publisher-cache in the "
    "content folder]",
)
@QUIET
@reports_errors
def build(
    content: Path,
    templates: Path,
    out: Path,
    jobs: int,
    no_pdf: bool,
    cache: Path | None,
    quiet: bool,
) -> None:
    """Build every release page and PDF, the incident pages, the index and releases.json."""
    from publisher.build import BuildConfig, build_site
    from publisher.pdf.stage import PdfOptions
    from publisher.reporter import ConsoleReporter

    reporter = ConsoleReporter(quiet)
    pdf = None if no_pdf else PdfOptions(jobs, cache or content / ".publisher-cache")
    result = build_site(BuildConfig(content, templates, out, pdf), reporter)
    reporter.info(f"built {result.releases} releases ({result.files} files) into {out}")


def main() -> None:
    """Entry point of the `publisher` console script."""
    cli(prog_name="publisher")
