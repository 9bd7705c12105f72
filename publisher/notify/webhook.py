"""`publisher notify webhook`: SendGrid's signed Event Webhook, on 127.0.0.1, into the ledger.

It listens on loopback only; in production a reverse proxy in front of it takes SendGrid's
HTTPS. Every POST must carry SendGrid's signature of its timestamp and body (ECDSA P-256 over
SHA-256, checked with `sendgrid.helpers.eventwebhook` against the public key in
SENDGRID_WEBHOOK_PUBLIC_KEY, as SendGrid's settings show it, or as PEM). Answers:

    403  the signature or timestamp header missing; the timestamp older than MAX_AGE (10
         minutes) or more than MAX_AHEAD (1 minute) ahead of this machine's clock; the signature
         not SendGrid's for that timestamp and body. Nothing is read from the body.
    411  no Content-Length;  413  a body over MAX_BODY;  400  signed, but not a JSON array
    503  the ledger could not take the events (another program's long write, a full disk):
         nothing was stored, and SendGrid sends them again later
    200  stored (publisher.notify.events); the answer is the counts, as JSON
    405  anything but a POST

A signed body replayed within the ten minutes stores nothing twice: each event is kept once, by
its sg_event_id. One line per POST is logged: its counts, or why it was refused; never an
address, and of an unexpected failure only its kind.
"""

from __future__ import annotations

import binascii
import http.server
import json
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from http import HTTPStatus
from pathlib import Path
from typing import Any

from publisher.errors import NotifyError
from publisher.messages import _
from publisher.notify.events import EventStore, Tally, parse_events
from publisher.reporter import Reporter

SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"
KEY_VARIABLE = "SENDGRID_WEBHOOK_PUBLIC_KEY"
MAX_AGE = 600.0  # seconds a signature stays good
MAX_AHEAD = 60.0  # how far ahead of this clock a timestamp may be (the two clocks differ)
MAX_BODY = 32 * 1024 * 1024
IDLE = 30.0  # seconds a connection may stay silent
_PEM_LINE = re.compile(r"-----(BEGIN|END) PUBLIC KEY-----|\s")


class Verifier:
    """Checks SendGrid's signature and timestamp of a POST."""

    def __init__(self, public_key: str, wall: Callable[[], float] = time.time) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec
        from sendgrid.helpers.eventwebhook import EventWebhook

        self.hook = EventWebhook()
        try:
            key = self.hook.convert_public_key_to_ecdsa(_PEM_LINE.sub("", public_key))
        except ValueError:
            key = None
        if not isinstance(key, ec.EllipticCurvePublicKey):
            said = _(
                "{variable} is not an elliptic curve public key; set it to the verification key "
                "SendGrid shows for the signed Event Webhook"
            )
            raise NotifyError(said.format(variable=KEY_VARIABLE))
        self.key = key
        self.wall = wall

    @classmethod
    def from_environment(cls, wall: Callable[[], float] = time.time) -> Verifier:
        """A verifier with the key in SENDGRID_WEBHOOK_PUBLIC_KEY."""
        key = os.environ.get(KEY_VARIABLE, "").strip()
        if not key:
            said = _("{variable} is not set; it holds the signed Event Webhook's verification key")
            raise NotifyError(said.format(variable=KEY_VARIABLE))
        return cls(key, wall)

    def refusal(self, body: bytes, signature: str | None, timestamp: str | None) -> str | None:
        """Why the POST is refused, or None if SendGrid signed it a moment ago."""
        if not signature or not timestamp:
            return "no signature: the signature and timestamp headers are missing"
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            return "the timestamp is not a time"
        age = self.wall() - int(timestamp)
        if age > MAX_AGE:
            return f"the signature is stale: signed {age:.0f} s ago (at most {MAX_AGE:.0f})"
        if -age > MAX_AHEAD:
            return f"the signature is from the future: {-age:.0f} s ahead of this clock"
        if not self._signed(body, signature, timestamp):
            return "the signature does not match the timestamp and body"
        return None

    def _signed(self, body: bytes, signature: str, timestamp: str) -> bool:
        try:
            payload = body.decode("utf-8")
            return bool(self.hook.verify_signature(payload, signature, timestamp, self.key))
        except (UnicodeDecodeError, binascii.Error, ValueError):
            return False


