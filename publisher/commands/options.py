"""Options that several commands take: a folder option's shape, and the notify commands' ledger."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def folder_option(
    name: str, help: str, default: Path | None = None, **extra: Any
) -> Callable[[F], F]:
    """`name` as an option naming a folder (a file there is refused), its default shown if it
    has one."""
    folder = click.Path(path_type=Path, file_okay=False)
    shown = default is not None
    return click.option(name, type=folder, default=default, show_default=shown, help=help, **extra)


LEDGER = click.option(  # resolved by notify.ledger_file.ledger_path
    "--ledger",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="SQLite ledger of the mailout  [default: notify.ledger.sqlite beside --content]",
)
"""Every notify command's --ledger."""
