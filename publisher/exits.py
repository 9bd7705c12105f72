"""How a command ends: publisher's errors become messages and exit statuses, never a traceback.

Exit status: 0 done; 1 the content, contacts or a service had problems (each printed as a line);
2 the command line itself was wrong (click says so); 3 a bug in publisher (PUBLISHER_DEBUG=1 shows
where); 130 interrupted. Every command, in publisher/cli.py or below it, wears `reports_errors`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from publisher.errors import ContentError, OptionError, PublisherError
from publisher.messages import _, counted, speaking

F = TypeVar("F", bound=Callable[..., Any])

PROJECT_PROBLEM = "publisher.project_problem"
"""Where the command group keeps a broken project file's problem for the command to raise."""
MESSAGES = "publisher.messages"
"""Where the command group keeps the language of messages named by --messages, if any."""
_LANGUAGE = re.compile(rb"^language:[ \t]*[\"']?(ja|en)\b", re.MULTILINE)


def site_language(content: Path) -> str:
    """The `language` of `content`/site.yaml, read cheaply and even from a broken file (its
    top-level `language: ja` line); "en" when there is none."""
    try:
        found = _LANGUAGE.search((content / "site.yaml").read_bytes().removeprefix(b"\xef\xbb\xbf"))
    except OSError:
        return "en"
    return found[1].decode() if found else "en"


def _speaking(kwargs: dict[str, Any]) -> Any:
    """The command's messages in the language named by --messages or PUBLISHER_MESSAGES (also
    for a command run in a group of its own), else in its site's."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    chosen = (root.meta.get(MESSAGES) if root else None) or os.environ.get("PUBLISHER_MESSAGES")
    if chosen:
        return speaking(chosen)
    content = kwargs.get("content")
    if content is None and root is not None:  # a command whose folders default to build's
        content = ((root.default_map or {}).get("build") or {}).get("content")
    return speaking(site_language(Path(content or "content")))


def reports_errors(command: F) -> F:
    """Turn errors into messages, never a traceback: 1 for publisher's errors, 3 for a bug.

    PUBLISHER_DEBUG=1 lets a bug's traceback through, for whoever fixes it.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _speaking(kwargs):
            return _reporting(command, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _reporting(command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        if not getattr(command, "says_project_problem", False):
            _raise_project_problem()
        return command(*args, **kwargs)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        n = len(exc.problems)
        said = counted(n, "{n} problem; nothing was written.", "{n} problems; nothing was written.")
        click.echo(said, err=True)
        sys.exit(1)
    except PublisherError as exc:
        click.echo(_("error: {message}").format(message=exc), err=True)
        sys.exit(2 if isinstance(exc, OptionError) else 1)
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except KeyboardInterrupt:
        click.echo(_("interrupted"), err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PUBLISHER_DEBUG"):
            raise
        bug = _("internal error, a bug in publisher: {error}: {message}")
        click.echo(bug.format(error=type(exc).__name__, message=exc), err=True)
        click.echo(_("Run again with PUBLISHER_DEBUG=1 to see where it happened."), err=True)
        sys.exit(3)


def project_problem() -> ContentError | None:
    """What is wrong with publisher.yaml, if anything (the command group read it)."""
    ctx = click.get_current_context(silent=True)
    problem = ctx.find_root().meta.get(PROJECT_PROBLEM) if ctx else None
    return problem if isinstance(problem, ContentError) else None


def says_project_problem(command: F) -> F:
    """Mark `command` (under `reports_errors`) as saying a broken publisher.yaml itself, as
    `check --format json` says it: as findings."""
    command.says_project_problem = True  # type: ignore[attr-defined]
    return command


def _raise_project_problem() -> None:
    """A broken publisher.yaml stops any command that runs, but not its --help."""
    problem = project_problem()
    if problem is not None:
        raise problem
