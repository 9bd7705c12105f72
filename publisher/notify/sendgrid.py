"""The SendGrid transport: one v3 mail/send request per batch, with the official client.

One request carries up to 1000 recipients as personalizations; each gets its fields through
substitutions, so all receive the same checked mail. `custom_args` carry opaque ids only (release,
batch, ledger row). Click and open tracking are off: SendGrid would otherwise rewrite every link
to its own domain and add a remote image, which the safety rules forbid.

Outcomes, by what is known of the request (the README's table):

    202 (200 in sandbox mode)                       accepted                    → sent
    the request was never made or never complete:   nothing can have arrived    → retried with
      connection refused, DNS, TLS, a failure                                     backoff, then
      while sending (urllib's URLError)                                           Refused
    the request could not be built (ValueError)     nothing went out            → Refused
    429                                             refused for now             → retried after
                                                                                  X-RateLimit-Reset
    500, 503                                        SendGrid's own failure      → retried with
                                                                                  backoff, then
                                                                                  Refused
    any other 4xx                                   refused                     → Refused
    502, 504, any other 5xx or unexpected answer    a gateway's word: SendGrid  → OutcomeUnknown
                                                    may have processed it
    a timeout or a dropped connection after the     may have been accepted      → OutcomeUnknown
      request went out, anything else unexpected

The API key is read from the environment, refused if an HTTP header cannot carry it, and never
printed: the client's debug log (which would print it) is silenced, and every message this
module raises has the key blotted out, whatever text the client's exception carried.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import time
import urllib.error
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from publisher.errors import NotifyError, OutcomeUnknown, Refused, Retry
from publisher.messages import _
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice, substitutions
from publisher.notify.transport import RetryPolicy

MAX_RECIPIENTS = 1000
DEFAULT_HOST = "https://api.sendgrid.com"
NO_MESSAGE = "(no message)"
RETRIED = (500, 503)  # SendGrid's own "internal error" and "unavailable": it did not take it
DEFAULT_RETRY = RetryPolicy()
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")  # what an Authorization header can carry


class SendGridTransport:
    """Sends batches through SendGrid's v3 mail/send."""

    name = "sendgrid"
    repeatable = False  # a batch sent twice is two mails to each person

    def __init__(
        self,
        api_key: str,
        host: str = DEFAULT_HOST,
        timeout: float = 30.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], float] = time.time,
        sandbox: bool = False,
    ) -> None:
        if not _HEADER_SAFE.fullmatch(api_key):
            raise NotifyError(
                _(
                    "SENDGRID_API_KEY holds a line break, a space or another character an HTTP "
                    "header cannot carry (the key is not shown); set it to the key alone"
                )
            )
        # python_http_client logs headers (the API key) and payloads at DEBUG: never let it.
        logging.getLogger("python_http_client").setLevel(logging.WARNING)
        self.secret = Secret(api_key)
        self.client = SendGridAPIClient(api_key=api_key, host=_checked_host(host))
        self.timeout = timeout
        self.retry = retry
        self.sleep = sleep
        self.wall = wall
        self.sandbox = sandbox
        self.requests = 0

    @classmethod
    def from_environment(cls, **options: Any) -> SendGridTransport:
        """A transport keyed by SENDGRID_API_KEY, at SENDGRID_API_HOST if set."""
        key = os.environ.get("SENDGRID_API_KEY", "")
        if not key:
            raise NotifyError(_("SENDGRID_API_KEY is not set; it holds the SendGrid API key"))
        host = os.environ.get("SENDGRID_API_HOST") or DEFAULT_HOST
        return cls(key, host, **options)

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Send one batch; retry what is safe to retry; return SendGrid's X-Message-Id."""
        body = payload(notice, batch, recipients, self.sandbox)
        try:
            return self._send(body)
        except (Refused, OutcomeUnknown) as exc:
            raise type(exc)(self.secret.blot(str(exc))) from None

    def _send(self, body: dict[str, Any]) -> str | None:
        last = ""
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._post(body)
            except Retry as retry:
                last = retry.reason
                if attempt < self.retry.attempts:
                    self.sleep(
                        retry.wait if retry.wait is not None else self.retry.backoff(attempt)
                    )
        raise Refused(f"SendGrid: gave up after {self.retry.attempts} attempts ({last})")

    def _post(self, body: dict[str, Any]) -> str | None:
        self.requests += 1
        try:
            response = self.client.client.mail.send.post(request_body=body, timeout=self.timeout)
        except HTTPError as exc:
            raise self._refusal(exc) from None
        except urllib.error.URLError as exc:  # raised before the request was complete
            raise Retry(f"could not send the request: {exc.reason}") from None
        except (ValueError, http.client.InvalidURL) as exc:  # raised before anything was sent
            raise Refused(f"SendGrid: the request could not be made ({exc})") from None
        except (http.client.HTTPException, OSError) as exc:
            raise OutcomeUnknown(
                f"SendGrid: no answer after the request was sent ({type(exc).__name__}: {exc}); "
                "it may have been accepted"
            ) from None
        except Exception as exc:  # whatever else the client raises: nobody knows what went out
            raise OutcomeUnknown(
                f"SendGrid: the client failed ({type(exc).__name__}: {exc}); the request may "
                "have been sent"
            ) from None
        if response.status_code not in (200, 202):
            raise OutcomeUnknown(f"SendGrid answered {response.status_code}, not 202")
        headers = response.headers
        return headers.get("X-Message-Id") if headers is not None else None

    def _refusal(self, exc: HTTPError) -> Exception:
        status = int(exc.status_code)
        if status == 429:
            return Retry("429 too many requests", self._until_reset(exc.headers))
        if status in RETRIED:
            return Retry(f"{status} server error")
        if status >= 500:
            said = self._said(exc.body)
            said = "" if said == NO_MESSAGE else f" ({said})"
            return OutcomeUnknown(
                f"SendGrid's address answered {status}{said}: an answer from a gateway says "
                "nothing of whether SendGrid accepted the batch"
            )
        return Refused(f"SendGrid refused the batch ({status}): {self._said(exc.body)}")

    def _said(self, body: bytes | str | None) -> str:
        """SendGrid's error messages in `body`, the key blotted out before a text that is not
        SendGrid's JSON is cut short (cut first, the key's first characters would be shown)."""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        return error_messages(self.secret.blot(text) if text else text)

    def _until_reset(self, headers: Any) -> float | None:
        reset: Any = headers.get("X-RateLimit-Reset") if headers is not None else None
        try:
            wait = float(reset) - self.wall()
        except (TypeError, ValueError):
            return None
        return min(max(wait, 0.0), self.retry.longest)