class Webhook:
    """What the server does with a POST, HTTP aside: check, parse, store, count, log."""

    def __init__(self, verifier: Verifier, store: EventStore, reporter: Reporter) -> None:
        self.verifier = verifier
        self.store = store
        self.reporter = reporter
        self.total = Tally()
        self._lock = threading.Lock()

    def handle(self, body: bytes, signature: str | None, timestamp: str | None) -> tuple[int, Any]:
        """The status and JSON answer to a POST of `body` with these headers."""
        refused = self.verifier.refusal(body, signature, timestamp)
        if refused:
            # the reason as SendGrid is answered it (English), in a line in the user's language
            self.reporter.warn(_("refused a POST (403): {reason}").format(reason=refused))
            return HTTPStatus.FORBIDDEN, {"error": refused}
        try:
            events, tally = parse_events(json.loads(body))
        except ValueError as exc:
            message = f"not a JSON array of events: {_short(exc)}"
            self.reporter.warn(_("refused a signed POST (400): {reason}").format(reason=message))
            return HTTPStatus.BAD_REQUEST, {"error": message}
        with self._lock:
            try:
                tally.add(self.store.store(events))
            except NotifyError as exc:
                said = _("could not store a POST (503; SendGrid sends it again): {error}")
                self.reporter.warn(said.format(error=exc))
                return HTTPStatus.SERVICE_UNAVAILABLE, {"error": "the ledger is unavailable"}
            self.total.add(tally)
            self.reporter.info(f"POST: {tally}")
        return HTTPStatus.OK, asdict(tally)


def _short(exc: ValueError) -> str:
    """Where a body is not JSON, without quoting it."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at character {exc.pos}"
    return str(exc) if "JSON array" in str(exc) else "not UTF-8"


class WebhookServer:
    """The HTTP server on 127.0.0.1:port (0: any free port), serving in threads."""

    def __init__(self, webhook: Webhook, port: int) -> None:
        self.webhook = webhook
        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(webhook))
        self.http.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where it listens."""
        host, port = self.http.server_address[:2]
        return f"http://{host!s}:{port}/"

    def serve(self) -> None:
        """Serve until interrupted."""
        self.http.serve_forever()

    def start(self) -> WebhookServer:
        """Serve in a thread (for tests and the bench)."""
        self._thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and let go of the port."""
        if self._thread is not None:
            self.http.shutdown()
            self._thread.join()
        self.http.server_close()


def _handler(webhook: Webhook) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = IDLE
        server_version = "publisher-webhook"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the webhook logs its own line per POST, never the request's contents

        def do_POST(self) -> None:
            length = self.headers.get("Content-Length")
            if length is None:
                self._answer(HTTPStatus.LENGTH_REQUIRED, {"error": "no Content-Length"})
            elif not (length.isascii() and length.isdigit()):
                self._answer(HTTPStatus.BAD_REQUEST, {"error": "a bad Content-Length"})
            elif int(length) > MAX_BODY:
                self.close_connection = True
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "body too large"})
            else:
                body = self.rfile.read(int(length))
                headers = (self.headers.get(SIGNATURE), self.headers.get(TIMESTAMP))
                self._answer(*self._handle(body, *headers))

        def _handle(self, body: bytes, *headers: str | None) -> tuple[int, Any]:
            try:
                return webhook.handle(body, *headers)
            except Exception as exc:  # a bug: say its kind only, the events may hold addresses
                said = _("internal error, a bug in publisher: {kind}")
                webhook.reporter.warn(said.format(kind=type(exc).__name__))
                return HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"}

        def do_GET(self) -> None:
            self._answer(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "POST SendGrid's events"})

        do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

        def _answer(self, status: int, doc: Any) -> None:
            data = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == HTTPStatus.METHOD_NOT_ALLOWED:
                self.send_header("Allow", "POST")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    return Handler


def serve_webhook(
    ledger: Path,
    port: int,
    reporter: Reporter,
    ready: Callable[[str], None],
    wall: Callable[[], float] = time.time,
) -> Tally:
    """Serve the webhook into `ledger` on 127.0.0.1:`port` until interrupted; call `ready` with
    its URL once it listens; return the counts of all it received."""
    verifier = Verifier.from_environment(wall)
    with EventStore.open(ledger) as store:
        webhook = Webhook(verifier, store, reporter)
        server = _listen(webhook, port)
        ready(server.url)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    return webhook.total


def _listen(webhook: Webhook, port: int) -> WebhookServer:
    try:
        return WebhookServer(webhook, port)
    except OSError as exc:
        said = _("cannot listen on 127.0.0.1:{port}: {error}")
        raise NotifyError(said.format(port=port, error=exc.strerror)) from None
