"""Problems found in content, carried as values until the CLI prints them, and every exception.

A `Problem` is one located fault, `path:line:col: field: message`; one that a `check` rule found
also names the rule and its severity, `path:line:col: error: rule: field: message`. Every command
prints it that one way.

Every exception class of the package is drawn here, and defined here (tests/test_errors.py fails
on one defined anywhere else). publisher/exits.py, under the CLI, alone turns them into lines and
exit statuses; the rest are caught inside publisher and turned into Problems or messages:

    Exception
    ├── PublisherError          the CLI prints `error: <message>` and exits 1
    │   ├── ContentError        Problems in the content, one line each; nothing was written
    │   │   └── RenderError     a template or PDF failed, located like a content problem
    │   ├── NotifyError         a mailout could not start or go on
    │   │   ├── Refused         a batch was certainly not accepted; it can be tried again
    │   │   │   └── RecipientRefused   a one-recipient batch refused; the others still go
    │   │   └── OutcomeUnknown  a batch may have been accepted; it is not sent again unasked
    │   ├── FontMissing         a font the PDFs need is not installed
    │   └── OptionError         an option names a folder the command cannot use; exits 2
    ├── NewerLedger             a ledger of a newer publisher (the ledger says so as a NotifyError)
    ├── YamlRefused             YAML the loader will not read (a duplicate key, deep nesting)
    ├── ViewError               content asks for something its release cannot show
    ├── ProseError              one piece of prose did not render; carries its Problem
    ├── ReleaseProblems         every Problem of one release that did not render
    ├── Retry                   a mail service did not take a batch yet; the transport tries again
    └── ValueError
        └── FormatError         the strings ask for a date or number format Babel cannot give
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from publisher.messages import _

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One located problem (lines and columns count from 1); a finding of `check` when `rule`
    names the rule that found it, with that rule's severity.

    Printed `path:line:col: field: message`, or `path:line:col: severity: rule: field: message`
    for a finding: the one line `check`, `build` and every other command print for it.
    """

    path: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""
    severity: Severity = "error"
    rule: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        found = f" {self.severity}: {self.rule}:" if self.rule else ""
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{found}{field} {self.message}"

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        """Problems sort by file, line and column, then errors before warnings, then by rule."""
        return (self.path, self.line, self.col, self.severity, self.rule, self.field, self.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems ordered by file, line and column, without duplicates."""
    return sorted(set(problems), key=Problem.sort_key)


def display_path(path: Path, root: Path | None = None) -> str:
    """`path` as the user should read it: relative to `root` or the working directory.

    Paths are made absolute as written, not resolved: a file reached through a linked folder
    is shown where the user put it (and no disk is asked, which a build of thousands of files
    would feel).
    """
    if ".." in path.parts:  # made absolute as text, a/link/../b would name a place not there
        return path.as_posix()
    if root is None and not path.is_absolute():
        return path.as_posix()  # relative to the working directory as it is
    absolute = os.path.abspath(path)
    for base in (root, os.getcwd()):
        if base is None:
            continue
        folder = os.path.abspath(base)
        if absolute == folder:
            return "."
        if absolute.startswith(folder.rstrip(os.sep) + os.sep):
            return Path(absolute[len(folder.rstrip(os.sep)) + 1 :]).as_posix()
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


class Refused(NotifyError):
    """The batch was certainly not accepted; its recipients can be tried again later."""


class RecipientRefused(Refused):
    """The batch's only recipient was refused or deferred; the other batches still go."""


class OutcomeUnknown(NotifyError):
    """The batch may have been accepted; it is not sent again unless asked."""


class FontMissing(PublisherError):
    """A font the PDFs need is not installed."""


class OptionError(PublisherError):
    """An option names a folder the command cannot use (an output over the content, a folder
    publisher did not make): a wrong command line, which the CLI says with exit status 2."""


class NewerLedger(Exception):
    """The ledger was written by a newer publisher, at a version this one does not know."""

    def __init__(self, version: int, known: int) -> None:
        said = _(
            "the ledger is of version {version}, written by a newer publisher (this one knows "
            "versions up to {known}); use that publisher, or a newer one, with it"
        )
        super().__init__(said.format(version=version, known=known))


class YamlRefused(Exception):
    """YAML the loader refuses to read, at the mark where it stopped."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class ViewError(Exception):
    """Content asked for something its release cannot show."""


class ProseError(Exception):
    """A piece of prose could not be rendered; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ReleaseProblems(Exception):
    """Every problem found while rendering one release."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class Retry(Exception):
    """A mail service did not take the batch, for a reason that passes: try again (after `wait`
    seconds if the service said; `at_once` on a new connection when an idle one was closed)."""

    def __init__(self, reason: str, wait: float | None = None, at_once: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.at_once = at_once


class FormatError(ValueError):
    """The strings ask for a format Babel cannot give, or content asks for one they lack."""
