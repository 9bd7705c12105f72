"""Both cores: a pure piece of work shared between this process and one forked copy of it, or
done beside it (`aside`).

`shared(items, work, kind)` returns `[work(item) for item in items]`; where it pays and is safe, a
forked child takes items too. The two take the items' indexes (of runs of items, past 4,096)
from one pipe, two bytes at a time (a read that small is atomic), so whichever is free takes the
next and neither waits for the other's share. The child sends back its results as MessagePack,
with the memo entries its work added (so a build keeps them for the next), and ends without
running anything of the parent's.

It forks only on a machine with more than one core, where `os.fork` exists, while this process
runs one thread (forking a process with threads, as `serve` is, can copy a lock another thread
holds) and when PUBLISHER_JOBS is not 1. A child that fails, or sends what cannot be read,
costs only time: the parent does its items itself.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, TypeVar

import msgspec

from publisher import memo

T = TypeVar("T")
R = TypeVar("R")

_INDEX = 2
"""Bytes per index in the pipe of work."""
_QUEUE = 4096
"""At most this many indexes in the pipe (8 KiB): this process writes them all before anyone
reads, so they must fit in what a pipe holds (more items: an index stands for a run of them)."""


def available() -> bool:
    """Whether work may be shared with a forked child now."""
    return (
        hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and os.environ.get("PUBLISHER_JOBS", "") != "1"
    )


def shared(
    items: Sequence[T],
    work: Callable[[T], R],
    kind: object,
    hook: Callable[[type, Any], Any] | None = None,
) -> list[R]:
    """`work` of each of `items`, in order; a forked child does some of them when `available`,
    its results read back as `kind` (a type msgspec reads, `hook` for those it does not)."""
    if len(items) < 2 or not available():
        return [work(item) for item in items]
    run = -(-len(items) // _QUEUE)  # items per index
    queue_read, queue_write = os.pipe()
    runs = range(-(-len(items) // run))
    os.write(queue_write, b"".join(i.to_bytes(_INDEX, "big") for i in runs))
    os.close(queue_write)  # the queue ends when it is empty
    results_read, results_write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's lines run in another process
        _child(items, work, queue_read, results_write, run)
    os.close(results_write)
    results: dict[int, R] = {}
    try:
        for index in _taken(queue_read, run, len(items)):
            results[index] = work(items[index])
    except BaseException:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        os.close(results_read)
        raise
    finally:
        os.close(queue_read)
    results.update(_from_child(results_read, child, kind, hook))
    return [results[i] if i in results else work(item) for i, item in enumerate(items)]


def aside(work: Callable[[], None], instead: Callable[[], None]) -> Callable[[bool], bool]:
    """Start `work` (which writes files, say, and changes nothing this process reads) in a
    forked child when `available`, and return what ends it: it waits for the child and says
    whether the child did the work; where the child failed, or nothing was forked, it runs
    `instead` here (which may do the same work, and say what went wrong), if told to. Ending
    it again does nothing more."""
    if not available():

        def alone(fall_back: bool) -> bool:
            if fall_back:
                instead()
            return False

        return alone
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's lines run in another process
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)  # nothing of the parent's runs here: no atexit, no flushing

    ended: list[bool] = []

    def end(fall_back: bool) -> bool:
        if ended:  # ended before: the child is gone
            return ended[0]
        _, status = os.waitpid(child, 0)
        ended.append(status == 0)
        if status != 0 and fall_back:
            instead()
        return status == 0

    return end


def _taken(queue: int, run: int, count: int) -> Any:
    """The indexes of the items this process takes from the queue (`run` at a time, of
    `count`), until it is empty."""
    while taken := os.read(queue, _INDEX):
        start = int.from_bytes(taken, "big") * run
        yield from range(start, min(start + run, count))


def _child(
    items: Sequence[Any], work: Callable[[Any], Any], queue: int, out: int, run: int
) -> None:
    """The child's whole life: take items, send the results and the memo's new entries, end."""
    status = 1
    try:
        mark = memo.added()
        done = [(index, work(items[index])) for index in _taken(queue, run, len(items))]
        data = memo.encode((done, memo.since(mark)))
        with os.fdopen(out, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)  # nothing of the parent's runs here: no atexit, no flushing its files


def _from_child(
    pipe: int, child: int, kind: object, hook: Callable[[type, Any], Any] | None
) -> dict[int, Any]:
    """The child's results by index (none if it failed), its memo entries merged here."""
    with os.fdopen(pipe, "rb") as file:
        data = file.read()
    _, status = os.waitpid(child, 0)
    if status != 0:
        return {}
    with suppress(msgspec.DecodeError, msgspec.ValidationError):
        entries = tuple[dict[bytes, bytes], list[bytes]]  # memo.since
        sent = tuple[list[tuple[int, kind]], entries]  # type: ignore[valid-type]
        done, (added, used) = msgspec.msgpack.decode(data, type=sent, dec_hook=hook)
        memo.merge(added, used)
        return dict(done)
    return {}
