"""Reading the content folder: every YAML file, validated, gathered before anything is decided."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from publisher.errors import ContentError, Problem, display_path
from publisher.load.yamlfile import Located, read_yaml
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schema import Incident, Release, Site, is_slug
from publisher.model.series import series_problems
from publisher.model.validate import validate

M = TypeVar("M")


def load_content(root: Path) -> Content:
    """Read and validate everything under `root`; raise ContentError listing every problem."""
    content, problems = read_content(root)
    if content is not None:
        problems += [p for record in content.incidents for p in series_problems(record)]
    if problems or content is None:
        raise ContentError(problems)
    return content


def read_content(root: Path) -> tuple[Content | None, list[Problem]]:
    """Read and validate every file under `root` (the rules across a series are not applied)."""
    problems: list[Problem] = []
    site_path = root / "site.yaml"
    site = _load(site_path, Site, problems)
    incidents = [
        record
        for folder in sorted(p for p in (root / "incidents").glob("*") if p.is_dir())
        if (record := _load_incident(folder, problems)) is not None
    ]
    if not site_path.is_file() and not problems:
        problems.append(Problem(display_path(site_path), message="file not found"))
    if site is None:
        return None, problems
    incidents.sort(key=lambda r: (r.incident.discovered, r.id), reverse=True)
    return Content(site[0], site[1], tuple(incidents)), problems


def _load(path: Path, model: type[M], problems: list[Problem]) -> tuple[M, Located] | None:
    if not path.is_file():
        return None
    doc, found = read_yaml(path, display_path(path))
    problems.extend(found)
    if doc is None:
        return None
    value, found = validate(doc, model)
    problems.extend(found)
    return None if value is None else (value, doc)


def _load_incident(folder: Path, problems: list[Problem]) -> IncidentRecord | None:
    path = folder / "incident.yaml"
    if not is_slug(folder.name):
        message = "incident folder names use lower-case letters, digits and hyphens only"
        problems.append(Problem(display_path(folder), message=message))
        return None
    if not path.is_file():
        problems.append(Problem(display_path(path), message="file not found"))
        return None
    loaded = _load(path, Incident, problems)
    releases = []
    for release_path in _release_files(folder / "releases", problems):
        found = _load(release_path, Release, problems)
        if found is not None:
            releases.append(ReleaseRecord(folder.name, found[0], found[1]))
    if loaded is None:
        return None
    releases.sort(key=lambda r: r.release.date)
    return IncidentRecord(folder.name, loaded[0], loaded[1], tuple(releases))


def _release_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """The release files in `folder`; anything else there (but hidden files) is a problem."""
    files = []
    for path in sorted(folder.glob("*")):
        if path.name.startswith("."):
            continue
        if path.is_file() and path.suffix == ".yaml":
            files.append(path)
        else:
            message = "not a release file: releases are files named YYYY-MM-DD.yaml"
            problems.append(Problem(display_path(path), message=message))
    return files
