"""`publisher new`: a project that builds, passes `check --strict` and dry-runs a mailout as it is.

It is the starter project of the chosen language (publisher/starter/), with the JSON Schemas that
its YAML files point an editor at.
"""

from __future__ import annotations

import os
from pathlib import Path

from publisher.errors import PublisherError
from publisher.load.starter import starter_files
from publisher.load.themefolders import DEFAULT_THEME
from publisher.messages import _
from publisher.model.reference import schema_texts
from publisher.write.project import write_project


def create_project(folder: Path, lang: str) -> list[str]:
    """Write a new project in `lang` into `folder` (missing or empty); return its files' paths."""
    files = starter_files(lang)
    files |= {f"schemas/{name}": text.encode() for name, text in schema_texts().items()}
    write_project(files, folder)
    return sorted(files)


def theme_files() -> list[str]:
    """Every file of the default theme, by its name in the theme (what a project may override)."""
    return sorted(
        p.relative_to(DEFAULT_THEME).as_posix() for p in DEFAULT_THEME.rglob("*") if p.is_file()
    )


def copy_theme_file(name: str, templates: Path) -> Path:
    """Copy the default theme's `name` into `templates` to be changed there; never overwrite."""
    if name not in theme_files():
        said = _("the default theme has no file {name}; `publisher theme` lists them")
        raise PublisherError(said.format(name=repr(name)))
    target = templates / name
    if os.path.lexists(target):
        said = _("{path}: already there; it overrides the default already")
        raise PublisherError(said.format(path=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(templates.resolve()):
            said = _("{path}: leads out of {templates}; copy nothing there")
            raise PublisherError(said.format(path=target.parent, templates=templates))
        with open(target, "xb") as copy:  # never through a link made meanwhile
            copy.write((DEFAULT_THEME / name).read_bytes())
    except OSError as exc:
        said = _("{path}: could not copy: {error}")
        raise PublisherError(said.format(path=target, error=exc.strerror or exc)) from None
    return target
