"""Reading the publication record (content/publication.lock.yaml) and the archive of published
versions (content/published/) that it vouches for."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from publisher.errors import ContentError, display_path
from publisher.load.yamlfile import read_yaml
from publisher.model.publication import ARCHIVE_FOLDER, RECORD_FILE, Record
from publisher.model.validate import validate
from publisher.source import Located


@dataclass(frozen=True)
class Publication:
    """The record as read (empty if there is none yet), where it is, and the archive's files."""

    path: Path
    record: Record = field(default_factory=Record)
    located: Located | None = None
    archive: dict[str, bytes] = field(default_factory=dict)
    """Each archived file's bytes, by its path under the archive folder."""
    raw: bytes | None = None
    """The record's bytes as read (None: there was none), so that its writer can tell whether
    another build wrote it meanwhile."""

    @property
    def shown(self) -> str:
        """The record's path as messages name it."""
        return display_path(self.path)


def read_publication(content: Path) -> Publication:
    """The record in `content` and its archive; ContentError, located, if the record is bad."""
    path = content / RECORD_FILE
    if not path.is_file():  # none yet, or lost: what the archive holds says which
        return Publication(path, archive=_archive(content / ARCHIVE_FOLDER))
    raw = path.read_bytes()
    located, problems = read_yaml(path, display_path(path))
    record = None
    if located is not None:
        record, problems = validate(located, Record)
    if record is None or problems:
        raise ContentError(problems)
    return Publication(path, record, located, _archive(content / ARCHIVE_FOLDER), raw)


def _archive(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by its path there (links are not followed)."""
    found: dict[str, bytes] = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found
