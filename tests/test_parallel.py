"""Work shared with a forked child (publisher/parallel.py): the same results in the same order,
both processes taking items, the child's memo entries kept, a failed child costing only time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from publisher import memo, parallel
from publisher.load import content as loading
from tests.conftest import REPO

needs_fork = pytest.mark.skipif(not parallel.available(), reason="one core, or no fork here")


def _pid_of(item: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that both processes take some
    return item * item, os.getpid()


@needs_fork
def test_both_processes_take_items_and_the_results_keep_their_order() -> None:
    results = parallel.shared(list(range(200)), _pid_of, tuple[int, int])
    assert [square for square, _ in results] == [i * i for i in range(200)]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2


@needs_fork
@pytest.mark.parametrize("count", [2, 3, 4097, 40_000, 70_000])
def test_any_number_of_items_is_shared_without_waiting_on_the_pipe(count: int) -> None:
    """The queue of work fits in its pipe (40,000 indexes of two bytes did not: the build hung
    writing them, before there was a reader); run apart, so that a hang fails the test."""
    program = (
        "from publisher import parallel\n"
        f"results = parallel.shared(list(range({count})), lambda i: (i * 3, os.getpid()), object)\n"
        f"assert [r for r, _ in results] == [i * 3 for i in range({count})]\n"
        "print(len({pid for _, pid in results}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import os\n" + program],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {"1", "2"}


@needs_fork
def test_the_childs_memo_entries_reach_the_parent() -> None:
    def remembered(item: int) -> int:
        memo.put(memo.key("test-parallel", str(item)), f"value {item}", str)
        time.sleep(0.002)
        return os.getpid()

    pids = parallel.shared(list(range(100)), remembered, int)
    children = [i for i, pid in enumerate(pids) if pid != os.getpid()]
    assert children
    for item in children:
        assert memo.get(memo.key("test-parallel", str(item)), str) == f"value {item}"


@needs_fork
def test_the_entries_the_child_reads_are_kept_for_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "memo.msgpack"
    names = [memo.key("test-parallel-read", str(item)) for item in range(100)]
    memo.load(path, "test")
    for item, name in enumerate(names):
        memo.put(name, f"value {item}", str)
    memo.save(path)

    def read(item: int) -> int:
        assert memo.get(names[item], str) == f"value {item}"
        time.sleep(0.002)
        return os.getpid()

    for _ in range(2):  # a build that reads them all, then the next one
        memo.load(tmp_path / "elsewhere", "test")
        memo.load(path, "test")  # as a new process: the entries from the file
        assert set(parallel.shared(list(range(100)), read, int)) - {
            os.getpid()
        }  # the child read some
        memo.save(path)
    memo.load(tmp_path / "elsewhere", "test")
    memo.load(path, "test")
    assert [memo.get(name, str) for name in names] == [f"value {i}" for i in range(100)]


@needs_fork
def test_a_child_that_fails_leaves_the_parent_to_do_its_items() -> None:
    parent = os.getpid()

    def fails_in_the_child(item: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return item + 1

    assert parallel.shared(list(range(50)), fails_in_the_child, int) == list(range(1, 51))


@needs_fork
def test_an_error_in_the_parent_stops_the_child_and_is_raised() -> None:
    def fails(item: int) -> int:
        time.sleep(0.001)
        raise ValueError(item)

    before = _children()
    with pytest.raises(ValueError):
        parallel.shared(list(range(20)), fails, int)
    assert _children() <= before  # the child was stopped and reaped: none left behind


def _children() -> set[str]:
    """This process's child processes (Linux: /proc/<pid>/task/<tid>/children)."""
    tasks = Path(f"/proc/{os.getpid()}/task").iterdir()
    return {pid for task in tasks for pid in (task / "children").read_text().split()}


def test_nothing_is_forked_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.available()
        assert {pid for _, pid in parallel.shared(list(range(20)), _pid_of, object)} == {
            os.getpid()
        }
    finally:
        stop.set()
        thread.join()


@needs_fork
def test_work_aside_is_done_by_the_child_while_the_parent_goes_on(tmp_path: Path) -> None:
    mark, release = tmp_path / "done", tmp_path / "go"

    def work() -> None:
        while not release.exists():  # the child waits for the parent: both run at once
            time.sleep(0.001)
        mark.write_text(str(os.getpid()))

    before = _children()
    end = parallel.aside(work, lambda: pytest.fail("the child did the work"))
    assert _children() - before  # forked, and working
    release.touch()
    assert end(True) is True
    assert int(mark.read_text()) != os.getpid()
    assert _children() <= before  # reaped


@needs_fork
@pytest.mark.parametrize("fall_back", [True, False])
def test_work_aside_that_fails_is_done_here_if_asked(fall_back: bool) -> None:
    parent = os.getpid()
    done: list[int] = []

    def work() -> None:
        if os.getpid() != parent:
            raise OSError("the disk is full")

    end = parallel.aside(work, lambda: done.append(os.getpid()))
    assert end(fall_back) is False
    assert done == ([parent] if fall_back else [])


def test_work_aside_without_a_fork_is_done_when_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_JOBS", "1")
    done: list[str] = []
    end = parallel.aside(lambda: done.append("work"), lambda: done.append("instead"))
    assert done == []
    assert end(True) is False
    assert done == ["instead"]


def test_publisher_jobs_1_shares_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_JOBS", "1")
    assert not parallel.available()


@needs_fork
def test_a_first_read_shares_the_incidents_and_a_rebuild_reads_them_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the memo holds nothing (a first build) both cores read the incident folders; where
    it holds the last build's reads, this process takes them from it without a second."""
    shared: list[int] = []
    real = parallel.shared

    def counted(items: list[object], *rest: object) -> object:
        shared.append(len(items))
        return real(items, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(loading.parallel, "shared", counted)
    kept = tmp_path / "memo.msgpack"
    memo.load(kept, "a first build")
    first, problems = loading.read_content(REPO / "content")
    assert first is not None and not problems
    assert shared == [1]  # the one incident folder (shared runs one item itself)
    memo.save(kept)
    memo.load(tmp_path / "elsewhere.msgpack", "another process")
    memo.load(kept, "a first build")
    shared.clear()
    again, _ = loading.read_content(REPO / "content")
    assert shared == [] and again == first


@needs_fork
def test_a_build_that_fails_once_it_began_keeping_leaves_no_child_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo and pages are kept on the other core while the site is written: a build that
    fails after that (its stamp cannot be written, say) still waits for that child."""
    from publisher import build
    from publisher.build import BuildConfig, build_site
    from publisher.errors import PublisherError
    from publisher.reporter import NullReporter

    def fails(*args: object) -> None:
        raise OSError("the stamp cannot be written")

    config = BuildConfig(REPO / "content", REPO / "templates", tmp_path / "site",
                         cache=tmp_path / "cache")  # fmt: skip
    monkeypatch.setattr(build, "_record", fails)
    forked: list[int] = []
    real = os.fork

    def counted() -> int:
        pid = real()
        forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    with pytest.raises(PublisherError, match="stamp"):
        build_site(config, NullReporter())
    assert forked  # the keeping began on the other core
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left
