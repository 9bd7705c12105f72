"""The SMTP transport against a real SMTP server on loopback (aiosmtpd): TLS, AUTH, faults."""

from __future__ import annotations

import dataclasses
import re
import socket
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.errors import NotifyError, OutcomeUnknown, RecipientRefused, Refused
from publisher.mailout import (
    MailoutConfig,
    MailoutResult,
    send_notices,
    summarize,
    transport_factory,
)
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Ledger, Mailing, Queued
from publisher.notify.message import MailBody, Notice, build_mime
from publisher.notify.outbox import OutboxTransport, eml_path
from publisher.notify.smtp import (
    SmtpSettings,
    SmtpTransport,
    _address_pattern,
    settings_from_environment,
)
from publisher.notify.transport import RetryPolicy
from publisher.reporter import RecordingReporter
from tests.notify.conftest import RELEASE, WriteList, fixed_clock, people
from tests.notify.test_message import notice
from tests.smtp_server import Certificates, SmtpServer, make_certificates

FAST = RetryPolicy(attempts=3, base=0.001, longest=0.01)
USER, PASSWORD = "mailer@yokohama-toyopet.jp", "s3cret-pass"
Serve = Callable[..., SmtpServer]
Config = Callable[..., MailoutConfig]


@pytest.fixture(scope="module")
def the_notice() -> Notice:
    return notice()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start SMTP servers for the test; stop them afterwards."""
    started: list[SmtpServer] = []

    def start(*args: Any, **options: Any) -> SmtpServer:
        started.append(SmtpServer(*args, **options).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()


def transport(
    server: SmtpServer,
    certificates: Certificates | None = None,
    security: str = "",
    user: str = "",
    password: str = "",
    **options: Any,
) -> SmtpTransport:
    """A transport to `server`, trusting the test CA, with short timeouts and fast retries."""
    found = SmtpSettings(
        "127.0.0.1", server.port, security or server.security, user, password, rate=1000
    )
    tls = certificates.client_context() if certificates else None
    options = {"timeout": 1.0, "data_timeout": 0.5, "retry": FAST, **options}
    return SmtpTransport(found, fixed_clock, tls, **options)


def queued(n: int, name: str = "利用者") -> list[Queued]:
    return [
        Queued(i + 1, 100 + i, Contact(i + 2, f"p{i}@example.jp", f"p{i}@example.jp", name))
        for i in range(n)
    ]


def send_each(sender: SmtpTransport, the_notice: Notice, batch: list[Queued]) -> list[str | None]:
    return [sender.send(the_notice, i, [q]) for i, q in enumerate(batch, 1)]


# --- one message per recipient, TLS and AUTH ---


def test_each_recipient_gets_the_outboxs_message_over_starttls_after_auth_plain(
    serve: Serve, certificates: Certificates, the_notice: Notice, tmp_path: Path
) -> None:
    server = serve("starttls", certificates, {USER: PASSWORD}, mechanisms=("PLAIN",))
    sender = transport(server, certificates, user=USER, password=PASSWORD)
    batch = queued(3, name="山田 <太郎>")
    ids = send_each(sender, the_notice, batch)
    sender.close()
    outbox = OutboxTransport(tmp_path, fixed_clock)
    outbox.send(the_notice, 1, batch)
    for message, q, sent_id in zip(server.accepted, batch, ids, strict=True):
        contact = q.contact
        assert message.recipients == (contact.email,)
        assert message.sender == the_notice.sender.email
        assert message.data == eml_path(tmp_path, the_notice, contact).read_bytes()
        assert (message.tls, message.login) == (True, USER)
        assert sent_id == build_mime(the_notice, contact, fixed_clock())["Message-ID"]
    assert (server.logins, server.sessions, server.quits) == ([("PLAIN", USER)], 1, 1)


def test_implicit_tls_logs_in_with_auth_login(
    serve: Serve, certificates: Certificates, the_notice: Notice
) -> None:
    server = serve("tls", certificates, {USER: PASSWORD}, mechanisms=("LOGIN",))
    send_each(transport(server, certificates, user=USER, password=PASSWORD), the_notice, queued(2))
    assert server.logins == [("LOGIN", USER)]
    assert [(m.recipients, m.tls) for m in server.accepted] == [
        (("p0@example.jp",), True),
        (("p1@example.jp",), True),
    ]


def test_a_server_that_offers_no_starttls_is_sent_nothing_in_clear_text(
    serve: Serve, the_notice: Notice
) -> None:
    server = serve("none", users={USER: PASSWORD})
    sender = transport(server, security="starttls", user=USER, password=PASSWORD)
    with pytest.raises(Refused, match="does not offer STARTTLS; nothing is sent in clear text"):
        sender.send(the_notice, 1, queued(1))
    assert (server.tried, server.accepted, server.sessions) == ([], [], 1)


def test_a_certificate_nobody_trusts_stops_before_anything_is_sent(
    serve: Serve, certificates: Certificates, the_notice: Notice
) -> None:
    server = serve("starttls", certificates, {USER: PASSWORD})
    sender = transport(server, user=USER, password=PASSWORD)  # the system's CAs only
    with pytest.raises(Refused, match=r"certificate is not trusted \(.+\); .*SSL_CERT_FILE"):
        sender.send(the_notice, 1, queued(1))
    assert (server.tried, server.accepted, server.sessions) == ([], [], 1)  # not retried


def test_eight_bit_mail_says_so_and_is_refused_by_a_server_without_8bitmime(
    serve: Serve, the_notice: Notice
) -> None:
    short = MailBody("name", "短いお知らせです。\n", "<p>短いお知らせです。</p>\n")
    eight_bit = dataclasses.replace(the_notice, bodies={**the_notice.bodies, "name": short})
    server = serve("none")
    transport(server).send(eight_bit, 1, queued(1))
    assert "BODY=8BITMIME" in server.accepted[0].options
    server.eight_bit = False
    with pytest.raises(Refused, match=r"does not take 8-bit mail \(no 8BITMIME\)"):
        transport(server).send(eight_bit, 2, queued(1))
    assert len(server.accepted) == 1


# --- one connection, a rate ---


def test_one_connection_carries_the_batch_and_is_opened_again_once_the_server_closes_it(
    serve: Serve, the_notice: Notice
) -> None:
    server = serve("none", close_after=3)
    waits: list[float] = []
    sender = transport(server, sleep=waits.append, monotonic=lambda: 0.0)
    send_each(sender, the_notice, queued(10))
    assert server.delivered() == [f"p{i}@example.jp" for i in range(10)]
    assert server.sessions == 4
    assert len(waits) == 9  # the rate's, never a retry's backoff


def test_the_rate_spaces_the_messages(serve: Serve, the_notice: Notice) -> None:
    server = serve("none")
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    sender = transport(server, sleep=sleep, monotonic=lambda: now[0])
    sender.settings = dataclasses.replace(sender.settings, rate=2.0)
    send_each(sender, the_notice, queued(5))
    assert waits == [0.5] * 4
    assert len(server.accepted) == 5


# --- what the server says, recipient by recipient ---

OUTCOMES = [
    (["rcpt:451"], RecipientRefused, "deferred the message at RCPT TO: 451 4.7.1 greylisted", 0),
    (["rcpt:550"], RecipientRefused, "refused the message at RCPT TO: 550 5.1.1 mailbox", 0),
    (["data:554"], RecipientRefused, "refused the message at the end of the message: 554", 0),
    (["data:451"], RecipientRefused, "deferred the message at the end of the message: 451", 0),
    (["drop"], OutcomeUnknown, "no answer after the end of the message", 1),
    (["slow-data"], OutcomeUnknown, "no answer after the end of the message .*timed out", 1),
]


@pytest.mark.parametrize(("faults", "kind", "said", "kept"), OUTCOMES)
def test_what_the_server_answers_decides_the_recipients_outcome(
    serve: Serve,
    the_notice: Notice,
    faults: list[str],
    kind: type[Exception],
    said: str,
    kept: int,
) -> None:
    server = serve("none", delay=2.0)
    server.faults = {"p0@example.jp": faults}
    sender = transport(server)
    with pytest.raises(kind, match=said) as caught:
        sender.send(the_notice, 1, queued(1))
    assert "p0@example.jp" not in str(caught.value)
    assert len(server.accepted) == kept
    sender.send(the_notice, 2, queued(2)[1:])  # the next recipient still goes
    assert server.delivered()[-1] == "p1@example.jp"
    assert server.sessions == (1 if kind is RecipientRefused else 2)


@pytest.mark.parametrize(
    ("address", "text"),
    [
        ("p0@example.jp", "5.7.1 see https://x.example.net/?q=" + "z" * 253 + "&rcpt={rcpt}"),
        ("p0@example.jp", "5.7.1 see https://x.example.net/?rcpt=p0%40example.jp for why"),
        ("p0@example.jp", "5.7.1 see https://x.example.net/?rcpt=P0%40Example.JP for why"),
        ("o'brien@example.jp", "5.7.1 see https://x.example.net/?rcpt=o'brien%40example.jp"),
        ("p0+tag@example.jp", "5.7.1 see https://x.example.net/?rcpt=p0+tag%40example.jp"),
        ("taro~y@example.jp", "5.7.1 see https://x.example.net/?rcpt=taro%7Ey%40example.jp"),
        ("p0.user@example.jp", "5.7.1 see https://x.example.net/%3Frcpt%3Dp0.user%2540example.jp"),
    ],
    ids=[
        "the cut in the address", "percent-encoded", "percent-encoded, other case",
        "a quote left as it is", "a plus left as it is", "a tilde encoded", "encoded twice",
    ],
)  # fmt: skip
def test_no_part_of_the_recipients_address_is_in_what_the_server_said(
    serve: Serve, the_notice: Notice, address: str, text: str
) -> None:
    """The refusal goes to the console and the ledger: the address is taken out of the reply
    before it is cut to 300 characters, however a link in it encodes the address."""
    server = serve("none")
    server.faults = {address: [f"rcpt:550:{text}"]}
    local = address.partition("@")[0]
    recipient = [Queued(1, 100, Contact(0, address, address, ""))]
    with pytest.raises(RecipientRefused) as caught:
        transport(server).send(the_notice, 1, recipient)
    said = str(caught.value)
    assert local[:3].lower() not in said.lower().partition("rcpt to: ")[2], said
    assert "<recipient>" in said or len(said.partition("RCPT TO: ")[2]) <= 300, said


def test_the_address_is_blotted_in_its_unicode_form_and_never_inside_another() -> None:
    said = "550 <taro@例え.jp> and <TARO@XN--R8JZ45G.JP>"
    for given in ("taro@xn--r8jz45g.jp", "taro@例え.jp"):  # as the list gave the domain
        assert _address_pattern(given).sub("<r>", said) == "550 <<r>> and <<r>>"
    other = _address_pattern("ty@example.jp", "ty@example.jp")
    said = "relay from <security@example.jp> to <ty@example.jp> denied"
    assert other.sub("<r>", said) == "relay from <security@example.jp> to <<r>> denied"


def test_a_password_whose_spaces_the_server_made_single_is_not_shown(
    serve: Serve, certificates: Certificates, the_notice: Notice
) -> None:
    password = "horse  battery staple"  # two spaces, which the reply's one line makes one
    server = serve("starttls", certificates, {USER: "the real one"})
    server.echo_password = True
    sender = transport(server, certificates, user=USER, password=password)
    with pytest.raises(Refused) as caught:
        send_each(sender, the_notice, queued(1))
    assert "[password]" in str(caught.value) and "battery" not in str(caught.value)


def test_an_unknown_outcome_names_the_message_id_to_look_for(
    serve: Serve, the_notice: Notice
) -> None:
    server = serve("none")
    server.faults = {"p0@example.jp": ["drop"]}
    with pytest.raises(OutcomeUnknown) as caught:
        transport(server).send(the_notice, 1, queued(1))
    wanted = build_mime(the_notice, queued(1)[0].contact, fixed_clock())["Message-ID"]
    assert f"{wanted} may have been accepted; the server's log says" in str(caught.value)


def test_421_closes_the_session_and_the_recipient_is_tried_again_on_a_new_one(
    serve: Serve, the_notice: Notice
) -> None:
    server = serve("none")
    server.faults = {"p0@example.jp": ["rcpt:421"]}
    waits: list[float] = []
    transport(server, sleep=waits.append).send(the_notice, 1, queued(1))
    assert (server.delivered(), server.sessions) == (["p0@example.jp"], 2)
    assert waits == [FAST.backoff(1)]


def test_a_server_that_keeps_saying_421_is_given_up_on(serve: Serve, the_notice: Notice) -> None:
    server = serve("none")
    server.faults = {"p0@example.jp": ["rcpt:421"] * 5}
    with pytest.raises(
        Refused,
        match=r"gave up after 3 attempts \(RCPT TO: 421 4.3.2 service shutting down\); "
        "nothing was accepted",
    ):
        transport(server).send(the_notice, 1, queued(1))
    assert (server.accepted, server.sessions) == ([], 3)


def test_a_slow_answer_before_the_message_is_tried_again(serve: Serve, the_notice: Notice) -> None:
    server = serve("none", delay=2.0)
    server.faults = {"p0@example.jp": ["slow-rcpt"]}
    transport(server, timeout=0.5).send(the_notice, 1, queued(1))
    assert (server.delivered(), server.sessions) == (["p0@example.jp"], 2)


def test_a_server_nobody_answers_at_is_given_up_on(the_notice: Notice) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings = SmtpSettings("127.0.0.1", port, "none", rate=1000)
    sender = SmtpTransport(settings, fixed_clock, timeout=1, retry=FAST)
    with pytest.raises(Refused, match=r"gave up after 3 attempts \(could not connect: .*refused"):
        sender.send(the_notice, 1, queued(1))


def test_a_batch_is_one_recipient(the_notice: Notice) -> None:
    sender = SmtpTransport(SmtpSettings("127.0.0.1", 25, "none"), fixed_clock)
    with pytest.raises(ValueError, match="an SMTP batch is one recipient, not 2"):
        sender.send(the_notice, 1, queued(2))


# --- settings from the environment ---


def test_settings_default_the_port_by_security_and_keep_the_password_out_of_sight() -> None:
    host = {"PUBLISHER_SMTP_HOST": "mail.example.jp"}
    found = settings_from_environment(
        host | {"PUBLISHER_SMTP_USER": USER, "PUBLISHER_SMTP_PASSWORD": PASSWORD}
    )
    assert (found.port, found.security, found.rate, found.user) == (587, "starttls", 5.0, USER)
    assert PASSWORD not in repr(found)
    assert settings_from_environment(host | {"PUBLISHER_SMTP_SECURITY": "TLS"}).port == 465
    local = {"PUBLISHER_SMTP_HOST": "localhost", "PUBLISHER_SMTP_SECURITY": "none"}
    assert settings_from_environment(local | {"PUBLISHER_SMTP_RATE": "0.5"}).rate == 0.5
    assert settings_from_environment(local).port == 25


BAD_SETTINGS = [
    ({"PUBLISHER_SMTP_HOST": " "}, "PUBLISHER_SMTP_HOST is not set; it names the mail server"),
    (
        {"PUBLISHER_SMTP_HOST": f"smtp://{USER}:{PASSWORD}@mail.example.jp"},
        "PUBLISHER_SMTP_HOST is not a host name or address (mail.example.jp)",
    ),
    (
        {"PUBLISHER_SMTP_SECURITY": "ssl"},
        "PUBLISHER_SMTP_SECURITY is 'ssl'; it is starttls, tls or none",
    ),
    (
        {"PUBLISHER_SMTP_SECURITY": "none"},
        "PUBLISHER_SMTP_SECURITY=none would send in clear text to mail.example.jp; it is only "
        "for a server on this machine (localhost, 127.0.0.1): use starttls or tls",
    ),
    (
        {"PUBLISHER_SMTP_PORT": "smtp"},
        "PUBLISHER_SMTP_PORT is 'smtp'; it is a port number, 1 to 65535",
    ),
    ({"PUBLISHER_SMTP_PORT": "70000"}, "PUBLISHER_SMTP_PORT is '70000'; it is a port number"),
    (
        {"PUBLISHER_SMTP_RATE": "0"},
        "PUBLISHER_SMTP_RATE is '0'; it is how many messages a second, above 0 "
        "(0.5: one every two seconds)",
    ),
    ({"PUBLISHER_SMTP_RATE": "fast"}, "PUBLISHER_SMTP_RATE is 'fast'; it is how many"),
    ({"PUBLISHER_SMTP_RATE": "nan"}, "PUBLISHER_SMTP_RATE is 'nan'; it is how many"),
    (
        {"PUBLISHER_SMTP_USER": USER},
        "PUBLISHER_SMTP_USER is set but PUBLISHER_SMTP_PASSWORD is not; "
        "set both to log in, or neither",
    ),
    (
        {"PUBLISHER_SMTP_PASSWORD": PASSWORD},
        "PUBLISHER_SMTP_PASSWORD is set but PUBLISHER_SMTP_USER is not",
    ),
    (
        {"PUBLISHER_SMTP_USER": USER, "PUBLISHER_SMTP_PASSWORD": "pässword\n"},
        "PUBLISHER_SMTP_PASSWORD holds a line break or a character outside ASCII, which SMTP "
        "AUTH here cannot send (the password is not shown)",
    ),
]


@pytest.mark.parametrize(("environ", "message"), BAD_SETTINGS)
def test_bad_settings_stop_the_run_saying_which(environ: dict[str, str], message: str) -> None:
    with pytest.raises(NotifyError) as caught:
        settings_from_environment({"PUBLISHER_SMTP_HOST": "mail.example.jp", **environ})
    assert str(caught.value).startswith(message)
    assert PASSWORD not in str(caught.value) and "pässword" not in str(caught.value)


# --- mailouts: what the ledger records, and what a rerun sends ---


def run(
    config: MailoutConfig, server: SmtpServer, reporter: RecordingReporter | None = None
) -> MailoutResult:
    """Run the SMTP mailout `config` describes, to `server`."""
    reporter = reporter or RecordingReporter()
    return send_notices(config, lambda: transport(server), reporter, lambda plan: True, fixed_clock)


def states(config: MailoutConfig) -> dict[str, int]:
    with Ledger.read(config.ledger_path) as ledger:
        return {s: n for s, n in ledger.counts(Mailing(RELEASE, "smtp")).items() if n}


def rows(config: MailoutConfig) -> dict[str, dict[str, Any]]:
    with Ledger.read(config.ledger_path) as ledger:
        return {r["email"]: r for r in ledger.records(RELEASE)}


def test_refused_and_deferred_recipients_are_failed_the_rest_sent_and_a_rerun_sends_them_once(
    config: Config, write_list: WriteList, serve: Serve
) -> None:
    contacts = people(12)
    cfg = config(write_list(contacts), transport="smtp")
    server = serve("none")
    server.faults = {
        "person1@example.jp": ["rcpt:451"],
        "person2@example.jp": ["rcpt:550"],
        "person3@example.jp": ["data:554"],
        "person4@example.jp": ["rcpt:421"],  # tried again on a new connection within the run
    }
    reporter = RecordingReporter()
    result = run(cfg, server, reporter)
    assert (result.sent, result.refused, result.batches) == (9, 3, 9)
    assert states(cfg) == {"sent": 9, "failed": 3}
    found = rows(cfg)
    assert "deferred the message at RCPT TO: 451" in found["person1@example.jp"]["error"]
    assert "refused the message at RCPT TO: 550" in found["person2@example.jp"]["error"]
    assert "at the end of the message: 554" in found["person3@example.jp"]["error"]
    assert found["person4@example.jp"]["state"] == "sent"
    warned = [m for m in reporter.messages if m.startswith("warning: batch")]
    assert len(warned) == 3
    person1 = next(m for m in warned if "(line 3 " in m)  # the header is line 1
    assert re.fullmatch(
        r"warning: batch \d+ \(line 3 of the list\): the mail server 127\.0\.0\.1:\d+ deferred "
        r"the message at RCPT TO: 451 4\.7\.1 greylisted, try again later; the next run tries "
        "again",
        person1,
    )
    assert not [m for m in reporter.messages if "@example.jp" in m]
    summarize(result, reporter)
    assert "warning: 3 recipients were refused or deferred by the mail server" in "\n".join(
        reporter.messages
    )
    again = run(cfg, server)
    assert (again.plan.to_send, again.sent) == (3, 3)
    assert Counter(server.delivered()) == Counter({row[0]: 1 for row in contacts})
    assert states(cfg) == {"sent": 12}
    assert run(cfg, server).plan.to_send == 0


def same_shape(n: int) -> list[tuple[str, ...]]:
    return [(f"p{i}@example.jp", "名前", "", "customers", "ja") for i in range(n)]


def test_a_connection_lost_after_the_message_is_unknown_and_sent_again_only_when_asked(
    config: Config, write_list: WriteList, serve: Serve
) -> None:
    cfg = config(write_list(same_shape(6)), transport="smtp")
    server = serve("none")
    server.faults = {"p2@example.jp": ["drop"]}
    with pytest.raises(
        NotifyError,
        match=r"batch 3 \(1 recipient\): outcome unknown: the mail server 127\.0\.0\.1:\d+: no "
        r"answer after the end of the message .*<notice\.\w+@yokohama-toyopet\.jp> may have "
        r"been accepted.*not sent again unless --resend-unknown",
    ):
        run(cfg, server)
    assert states(cfg) == {"sent": 2, "unknown": 1, "pending": 3}
    reporter = RecordingReporter()
    again = run(cfg, server, reporter)
    summarize(again, reporter)
    assert again.sent == 3
    assert Counter(server.delivered())["p2@example.jp"] == 1  # kept by the server, never resent
    assert states(cfg) == {"sent": 5, "unknown": 1}
    assert any("check the mail server's log, or --resend-unknown" in m for m in reporter.messages)
    run(dataclasses.replace(cfg, resend_unknown=True), server)
    assert Counter(server.delivered()) == {
        **{f"p{i}@example.jp": 1 for i in range(6)},
        "p2@example.jp": 2,
    }
    assert states(cfg) == {"sent": 6}


def test_a_server_that_stays_silent_stops_the_mailout_and_the_next_run_goes_on(
    config: Config, write_list: WriteList, serve: Serve
) -> None:
    cfg = config(write_list(same_shape(4)), transport="smtp")
    server = serve("none", delay=3.0)
    server.faults = {"p1@example.jp": ["slow-rcpt"] * 3}
    with pytest.raises(
        NotifyError,
        match=r"batch 2 \(1 recipient\): the mail server 127\.0\.0\.1:\d+: gave up after 3 "
        r"attempts \(RCPT TO: the connection was lost \(.*timed out\)\); nothing was accepted",
    ):
        run(cfg, server)
    assert states(cfg) == {"sent": 1, "failed": 1, "pending": 2}
    run(cfg, server)
    assert Counter(server.delivered()) == {f"p{i}@example.jp": 1 for i in range(4)}
    assert states(cfg) == {"sent": 4}


def test_a_refused_login_stops_the_mailout_and_the_password_is_never_shown(
    config: Config, write_list: WriteList, serve: Serve, certificates: Certificates
) -> None:
    cfg = config(write_list(same_shape(2)), transport="smtp")
    server = serve("starttls", certificates, {USER: "the real one"})
    server.echo_password = True  # it quotes the password it was given
    sender = transport(server, certificates, user=USER, password=PASSWORD)
    reporter = RecordingReporter()
    with pytest.raises(NotifyError) as caught:
        send_notices(cfg, lambda: sender, reporter, lambda plan: True, fixed_clock)
    shown = [str(caught.value), *reporter.messages, *(r["error"] or "" for r in rows(cfg).values())]
    assert f"refused the login of {USER!r}" in shown[0] and "[password]" in shown[0]
    assert not [text for text in shown if PASSWORD in text]
    assert states(cfg) == {"failed": 1, "pending": 1}
    assert server.accepted == []


def test_a_long_refusal_that_quotes_the_password_shows_none_of_it(
    serve: Serve, certificates: Certificates, the_notice: Notice
) -> None:
    """A reply is cut to 300 characters for the message: the password it quotes is blotted out
    first, so not even its first characters are shown where the cut falls inside it."""
    server = serve("starttls", certificates, {USER: "the real one"})
    server.echo_password = True
    server.echo_before = "x" * 269  # "535 5.7.8 bad login (xxx…got " ends 6 short of the cut
    sender = transport(server, certificates, user=USER, password=PASSWORD)
    with pytest.raises(Refused) as caught:
        send_each(sender, the_notice, queued(1))
    said = str(caught.value)
    assert f"refused the login of {USER!r}" in said
    assert not any(PASSWORD[:n] in said for n in range(4, len(PASSWORD) + 1)), said


def test_notify_send_by_smtp_reads_its_settings_from_the_environment(
    config: Config,
    write_list: WriteList,
    serve: Serve,
    certificates: Certificates,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = serve("starttls", certificates, {USER: PASSWORD})
    environ = {
        "PUBLISHER_SMTP_HOST": "localhost",
        "PUBLISHER_SMTP_PORT": str(server.port),
        "PUBLISHER_SMTP_USER": USER,
        "PUBLISHER_SMTP_PASSWORD": PASSWORD,
        "PUBLISHER_SMTP_RATE": "1000",
        "SSL_CERT_FILE": str(certificates.ca),  # the organisation's own CA
    }
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    cfg = config(write_list(people(5)), transport="smtp")
    make = transport_factory("smtp", cfg.outbox, fixed_clock)
    result = send_notices(cfg, make, RecordingReporter(), lambda plan: True, fixed_clock)
    assert (result.sent, states(cfg)) == (5, {"sent": 5})
    assert (server.sessions, server.logins, server.quits) == (1, [("PLAIN", USER)], 1)
    assert all(m.tls and m.login == USER for m in server.accepted)
