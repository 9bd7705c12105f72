"""Finding and reading publisher.yaml, the project file, from a folder upward."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.errors import ContentError, display_path
from publisher.load.yamlfile import EMPTY, read_yaml
from publisher.messages import _
from publisher.model.project import PROJECT_FILE, Project
from publisher.model.validate import validate

PATHS = ("content", "templates", "out", "cache", "ledger", "outbox")
"""The project file's keys that name a folder or file, relative to the file's own folder."""


@dataclass(frozen=True)
class ProjectFile:
    """A project file as read: where it is, and every setting (its own defaults included)."""

    path: Path
    settings: dict[str, Any]


def find_project(start: Path) -> Path | None:
    """The nearest publisher.yaml in `start` or a folder above it, if any."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        path = candidate / PROJECT_FILE
        if path.is_file():
            return path
    return None


def read_project(path: Path, cwd: Path) -> ProjectFile:
    """The settings of `path`, paths relative to its folder made relative to `cwd` (those it
    leaves out too: a project file's folder is the project's); ContentError if invalid."""
    doc, problems = read_yaml(path, display_path(path))
    base = Path(os.path.abspath(path)).parent
    if doc is None and [p.message for p in problems] == [_(EMPTY)]:
        return ProjectFile(path, _settings(Project(), base, cwd))
    project, found = validate(doc, Project) if doc is not None else (None, [])
    if doc is None or project is None or problems:  # a duplicate key is a problem too
        raise ContentError(problems + found)
    return ProjectFile(path, _settings(project, base, cwd))


def _settings(project: Project, base: Path, cwd: Path) -> dict[str, Any]:
    """Every setting of `project`, its paths (written or default) made relative to `cwd`."""
    settings = {key: getattr(project, key) for key in project.__struct_fields__}
    for key in PATHS:
        if settings[key] is not None:
            settings[key] = Path(os.path.relpath(base / settings[key], os.path.abspath(cwd)))
    return {key: value for key, value in settings.items() if value is not None}
