"""`publisher notify ...` at the command line, including a mailout killed with SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import cli
from publisher.notify import ledger_file
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Ledger, Mailing
from tests.notify.conftest import RELEASE, REPO, WriteList, free_bytes, people
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
        "examples/contacts.csv: 10 rows, 5 recipients, 3 invalid, 1 duplicate, 1 in other segments",
        "  segment customers: 3",
        "  segment partners: 2",
        "ledger (outbox): 5 pending; to send now: 5",
        "sent 5 mails in 4 batches",
        f"ledger for {RELEASE} (outbox): 5 sent",
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


def test_status_and_export_read_the_ledger_per_transport(
    tmp_path: Path, write_list: WriteList, stub: SendGridStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts = write_list(
        [("a@example.jp", "", "", "customers", ""), ("b@example.jp", "", "", "customers", "")]
    )
    send = ["notify", "send", RELEASE, "--contacts", str(contacts), "-y", *where(tmp_path)]
    assert invoke(*send, "--outbox", str(tmp_path / "outbox"))[0] == 0
    monkeypatch.setenv("SENDGRID_API_KEY", stub.api_key)
    monkeypatch.setenv("SENDGRID_API_HOST", stub.url)
    assert invoke(*send, "--transport", "sendgrid")[0] == 0  # a and b: one batch, accepted
    assert invoke(*send, "--transport", "sendgrid")[0] == 0  # told: nothing to send
    assert (stub.requests, sorted(stub.accepted)) == (1, ["a@example.jp", "b@example.jp"])
    ledger = ["--ledger", str(tmp_path / "ledger.sqlite")]
    code, out, _ = invoke("notify", "status", RELEASE, *ledger)
    segment = (
        "  segment customers: 2 notified, 0 delivered, 0 bounced, 0 dropped; 0 not reachable "
        "(0 invalid, 0 duplicate, 0 no address)"
    )
    times = [line for line in out.splitlines() if line.startswith("    notified ")]
    assert len(times) == 2
    mails = [line for line in out.splitlines() if line.startswith("    mail sha256:")]
    assert len(mails) == 2 and mails[0] == mails[1]  # the same mail by either transport
    assert mails[0].endswith(": 2 recipients")
    assert (code, out.splitlines()) == (0, [
        f"{RELEASE} by outbox (.eml files written for review; nobody was told by them): "
        "2 recipients",
        "  pending: 0", "  sent: 2", "  failed: 0", "  unknown: 0", segment, times[0], mails[0],
        f"{RELEASE} by sendgrid: 2 recipients",
        "  pending: 0", "  sent: 2", "  failed: 0", "  unknown: 0", segment, times[1], mails[1],
    ])  # fmt: skip
    code, out, _ = invoke("notify", "status", RELEASE, *ledger, "--format", "json")
    doc = json.loads(out)
    assert doc["release"] == RELEASE
    assert {t: v["counts"]["sent"] for t, v in doc["transports"].items()} == {
        "outbox": 2, "sendgrid": 2,
    }  # fmt: skip
    target = tmp_path / "notice.csv"
    code, out, _ = invoke("notify", "export", RELEASE, *ledger, "--out", str(target))
    assert (code, out) == (0, f"wrote 4 rows to {target}\n")
    assert (tmp_path / "notice.counts.csv").read_text().splitlines()[0] == (
        "transport,segment,what,count,first_at,last_at"
    )
    assert [line.split(",")[:3] for line in target.read_text().splitlines()] == [
        ["email", "transport", "state"],
        ["a@example.jp", "outbox", "sent"],
        ["a@example.jp", "sendgrid", "sent"],
        ["b@example.jp", "outbox", "sent"],
        ["b@example.jp", "sendgrid", "sent"],
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


def test_every_command_without_ledger_uses_the_one_beside_the_content(
    tmp_path: Path, write_list: WriteList, project: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "content"
    link.symlink_to(project, target_is_directory=True)
    templates = ["--templates", str(REPO / "templates")]
    contacts = ["--contacts", str(write_list(people(3)))]
    outbox = ["--outbox", str(tmp_path / "outbox"), "--content", str(link)]
    send = invoke("notify", "send", RELEASE, *contacts, "-y", *outbox, *templates)
    assert send[0] == 0, send
    status = invoke("notify", "status", RELEASE, "--content", str(project), "--format", "json")
    assert json.loads(status[1])["transports"]["outbox"]["counts"]["sent"] == 3
    rows = tmp_path / "rows.csv"
    exported = invoke("notify", "export", RELEASE, "--content", str(link), "--out", str(rows))
    assert exported[:2] == (0, f"wrote 3 rows to {rows}\n")
    empty = tmp_path / "events.json"
    empty.write_text("[]", encoding="utf-8")
    assert invoke("notify", "events", str(empty), "--content", str(link))[0] == 0
    assert sorted(p.name for p in project.parent.iterdir()) == ["content", "notify.ledger.sqlite"]
    assert sorted(p.name for p in link.parent.iterdir()) == ["content"]


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
    assert "sent 500 mails in 1 batch" in out
    assert "warning: batch 3: 1000 recipients with an unknown outcome" in err
    assert Counter(Counter(stub.accepted).values()) == {1: 3_500}
    assert stub.requests == 4
    code, status, _ = invoke(
        "notify", "status", RELEASE, "--ledger", str(tmp_path / "ledger.sqlite")
    )
    assert code == 0
    assert status.splitlines() == [
        f"{RELEASE} by sendgrid: 3500 recipients",
        "  pending: 0",
        "  sent: 2500",
        "  failed: 0",
        "  unknown: 1000",
        "  unknown batch 3: 1000 recipients, started " + status.split("started ")[1].split()[0],
        "  segment partners: 2500 notified, 0 delivered, 0 bounced, 0 dropped; 0 not reachable "
        "(0 invalid, 0 duplicate, 0 no address)",
        next(line for line in status.splitlines() if line.startswith("    notified ")),
        next(line for line in status.splitlines() if line.startswith("    mail sha256:")),
    ]
    assert status.splitlines()[-1].endswith(": 2500 recipients")


def test_an_api_key_with_a_line_break_records_nothing_is_never_shown_and_the_fix_sends_all(
    tmp_path: Path, write_list: WriteList, stub: SendGridStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts = write_list(people(5))
    send = ["notify", "send", RELEASE, "--contacts", str(contacts), "--transport", "sendgrid"]
    monkeypatch.setenv("SENDGRID_API_HOST", stub.url)
    monkeypatch.setenv("SENDGRID_API_KEY", stub.api_key + "\n")
    code, out, err = invoke(*send, "-y", *where(tmp_path))
    assert (code, out, stub.requests) == (1, "", 0)
    assert err == (
        "error: SENDGRID_API_KEY holds a line break, a space or another character an HTTP "
        "header cannot carry (the key is not shown); set it to the key alone\n"
    )
    assert stub.api_key not in out + err
    monkeypatch.setenv("SENDGRID_API_KEY", stub.api_key)
    code, out, err = invoke(*send, "-y", *where(tmp_path))
    assert code == 0, err
    assert sorted(stub.accepted) == sorted(row[0] for row in people(5))


# --- operational faults: exit 1 with one message, never 3 (a bug) ---


def a_ledger(path: Path, rows: int) -> Path:
    """A ledger of `rows` recipients of RELEASE by the outbox, none sent yet."""
    with Ledger.open(path) as ledger:
        ledger.begin_staging()
        for i in range(rows):
            address = f"l{i}@example.jp"
            ledger.first_line(Contact(i + 2, address, address, segment="customers"))
        ledger.end_staging()
        ledger.record_run(Mailing(RELEASE, "outbox"), "2020-11-14T01:00:00+00:00")
    return path


def garble(path: Path, page: int) -> None:
    with path.open("r+b") as stream:
        stream.seek(4096 * (page - 1))
        stream.write(bytes(range(256)) * 16)


def test_a_damaged_ledger_page_is_a_message_and_nothing_is_sent(
    tmp_path: Path, write_list: WriteList
) -> None:
    ledger = a_ledger(tmp_path / "ledger.sqlite", 3_000)
    garble(ledger, 20)
    contacts = write_list(people(3))
    code, out, err = invoke(
        "notify", "send", RELEASE, "--contacts", str(contacts), "-y",
        "--outbox", str(tmp_path / "outbox"), *where(tmp_path),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {ledger}: the ledger file is damaged (Page 20: ")
    assert err.endswith(
        "restore it from a backup (`sqlite3 FILE .recover` saves what is readable); nothing "
        "more is sent without it, or people could be mailed twice\n"
    )
    assert not (tmp_path / "outbox").exists()
    code, out, err = invoke("notify", "status", RELEASE, "--ledger", str(ledger))
    assert (code, out) == (1, "")
    assert err == (
        f"error: {ledger}: the ledger file is damaged (database disk image is malformed): "
        "restore it from a backup (`sqlite3 FILE .recover` saves what is readable); nothing "
        "more is sent without it, or people could be mailed twice\n"
    )


def test_a_ledger_another_program_holds_the_write_lock_of_is_a_message(
    tmp_path: Path, write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = a_ledger(tmp_path / "ledger.sqlite", 3)
    monkeypatch.setattr(ledger_file, "BUSY_SECONDS", 0.1)
    other = sqlite3.connect(ledger, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = invoke(
            "notify", "send", RELEASE, "--contacts", str(write_list(people(3))), "-y",
            "--outbox", str(tmp_path / "outbox"), *where(tmp_path),
        )  # fmt: skip
    finally:
        other.close()
    assert (code, out) == (1, "")
    assert err == (
        f"error: {ledger}: another program holds the ledger's write lock (database is locked); "
        "close it (an open sqlite3 shell, a backup) and run again\n"
    )
    assert not (tmp_path / "outbox").exists()


def test_a_sender_address_a_mail_cannot_carry_is_a_message(
    tmp_path: Path, write_list: WriteList, project: Path
) -> None:
    site = project / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("  reply_to: info@", "  reply_to: in,fo@"), encoding="utf-8")
    code, out, err = invoke(
        "notify", "send", RELEASE, "--contacts", str(write_list(people(3))), "-y",
        "--outbox", str(tmp_path / "outbox"), *where(tmp_path), "--content", str(project),
    )  # fmt: skip
    assert (code, out) == (1, "")
    said = f"{site}:24:13: error: safe-mail: notify_from.reply_to: 'in,fo@yokohama-toyopet.jp' "
    assert said + "cannot be " in err
    assert err.endswith("1 problem; nothing was written.\n")
    assert not (tmp_path / "outbox").exists() and not (tmp_path / "ledger.sqlite").exists()


SENDER = "notify_from:\n  email: info@yokohama-toyopet.jp"
REPLY_TO = "  reply_to: info@yokohama-toyopet.jp"
OFF_DOMAIN = "info@gmail.com is not on an official mail domain (yokohama-toyopet.jp)"


@pytest.mark.parametrize(
    "old,new,said",
    [
        (SENDER, SENDER.replace("yokohama-toyopet.jp", "gmail.com"),
         f"22:10: error: safe-sender: notify_from.email: {OFF_DOMAIN}"),
        (REPLY_TO, REPLY_TO.replace("yokohama-toyopet.jp", "gmail.com"),
         f"24:13: error: safe-sender: notify_from.reply_to: {OFF_DOMAIN}"),
        (REPLY_TO, REPLY_TO.replace("info@", "other@"),
         "24:13: error: safe-mail: notify_from.reply_to: other@yokohama-toyopet.jp is not the "
         "contact desk's address (info@yokohama-toyopet.jp): a notice says that replies reach "
         "the desk; set reply_to to it or leave reply_to out"),
    ],
    ids=["sender off the mail domains", "reply-to off them", "reply-to not the desk's"],
)  # fmt: skip
def test_a_bad_sender_is_one_problem_located_in_site_yaml(
    tmp_path: Path, write_list: WriteList, project: Path, old: str, new: str, said: str
) -> None:
    site = project / "site.yaml"
    text = site.read_text(encoding="utf-8")
    assert old in text
    site.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = invoke(
        "notify", "send", RELEASE, "--contacts", str(write_list(people(3))), "-y",
        "--outbox", str(tmp_path / "outbox"), *where(tmp_path), "--content", str(project),
    )  # fmt: skip
    assert (code, out, err) == (1, "", f"{site}:{said}\n1 problem; nothing was written.\n")
    checked = invoke("check", "--content", str(project), "--templates", str(REPO / "templates"))
    assert checked[:2] == (1, f"{site}:{said}\n")


def without_root_powers(probe: Path) -> list[str]:
    """A command prefix under which file permissions bind, even for root; skip if none."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    caps = "-dac_override,-dac_read_search"
    prefix = [setpriv or "setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]
    if setpriv is None or subprocess.run([*prefix, "sh", "-c", f": > '{probe}'"]).returncode == 0:
        pytest.skip("as root, a read-only file needs setpriv and the right to drop capabilities")
    return prefix


def test_a_read_only_ledger_is_a_message_and_nothing_is_sent(
    tmp_path: Path, write_list: WriteList
) -> None:
    ledger = a_ledger(tmp_path / "ledger.sqlite", 3)
    ledger.chmod(0o444)
    command = [sys.executable, "-m", "publisher", "notify", "send", RELEASE, "-y"]
    command += ["--contacts", str(write_list(people(3))), "--outbox", str(tmp_path / "outbox")]
    done = subprocess.run(
        [*without_root_powers(ledger), *command, *where(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    assert done.stderr == (
        f"error: {ledger}: the ledger cannot be written (attempt to write a readonly "
        "database): check the permissions of the file and of its folder\n"
    )
    assert not (tmp_path / "outbox").exists()
    status = subprocess.run(
        [*without_root_powers(ledger), sys.executable, "-m", "publisher", "notify", "status",
         RELEASE, "--ledger", str(ledger)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert (status.returncode, status.stdout.splitlines()[1:3]) == (
        0,
        ["  pending: 3", "  sent: 0"],
    )


def test_a_full_disk_under_the_ledger_is_a_message(
    tmp_path: Path, write_list: WriteList, small_disk: Path
) -> None:
    ledger = small_disk / "ledger.sqlite"
    (small_disk / "filler").write_bytes(b"\0" * (free_bytes(small_disk) - 8192))
    code, out, err = invoke(
        "notify", "send", RELEASE, "--contacts", str(write_list(people(2_000))), "-y",
        "--outbox", str(tmp_path / "outbox"), *where(tmp_path), "--ledger", str(ledger),
    )  # fmt: skip
    assert (code, out) == (1, ""), err
    assert err == (
        f"error: {ledger}: the ledger cannot grow: the disk is full (disk I/O error); free "
        "some space and run again\n"
    )
    assert not (tmp_path / "outbox").exists()


def test_source_date_epoch_cannot_make_a_scheduled_release_public_for_its_mail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build and notify share one publication moment, the real time: a far-future
    SOURCE_DATE_EPOCH (which only dates mails) does not let a mail link a page build left out."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    release = content / "incidents" / RELEASE.replace("/", "/releases/")
    release = release.with_name(release.name + ".yaml")
    release.write_text(release.read_text() + "publish_at: 2099-01-01T09:00:00+09:00\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")  # 2100-01-01
    monkeypatch.chdir(REPO)
    code, _, err = invoke(
        "notify", "send", RELEASE, "--contacts", "examples/contacts.csv", "--yes",
        "--outbox", str(tmp_path / "outbox"), "--content", str(content),
        "--ledger", str(tmp_path / "ledger.sqlite"),
    )  # fmt: skip
    assert code == 1
    assert "published at 2099-01-01T09:00:00+09:00" in err
    assert not (tmp_path / "outbox").exists()


def test_the_outbox_asks_to_write_files_not_to_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    outbox = tmp_path / "outbox"
    args = ["notify", "send", RELEASE, "--contacts", "examples/contacts.csv"]
    result = CliRunner().invoke(cli, [*args, "--outbox", str(outbox), *where(tmp_path)], "n\n")
    assert f"Write 5 mails into {outbox.as_posix()}/ (nothing is sent)? [y/N]" in result.stdout
    assert not list(outbox.rglob("*.eml"))


def test_what_names_the_people_told_never_goes_into_the_site_the_content_or_over_the_ledger(
    tmp_path: Path, write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outbox, a ledger or an export inside the site (publisher.yaml's, or any folder a
    build made), the content or the templates is a wrong command line: nothing is written
    there. An export over the ledger would lose the record of who was told: refused too."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "publisher.yaml").write_text("out: public\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / ".publisher-build").write_text("{}\n")  # a site built elsewhere
    monkeypatch.chdir(tmp_path)
    contacts = write_list([("a@example.jp", "", "", "customers", "")])
    send = ["notify", "send", RELEASE, "--contacts", str(contacts), "-y"]
    ledger = tmp_path / "told.sqlite"
    refused = [
        (["--outbox", "public/mail", "--ledger", str(ledger)], "--outbox", "the site (public)"),
        (["--outbox", "content/mail", "--ledger", str(ledger)], "--outbox", "the content"),
        (["--outbox", "templates/x", "--ledger", str(ledger)], "--outbox", "the templates"),
        (["--outbox", "elsewhere/mail", "--ledger", str(ledger)], "--outbox", "a site publisher"),
        (["--outbox", "outbox", "--ledger", "public/told.sqlite"], "--ledger", "the site"),
    ]
    for options, option, said in refused:
        code, out, err = invoke(*send, *options)
        assert code == 2 and f"Invalid value for {option}:" in err and said in err, err
    assert not (tmp_path / "public").exists() and not ledger.exists()
    assert not list((tmp_path / "content").rglob("*.eml"))
    code, _, err = invoke(*send, "--outbox", "outbox", "--ledger", str(ledger))
    assert code == 0, err
    export = ["notify", "export", RELEASE, "--ledger", str(ledger), "--out"]
    for inside in ("public/told.csv", "content/told.csv", "elsewhere/told.csv"):
        code, _, err = invoke(*export, inside)
        assert code == 2 and "Invalid value for --out:" in err, err
    other = tmp_path / "outbox" / "other.sqlite"  # another ledger, which this export does not read
    code, _, err = invoke(*send, "--outbox", "outbox", "--ledger", str(other))
    assert code == 0, err
    held = ledger.read_bytes(), other.read_bytes()
    for over in (str(ledger), f"{ledger}-wal", "./told.sqlite", str(other), f"{other}-journal"):
        code, _, err = invoke(*export, over)
        assert code == 1 and "that is a ledger" in err, (over, err)
    assert (ledger.read_bytes(), other.read_bytes()) == held
    assert not (tmp_path / "told.counts.csv").exists()
    code, out, err = invoke(*export, "told.csv")
    assert (code, out) == (0, "wrote 1 row to told.csv\n"), err
