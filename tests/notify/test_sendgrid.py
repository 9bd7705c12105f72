"""The SendGrid transport with the official client against a local stand-in that checks bodies."""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
from types import SimpleNamespace
from typing import Any

import pytest

from publisher.errors import NotifyError, OutcomeUnknown, Refused
from publisher.notify.contacts import Contact
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice, personalize
from publisher.notify.sendgrid import RetryPolicy, SendGridTransport, payload
from tests.notify.test_message import notice
from tests.sendgrid_server import SendGridStub

FAST = RetryPolicy(attempts=3, base=0.001, longest=0.01)


@pytest.fixture(scope="module")
def the_notice() -> Notice:
    return notice()


def queued(n: int, name: str = "", start: int = 0) -> list[Queued]:
    return [
        Queued(i + 1, 100 + i, Contact(i, f"p{i}@example.jp", f"p{i}@example.jp", name))
        for i in range(start, start + n)
    ]


def transport(stub: SendGridStub, **options: Any) -> SendGridTransport:
    return SendGridTransport(stub.api_key, stub.url, timeout=5, retry=FAST, **options)


def test_a_batch_is_one_request_with_one_personalization_each(
    stub: SendGridStub, the_notice: Notice
) -> None:
    batch = queued(1000, name="山田 <太郎>")
    message_id = transport(stub).send(the_notice, 7, batch)
    assert message_id == "msg-1"
    assert stub.requests == 1
    body = stub.bodies[0]
    assert len(body["personalizations"]) == 1000
    assert sorted(stub.accepted) == sorted(q.contact.address for q in batch)
    first = body["personalizations"][0]
    assert first["custom_args"] == {"recipient": "100"}
    assert body["custom_args"] == {"release": "emotet-2020/2020-11-14", "batch": "7"}
    assert body["tracking_settings"]["click_tracking"] == {"enable": False, "enable_text": False}
    assert "attachments" not in body


def test_substitutions_give_each_recipient_what_the_outbox_writes(the_notice: Notice) -> None:
    batch = queued(1, name="山田 <太郎>")
    body = payload(the_notice, 1, batch, sandbox=False)
    text, html = body["content"][0]["value"], body["content"][1]["value"]
    for key, value in body["personalizations"][0]["substitutions"].items():
        text, html = text.replace(key, value), html.replace(key, value)
    assert (text, html) == personalize(the_notice.body(batch[0].contact), batch[0].contact)
    assert "山田 &lt;太郎&gt; 様" in html


def test_custom_args_carry_no_personal_data(the_notice: Notice) -> None:
    body = payload(the_notice, 1, queued(3, name="山田"), sandbox=False)
    values = [*body["custom_args"].values()]
    values += [v for p in body["personalizations"] for v in p["custom_args"].values()]
    assert not [v for v in values if "@" in v or "山田" in v]


def test_more_than_1000_recipients_is_never_one_request(the_notice: Notice) -> None:
    with pytest.raises(ValueError, match="1 to 1000 recipients, not 1001"):
        payload(the_notice, 1, queued(1001), sandbox=False)


def test_429_waits_until_the_rate_limit_resets_then_retries(
    stub: SendGridStub, the_notice: Notice
) -> None:
    stub.script = [(429, {"X-RateLimit-Reset": "1000003"}, {"errors": [{"message": "slow down"}]})]
    waits: list[float] = []
    sender = SendGridTransport(
        stub.api_key,
        stub.url,
        retry=RetryPolicy(3, 0.001, 60),
        sleep=waits.append,
        wall=lambda: 1_000_000.0,
    )
    assert sender.send(the_notice, 1, queued(5)) == "msg-2"
    assert waits == [3.0]
    assert stub.requests == 2 and len(stub.accepted) == 5


