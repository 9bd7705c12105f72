"""How a command ends: publisher's errors become messages and exit statuses, never a traceback.

Exit status: 0 done; 1 the content, contacts or a service had problems (each printed as a line);
2 the command line itself was wrong (click says so); 3 a bug in publisher (PUBLISHER_DEBUG=1 shows
where); 130 interrupted. Every command, in publisher/cli.py or below it, wears `reports_errors`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from publisher.errors import ContentError, PublisherError

F = TypeVar("F", bound=Callable[..., Any])

PROJECT_PROBLEM = "publisher.project_problem"
"""Where the command group keeps a broken project file's problem for the command to raise."""


def reports_errors(command: F) -> F:
    """Turn errors into messages, never a traceback: 1 for publisher's errors, 3 for a bug.

    PUBLISHER_DEBUG=1 lets a bug's traceback through, for whoever fixes it.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _raise_project_problem()
            return command(*args, **kwargs)
        except ContentError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            noun = "problem" if len(exc.problems) == 1 else "problems"
            click.echo(f"{len(exc.problems)} {noun}; nothing was written.", err=True)
            sys.exit(1)
        except PublisherError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            if os.environ.get("PUBLISHER_DEBUG"):
                raise
            click.echo(f"internal error, a bug in publisher: {type(exc).__name__}: {exc}", err=True)
            click.echo("Run again with PUBLISHER_DEBUG=1 to see where it happened.", err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


def _raise_project_problem() -> None:
    """A broken publisher.yaml stops any command that runs, but not its --help."""
    ctx = click.get_current_context(silent=True)
    problem = ctx.find_root().meta.get(PROJECT_PROBLEM) if ctx else None
    if problem is not None:
        raise problem
