"""How long work reports progress: to the console, into a list (tests), or nowhere.

Passed in, never global (Lektor's reporter, without its global).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import click

from publisher.messages import _


class Progress(Protocol):
    """A running task: call `advance` as items finish."""

    def advance(self, n: int = 1) -> None:
        """Count `n` more items done."""


class Reporter(Protocol):
    """Where a command says what it is doing."""

    def task(self, label: str, total: int) -> AbstractContextManager[Progress]:
        """A context manager over one long task of `total` items."""

    def info(self, message: str) -> None:
        """A line worth showing when all is well (a summary)."""

    def warn(self, message: str) -> None:
        """A line worth showing even with --quiet."""

    def finding(self, line: str) -> None:
        """A warning found by a rule, shown even with --quiet as `check` prints it (its line
        says its severity)."""


class _Count:
    def __init__(self) -> None:
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n


class NullReporter:
    """Says nothing."""

    @contextmanager
    def task(self, label: str, total: int) -> Iterator[Progress]:
        yield _Count()

    def info(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass

    def finding(self, line: str) -> None:
        pass


class RecordingReporter:
    """Keeps every message and task, for tests."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.tasks: list[tuple[str, int, int]] = []

    @contextmanager
    def task(self, label: str, total: int) -> Iterator[Progress]:
        count = _Count()
        yield count
        self.tasks.append((label, total, count.done))

    def info(self, message: str) -> None:
        self.messages.append(message)

    def warn(self, message: str) -> None:
        self.messages.append(_("warning: {message}").format(message=message))

    def finding(self, line: str) -> None:
        self.messages.append(line)


class ConsoleReporter:
    """Progress bars on a terminal (stderr), summaries on stdout unless quiet."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bars = sys.stderr.isatty() and not quiet

    @contextmanager
    def task(self, label: str, total: int) -> Iterator[Progress]:
        if not self.bars or total < 2:
            yield _Count()
            return
        started = time.monotonic()
        bar: Any = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.item_show_func = lambda _: _rate(bar.pos, started)
        with bar:
            yield _Bar(bar)

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)

    def warn(self, message: str) -> None:
        click.echo(_("warning: {message}").format(message=message), err=True)

    def finding(self, line: str) -> None:
        click.echo(line, err=True)


class _Bar:
    def __init__(self, bar: object) -> None:
        self.bar = bar

    def advance(self, n: int = 1) -> None:
        self.bar.update(n)  # type: ignore[attr-defined]


def _rate(done: int, started: float) -> str:
    elapsed = time.monotonic() - started
    return f"{done / elapsed:.0f}/s" if elapsed > 0.5 else ""
