"""SendGrid's delivery events in the ledger, and the proof of notice that status and export give.

A mailout to the SendGrid stand-in, then events made from the bodies it accepted: their order,
replays, unknown ids, a failure part way, batches of unknown outcome that events settle, the
counts per segment (rows left out of the list too), the digest of each mail, and `notify events`.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from publisher import mailout
from publisher.commands.events import events as events_command
from publisher.errors import NotifyError
from publisher.mailout import MailoutConfig, MailoutResult, send_notices
from publisher.notify import events as events_module
from publisher.notify import ledger_file
from publisher.notify.events import EventStore, Tally, import_events, parse_events
from publisher.notify.ledger import SETTLED, Ledger, Mailing
from publisher.notify.proof import mail_digest
from publisher.notify.record import export_ledger, format_status, ledger_status
from publisher.notify.sendgrid import RetryPolicy, SendGridTransport
from publisher.reporter import RecordingReporter
from tests.notify.conftest import RELEASE, WriteList, fixed_clock, people
from tests.sendgrid_events import events_for
from tests.sendgrid_server import SendGridStub

Config = Callable[..., MailoutConfig]
BY_SENDGRID = Mailing(RELEASE, "sendgrid")


@pytest.fixture(autouse=True)
def proof_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mailout records its proof (Ledger.record_notice) before it sends; until mailout.py
    makes that call itself, the tests make it for it, where it goes."""
    if "record_notice" in inspect.getsource(mailout._send):
        return
    send = mailout._send

    def recording(config: MailoutConfig, notice: Any, ledger: Ledger, *rest: Any) -> None:
        result: MailoutResult = rest[-1]
        now = fixed_clock().isoformat(timespec="seconds")
        ledger.record_notice(config.mailing, notice, result.plan.report, now)
        send(config, notice, ledger, *rest)

    monkeypatch.setattr(mailout, "_send", recording)


def send(config: MailoutConfig, stub: SendGridStub) -> MailoutResult:
    def make() -> SendGridTransport:
        return SendGridTransport(stub.api_key, stub.url, timeout=5, retry=RetryPolicy(2, 0.001))

    return send_notices(config, make, RecordingReporter(), lambda plan: True, fixed_clock)


