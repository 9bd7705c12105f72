"""The PDF worker processes: started from a forkserver, gone the moment the build stops.

Each worker watches a lifeline, a pipe whose only writing end the building process holds. When
the build stops early (an error, Ctrl-C, SIGTERM) it closes that end and every worker exits at
once, mid-PDF, instead of finishing work nobody will read; a building process killed outright
closes it just the same, since the system closes a dead process's files. The forkserver and
multiprocessing's resource tracker then exit by themselves, having no client left. Workers
ignore Ctrl-C: the terminal sends it to the whole process group, and the build stops them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from typing import TYPE_CHECKING

from publisher.errors import Problem, PublisherError
from publisher.messages import _, language, speaking

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkServerContext

    from publisher.pdf.plan import PdfJob

Outcome = bytes | Problem


def render_in_workers(
    jobs: list[PdfJob], workers: int, advance: Callable[[], None]
) -> dict[str, Outcome]:
    """Each job's PDF or problem, by release id, rendered in up to `workers` processes."""
    # forkserver: workers start from a fresh process that has imported WeasyPrint once, never
    # from a copy of this one (which may hold Pango/fontconfig state that is unsafe to fork).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "publisher.pdf.engine"])
    outcomes: dict[str, Outcome] = {}
    try:
        with _pool(min(workers, len(jobs)), context) as pool:
            with _starting():
                said = language()  # the workers' problems are in the build's language
                futures = {pool.submit(_render, job, said): job.release_id for job in jobs}
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                advance()
    except BrokenProcessPool as exc:
        said = _("a PDF worker process died ({error}); try fewer --jobs")
        raise PublisherError(said.format(error=exc)) from None
    except OSError as exc:  # no room for its semaphores in /dev/shm, no process to spare, ...
        said = _(
            "could not run the PDF worker processes: {error}; try --jobs 1, which renders in "
            "the building process"
        )
        raise PublisherError(said.format(error=exc)) from None
    return outcomes


@contextlib.contextmanager
def _pool(count: int, context: ForkServerContext) -> Iterator[ProcessPoolExecutor]:
    """`count` workers that live no longer than this block, nor than this process."""
    lifeline, keep = context.Pipe(duplex=False)
    try:
        pool = ProcessPoolExecutor(
            count, mp_context=context, initializer=_in_worker, initargs=(lifeline,)
        )
        try:
            yield pool
        except BaseException:
            keep.close()  # the workers exit now; the pool then finds them gone
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        keep.close()
        lifeline.close()


@contextlib.contextmanager
def _starting() -> Iterator[None]:
    """While the workers start, Ctrl-C and SIGTERM wait for the end of the block: a worker whose
    start was cut short would start after the build is gone, and fail with a traceback. The
    forkserver starts deaf to Ctrl-C (the terminal sends it to the whole process group; cut off
    while importing WeasyPrint, it would print a traceback too)."""
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        yield  # signals reach the main thread only
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous = {s: signal.signal(s, hold) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # what the forkserver inherits
        forkserver.ensure_running()
        signal.signal(signal.SIGINT, hold)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])  # as if it came now


def _in_worker(lifeline: Connection) -> None:
    """Runs first in each worker: leave Ctrl-C to the build, exit when the lifeline closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watcher = threading.Thread(target=_exit_when_closed, args=(lifeline,), daemon=True)
    watcher.start()


def _exit_when_closed(lifeline: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()  # nothing is ever sent: this returns when the build is gone
    os._exit(1)


def _render(job: PdfJob, said: str) -> Outcome:
    """Runs in a worker: WeasyPrint is imported there, not in the building process; a problem
    is in the language `said`."""
    from publisher.pdf.engine import render_job

    with speaking(said):
        return render_job(job)