def test_5xx_backs_off_and_retries(stub: SendGridStub, the_notice: Notice) -> None:
    stub.script = [(500, {}, {"errors": [{"message": "oops"}]}), (503, {}, {})]
    waits: list[float] = []
    assert transport(stub, sleep=waits.append).send(the_notice, 1, queued(3)) == "msg-3"
    assert waits == [0.001, 0.002]
    assert sorted(stub.accepted) == sorted(q.contact.address for q in queued(3))


def test_persistent_5xx_gives_up_as_refused(stub: SendGridStub, the_notice: Notice) -> None:
    stub.script = [(500, {}, {})] * 3
    with pytest.raises(Refused, match=r"gave up after 3 attempts \(500 server error\)"):
        transport(stub, sleep=lambda s: None).send(the_notice, 1, queued(2))
    assert stub.accepted == []


def test_a_4xx_stops_with_sendgrids_message(stub: SendGridStub, the_notice: Notice) -> None:
    error = {
        "errors": [
            {
                "message": "The from address does not match a verified Sender Identity.",
                "field": "from",
            }
        ]
    }
    stub.script = [(403, {}, error)]
    with pytest.raises(Refused) as caught:
        transport(stub).send(the_notice, 1, queued(2))
    assert str(caught.value) == (
        "SendGrid refused the batch (403): from: The from address does not match a verified "
        "Sender Identity."
    )
    assert stub.requests == 1


def test_a_connection_dropped_after_the_request_is_an_unknown_outcome(
    stub: SendGridStub, the_notice: Notice
) -> None:
    stub.script = ["drop"]
    with pytest.raises(OutcomeUnknown, match="may have been accepted"):
        transport(stub).send(the_notice, 1, queued(4))
    assert stub.requests == 1 and len(stub.accepted) == 4


def test_a_stalled_answer_times_out_as_an_unknown_outcome(
    stub: SendGridStub, the_notice: Notice
) -> None:
    stub.script = ["stall"]
    sender = SendGridTransport(stub.api_key, stub.url, timeout=0.5, retry=FAST)
    with pytest.raises(OutcomeUnknown, match="TimeoutError"):
        sender.send(the_notice, 1, queued(2))
    assert stub.requests == 1


def test_a_refused_connection_is_retried_then_given_up(the_notice: Notice) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    sender = SendGridTransport("SG.k", f"http://127.0.0.1:{port}", retry=FAST, sleep=lambda s: None)
    with pytest.raises(Refused, match=r"gave up after 3 attempts \(could not send the request: "):
        sender.send(the_notice, 1, queued(1))
    assert sender.requests == 3


def test_the_api_key_is_never_logged_even_at_debug(
    stub: SendGridStub, the_notice: Notice, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Refused) as caught:
        SendGridTransport("SG.secret-key", stub.url, retry=FAST).send(the_notice, 1, queued(1))
    assert "SG.secret-key" not in caplog.text + str(caught.value)
    assert str(caught.value) == (
        "SendGrid refused the batch (401): "
        "The provided authorization grant is invalid, expired, or revoked"
    )


def test_sandbox_mode_is_accepted_with_200(stub: SendGridStub, the_notice: Notice) -> None:
    assert transport(stub, sandbox=True).send(the_notice, 1, queued(2)) == "msg-1"
    assert stub.bodies[0]["mail_settings"] == {"sandbox_mode": {"enable": True}}


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (["accept:502"], "SendGrid's address answered 502: an answer from a "
         "gateway says nothing of whether SendGrid accepted the batch"),
        (["accept:504"], "SendGrid's address answered 504: an answer from a "
         "gateway says nothing of whether SendGrid accepted the batch"),
        ([(502, {}, {"errors": [{"message": "Bad Gateway"}]})], "SendGrid's address answered "
         "502 (Bad Gateway): an answer from a gateway says nothing of whether SendGrid accepted "
         "the batch"),
        ([(507, {}, {"errors": []})], "SendGrid's address answered 507: an answer from a "
         "gateway says nothing of whether SendGrid accepted the batch"),
        (["drop"], "SendGrid: no answer after the request was sent (RemoteDisconnected: Remote "
         "end closed connection without response); it may have been accepted"),
    ],
)  # fmt: skip
def test_a_gateway_error_or_a_drop_after_the_request_is_unknown_and_never_repeated(
    stub: SendGridStub, the_notice: Notice, script: list[Any], message: str
) -> None:
    stub.script = script
    waits: list[float] = []
    with pytest.raises(OutcomeUnknown) as caught:
        transport(stub, sleep=waits.append).send(the_notice, 1, queued(3))
    assert str(caught.value) == message
    assert (stub.requests, waits) == (1, [])


