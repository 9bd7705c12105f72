"""Mailouts end to end: plan → ledger → transport, stops, and resuming without double sends."""

from __future__ import annotations

import math
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from publisher import mailout
from publisher.errors import ContentError, NotifyError
from publisher.mailout import MailoutConfig, MailoutResult, send_notices
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Ledger, Mailing
from publisher.notify.message import Notice, shape_of
from publisher.notify.outbox import OutboxTransport
from publisher.notify.record import export_ledger
from publisher.notify.sendgrid import RetryPolicy, SendGridTransport
from publisher.reporter import RecordingReporter
from tests.notify.conftest import RELEASE, REPO, WriteList, fixed_clock, people
from tests.sendgrid_server import SendGridStub

Config = Callable[..., MailoutConfig]


def run(
    config: MailoutConfig,
    stub: SendGridStub | None = None,
    answer: bool = True,
    reporter: RecordingReporter | None = None,
) -> MailoutResult:
    """Run the mailout by the transport `config` names (SendGrid: `stub`, which must be given)."""

    def make() -> SendGridTransport | OutboxTransport:
        if config.transport == "outbox":
            return OutboxTransport(config.outbox, fixed_clock)
        assert stub is not None
        return SendGridTransport(
            stub.api_key, stub.url, timeout=5, retry=RetryPolicy(2, 0.001, 0.01)
        )

    reporter = reporter or RecordingReporter()
    return send_notices(config, make, reporter, lambda plan: answer, fixed_clock)


def states(config: MailoutConfig, transport: str | None = None) -> dict[str, int]:
    """The mailout's ledger rows by state (of `transport`, or the config's)."""
    mailing = Mailing(config.release, transport or config.transport)
    with Ledger.read(config.ledger_path) as ledger:
        return {s: n for s, n in ledger.counts(mailing).items() if n}


def test_the_example_list_leaves_one_eml_per_valid_recipient(config: Config) -> None:
    cfg = config(REPO / "examples" / "contacts.csv")
    result = run(cfg)
    report = result.plan.report
    assert (report.accepted, report.invalid, report.duplicates, report.not_addressed) == (
        5,
        3,
        1,
        1,
    )
    files = sorted((cfg.outbox / RELEASE).glob("*.eml"))
    assert len(files) == 5
    assert (result.sent, states(cfg)) == (5, {"sent": 5})
    again = run(cfg)
    assert (again.sent, again.plan.to_send, len(list((cfg.outbox / RELEASE).glob("*.eml")))) == (
        0,
        0,
        5,
    )


