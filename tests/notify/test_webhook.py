"""`publisher notify webhook`: SendGrid's signed POSTs on 127.0.0.1, checked and stored.

A real server in a thread, signed with a test key (EC P-256, as SendGrid signs), events made
from what the SendGrid stand-in accepted in a real mailout.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from publisher.errors import NotifyError
from publisher.mailout import MailoutConfig
from publisher.notify import ledger_file
from publisher.notify.events import EventStore
from publisher.notify.ledger import Ledger
from publisher.notify.webhook import Verifier, Webhook, WebhookServer
from publisher.reporter import RecordingReporter
from tests.notify.conftest import REPO, WriteList, people
from tests.notify.test_events import proof_recorded, send  # noqa: F401 (a fixture)
from tests.sendgrid_events import SIGNATURE, TIMESTAMP, SigningKey, encode, events_for, post
from tests.sendgrid_server import SendGridStub

Config = Callable[..., MailoutConfig]
KEY = SigningKey()
KEY_NAME = "SENDGRID_WEBHOOK_PUBLIC_KEY"


class Running:
    """A webhook server on a ledger, with its reporter and a clock the test sets."""

    def __init__(self, ledger: Path, key: str = KEY.public) -> None:
        self.now = float(int(time.time()))
        self.reporter = RecordingReporter()
        self.store = EventStore.open(ledger)
        verifier = Verifier(key, wall=lambda: self.now)
        self.server = WebhookServer(Webhook(verifier, self.store, self.reporter), 0).start()

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, object]:
        return post(
            self.server.url, body, KEY.headers(body, self.now) if headers is None else headers
        )

    def close(self) -> None:
        self.server.close()
        self.store.close()


@pytest.fixture
def mailed(config: Config, write_list: WriteList, stub: SendGridStub) -> MailoutConfig:
    cfg = config(write_list(people(6)), transport="sendgrid")
    assert send(cfg, stub).sent == 6
    return cfg


@pytest.fixture
def hook(mailed: MailoutConfig) -> Iterator[Running]:
    running = Running(mailed.ledger_path)
    yield running
    running.close()
    assert all("@" not in m for m in running.reporter.messages), running.reporter.messages


def delivered(cfg: MailoutConfig) -> int:
    db = sqlite3.connect(cfg.ledger_path)
    try:
        return int(
            db.execute("SELECT count(*) FROM recipients WHERE delivery = 'delivered'").fetchone()[0]
        )
    finally:
        db.close()


def test_a_signed_post_is_stored_and_its_replay_stores_nothing(
    hook: Running, mailed: MailoutConfig, stub: SendGridStub
) -> None:
    body = encode(events_for(stub.bodies, "delivered"))
    headers = KEY.headers(body, hook.now)
    status, answer = hook.post(body, headers)
    assert (status, answer) == (200, {
        "received": 6, "stored": 6, "repeated": 0, "unknown": 0, "ignored": 0, "malformed": 0,
    })  # fmt: skip
    hook.now += 300  # the same signed request again, still within ten minutes
    status, answer = hook.post(body, headers)
    assert status == 200 and isinstance(answer, dict) and answer["repeated"] == 6
    assert delivered(mailed) == 6
    assert hook.reporter.messages == [
        "POST: 6 events: 6 stored, 0 already stored, 0 for recipients not in this ledger, "
        "0 not about delivery, 0 malformed",
        "POST: 6 events: 0 stored, 6 already stored, 0 for recipients not in this ledger, "
        "0 not about delivery, 0 malformed",
    ]


def test_events_posted_out_of_order_end_in_the_latest_state(
    hook: Running, mailed: MailoutConfig, stub: SendGridStub
) -> None:
    for kind in ("delivered", "deferred", "processed"):
        assert hook.post(encode(events_for(stub.bodies, kind)))[0] == 200
    assert delivered(mailed) == 6


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("other key", "the signature does not match the timestamp and body"),
        ("tampered body", "the signature does not match the timestamp and body"),
        ("other timestamp", "the signature does not match the timestamp and body"),
        ("garbled signature", "the signature does not match the timestamp and body"),
        ("no signature", "no signature: the signature and timestamp headers are missing"),
        ("no timestamp", "no signature: the signature and timestamp headers are missing"),
        ("timestamp not a number", "the timestamp is not a time"),
        ("eleven minutes old", "the signature is stale: signed 660 s ago (at most 600)"),
        ("two minutes ahead", "the signature is from the future: 120 s ahead of this clock"),
    ],
)
def test_a_post_not_signed_by_sendgrid_a_moment_ago_is_refused_with_403(
    hook: Running, mailed: MailoutConfig, stub: SendGridStub, change: str, reason: str
) -> None:
    body = encode(events_for(stub.bodies, "delivered"))
    headers = KEY.headers(body, hook.now)
    if change == "other key":
        headers = SigningKey().headers(body, hook.now)
    elif change == "tampered body":
        body = body.replace(b"delivered", b"bounce", 1)
    elif change == "other timestamp":
        headers[TIMESTAMP] = str(int(headers[TIMESTAMP]) - 1)
    elif change == "garbled signature":
        headers[SIGNATURE] = "abc"
    elif change.startswith("no "):
        del headers[SIGNATURE if change == "no signature" else TIMESTAMP]
    elif change == "timestamp not a number":
        headers[TIMESTAMP] = "1e9"
    else:
        at = hook.now - 660 if change == "eleven minutes old" else hook.now + 120
        headers = KEY.headers(body, at)
    assert hook.post(body, headers) == (403, {"error": reason})
    assert delivered(mailed) == 0
    assert hook.reporter.messages == [f"warning: refused a POST (403): {reason}"]


def test_a_timestamp_a_little_ahead_of_this_clock_is_taken(
    hook: Running, stub: SendGridStub
) -> None:
    body = encode(events_for(stub.bodies, "delivered"))
    assert hook.post(body, KEY.headers(body, hook.now + 30))[0] == 200


def test_unknown_ids_are_counted_not_stored(
    hook: Running, mailed: MailoutConfig, stub: SendGridStub
) -> None:
    made = events_for(stub.bodies, "delivered")
    odd = [{**e, "recipient": str(1000 + i), "sg_event_id": f"u{i}"} for i, e in enumerate(made)]
    status, answer = hook.post(encode([*odd, {**made[0], "event": "open", "sg_event_id": "o"}]))
    assert status == 200 and isinstance(answer, dict)
    assert (answer["unknown"], answer["ignored"], answer["stored"]) == (6, 1, 0)
    with Ledger.read(mailed.ledger_path) as ledger:
        assert ledger.db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[{", "not a JSON array of events: Expecting property name enclosed in double quotes "
         "at character 2"),
        (b'{"a": 1}', "not a JSON array of events: expected a JSON array of events, got an object"),
    ],
)  # fmt: skip
def test_a_signed_body_that_is_not_an_array_of_events_is_400(
    hook: Running, body: bytes, message: str
) -> None:
    assert hook.post(body) == (400, {"error": message})


def test_only_posts_of_a_sensible_size_are_read(hook: Running) -> None:
    with socket.create_connection(hook.server.http.server_address[:2]) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.0 413")
    with socket.create_connection(hook.server.http.server_address[:2]) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.0 411")
    with socket.create_connection(hook.server.http.server_address[:2]) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.0 405")


def test_it_listens_on_loopback_only(hook: Running) -> None:
    assert hook.server.http.server_address[0] == "127.0.0.1"


def test_a_ledger_another_program_holds_is_503_and_the_retry_stores_it(
    hook: Running, mailed: MailoutConfig, stub: SendGridStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook.store.db.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(mailed.ledger_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    body = encode(events_for(stub.bodies, "delivered"))
    try:
        assert hook.post(body) == (503, {"error": "the ledger is unavailable"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "another program holds the ledger's write lock" in hook.reporter.messages[0]
    assert delivered(mailed) == 0
    assert hook.post(body)[0] == 200 and delivered(mailed) == 6


def test_it_stores_while_a_mailout_holds_the_ledger(
    hook: Running, mailed: MailoutConfig, stub: SendGridStub
) -> None:
    with Ledger.open(mailed.ledger_path):
        assert hook.post(encode(events_for(stub.bodies, "delivered")))[0] == 200
    assert delivered(mailed) == 6


def test_a_key_that_is_not_an_ec_public_key_is_a_message() -> None:
    with pytest.raises(NotifyError, match="SENDGRID_WEBHOOK_PUBLIC_KEY is not an elliptic"):
        Verifier("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
    pem = KEY.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert Verifier(pem.decode()).key.public_numbers() == KEY.private.public_key().public_numbers()


# --- the command, in a process of its own: started, posted to, interrupted ---

COMMAND = """
import sys
import click
from publisher.commands.events import webhook
group = click.Group("publisher", commands=[click.Group("notify", commands=[webhook])])
group(sys.argv[1:], prog_name="publisher")
"""


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """The command in a process of its own, with `env` (the key) in place of the test's."""
    base = {k: v for k, v in os.environ.items() if k != KEY_NAME}
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, "notify", "webhook", *args],
        env={**base, **env},
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_the_command_serves_until_interrupted_and_says_what_it_took(
    mailed: MailoutConfig, stub: SendGridStub
) -> None:
    process = start(["--port", "0", "--ledger", str(mailed.ledger_path)], {KEY_NAME: KEY.public})
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), process.communicate(timeout=5)
        url = line.split()[2]
        body = encode(events_for(stub.bodies, "delivered"))
        assert post(url, body, KEY.headers(body))[0] == 200
        assert post(url, body, SigningKey().headers(body))[0] == 403
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out.splitlines()[-2:] == [
        "POST: 6 events: 6 stored, 0 already stored, 0 for recipients not in this ledger, "
        "0 not about delivery, 0 malformed",
        "stopped; 6 events: 6 stored, 0 already stored, 0 for recipients not in this ledger, "
        "0 not about delivery, 0 malformed",
    ]
    assert (
        err
        == "warning: refused a POST (403): the signature does not match the timestamp and body\n"
    )
    assert "@" not in out + err
    assert delivered(mailed) == 6


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "error: SENDGRID_WEBHOOK_PUBLIC_KEY is not set; it holds the signed Event "
         "Webhook's verification key"),
        ("not-a-key", "error: SENDGRID_WEBHOOK_PUBLIC_KEY is not an elliptic curve public key; "
         "set it to the verification key SendGrid shows for the signed Event Webhook"),
    ],
)  # fmt: skip
def test_the_command_without_a_usable_key_is_a_message(
    mailed: MailoutConfig, key: str | None, message: str
) -> None:
    env = {KEY_NAME: key} if key else {}
    process = start(["--port", "0", "--ledger", str(mailed.ledger_path)], env)
    _, err = process.communicate(timeout=30)
    assert (process.returncode, err.strip()) == (1, message)


def test_the_command_without_a_ledger_is_a_message(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    process = start(["--port", "0", "--ledger", str(missing)], {KEY_NAME: KEY.public})
    _, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (
        1,
        f"error: {missing}: no ledger here; has a mailout been run?\n",
    )
    assert not missing.exists()


def test_a_port_in_use_is_a_message(mailed: MailoutConfig) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(
            ["--port", str(port), "--ledger", str(mailed.ledger_path)], {KEY_NAME: KEY.public}
        )
        _, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (
        1,
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n",
    )


def test_the_ledger_file_is_opened_at_its_version(mailed: MailoutConfig) -> None:
    with EventStore.open(mailed.ledger_path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == ledger_file.VERSION


def test_the_commands_have_help_and_are_in_the_readme() -> None:
    from click.testing import CliRunner

    from publisher.commands.events import events, webhook

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in (webhook, events):
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0 and command.help
        assert f"publisher notify {command.name}" in readme
