"""`publisher notify ...` at the command line, including a mailout killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import cli
from tests.notify.conftest import RELEASE, REPO, WriteList
from tests.sendgrid_server import SendGridStub


def where(tmp_path: Path) -> list[str]:
    return [
        "--content", str(REPO / "content"),
        "--templates", str(REPO / "templates"),
        "--ledger", str(tmp_path / "ledger.sqlite"),
    ]  # fmt: skip


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_send_to_the_example_list_writes_the_outbox_and_reports_left_out_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    outbox = tmp_path / "outbox"
    code, out, err = invoke(
        "notify", "send", RELEASE, "--contacts", "examples/contacts.csv",
        "--outbox", str(outbox), "--yes", *where(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        f"release {RELEASE}: 【横浜トヨペット】「なりすましメール」に関するお詫びとご報告"
        "(最終報告)",
        "examples/contacts.csv: 10 rows, 5 recipients, 3 invalid, 1 duplicates, "
        "1 in other segments",
        "  segment customers: 3",
        "  segment partners: 2",
        "ledger: 5 pending; to send now: 5",
        "sent 5 mails in 4 batches",
        f"ledger for {RELEASE}: 5 sent",
    ]
    assert err.splitlines() == [
        "warning: examples/contacts.csv:7: left out: email: 'not-an-address' is not a valid "
        "address: An email address must have an @-sign.",
        "warning: examples/contacts.csv:8: left out: email: 'kobayashi@@example.jp' is not a "
        "valid address: The part after the @-sign contains invalid characters: '@'.",
        "warning: examples/contacts.csv:9: left out: duplicate of line 2",
        "warning: examples/contacts.csv:10: left out: organization: looks like an address or a "
        "link: 'https://www.example.com/'",
    ]
    assert len(list((outbox / RELEASE).glob("*.eml"))) == 5


def test_status_and_export_read_the_ledger(tmp_path: Path, write_list: WriteList) -> None:
    contacts = write_list(
        [("a@example.jp", "", "", "customers", ""), ("b@example.jp", "", "", "customers", "")]
    )
    outbox = str(tmp_path / "outbox")
    invoke(
        "notify",
        "send",
        RELEASE,
        "--contacts",
        str(contacts),
        "--outbox",
        outbox,
        "-y",
        *where(tmp_path),
    )
    ledger = ["--ledger", str(tmp_path / "ledger.sqlite")]
    code, out, _ = invoke("notify", "status", RELEASE, *ledger)
    assert (code, out) == (
        0,
        f"{RELEASE}: 2 recipients\n  pending: 0\n  sent: 2\n  failed: 0\n  unknown: 0\n",
    )
    code, out, _ = invoke("notify", "status", RELEASE, *ledger, "--format", "json")
    assert '"sent": 2' in out and '"unknown_batches": []' in out
    target = tmp_path / "notice.csv"
    code, out, _ = invoke("notify", "export", RELEASE, *ledger, "--out", str(target))
    assert (code, out) == (0, f"wrote 2 rows to {target}\n")
    assert [line.split(",")[:2] for line in target.read_text().splitlines()] == [
        ["email", "state"],
        ["a@example.jp", "sent"],
        ["b@example.jp", "sent"],
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "error: contacts.csv: the file is empty; expected a header row with an email column"),
        (b"name\nx\n", "error: contacts.csv:1: no 'email' column in the header row (found 'name')"),
        (
            "email,name\na@example.jp,山田\n".encode("cp932"),
            "error: contacts.csv:2: not valid utf-8 (byte 0x8e at column 14) (a Shift_JIS "
            "export? try --encoding cp932); nothing was sent",
        ),
        (
            b"email\nnobody\n",
            "error: contacts.csv: no valid recipient in the list; nothing was sent",
        ),
    ],
)
def test_bad_lists_exit_1_with_one_message(
    tmp_path: Path,
    write_list: WriteList,
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_list(data)
    code, _, err = invoke(
        "notify", "send", RELEASE, "--contacts", "contacts.csv", "-y", *where(tmp_path)
    )
    assert code == 1
    assert err.splitlines()[-1] == message
    assert not (tmp_path / "outbox").exists()


def test_sendgrid_without_an_api_key_stops_before_reading_the_list(
    tmp_path: Path, write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SENDGRID_API_KEY", raising=False)
    contacts = str(write_list([("a@example.jp", "", "", "customers", "")]))
    code, out, err = invoke(
        "notify", "send", RELEASE, "--contacts", contacts, "--transport", "sendgrid", "-y",
        *where(tmp_path),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err == "error: SENDGRID_API_KEY is not set; it holds the SendGrid API key\n"
    assert not (tmp_path / "ledger.sqlite").exists()


def test_every_notify_command_has_help() -> None:
    for command in ("send", "status", "export"):
        code, out, _ = invoke("notify", command, "--help")
        assert code == 0 and out.startswith(f"Usage: cli notify {command} [OPTIONS] RELEASE")


def _send(tmp_path: Path, contacts: Path, stub: SendGridStub) -> subprocess.Popen[str]:
    env = {**os.environ, "SENDGRID_API_KEY": stub.api_key, "SENDGRID_API_HOST": stub.url}
    command = [sys.executable, "-m", "publisher", "notify", "send", RELEASE]
    command += ["--contacts", str(contacts), "--transport", "sendgrid", "--yes", *where(tmp_path)]
    return subprocess.Popen(
        command, env=env, cwd=tmp_path, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_a_mailout_killed_mid_request_resumes_without_sending_anyone_twice(
    tmp_path: Path, write_list: WriteList, stub: SendGridStub
) -> None:
    contacts = write_list([(f"k{i}@example.jp", "", "", "partners", "ja") for i in range(3_500)])
    stub.script = ["accept", "accept", "stall"]
    process = _send(tmp_path, contacts, stub)
    try:
        assert stub.wait_stalled(60), process.communicate(timeout=5)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        stub.release()
    assert process.returncode == -signal.SIGKILL
    resumed = _send(tmp_path, contacts, stub)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert "sent 500 mails in 1 batches" in out
    assert "warning: batch 3: 1000 recipients with an unknown outcome" in err
    assert Counter(Counter(stub.accepted).values()) == {1: 3_500}
    assert stub.requests == 4
    code, status, _ = invoke(
        "notify", "status", RELEASE, "--ledger", str(tmp_path / "ledger.sqlite")
    )
    assert code == 0
    assert status.splitlines()[1:] == [
        "  pending: 0",
        "  sent: 2500",
        "  failed: 0",
        "  unknown: 1000",
        "  unknown batch 3: 1000 recipients, started " + status.split("started ")[1].strip(),
    ]
