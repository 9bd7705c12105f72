"""`publisher notify webhook` and `publisher notify events`: SendGrid's delivery events into the
ledger, as thin click commands over publisher.notify.webhook and publisher.notify.events.

They are added to the `notify` group in publisher/cli.py (`notify.add_command(webhook)`), and
keep its conventions without importing it: errors become messages, never a traceback (1 for a
refused key, file or ledger, 3 for a bug; PUBLISHER_DEBUG=1 shows it), 2 for a wrong command line,
130 interrupted; a broken publisher.yaml stops them as it stops every command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from publisher.commands.options import LEDGER, folder_option
from publisher.exits import reports_errors
from publisher.messages import _

F = TypeVar("F", bound=Callable[..., Any])
CONTENT = folder_option(
    "--content",
    "Folder of the incident records (the default ledger is beside it).",
    Path("content"),
)


def _ledger(ledger: Path | None, content: Path) -> Path:
    from publisher.notify.ledger_file import ledger_path

    return ledger_path(ledger, content)


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    required=True,
    help="Port on 127.0.0.1 (0: any free port); a reverse proxy brings SendGrid's POSTs to it.",
)
@LEDGER
@CONTENT
@click.option("--quiet", "-q", is_flag=True, help="Log only refused POSTs and faults.")
@reports_errors
def webhook(port: int, ledger: Path | None, content: Path, quiet: bool) -> None:
    """Take SendGrid's signed delivery events (SENDGRID_WEBHOOK_PUBLIC_KEY) into the ledger."""
    from publisher.notify.webhook import serve_webhook
    from publisher.reporter import ConsoleReporter

    path = _ledger(ledger, content)
    listening = _("listening on {url} for SendGrid's events into {ledger}")
    ready = lambda url: click.echo(listening.format(url=url, ledger=path))  # noqa: E731
    total = serve_webhook(path, port, ConsoleReporter(quiet), ready)
    click.echo(_("stopped; {total}").format(total=total))


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@LEDGER
@CONTENT
@reports_errors
def events(file: Path, ledger: Path | None, content: Path) -> None:
    """Import a saved JSON array of SendGrid's events (FILE.json) into the ledger, unsigned."""
    from publisher.notify.events import import_events

    click.echo(f"{file}: {import_events(file, _ledger(ledger, content))}")
