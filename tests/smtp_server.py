"""A real SMTP server (aiosmtpd) on 127.0.0.1:0 in a thread, with TLS, AUTH and faults to inject.

`security` is how a client reaches it: "none" (plain text), "starttls" (plain text, then STARTTLS;
AUTH is offered only after it) or "tls" (TLS from the first byte). With `users`, AUTH is required
and checked against them; `mechanisms` narrows what is offered (LOGIN, PLAIN).

`faults` says what goes wrong for a recipient, by address: a list played one per delivery attempt
(the attempt after the list is accepted). Each entry is one of:

    "rcpt:CODE"   answer CODE at RCPT TO (421 also closes the connection, as a server does);
                  "rcpt:CODE:TEXT" answers TEXT after the code, its {rcpt} the address
    "data:CODE"   take the whole message, then answer CODE to its end (not accepted)
    "drop"        take the whole message, keep it (accepted), and close the connection before
                  answering: the client cannot know
    "slow-rcpt"   answer RCPT TO only after `delay` seconds
    "slow-data"   take the whole message, keep it, and answer 250 only after `delay` seconds

`eight_bit = False` stops offering 8BITMIME; `echo_password` quotes a refused password back, as a
careless server might (after `echo_before`). `tried` lists the user of every AUTH, `logins` the
successful ones.

`close_after` closes each connection after that many accepted messages, as a server that limits
messages per connection does (the next MAIL FROM finds the connection closed).
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import logging
import ssl
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation notes
TEXT = {421: "4.3.2 service shutting down", 451: "4.7.1 greylisted, try again later"}
TEXT |= {550: "5.1.1 mailbox unavailable", 554: "5.7.1 message refused"}


@dataclass(frozen=True)
class Accepted:
    """One message the server took: its envelope, its bytes, and how the session was made."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes
    options: tuple[str, ...]
    tls: bool
    login: str | None


@dataclass(frozen=True)
class Certificates:
    """A test CA and a server certificate it signed, for localhost and 127.0.0.1."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """The server's TLS context."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts the test CA (and verifies the host name)."""
        return ssl.create_default_context(cafile=self.ca)


def make_certificates(folder: Path) -> Certificates:
    """Write a fresh CA and a server certificate (SAN localhost, 127.0.0.1) into `folder`."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "publisher test CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        _builder(name, ca_name, key.public_key())
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    found = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    found.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    found.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    found.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return found


def _builder(subject: x509.Name, issuer: x509.Name, public: Any) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
    )


def _usage(cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


class SmtpServer:
    """The server: its port, what it accepted, who logged in, and the faults to come."""

    def __init__(
        self,
        security: str = "none",
        certificates: Certificates | None = None,
        users: dict[str, str] | None = None,
        mechanisms: tuple[str, ...] = ("LOGIN", "PLAIN"),
        close_after: int = 0,
        delay: float = 2.0,
    ) -> None:
        assert security in ("none", "starttls", "tls")
        assert security == "none" or certificates is not None
        self.security = security
        self.tls = certificates.server_context() if certificates else None
        self.users = users or {}
        self.mechanisms = mechanisms
        self.close_after = close_after
        self.delay = delay
        self.faults: dict[str, list[str]] = {}
        self.accepted: list[Accepted] = []
        self.logins: list[tuple[str, str]] = []  # (mechanism, user) of each successful AUTH
        self.sessions = 0
        self.echo_password = False  # a careless server that quotes what it was sent
        self.echo_before = ""  # what it says before the password it quotes
        self.eight_bit = True  # offer 8BITMIME
        self.tried: list[str] = []  # the user of every AUTH, whatever came of it
        self.quits = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def start(self) -> SmtpServer:
        """Listen on 127.0.0.1 at a free port, serving from a thread."""
        implicit = self.tls if self.security == "tls" else None
        serving = self._loop.create_server(self._protocol, "127.0.0.1", 0, ssl=implicit)
        self._server = self._loop.run_until_complete(serving)
        self.port = self._server.sockets[0].getsockname()[1]
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and end the thread."""
        assert self._server is not None
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def delivered(self) -> list[str]:
        """The recipient of every accepted message, in order."""
        return [r for message in self.accepted for r in message.recipients]

    def _protocol(self) -> SMTP:
        self.sessions += 1
        every = ("LOGIN", "PLAIN")
        with warnings.catch_warnings():  # AUTH without STARTTLS: over implicit TLS, or loopback
            warnings.simplefilter("ignore")
            return self._smtp(every)

    def _smtp(self, every: tuple[str, ...]) -> SMTP:
        return SMTP(
            _Handler(self),
            hostname="localhost",
            tls_context=self.tls if self.security == "starttls" else None,
            require_starttls=self.security == "starttls",
            auth_required=bool(self.users),
            auth_require_tls=self.security == "starttls",  # "tls" is TLS from the start
            auth_exclude_mechanism=[m for m in every if m not in self.mechanisms],
            authenticator=self._authenticate,
            loop=self._loop,
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        user, password = data.login.decode(), data.password.decode()
        self.tried.append(user)
        if self.users.get(user) != password:
            said = f" ({self.echo_before}got {password})" if self.echo_password else ""
            return AuthResult(success=False, handled=False, message=f"535 5.7.8 bad login{said}")
        self.logins.append((mechanism, user))
        return AuthResult(success=True, auth_data=user)

    def _fault(self, address: str, phase: str) -> str:
        """The next fault of `address` if it belongs to `phase` (rcpt or data), else ''."""
        waiting = self.faults.get(address.lower())
        if not waiting or ("rcpt" in waiting[0]) != (phase == "rcpt"):
            return ""
        return waiting.pop(0)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self.taken = 0

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, name: str, said: list[str]
    ) -> list[str]:
        session.host_name = name
        return [r for r in said if self.server.eight_bit or "8BITMIME" not in r]

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.server.quits += 1
        return "221 2.0.0 Bye"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        fault = self.server._fault(address, "rcpt")
        if fault == "slow-rcpt":
            await asyncio.sleep(self.server.delay)
        elif fault.startswith("rcpt:"):
            code, _, said = fault[5:].partition(":")  # rcpt:550, or rcpt:550:its own text
            if int(code) == 421:
                _close_soon(server)
            return f"{code} {said.replace('{rcpt}', address) or TEXT[int(code)]}"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        fault = self.server._fault(envelope.rcpt_tos[0], "data")
        if fault.startswith("data:"):
            code = int(fault[5:])
            return f"{code} {TEXT[code]}"
        self._keep(session, envelope)
        if fault == "drop":
            assert server.transport is not None
            server.transport.abort()
            await asyncio.sleep(3600)  # cancelled as the connection is lost
        if fault == "slow-data":
            await asyncio.sleep(self.server.delay)
        self.taken += 1
        if self.server.close_after and self.taken >= self.server.close_after:
            _close_soon(server)
        return "250 2.0.0 OK: queued"

    def _keep(self, session: Session, envelope: Envelope) -> None:
        assert isinstance(envelope.content, bytes) and envelope.mail_from is not None
        login = session.auth_data if isinstance(session.auth_data, str) else None
        tls = session.ssl is not None or self.server.security == "tls"
        message = Accepted(
            envelope.mail_from,
            tuple(envelope.rcpt_tos),
            envelope.content,
            tuple(envelope.mail_options),
            tls,
            login,
        )
        self.server.accepted.append(message)


def _close_soon(server: SMTP) -> None:
    """Close the connection once the reply being written has gone out."""
    transport = server.transport
    assert transport is not None
    asyncio.get_running_loop().call_soon(transport.close)
