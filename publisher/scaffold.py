"""`publisher new`: a project that builds, passes `check --strict` and dry-runs a mailout as it is.

It is the starter project of the chosen language (publisher/starter/), with the JSON Schemas that
its YAML files point an editor at.
"""

from __future__ import annotations

from pathlib import Path

from publisher.load.starter import starter_files
from publisher.write.project import write_project


def create_project(folder: Path, lang: str) -> list[str]:
    """Write a new project in `lang` into `folder` (missing or empty); return its files' paths."""
    files = starter_files(lang)
    write_project(files, folder)
    return sorted(files)
