"""Problems found in content, carried as values until the CLI prints them.

The tree is small on purpose:

    Problem                  one located finding: path:line:col: field: message
    PublisherError           base of every error the CLI turns into a message
    ├── ContentError         one or more Problems in the content; nothing was written
    ├── RenderError          a template or PDF failed; carries Problems like ContentError
    └── NotifyError          a mailout could not go on (bad contacts, refused request, ...)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as precisely as the input allows (lines and columns count from 1)."""

    path: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems ordered by file, line and column, without duplicates."""
    return sorted(set(problems))


def display_path(path: Path, root: Path | None = None) -> str:
    """`path` as the user should read it: relative to `root` or the working directory.

    Paths are made absolute as written, not resolved: a file reached through a linked folder
    is shown where the user put it (and no disk is asked, which a build of thousands of files
    would feel).
    """
    if ".." in path.parts:  # made absolute as text, a/link/../b would name a place not there
        return path.as_posix()
    absolute = os.path.abspath(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        relative = os.path.relpath(absolute, os.path.abspath(base))
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return Path(relative).as_posix()
    return path.as_posix()


class PublisherError(Exception):
    """An error the CLI reports as a message, never as a traceback."""


class ContentError(PublisherError):
    """The content has problems; the build or mailout stopped before writing anything."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(ContentError):
    """A template or document could not be rendered; located like a content problem."""


class NotifyError(PublisherError):
    """A mailout could not start or go on."""
