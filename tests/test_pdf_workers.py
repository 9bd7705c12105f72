"""A build stopped while its PDFs render: a real `publisher build` process, a real signal, and
every process it started looked for in /proc afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.conftest import REPO

COPIES = 3  # incidents of five releases each: rendering lasts long enough to be stopped in


def _content(root: Path) -> Path:
    """The example's incident three times over: fifteen releases, fifteen PDFs."""
    content = root / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    incident = content / "incidents" / "emotet-2020"
    for n in range(2, COPIES + 1):
        shutil.copytree(incident, incident.with_name(f"emotet-2020-{n}"))
    return content


def _processes() -> dict[int, tuple[int, int, int, str]]:
    """Every live process: pid -> (parent, process group, session, command line)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # a zombie holds nothing but its number
            found[int(entry)] = (int(fields[1]), int(fields[2]), int(fields[3]), command)
    return found


def _started_by(root: int) -> dict[int, str]:
    """The processes `root` started, and theirs: by parent, or by process group or session
    (orphans are handed to init, but keep those)."""
    processes = _processes()

    def leads_to_root(pid: int) -> bool:
        seen = set()
        while pid in processes and pid not in seen:
            seen.add(pid)
            parent, group, session, _ = processes[pid]
            if root in (parent, group, session):
                return True
            pid = parent
        return False

    return {pid: info[3] for pid, info in processes.items() if pid != root and leads_to_root(pid)}


def _workers_running(root: int) -> bool:
    """A forkserver has forked a worker (not a helper the forkserver runs while it starts)."""
    processes = _started_by(root)
    servers = {pid for pid, command in processes.items() if "multiprocessing.forkserver" in command}
    every = _processes()
    return any(every.get(pid, (0,))[0] in servers and pid in servers for pid in processes)


@contextmanager
def _build(root: Path) -> Iterator[subprocess.Popen[str]]:
    """`publisher build` with PDFs in two workers, as its own session; whatever it leaves
    running is killed at the end, by process id."""
    command = [sys.executable, "-m", "publisher", "build", "--jobs", "2",
               "--content", "content", "--templates", str(REPO / "templates"),
               "--out", "site", "--cache", "cache"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=root, start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        yield process
    finally:
        for pid in [process.pid, *_started_by(process.pid)]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.communicate(timeout=30)  # the pipes: closed once nothing of it is left


def _ctrl_c_as_in_a_terminal() -> None:
    """A test runner started in the background may ignore SIGINT; a terminal's build does not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def _send(process: subprocess.Popen[str], how: str) -> None:
    if how == "Ctrl-C in its terminal":  # a terminal signals the whole foreground group
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGTERM if how.startswith("SIGTERM") else signal.SIGINT)


@pytest.mark.parametrize(
    "how", ["SIGTERM to the build", "SIGINT to the build", "Ctrl-C in its terminal"]
)
def test_a_build_stopped_while_pdfs_render_leaves_no_process_and_no_folder(
    tmp_path: Path, how: str
) -> None:
    _content(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "publisher", "build", "--no-pdf", "--quiet",
         "--templates", str(REPO / "templates"), "--cache", "cache"],
        cwd=tmp_path, check=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "site").rglob("*"))
    with _build(tmp_path) as process:
        assert _wait_for(lambda: _workers_running(process.pid), 120), "no PDF was rendered"
        _send(process, how)
        process.wait(timeout=30)
        assert _wait_for(lambda: not _started_by(process.pid), 5), _started_by(process.pid)
        assert process.stderr is not None
        assert (process.returncode, process.stderr.read()) == (130, "interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "site"]
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "site").rglob("*")) == before