@pytest.mark.parametrize(
    "key", ["SG.secret-key\n", "SG.secret-key\r\nX-Other: 1", " SG.secret-key", "SG.ｓecret", ""]
)
def test_an_api_key_a_header_cannot_carry_is_refused_before_any_request_and_not_shown(
    stub: SendGridStub, key: str
) -> None:
    with pytest.raises(NotifyError) as caught:
        SendGridTransport(key, stub.url)
    assert str(caught.value) == (
        "SENDGRID_API_KEY holds a line break, a space or another character an HTTP header "
        "cannot carry (the key is not shown); set it to the key alone"
    )
    assert stub.requests == 0


def test_a_request_the_client_cannot_make_is_refused_not_unknown_and_the_key_not_shown(
    stub: SendGridStub, the_notice: Notice
) -> None:
    sender = transport(stub)  # as if the key's line break had got past the check
    sender.client.client.request_headers["Authorization"] = f"Bearer {stub.api_key}\n"
    with pytest.raises(Refused) as caught:
        sender.send(the_notice, 1, queued(2))
    assert str(caught.value) == (
        "SendGrid: the request could not be made (Invalid header value b'Bearer [API key]\\n')"
    )
    assert stub.requests == 0


KEY = "SG.secret-key.0123456789"


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (ValueError(f"Invalid header value b'Bearer {KEY}\\r'"), Refused),
        (urllib.error.URLError(f"proxy refused {KEY!r}"), Refused),
        (http.client.InvalidURL(f"bad port in https://{KEY}@x"), Refused),
        (ConnectionResetError(f"reset after Authorization: Bearer {KEY}"), OutcomeUnknown),
        (http.client.RemoteDisconnected(f"closed; sent {KEY.encode()!r}"), OutcomeUnknown),
        (RuntimeError(f"unexpected {KEY}"), OutcomeUnknown),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else v.__name__,
)
def test_no_error_of_the_client_shows_the_api_key(
    the_notice: Notice, error: Exception, outcome: type[Exception]
) -> None:
    sender = SendGridTransport(KEY, "http://127.0.0.1:9", retry=FAST, sleep=lambda s: None)

    def post(**options: Any) -> None:
        raise error

    sender.client.client = SimpleNamespace(mail=SimpleNamespace(send=SimpleNamespace(post=post)))
    with pytest.raises(outcome) as caught:
        sender.send(the_notice, 1, queued(1))
    assert KEY not in str(caught.value) and "[API key]" in str(caught.value)


def test_a_long_answer_that_echoes_the_key_shows_none_of_it(the_notice: Notice) -> None:
    """A reply that is not SendGrid's JSON is cut short for the message: the key it echoes is
    blotted out first, so not even its first characters are shown where the cut falls inside it."""
    server = SendGridStub(api_key=KEY).start()
    try:
        shown = 300  # how much of such a reply the message shows
        before = " Bearer "
        echoed = "x" * (shown - 1 - len(before) - 8) + before + KEY + " (echoed by a proxy)"
        server.script = [(400, {}, echoed)]  # a JSON string ("…"), not SendGrid's errors
        with pytest.raises(Refused) as caught:
            transport(server).send(the_notice, 1, queued(1))
    finally:
        server.stop()
    said = str(caught.value)
    assert said.endswith(" Bearer [API key")  # the cut falls within what stands for the key
    assert not any(KEY[:n] in said for n in range(4, len(KEY) + 1)), said