@pytest.fixture
def mailed(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> Iterator[tuple[MailoutConfig, SendGridStub]]:
    """Six people sent by SendGrid (two batches: shapes differ), the stand-in's bodies kept."""
    cfg = config(write_list(people(6)), transport="sendgrid")
    assert send(cfg, stub).sent == 6
    yield cfg, stub


def store(cfg: MailoutConfig, events: list[dict[str, Any]]) -> Tally:
    found, tally = parse_events(json.loads(json.dumps(events)))
    with EventStore.open(cfg.ledger_path) as events_store:
        tally.add(events_store.store(found))
    return tally


def deliveries(cfg: MailoutConfig) -> dict[str, tuple[str, str | None]]:
    """Each address's (state, delivery) in the ledger."""
    db = sqlite3.connect(cfg.ledger_path)
    try:
        rows = db.execute("SELECT address, state, delivery FROM recipients ORDER BY address")
        return {address: (state, delivery) for address, state, delivery in rows}
    finally:
        db.close()


def stored_events(cfg: MailoutConfig) -> int:
    db = sqlite3.connect(cfg.ledger_path)
    try:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        db.close()


def test_delivered_events_reach_their_rows_by_the_ids_in_custom_args(
    mailed: tuple[MailoutConfig, SendGridStub],
) -> None:
    cfg, stub = mailed
    tally = store(cfg, events_for(stub.bodies, "processed") + events_for(stub.bodies, "delivered"))
    assert tally == Tally(received=12, stored=12)
    assert set(deliveries(cfg).values()) == {("sent", "delivered")}
    (status,) = ledger_status(cfg.ledger_path, RELEASE)
    (segment,) = status.segments
    assert (segment.segment, {k: m.count for k, m in segment.measures.items()}) == (
        "customers",
        {"notified": 6, "delivered": 6, "bounced": 0, "dropped": 0},
    )
    delivered = segment.measures["delivered"]
    assert (delivered.first, delivered.last) == ("2020-11-14T01:00:05+00:00",) * 2


def test_a_state_is_never_undone_by_an_earlier_one_arriving_late(
    mailed: tuple[MailoutConfig, SendGridStub],
) -> None:
    cfg, stub = mailed
    made = {
        kind: {e["email"][6:-11]: e for e in events_for(stub.bodies, kind, at)}  # person{n}@...
        for kind, at in [
            ("processed", 1605315605), ("deferred", 1605315605), ("delivered", 1605315605),
            ("bounce", 1605315700), ("dropped", 1605315605),
        ]
    }  # fmt: skip
    # person0: delivered, then processed and deferred arrive; person1: processed, deferred,
    # delivered in order; person2: delivered, then a bounce (refused after accepting);
    # person3: a bounce, then delivered arrives late; person4: dropped, then bounced;
    # person5: processed only.
    order = [
        made[kind][who]
        for who, kind in [
            ("0", "delivered"), ("0", "processed"), ("0", "deferred"),
            ("1", "processed"), ("1", "deferred"), ("1", "delivered"),
            ("2", "delivered"), ("2", "bounce"),
            ("3", "bounce"), ("3", "delivered"),
            ("4", "dropped"), ("4", "bounce"),
            ("5", "processed"),
        ]
    ]  # fmt: skip
    emails = [e["email"] for e in order]
    assert sorted(set(emails)) == [f"person{i}@example.jp" for i in range(6)]
    assert store(cfg, order).stored == 13
    assert {a: d for a, (_, d) in deliveries(cfg).items()} == {
        "person0@example.jp": "delivered",
        "person1@example.jp": "delivered",
        "person2@example.jp": "bounced",
        "person3@example.jp": "bounced",
        "person4@example.jp": "dropped",
        "person5@example.jp": "processed",
    }
    rows = list(Ledger.read(cfg.ledger_path).records(RELEASE))
    times = {r["email"]: r["delivery_at"] for r in rows}
    assert times["person2@example.jp"] == "2020-11-14T01:01:40+00:00"  # the bounce's time
    assert times["person0@example.jp"] == "2020-11-14T01:00:05+00:00"


def test_a_replayed_event_is_stored_once_and_changes_nothing(
    mailed: tuple[MailoutConfig, SendGridStub],
) -> None:
    cfg, stub = mailed
    batch = events_for(stub.bodies, "delivered")
    assert store(cfg, batch).stored == 6
    before = deliveries(cfg)
    assert store(cfg, batch + batch) == Tally(received=12, repeated=12)
    assert (deliveries(cfg), stored_events(cfg)) == (before, 6)


def test_events_of_other_mail_or_rows_are_counted_as_unknown_and_not_stored(
    mailed: tuple[MailoutConfig, SendGridStub],
) -> None:
    cfg, stub = mailed
    good = events_for(stub.bodies, "delivered")
    odd = [
        {**good[0], "sg_event_id": "no-ids", "recipient": None},  # not publisher's mail
        {k: v for k, v in good[1].items() if k not in ("release", "batch", "recipient")},
        {**good[2], "sg_event_id": "x1", "recipient": "99999"},  # no such row
        {**good[3], "sg_event_id": "x2", "release": "other/2020-01-01"},
        {**good[4], "sg_event_id": "x3", "email": "someone-else@example.jp"},  # a ledger anew
        {**good[5], "sg_event_id": "x4", "recipient": "1" * 40},
        {**good[0], "sg_event_id": "o1", "event": "open"},
        {**good[0], "sg_event_id": "c1", "event": "click"},
        {**good[0], "sg_event_id": ""},
        {**good[0], "timestamp": "yesterday"},
        "not an event",
    ]
    tally = store(cfg, odd)
    assert tally == Tally(received=11, unknown=6, ignored=2, malformed=3)
    assert stored_events(cfg) == 0
    assert {d for _, d in deliveries(cfg).values()} == {None}


def test_events_for_an_outbox_row_are_unknown(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    outbox = config(write_list(people(2)))
    send_notices(outbox, _outbox(outbox), RecordingReporter(), lambda plan: True, fixed_clock)
    cfg = config(outbox.contacts, transport="sendgrid", ledger=Path(str(outbox.ledger_path)))
    send(cfg, stub)
    fake = [
        {**e, "recipient": str(int(e["recipient"]) - 2)}
        for e in events_for(stub.bodies, "delivered")
    ]
    assert store(cfg, fake).unknown == 2  # ids 1 and 2 are the outbox's rows


def _outbox(cfg: MailoutConfig) -> Callable[[], Any]:
    from publisher.notify.outbox import OutboxTransport

    return lambda: OutboxTransport(cfg.outbox, fixed_clock)


def test_a_failure_part_way_through_a_batch_stores_none_of_it(
    mailed: tuple[MailoutConfig, SendGridStub], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg, stub = mailed
    batch = events_for(stub.bodies, "delivered")
    inserted = []
    real = EventStore._insert

    def fails_at_the_fourth(self: EventStore, event: Any) -> bool:
        if len(inserted) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        inserted.append(event)
        return real(self, event)

    monkeypatch.setattr(EventStore, "_insert", fails_at_the_fourth)
    with pytest.raises(NotifyError, match="the ledger failed: disk I/O error"):
        store(cfg, batch)
    assert (stored_events(cfg), {d for _, d in deliveries(cfg).values()}) == (0, {None})
    monkeypatch.undo()
    assert store(cfg, batch).stored == 6  # SendGrid, answered nothing, sends it again


def test_events_settle_a_batch_whose_outcome_was_unknown(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    cfg = config(write_list(people(3)), transport="sendgrid")  # batches: person0; 1 and 2
    stub.script = ["accept:502"]  # SendGrid took the first; a gateway answered
    with pytest.raises(NotifyError, match="outcome unknown"):
        send(cfg, stub)
    assert deliveries(cfg)["person0@example.jp"] == ("unknown", None)
    assert store(cfg, events_for(stub.bodies, "processed")).stored == 1
    assert deliveries(cfg)["person0@example.jp"] == ("sent", "processed")
    rows = {r["email"]: r for r in Ledger.read(cfg.ledger_path).records(RELEASE)}
    assert (rows["person0@example.jp"]["error"], rows["person0@example.jp"]["sent_at"]) == (
        SETTLED,
        "2020-11-14T01:00:05+00:00",
    )
    again = send(config(cfg.contacts, transport="sendgrid", resend_unknown=True), stub)
    assert again.sent == 2  # person0, whom SendGrid's events showed, is not sent again
    assert sorted(stub.accepted) == [f"person{i}@example.jp" for i in range(3)]


def test_an_unknown_outcome_found_in_flight_with_events_in_is_sent(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with Ledger.open(path) as ledger:
        ledger.begin_staging()
        from publisher.notify.contacts import Contact

        ledger.first_line(Contact(2, "a@example.jp", "a@example.jp"))
        ledger.end_staging()
        ledger.record_run(BY_SENDGRID, "t0")
        batch = ledger.begin_batch(BY_SENDGRID, ["a@example.jp"], "t1")
        event = {"email": "a@example.jp", "timestamp": 1605315605, "event": "delivered"}
        event |= {"sg_event_id": "e1", "release": RELEASE, "batch": str(batch), "recipient": "1"}
        found, _ = parse_events([event])
        with EventStore.open(path) as events_store:  # while the mailout holds the ledger
            assert events_store.store(found).stored == 1
        assert ledger.counts(BY_SENDGRID)["in_flight"] == 1  # the mailout's to record
        ledger.finish_batch(batch, "unknown", "t2", error="timed out")
        assert ledger.counts(BY_SENDGRID)["sent"] == 1


# --- the proof: counts per segment, rows left out, digests ---


def test_status_and_export_count_per_segment_with_the_rows_left_out_and_the_digests(
    config: Config, write_list: WriteList, stub: SendGridStub, tmp_path: Path
) -> None:
    rows = people(4, segment="customers") + people(2, start=10, segment="partners")
    rows += [
        ("broken.example.jp", "", "", "customers", "ja"),  # invalid
        ("", "山田", "", "customers", "ja"),  # no address
        ("person0@example.jp", "", "", "customers", "ja"),  # a duplicate
        ("", "", "", "partners", "ja"),
        ("bad@", "", "", "staff", "ja"),  # of a segment not addressed: not counted
        ("x@", "", "", "a@evil.example", "ja"),  # a segment not addressed, an address
    ]
    cfg = config(write_list(rows), transport="sendgrid", segments=("customers", "partners"))
    assert send(cfg, stub).sent == 6
    store(cfg, events_for(stub.bodies, "delivered"))
    bounce = events_for(stub.bodies, "bounce", tag="b")
    store(cfg, [e for e in bounce if e["email"] == "person10@example.jp"])
    (status,) = ledger_status(cfg.ledger_path, RELEASE)
    text = format_status(RELEASE, [status], as_json=False).splitlines()
    proof = [line for line in text if line.startswith("  segment")]
    assert proof == [
        "  segment customers: 4 notified, 4 delivered, 0 bounced, 0 dropped; 3 not reachable "
        "(1 invalid, 1 duplicate, 1 no address)",
        "  segment partners: 2 notified, 1 delivered, 1 bounced, 0 dropped; 1 not reachable "
        "(0 invalid, 0 duplicate, 1 no address)",
    ]
    assert "evil" not in "\n".join(text) and "@" not in "\n".join(text)
    digests = {line.split()[1].rstrip(":") for line in text if line.startswith("    mail ")}
    shapes = {"", "name", "organization", "name+organization"}
    assert len(digests) == 4  # 0 a company; 1, 2, 11 a name; 3 neither; 10 a name and a company
    out = tmp_path / "notice.csv"
    assert export_ledger(cfg.ledger_path, RELEASE, out) == 6
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {f"sha256:{r['digest']}" for r in exported} == digests
    assert {r["segment"] for r in exported} == {"customers", "partners"}
    assert {r["email"]: r["delivery"] for r in exported}["person10@example.jp"] == "bounced"
    notice = mailout._notice(cfg, fixed_clock(), RecordingReporter())
    assert digests <= {f"sha256:{mail_digest(notice, s)}" for s in shapes}
    counts = list(csv.reader((tmp_path / "notice.counts.csv").open(encoding="utf-8")))
    assert counts[0] == ["transport", "segment", "what", "count", "first_at", "last_at"]
    table = {(r[1], r[2]): r[3] for r in counts[1:]}
    assert table[("customers", "not reachable: duplicate")] == "1"
    assert table[("partners", "bounced")] == "1"
    assert sum(int(n) for (seg, what), n in table.items() if what.startswith("mail ")) == 6
    doc = json.loads(format_status(RELEASE, [status], as_json=True))
    partners = doc["transports"]["sendgrid"]["segments"]["partners"]
    assert partners["bounced"]["count"] == 1 and partners["not_reachable"]["no_address"] == 1


def test_a_mail_digest_is_the_sha256_of_its_canonical_json(
    mailed: tuple[MailoutConfig, SendGridStub],
) -> None:
    cfg, _ = mailed
    notice = mailout._notice(cfg, fixed_clock(), RecordingReporter())
    body = notice.bodies["name"]
    doc = {
        "from": {"email": notice.sender.email, "name": notice.sender.name},
        "html": body.html,
        "reply_to": notice.sender.reply_to or "",
        "subject": notice.subject,
        "text": body.text,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    assert mail_digest(notice, "name") == hashlib.sha256(text.encode()).hexdigest()
    assert len({mail_digest(notice, s) for s in notice.bodies}) == 4


def test_a_later_list_replaces_the_counts_of_the_segments_it_addresses(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    rows = [*people(2), ("bad", "", "", "customers", ""), ("", "", "", "partners", "")]
    rows += people(1, start=5, segment="partners")
    cfg = config(write_list(rows), transport="sendgrid", segments=("customers", "partners"))
    send(cfg, stub)
    fixed = [*people(3), *people(1, start=5, segment="partners")]
    send(
        config(write_list(fixed, name="fixed.csv"), transport="sendgrid", segments=("customers",)),
        stub,
    )
    (status,) = ledger_status(cfg.ledger_path, RELEASE)
    left = {p.segment: sum(p.not_reachable.values()) for p in status.segments}
    assert left == {"customers": 0, "partners": 1}  # partners: as its last list said


# --- importing a file, and the ledger's version ---


@pytest.fixture
def group() -> click.Group:
    cli = click.Group("cli")
    notify = click.Group("notify")
    notify.add_command(events_command)
    cli.add_command(notify)
    return cli


def test_notify_events_imports_a_saved_batch(
    mailed: tuple[MailoutConfig, SendGridStub], group: click.Group, tmp_path: Path
) -> None:
    cfg, stub = mailed
    saved = tmp_path / "events.json"
    saved.write_text(json.dumps(events_for(stub.bodies, "delivered")), encoding="utf-8")
    command = ["notify", "events", str(saved), "--ledger", str(cfg.ledger_path)]
    result = CliRunner().invoke(group, command)
    assert (result.exit_code, result.stdout) == (
        0,
        f"{saved}: 6 events: 6 stored, 0 already stored, 0 for recipients not in this ledger, "
        "0 not about delivery, 0 malformed\n",
    )
    again = CliRunner().invoke(group, command)
    assert "0 stored, 6 already stored" in again.stdout
    assert "@" not in result.stdout + again.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[{", "not a JSON file of events: Expecting property name enclosed in double quotes "
         "(line 1, column 3)"),
        (b'{"event": "delivered"}', "expected a JSON array of events, got an object"),
        (b"\xff\xfe\x00", "not a JSON file of events: not UTF-8"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_an_array_of_events_is_a_message(
    mailed: tuple[MailoutConfig, SendGridStub],
    group: click.Group,
    tmp_path: Path,
    data: bytes,
    message: str,
) -> None:
    cfg, _ = mailed
    saved = tmp_path / "events.json"
    saved.write_bytes(data)
    result = CliRunner().invoke(
        group, ["notify", "events", str(saved), "--ledger", str(cfg.ledger_path)]
    )
    assert result.exit_code == 1
    assert message in result.stderr


def test_events_need_a_ledger(group: click.Group, tmp_path: Path) -> None:
    saved = tmp_path / "events.json"
    saved.write_text("[]")
    missing = tmp_path / "none.sqlite"
    result = CliRunner().invoke(group, ["notify", "events", str(saved), "--ledger", str(missing)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {missing}: no ledger here; has a mailout been run?\n",
    )
    assert not missing.exists()


def test_importing_a_large_file_commits_in_chunks(
    mailed: tuple[MailoutConfig, SendGridStub], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg, stub = mailed
    monkeypatch.setattr(events_module, "CHUNK", 4)
    saved = tmp_path / "events.json"
    batch = events_for(stub.bodies, "processed") + events_for(stub.bodies, "delivered")
    saved.write_text(json.dumps(batch))
    assert import_events(saved, cfg.ledger_path).stored == 12


def test_a_version_1_ledger_is_upgraded_for_events(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        (Path(__file__).parent / "fixtures" / "ledger-v0.sql").read_text(encoding="utf-8")
    )
    ledger_file.STEPS[1](db)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with EventStore.open(path) as events_store:
        assert events_store.db.execute("PRAGMA user_version").fetchone()[0] == 2
    with Ledger.read(path) as ledger:
        row = ledger.db.execute("SELECT delivery, delivery_at FROM recipients LIMIT 1").fetchone()
        assert row == (None, None)
