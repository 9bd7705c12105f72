"""The outbox: a row is sent only once its file is whole and on the disk; a full disk keeps none
of the batch that did not fit, and no partial file."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from publisher.errors import NotifyError
from publisher.mailout import MailoutConfig, send_notices
from publisher.notify import outbox
from publisher.notify.ledger import Ledger, Queued
from publisher.notify.message import Notice
from publisher.notify.outbox import OutboxTransport
from publisher.reporter import RecordingReporter
from tests.notify.conftest import RELEASE, WriteList, fixed_clock, grow
from tests.notify.test_mailout import run, states

Config = Callable[..., MailoutConfig]


def one_shape(n: int) -> list[tuple[str, ...]]:
    return [(f"d{i}@example.jp", "", "", "customers", "ja") for i in range(n)]


def files(folder: Path) -> list[str]:
    """The names in `folder` by kind: ['.eml', ...] or ['.part', ...]."""
    return sorted(p.suffix for p in folder.iterdir()) if folder.is_dir() else []


def test_a_full_disk_fails_the_batch_that_did_not_fit_and_leaves_no_partial_file(
    config: Config, write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(write_list(one_shape(25)), batch_size=10)
    real, written = outbox.fill, []

    def fill(partial: Path, data: bytes) -> None:  # the 15th file meets a full disk halfway
        if len(written) == 14:
            partial.write_bytes(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(partial, data)
        written.append(partial)

    monkeypatch.setattr(outbox, "fill", fill)
    with pytest.raises(NotifyError) as caught:
        run(cfg)
    assert str(caught.value).startswith(f"batch 2 (10 recipients): {cfg.outbox / RELEASE}/")
    assert ".eml: cannot write the message: No space left on device; none of the batch's 10 " in (
        str(caught.value)
    )
    assert files(cfg.outbox / RELEASE) == [".eml"] * 10
    assert states(cfg) == {"sent": 10, "failed": 10, "pending": 5}
    monkeypatch.undo()
    assert run(cfg).sent == 15
    assert files(cfg.outbox / RELEASE) == [".eml"] * 25
    assert states(cfg) == {"sent": 25}


def test_a_row_is_sent_only_after_its_file_and_the_folder_are_synced(
    config: Config, write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(write_list(one_shape(6)), batch_size=3)
    events: list[str] = []
    real_fsync, real_finish = os.fsync, Ledger.finish_batch

    def fsync(fd: int) -> None:
        real_fsync(fd)
        events.append("sync " + Path(os.readlink(f"/proc/self/fd/{fd}")).suffix)

    def finish(ledger: Ledger, batch: int, state: str, now: str, message_id: None = None) -> None:
        events.append(f"{state} {batch}")
        real_finish(ledger, batch, state, now, message_id)

    monkeypatch.setattr(outbox.os, "fsync", fsync)
    monkeypatch.setattr(Ledger, "finish_batch", finish)
    assert run(cfg).sent == 6
    batch = ["sync .part"] * 3 + ["sync "]  # each file, then the folder (its name has no suffix)
    assert events == [*batch, "sent 1", *batch, "sent 2"]


def test_a_partial_file_a_killed_run_left_is_removed_by_the_next(
    config: Config, write_list: WriteList
) -> None:
    cfg = config(write_list(one_shape(2)))
    folder = cfg.outbox / RELEASE
    folder.mkdir(parents=True)
    (folder / "0123456789abcdef01234567.eml.part").write_bytes(b"From: half a mail")
    (folder / "notes.txt").write_text("not ours")
    assert run(cfg).sent == 2
    assert files(folder) == [".eml", ".eml", ".txt"]


class DiesWriting(OutboxTransport):
    """The outbox of a process killed while it writes a batch's files."""

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        outbox.write_synced(outbox.eml_path(self.folder, notice, recipients[0].contact), b"x")
        raise KeyboardInterrupt


def test_a_batch_a_killed_outbox_run_left_in_flight_is_written_again(
    config: Config, write_list: WriteList
) -> None:
    cfg = config(write_list(one_shape(4)))
    with pytest.raises(KeyboardInterrupt):
        send_notices(
            cfg, lambda: DiesWriting(cfg.outbox, fixed_clock), RecordingReporter(),
            lambda plan: True, fixed_clock,
        )  # fmt: skip
    assert states(cfg) == {"in_flight": 4}
    again = run(cfg)
    assert (again.plan.states, again.sent, again.unknown) == ({"failed": 4}, 4, [])
    assert states(cfg) == {"sent": 4}
    assert files(cfg.outbox / RELEASE) == [".eml"] * 4
    assert all(len(p.read_bytes()) > 1000 for p in (cfg.outbox / RELEASE).iterdir())


def test_a_real_full_disk_keeps_whole_files_only_and_the_next_run_finishes(
    config: Config, write_list: WriteList, small_disk: Path
) -> None:
    cfg = config(write_list(one_shape(40)), batch_size=10, outbox=small_disk)
    with pytest.raises(NotifyError, match="No space left on device; none of the batch's 10 files"):
        run(cfg)
    sent = states(cfg)["sent"]
    assert sent in (10, 20) and states(cfg) == {"sent": sent, "failed": 10, "pending": 30 - sent}
    assert files(small_disk / RELEASE) == [".eml"] * sent
    grow(small_disk)
    assert run(cfg).sent == 40 - sent
    assert files(small_disk / RELEASE) == [".eml"] * 40
    assert states(cfg) == {"sent": 40}
