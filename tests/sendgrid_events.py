"""SendGrid's Event Webhook as a test sees it: a signing key, events made from the bodies the
SendGrid stand-in accepted, and signed POSTs.

Events are made as SendGrid makes them: one per personalization, its `email`, a `timestamp`, the
`event` and an `sg_event_id`, and the message's custom_args (top level and the
personalization's, merged) as top-level keys.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"


class SigningKey:
    """An EC P-256 key pair, as SendGrid signs its Event Webhook with."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())

    @property
    def public(self) -> str:
        """The public key as SendGrid's settings show it: base64 DER, one line."""
        der = self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def sign(self, body: bytes, timestamp: str) -> str:
        """The signature header's value for `body` sent at `timestamp`."""
        signed = self.private.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return base64.b64encode(signed).decode()

    def headers(self, body: bytes, at: float | None = None) -> dict[str, str]:
        """The signature and timestamp headers of `body` signed at `at` (now)."""
        timestamp = str(int(time.time() if at is None else at))
        return {SIGNATURE: self.sign(body, timestamp), TIMESTAMP: timestamp}


def events_for(
    bodies: Iterable[dict[str, Any]], kind: str, at: int = 1605315605, tag: str = ""
) -> list[dict[str, Any]]:
    """One `kind` event per recipient of the mail/send `bodies`, as SendGrid would post them."""
    found = []
    for body in bodies:
        for p in body["personalizations"]:
            args = {**body.get("custom_args", {}), **p.get("custom_args", {})}
            found.append(
                {
                    "email": p["to"][0]["email"],
                    "timestamp": at,
                    "event": kind,
                    "sg_event_id": f"{kind}-{tag}{args['batch']}-{args['recipient']}",
                    "sg_message_id": f"m{args['batch']}.filter0001",
                    "smtp-id": f"<m{args['batch']}@ismtpd>",
                    **args,
                }
            )
    return found


def encode(events: list[dict[str, Any]]) -> bytes:
    """A POST body of `events`, as SendGrid writes it."""
    return json.dumps(events).encode()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """POST `body` to `url`; the status and the decoded JSON answer."""
    request = urllib.request.Request(url, body, {"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