class Secret:
    """The API key, to blot out of any text that might carry it (however the client quoted it)."""

    def __init__(self, key: str) -> None:
        forms = {key, repr(key)[1:-1], repr(key.encode())[2:-1]}
        self.forms = sorted((f for f in forms if f), key=len, reverse=True)

    def blot(self, text: str) -> str:
        """`text` with every form of the key replaced by [API key]."""
        for form in self.forms:
            text = text.replace(form, "[API key]")
        return text


def _checked_host(host: str) -> str:
    """SENDGRID_API_HOST as the client wants it: an http(s) address of a host, nothing more
    (not shown when refused: it could carry a password)."""
    text = host.strip().rstrip("/")
    parts = urlsplit(text)
    try:
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number
        usable = False
    if not usable or parts.username or parts.query or parts.fragment:
        said = _("SENDGRID_API_HOST is not an address such as {host}")
        raise NotifyError(said.format(host=DEFAULT_HOST))
    return text


def payload(
    notice: Notice, batch: int, recipients: Sequence[Queued], sandbox: bool
) -> dict[str, Any]:
    """The mail/send body for one batch of recipients of the same shape."""
    if not recipients or len(recipients) > MAX_RECIPIENTS:
        raise ValueError(f"a batch holds 1 to {MAX_RECIPIENTS} recipients, not {len(recipients)}")
    body = notice.body(recipients[0].contact)
    sender = notice.sender
    message: dict[str, Any] = {
        "personalizations": [_personalization(q) for q in recipients],
        "from": {"email": sender.email, "name": sender.name},
        "subject": notice.subject,
        "content": [
            {"type": "text/plain", "value": body.text},
            {"type": "text/html", "value": body.html},
        ],
        "custom_args": {"release": notice.release_id, "batch": str(batch)},
        "tracking_settings": {
            "click_tracking": {"enable": False, "enable_text": False},
            "open_tracking": {"enable": False},
            "subscription_tracking": {"enable": False},
        },
        "mail_settings": {"sandbox_mode": {"enable": sandbox}},
    }
    if sender.reply_to:
        message["reply_to"] = {"email": sender.reply_to}
    return message


def _personalization(queued: Queued) -> dict[str, Any]:
    contact = queued.contact
    to = {"email": contact.email, **({"name": contact.name} if contact.name else {})}
    found: dict[str, Any] = {"to": [to], "custom_args": {"recipient": str(queued.id)}}
    values = substitutions(contact)
    if values:
        found["substitutions"] = values
    return found


def error_messages(body: bytes | str | None) -> str:
    """SendGrid's error messages from a response body, as one line."""
    try:
        errors = json.loads(body or b"")["errors"]
        parts = [
            f"{e['field']}: {e['message']}" if e.get("field") else e["message"] for e in errors
        ]
        return "; ".join(parts) or NO_MESSAGE
    except (ValueError, KeyError, TypeError):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
        return text[:300] or NO_MESSAGE
