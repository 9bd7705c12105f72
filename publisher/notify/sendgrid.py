"""The SendGrid transport: one v3 mail/send request per batch, with the official client.

One request carries up to 1000 recipients as personalizations; each gets its fields through
substitutions, so all receive the same checked mail. `custom_args` carry opaque ids only (release,
batch, ledger row). Click and open tracking are off: SendGrid would otherwise rewrite every link
to its own domain and add a remote image, which the safety rules forbid.

Outcomes: 202 (200 in sandbox mode) is accepted. 429 waits until X-RateLimit-Reset (or backs off)
and tries again; 5xx and connections that fail before the request is sent back off and try again;
any other 4xx raises Refused with SendGrid's messages. A timeout or a dropped connection *after*
the request went out raises OutcomeUnknown: SendGrid may have accepted it, so it is not repeated.
The API key is read from the environment and never printed; the client's debug log (which would
print it) is silenced.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import time
import urllib.error
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from publisher.errors import NotifyError
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice, substitutions
from publisher.notify.transport import OutcomeUnknown, Refused

MAX_RECIPIENTS = 1000
DEFAULT_HOST = "https://api.sendgrid.com"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before trying a batch again."""

    attempts: int = 6
    base: float = 1.0
    longest: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.longest, self.base * 2.0 ** (attempt - 1))


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class SendGridTransport:
    """Sends batches through SendGrid's v3 mail/send."""

    name = "sendgrid"

    def __init__(
        self,
        api_key: str,
        host: str = DEFAULT_HOST,
        timeout: float = 30.0,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], float] = time.time,
        sandbox: bool = False,
    ) -> None:
        # python_http_client logs headers (the API key) and payloads at DEBUG: never let it.
        logging.getLogger("python_http_client").setLevel(logging.WARNING)
        self.client = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))
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
            raise NotifyError("SENDGRID_API_KEY is not set; it holds the SendGrid API key")
        host = os.environ.get("SENDGRID_API_HOST") or DEFAULT_HOST
        return cls(key, host, **options)

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Send one batch; retry what is safe to retry; return SendGrid's X-Message-Id."""
        body = payload(notice, batch, recipients, self.sandbox)
        last = ""
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._post(body)
            except _Retry as retry:
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
        except urllib.error.URLError as exc:
            raise _Retry(f"could not connect: {exc.reason}") from None
        except (http.client.HTTPException, OSError) as exc:
            raise OutcomeUnknown(
                f"SendGrid: no answer after the request was sent ({type(exc).__name__}: {exc}); "
                "it may have been accepted"
            ) from None
        if response.status_code not in (200, 202):
            raise OutcomeUnknown(f"SendGrid answered {response.status_code}, not 202")
        headers = response.headers
        return headers.get("X-Message-Id") if headers is not None else None

    def _refusal(self, exc: HTTPError) -> Exception:
        status = int(exc.status_code)
        if status == 429:
            return _Retry("429 too many requests", self._until_reset(exc.headers))
        if status >= 500:
            return _Retry(f"{status} server error")
        return Refused(f"SendGrid refused the batch ({status}): {error_messages(exc.body)}")

    def _until_reset(self, headers: Any) -> float | None:
        reset: Any = headers.get("X-RateLimit-Reset") if headers is not None else None
        try:
            wait = float(reset) - self.wall()
        except (TypeError, ValueError):
            return None
        return min(max(wait, 0.0), self.retry.longest)


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
        return "; ".join(parts) or "(no message)"
    except (ValueError, KeyError, TypeError):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
        return text[:300] or "(no message)"
