"""Options that several commands take: a folder option's shape, the notify commands' ledger, the
project's folders as `build` takes them, and the places a file that names the people told may not
go."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from publisher.messages import _
from publisher.write.private import FOLDERS, inside

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


def _project(name: str) -> Any:
    """publisher.yaml's setting `name` for `build` (content, templates, out), if any."""
    ctx = click.get_current_context()
    return ((ctx.find_root().default_map or {}).get("build") or {}).get(name)


def project_folders(content: Path | None, templates: Path | None) -> tuple[Path, Path | None, Path]:
    """The content, the templates (None: the default theme alone) and the site's folder, as
    `build` takes them: the options given, else publisher.yaml's, else the defaults."""
    content = content or _project("content") or Path("content")
    if templates is None:
        found = _project("templates") or Path("templates")
        templates = found if Path(found).is_dir() else None
    elif not templates.is_dir():
        message = _("no folder {folder}").format(folder=templates)
        raise click.BadParameter(message, param_hint="--templates")
    return Path(content), templates, Path(_project("out") or "site")


def refuse_public(
    paths: Mapping[str, Path | None], content: Path | None, templates: Path | None
) -> None:
    """Refuse, as a wrong command line, each of `paths` (by the option that names it) that is
    or lies inside the site, the content or the templates (`project_folders`), or inside any
    site publisher built: what is written there names the people told, and the site is
    published, the content and the templates committed."""
    content, templates, site = project_folders(content, templates)
    guarded = {"the content": content, "the templates": templates, "the site": site}
    for option, path in paths.items():
        found = inside(path, guarded) if path is not None else None
        if found is None:
            continue
        what, folder = found
        if what is None:
            said = _(
                "{path} is inside {folder}, a site publisher built: what goes there names the "
                "people told; name a place outside it"
            ).format(path=path, folder=folder)
        else:
            said = _(
                "{path} is inside {what} ({folder}): what goes there names the people told, so "
                "it goes only outside the site, the content and the templates"
            ).format(path=path, what=_(FOLDERS.get(what, what)), folder=folder)
        raise click.BadParameter(said, param_hint=option)
