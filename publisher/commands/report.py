"""`publisher report` and `publisher register`: thin click commands over publisher.report.run.

They are added to the command group in publisher/cli.py (`cli.add_command(report)`), and keep
its conventions without importing it: errors become messages, never a traceback (1 for the
content or a refused write, 3 for a bug; PUBLISHER_DEBUG=1 shows it), 2 for a wrong command
line; a broken publisher.yaml stops them as it stops every command. The folders default to
publisher.yaml's, as `build` takes them, so that `--out` is refused inside the site it builds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from publisher.commands.options import folder_option, project_folders
from publisher.exits import reports_errors
from publisher.messages import _, counted

F = TypeVar("F", bound=Callable[..., Any])


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = _("expected a date like 2020-11-14: {value}").format(value=repr(value))
        raise click.BadParameter(message) from None


CONTENT = folder_option(
    "--content", "Folder of the incident records  [default: content, or publisher.yaml's]"
)
TEMPLATES = folder_option(
    "--templates",
    "Folder of the project's own templates (report/report.html and report/report.css "
    "replace the default theme's)  [default: templates, if there is one]",
)
AS_OF = click.option(
    "--as-of",
    callback=_date,
    metavar="DATE",
    help="The record as it was known at the end of this day (YYYY-MM-DD); what became known "
    "later is not shown  [default: today, in the site's time zone]",
)


@click.command()
@click.argument("incident")
@click.option(
    "--regime",
    type=click.Choice(["appi", "gdpr", "ca"]),
    required=True,
    help="appi: the PPC's 漏えい等報告; gdpr: the notification to a supervisory authority "
    "(Art. 33); ca: the California Attorney General's sample copy of the notice.",
)
@click.option(
    "--stage",
    type=click.Choice(["preliminary", "final"]),
    default="final",
    show_default=True,
    help="appi: 速報 (preliminary) or 確報 (final); gdpr: an initial notification completed "
    "in phases, or the notification; ca: no stages.",
)
@AS_OF
@folder_option(
    "--out",
    "Folder to write the report into (made if missing); never inside the site, the "
    "content or the templates.",
    required=True,
)
@click.option("--no-pdf", is_flag=True, help="Write the JSON and HTML only.")
@click.option(
    "--ledger",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The notification ledger whose counts (never addresses) the report states for the "
    "notice to the people concerned  [default: publisher.yaml's ledger, else "
    "notify.ledger.sqlite beside --content]",
)
@CONTENT
@TEMPLATES
@reports_errors
def report(
    incident: str,
    regime: str,
    stage: str,
    as_of: date | None,
    out: Path,
    no_pdf: bool,
    ledger: Path | None,
    content: Path | None,
    templates: Path | None,
) -> None:
    """Write a report to a regulator from the record as of a date: JSON, HTML and PDF."""
    from publisher.notify.ledger_file import ledger_path
    from publisher.report.run import ReportConfig, write_report
    from publisher.reporter import ConsoleReporter

    content, templates, site = project_folders(content, templates)
    _check_out(out, content, templates, site)
    config = ReportConfig(
        content, templates, incident, regime, stage, out, as_of, not no_pdf, {"the site": site},
        ledger_path(ledger, content),
    )  # fmt: skip
    written = write_report(config, ConsoleReporter())
    names = ", ".join(p.name for p in written)
    said = counted(
        len(written),
        "wrote {n} file into {out}: {names}",
        "wrote {n} files into {out}: {names}",
        out=out,
        names=names,
    )
    click.echo(said)


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The CSV file to write; never inside the site, the content or the templates.",
)
@AS_OF
@CONTENT
@TEMPLATES
@reports_errors
def register(out: Path, as_of: date | None, content: Path | None, templates: Path | None) -> None:
    """Write the register of every incident (GDPR Art. 33(5)) as CSV, as of a date."""
    from publisher.report.run import RegisterConfig, write_register

    content, templates, site = project_folders(content, templates)
    _check_out(out, content, templates, site)
    path, rows = write_register(RegisterConfig(content, templates, out, as_of, {"the site": site}))
    click.echo(
        counted(rows, "wrote {path}: {n} incident", "wrote {path}: {n} incidents", path=path)
    )


def _check_out(out: Path, content: Path, templates: Path | None, site: Path) -> None:
    from publisher.report.output import out_problem

    folders = {"the content": content, "the templates": templates, "the site": site}
    problem = out_problem(out, folders)
    if problem:
        raise click.BadParameter(problem, param_hint="--out")
