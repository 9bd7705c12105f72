"""A stand-in for SendGrid's v3 mail/send, on 127.0.0.1:0 in a thread, for the real client.

Every body is validated against tests/fixtures/sendgrid/tsg_mail_v3.json (with the known gap its
README names fixed: top-level custom_args is an object of strings) and against the per-request
limits the description leaves out: at most 1000 personalizations and 1000 recipients, no address
twice, custom_args under 10,000 bytes, the whole body under 30 MB. A request that breaks one is
answered 400 as SendGrid would, and recorded in `invalid` so a test can insist there were none.

`script` lists how to answer the next requests, one entry each, then "accept" for the rest:
"accept", "drop" (accept, then close the connection without an answer), "stall" (accept, then
answer nothing until `release()`), "accept:STATUS" (accept, then answer STATUS with an empty body,
as a gateway in front of a service that did its work answers 502 or 504), or (status, headers,
body) for any other answer (nothing accepted).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parent.parent
DESCRIPTION = REPO / "tests" / "fixtures" / "sendgrid" / "tsg_mail_v3.json"
BODY_POINTER = "/components/requestBodies/PostMailSend/content/application~1json/schema"
MAX_BODY = 30 * 1024 * 1024
Answer = str | tuple[int, dict[str, str], dict[str, Any]]


def mail_send_validator(path: Path = DESCRIPTION) -> jsonschema.protocols.Validator:
    """A validator for mail/send bodies from SendGrid's published description."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    body = doc["components"]["requestBodies"]["PostMailSend"]["content"]["application/json"]
    # Known gap (README): the service wants custom_args as an object of strings.
    body["schema"]["properties"]["custom_args"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:sendgrid", resource)
    schema = {"$ref": f"urn:sendgrid#{BODY_POINTER}"}
    cls = jsonschema.Draft202012Validator  # OpenAPI 3.1 schemas are JSON Schema 2020-12
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def limit_problems(body: dict[str, Any]) -> list[str]:
    """The per-request limits of the live service that the description does not state."""
    found = []
    people = body.get("personalizations", [])
    if len(people) > 1000:
        found.append(f"{len(people)} personalizations (at most 1000)")
    addresses = [
        r["email"].lower() for p in people for kind in ("to", "cc", "bcc") for r in p.get(kind, [])
    ]
    if len(addresses) > 1000:
        found.append(f"{len(addresses)} recipients (at most 1000)")
    twice = [a for a, n in Counter(addresses).items() if n > 1]
    if twice:
        found.append(f"{twice[0]} appears twice in one request")
    top = body.get("custom_args", {})
    for p in people:
        merged = {**top, **p.get("custom_args", {})}
        if len(json.dumps(merged).encode()) >= 10_000:
            found.append("custom_args of 10,000 bytes or more")
    if body.get("attachments"):
        found.append("attachments (a notice never carries one)")
    return found


class SendGridStub:
    """The server: its URL, what it accepted, and how it will answer."""

    def __init__(self, api_key: str = "SG.test-key", keep_bodies: bool = True) -> None:
        self.api_key = api_key
        self.keep_bodies = keep_bodies
        self.validator = mail_send_validator()
        self.script: list[Answer] = []
        self.accepted: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self.invalid: list[str] = []
        self.requests = 0
        self.busy = 0.0  # seconds spent validating bodies (the stand-in's own cost)
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL to give the client (SENDGRID_API_HOST)."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SendGridStub:
        """Start serving in a thread."""
        self.thread.start()
        return self

    def release(self) -> None:
        """Let stalled requests end (without an answer)."""
        self._release.set()

    def stop(self) -> None:
        """Stop serving."""
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def answer(self, body: bytes, auth: str) -> tuple[Answer, list[str]]:
        """Check one request and decide its answer; record what was accepted."""
        with self._lock:
            self.requests += 1
            action = self.script.pop(0) if self.script else "accept"
            started = time.perf_counter()
            problems = self._problems(body, auth)
            self.busy += time.perf_counter() - started
            if problems or not isinstance(action, str):
                return action, problems
            doc = json.loads(body)
            if self.keep_bodies:
                self.bodies.append(doc)
            people = doc["personalizations"]
            self.accepted += [r["email"].lower() for p in people for r in p["to"]]
            return action, []

    def _problems(self, body: bytes, auth: str) -> list[str]:
        if auth != f"Bearer {self.api_key}":
            return ["unauthorized"]
        if len(body) > MAX_BODY:
            return ["body larger than 30 MB"]
        try:
            doc = json.loads(body)
        except ValueError as exc:
            return [f"not JSON: {exc}"]
        found = [
            f"{'/'.join(map(str, e.path))}: {e.message}" for e in self.validator.iter_errors(doc)
        ]
        found += limit_problems(doc)
        self.invalid += [f for f in found if f != "unauthorized"]
        return found

    @staticmethod
    def sandboxed(body: bytes) -> bool:
        """Whether the request asked for sandbox mode (answered 200, not 202)."""
        settings = json.loads(body).get("mail_settings", {})
        return bool(settings.get("sandbox_mode", {}).get("enable"))

    def wait_stalled(self, timeout: float) -> bool:
        """Wait until a request stalls."""
        return self.stalled.wait(timeout)

    def hold(self) -> None:
        """Block the calling handler until released."""
        self.stalled.set()
        self._release.wait(120)


def _handler(stub: SendGridStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if self.path != "/v3/mail/send":
                self._send(404, {}, {"errors": [{"message": "not found"}]})
                return
            action, problems = stub.answer(body, self.headers.get("Authorization", ""))
            if problems == ["unauthorized"]:
                message = "The provided authorization grant is invalid, expired, or revoked"
                self._send(401, {}, {"errors": [{"message": message, "field": None}]})
            elif problems:
                self._send(400, {}, {"errors": [{"message": p, "field": None} for p in problems]})
            elif action == "accept":
                status = 200 if stub.sandboxed(body) else 202  # as the live service answers
                self._send(status, {"X-Message-Id": f"msg-{stub.requests}"}, None)
            elif action == "drop":
                self.close_connection = True
            elif isinstance(action, str) and action.startswith("accept:"):
                self._send(int(action.split(":")[1]), {}, None)
            elif action == "stall":
                stub.hold()
                self.close_connection = True
            else:
                assert isinstance(action, tuple)
                self._send(*action)

        def _send(self, status: int, headers: dict[str, str], doc: dict[str, Any] | None) -> None:
            data = json.dumps(doc).encode() if doc is not None else b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