def test_recipients_go_in_batches_of_at_most_1000_of_one_shape(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    rows = people(2_500)
    cfg = config(write_list(rows), transport="sendgrid")
    reporter = RecordingReporter()
    result = run(cfg, stub, reporter=reporter)
    assert reporter.tasks == [("sending", 2_500, 2_500)]
    shapes = Counter((bool(r[1]), bool(r[2])) for r in rows)
    assert stub.requests == sum(math.ceil(n / 1000) for n in shapes.values()) == result.batches
    assert max(len(b["personalizations"]) for b in stub.bodies) == 1000
    assert sorted(stub.accepted) == sorted(r[0] for r in rows)
    assert states(cfg) == {"sent": 2_500}


def test_a_refusal_stops_the_mailout_and_the_next_run_sends_the_rest_once(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    cfg = config(
        write_list([(f"r{i}@example.jp", "名前", "", "partners", "") for i in range(3_000)]),
        transport="sendgrid",
    )
    stub.script = ["accept", (400, {}, {"errors": [{"message": "bad batch", "field": "content"}]})]
    with pytest.raises(
        NotifyError,
        match=r"batch 2 \(1000 recipients\): SendGrid refused the batch \(400\): content: bad",
    ):
        run(cfg, stub)
    assert states(cfg) == {"sent": 1000, "failed": 1000, "pending": 1000}
    run(cfg, stub)
    assert Counter(Counter(stub.accepted).values()) == {1: 3_000}
    assert states(cfg) == {"sent": 3_000}


class Dies:
    """A transport whose process dies during the request."""

    name = "sendgrid"
    repeatable = False

    def send(self, *args: object) -> str | None:
        raise KeyboardInterrupt


def test_a_batch_left_in_flight_by_a_dead_process_becomes_unknown(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    cfg = config(write_list(people(10)), transport="sendgrid")
    with pytest.raises(KeyboardInterrupt):
        send_notices(cfg, Dies, RecordingReporter(), lambda plan: True, fixed_clock)
    assert states(cfg) == {"in_flight": 3, "pending": 7}
    result = run(cfg, stub)
    assert result.sent == 7
    assert sorted(stub.accepted) == sorted(f"person{i}@example.jp" for i in (0, 1, 2, 4, 5, 7, 8))
    assert [(b.size, b.error) for b in result.unknown] == [
        (3, "the process stopped during the request")
    ]


def test_a_dry_run_checks_every_mail_sends_nothing_and_writes_a_sample(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    cfg = config(write_list(people(50)), transport="sendgrid", dry_run=True)
    result = run(cfg, stub)
    assert stub.requests == 0 and result.sent == 0 and not cfg.ledger_path.exists()
    assert result.sample == cfg.outbox / "dry-run" / RELEASE / "sample.eml"
    assert b"Content-Type: multipart/alternative" in result.sample.read_bytes()
    assert result.plan.to_send == 50


def test_a_segment_the_release_does_not_tell_is_refused(
    config: Config, write_list: WriteList
) -> None:
    cfg = config(write_list(people(3)), segments=("staff",))
    with pytest.raises(NotifyError, match="segment 'staff' is not told by this release"):
        run(cfg)


def test_the_export_is_one_row_per_address_with_state_and_message_id(
    config: Config, write_list: WriteList, stub: SendGridStub, tmp_path: Path
) -> None:
    cfg = config(write_list(people(3)), transport="sendgrid")
    run(cfg, stub)
    out = tmp_path / "notice.csv"
    assert export_ledger(cfg.ledger_path, RELEASE, out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "email,transport,state,sent_at,message_id,batch,attempts,error,"
        "segment,delivery,delivery_at,digest"
    )
    fields = ["1", "", "customers", "", ""]  # attempts, error, segment, delivery, delivery_at
    assert sorted(line.split(",")[:11] for line in lines[1:]) == sorted(
        [
            email,
            "sendgrid",
            "sent",
            "2020-11-14T01:00:00+00:00",
            f"msg-{batch}",
            str(batch),
            *fields,
        ]
        for email, batch in [
            ("person0@example.jp", 1),
            ("person1@example.jp", 2),
            ("person2@example.jp", 2),
        ]
    )


def test_a_release_not_yet_public_is_only_previewed(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    early = datetime(2020, 11, 13, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo, the day before
    reporter = RecordingReporter()
    cfg = config(write_list(people(3)))
    with pytest.raises(NotifyError) as caught:
        send_notices(cfg, OutboxTransport, reporter, lambda plan: True, lambda: early)
    assert str(caught.value) == (
        f"{RELEASE}: the release is published at 2020-11-14T00:00:00+09:00; "
        "its notice would link to a missing page"
    )
    preview = config(cfg.contacts, dry_run=True)
    assert send_notices(preview, OutboxTransport, reporter, lambda plan: True, lambda: early).sample
    assert reporter.messages[0] == (
        f"warning: {RELEASE}: the release is published at 2020-11-14T00:00:00+09:00"
    )


def test_every_recipient_of_a_first_mailout_carries_its_own_ledger_id(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    cfg = config(write_list(people(30)), transport="sendgrid")
    run(cfg, stub)
    ids = [p["custom_args"]["recipient"] for b in stub.bodies for p in b["personalizations"]]
    with Ledger.read(cfg.ledger_path) as ledger:
        known = {str(row[0]) for row in ledger.db.execute("SELECT id FROM recipients")}
    assert len(ids) == 30
    assert sorted(set(ids)) == sorted(ids)
    assert set(ids) == known


def test_an_address_that_looks_like_a_formula_is_exported_as_text(
    config: Config, write_list: WriteList, tmp_path: Path
) -> None:
    cfg = config(write_list([("=1+1@example.jp", "", "", "customers", "")]))
    run(cfg)
    out = tmp_path / "notice.csv"
    export_ledger(cfg.ledger_path, RELEASE, out)
    assert (
        out.read_text(encoding="utf-8").splitlines()[1].startswith("'=1+1@example.jp,outbox,sent,")
    )


def test_segments_asked_for_need_a_segment_column(config: Config, write_list: WriteList) -> None:
    path = write_list([("a@example.jp", "", "")], header=("email", "name", "organization"))
    with pytest.raises(NotifyError, match="--segment given, but the list has no 'segment' column"):
        run(config(path, segments=("partners",)))
    assert run(config(path)).sent == 1  # without --segment, everyone in the list


# --- the ledger per transport: a preview is never notice ---


def test_an_outbox_preview_is_not_notice_by_sendgrid(config: Config, stub: SendGridStub) -> None:
    preview = config(REPO / "examples" / "contacts.csv")
    assert run(preview).sent == 5
    for_real = config(preview.contacts, transport="sendgrid")
    dry = run(config(preview.contacts, transport="sendgrid", dry_run=True))
    assert (dry.plan.states, dry.plan.to_send) == ({"pending": 5}, 5)
    result = run(for_real, stub)
    assert (result.plan.states, result.plan.to_send, result.sent) == ({"pending": 5}, 5, 5)
    assert sorted(stub.accepted) == sorted(
        ["yamada.taro@example.jp", "suzuki.hanako@example.jp", "info@partner.example.com",
         "sato@xn--r8jz45g.example.jp", "tanaka@example.com"]
    )  # fmt: skip
    assert states(preview) == {"sent": 5} and states(for_real) == {"sent": 5}
    assert run(for_real, stub).plan.to_send == 0 and stub.requests == result.batches


def test_the_same_content_through_a_symbolic_link_finds_the_same_default_ledger(
    project: Path, write_list: WriteList, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "content"
    link.symlink_to(project, target_is_directory=True)
    first = MailoutConfig(project, None, RELEASE, write_list(people(4)), outbox=tmp_path / "out")
    through = replace(first, content=link)
    assert through.ledger_path == first.ledger_path == project.parent / "notify.ledger.sqlite"
    assert run(first).sent == 4
    again = run(through)
    assert (again.plan.to_send, again.sent, again.counts["sent"]) == (0, 0, 4)
    assert not (tmp_path / "elsewhere" / "notify.ledger.sqlite").exists()


# --- outcomes by what is known ---


def test_a_request_that_never_went_out_is_failed_and_sent_by_the_next_run(
    config: Config, write_list: WriteList, stub: SendGridStub
) -> None:
    cfg = config(write_list([(f"c{i}@example.jp", "", "", "customers", "") for i in range(5)]))
    cfg = replace(cfg, transport="sendgrid")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{unused.getsockname()[1]}"

    def refused() -> SendGridTransport:
        return SendGridTransport("SG.k", nobody, retry=RetryPolicy(2, 0.001, 0.01))

    with pytest.raises(NotifyError, match=r"batch 1 \(5 recipients\): SendGrid: gave up after 2"):
        send_notices(cfg, refused, RecordingReporter(), lambda plan: True, fixed_clock)
    assert states(cfg) == {"failed": 5}
    assert run(cfg, stub).sent == 5
    assert Counter(Counter(stub.accepted).values()) == {1: 5}


@pytest.mark.parametrize("answer", ["drop", "accept:502", "accept:504"])
def test_an_unknown_outcome_is_not_sent_again_unless_asked(
    config: Config, write_list: WriteList, stub: SendGridStub, answer: str
) -> None:
    rows = [(f"u{i}@example.jp", "", "", "customers", "ja") for i in range(2_500)]
    cfg = config(write_list(rows), transport="sendgrid")
    stub.script = ["accept", answer]
    with pytest.raises(
        NotifyError, match=r"outcome unknown.*not sent again unless --resend-unknown"
    ):
        run(cfg, stub)
    assert stub.requests == 2
    resumed = run(cfg, stub)
    assert [(b.id, b.size) for b in resumed.unknown] == [(2, 1000)]
    assert Counter(Counter(stub.accepted).values()) == {1: 2_500}
    assert states(cfg) == {"sent": 1_500, "unknown": 1_000}
    again = run(config(cfg.contacts, transport="sendgrid", resend_unknown=True), stub)
    assert (again.sent, states(cfg)) == (1_000, {"sent": 2_500})


# --- the sender, checked before anything ---


@pytest.mark.parametrize(
    ("field", "address", "reason"),
    [
        ("email", "in,fo@yokohama-toyopet.jp",
         "The email address contains invalid characters before the @-sign: ','."),
        ("email", "info.@yokohama-toyopet.jp",
         "An email address cannot have a period immediately before the @-sign."),
        ("reply_to", "ïnfo@yokohama-toyopet.jp",
         "Internationalized characters before the @-sign are not supported: 'ï'."),
        ("reply_to", "in(fo@yokohama-toyopet.jp",
         "The email address contains invalid characters before the @-sign: '('."),
    ],
)  # fmt: skip
def test_a_sender_a_mail_header_cannot_carry_stops_the_mailout_with_its_line(
    config: Config, write_list: WriteList, project: Path, field: str, address: str, reason: str
) -> None:
    site = project / "site.yaml"
    text = site.read_text(encoding="utf-8")
    line = f"  {field}: info@yokohama-toyopet.jp\n"
    assert text.count(line) == (2 if field == "email" else 1)
    site.write_text(text[::-1].replace(line[::-1], f"  {field}: '{address}'\n"[::-1], 1)[::-1])
    cfg = replace(config(write_list(people(3))), content=project)
    with pytest.raises(ContentError) as caught:
        run(cfg)
    row = 1 + site.read_text(encoding="utf-8")[: site.read_text().index(address)].count("\n")
    where = f"{site}:{row}:{len(field) + 5}: error: safe-mail: notify_from.{field}"
    assert [str(p) for p in caught.value.problems] == [
        f"{where}: '{address}' cannot be the sender of a mail: {reason}"
    ]
    assert not cfg.ledger_path.exists() and not cfg.outbox.exists()


# --- the dry run renders per shape, as the send does ---


def test_a_dry_run_builds_one_message_per_shape_as_the_send_does(
    config: Config, write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    real = mailout.build_mime

    def counted(notice: Notice, contact: Contact, now: datetime) -> EmailMessage:
        built.append(shape_of(contact))
        return real(notice, contact, now)

    monkeypatch.setattr(mailout, "build_mime", counted)
    result = run(config(write_list(people(3_000)), dry_run=True))
    assert result.plan.to_send == 3_000
    assert sorted(built) == ["", "name", "name+organization", "organization"]
    assert result.sample is not None and result.sample.is_file()
