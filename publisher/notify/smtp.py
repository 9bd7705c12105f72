"""The SMTP transport: one message per recipient through the organisation's own mail server.

Each recipient gets the message the outbox would write for them (build_mime: their own To:), in
a mail transaction of their own (MAIL FROM, RCPT TO, DATA) on one connection kept open across the
mailout, at most `rate` messages a second. A batch is one recipient (`max_batch`), so the ledger
records each recipient's outcome. By what is known of the transaction (the README's table):

    250 (any 2xx) to the end of the message        accepted                    → sent
    4xx at RCPT TO or to DATA or its end           deferred, not accepted      → RecipientRefused:
    5xx at RCPT TO or to DATA or its end           refused                       failed, the run
                                                                                  goes on
    421 at any step, a 4xx at MAIL FROM, the       nothing was accepted        → retried on a new
      connection failing or silent before the end                                connection with
      of the message went out (refused, reset,                                   backoff, then
      DNS, a timeout)                                                            Refused
    a 5xx to EHLO or MAIL FROM; STARTTLS not       the server takes nothing    → Refused (the run
      offered; TLS failing or not trusted; the                                   stops)
      login refused; 8-bit mail without 8BITMIME
    the connection lost, or silent past            may have been accepted      → OutcomeUnknown
      `data_timeout`, after the end of the
      message went out; an answer neither 2xx,
      4xx nor 5xx

A connection the server closed while idle is opened again at once. Settings come from the
environment (`settings_from_environment`); the password is never printed: every message this
module raises has it blotted out (as sent, in base64, in AUTH PLAIN's form), whatever the server
quoted back.
"""

from __future__ import annotations

import base64
import functools
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from publisher.clock import Clock
from publisher.errors import NotifyError, OutcomeUnknown, RecipientRefused, Refused, Retry
from publisher.messages import _
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice, build_mime
from publisher.notify.transport import RetryPolicy

SECURITIES = ("starttls", "tls", "none")
PORTS = {"starttls": 587, "tls": 465, "none": 25}
LOOPBACK = ("localhost", "127.0.0.1", "::1")
DEFAULT_RATE = 5.0
RETRY = RetryPolicy(attempts=4, base=2.0, longest=30.0)
_HOST = re.compile(r"[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?")
_RECIPIENT_STEPS = ("RCPT TO", "DATA", "the end of the message")
_PRINTABLE = re.compile(r"[\x20-\x7e]+")  # what smtplib's AUTH can send


@dataclass(frozen=True)
class SmtpSettings:
    """Where the mail server is, how to reach it, and the account to log in with."""

    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    rate: float = DEFAULT_RATE

    @property
    def where(self) -> str:
        """The server as messages name it."""
        return f"the mail server {self.host}:{self.port}"


def settings_from_environment(environ: Mapping[str, str] = os.environ) -> SmtpSettings:
    """PUBLISHER_SMTP_HOST, _PORT, _SECURITY, _USER, _PASSWORD and _RATE, checked."""
    host = environ.get("PUBLISHER_SMTP_HOST", "").strip()
    if not host:
        raise NotifyError(_("PUBLISHER_SMTP_HOST is not set; it names the mail server to send by"))
    if not _HOST.fullmatch(host):  # not shown: a URL could carry a password
        raise NotifyError(_("PUBLISHER_SMTP_HOST is not a host name or address (mail.example.jp)"))
    host = host.strip("[]")
    security = _security(environ, host)
    user, password = _account(environ)
    return SmtpSettings(host, _port(environ, security), security, user, password, _rate(environ))


def _security(environ: Mapping[str, str], host: str) -> str:
    security = environ.get("PUBLISHER_SMTP_SECURITY", "").strip().lower() or "starttls"
    if security not in SECURITIES:
        said = _("PUBLISHER_SMTP_SECURITY is {security}; it is starttls, tls or none")
        raise NotifyError(said.format(security=repr(security)))
    if security == "none" and host.lower() not in LOOPBACK:
        said = _(
            "PUBLISHER_SMTP_SECURITY=none would send in clear text to {host}; it is only for a "
            "server on this machine (localhost, 127.0.0.1): use starttls or tls"
        )
        raise NotifyError(said.format(host=host))
    return security


def _port(environ: Mapping[str, str], security: str) -> int:
    text = environ.get("PUBLISHER_SMTP_PORT", "").strip()
    if not text:
        return PORTS[security]
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        said = _("PUBLISHER_SMTP_PORT is {port}; it is a port number, 1 to 65535")
        raise NotifyError(said.format(port=repr(text)))
    return int(text)


def _rate(environ: Mapping[str, str]) -> float:
    text = environ.get("PUBLISHER_SMTP_RATE", "").strip()
    try:
        rate = float(text) if text else DEFAULT_RATE
    except ValueError:
        rate = 0.0
    if not 0 < rate < float("inf"):
        said = _(
            "PUBLISHER_SMTP_RATE is {rate}; it is how many messages a second, above 0 (0.5: one "
            "every two seconds)"
        )
        raise NotifyError(said.format(rate=repr(text)))
    return rate


def _account(environ: Mapping[str, str]) -> tuple[str, str]:
    user = environ.get("PUBLISHER_SMTP_USER", "")
    password = environ.get("PUBLISHER_SMTP_PASSWORD", "")
    if bool(user) != bool(password):
        have, lack = ("USER", "PASSWORD") if user else ("PASSWORD", "USER")
        said = _(
            "PUBLISHER_SMTP_{have} is set but PUBLISHER_SMTP_{lack} is not; set both to log in, "
            "or neither"
        )
        raise NotifyError(said.format(have=have, lack=lack))
    if user and not _PRINTABLE.fullmatch(user):
        raise NotifyError(_("PUBLISHER_SMTP_USER holds a character SMTP AUTH cannot send"))
    if password and not _PRINTABLE.fullmatch(password):
        raise NotifyError(
            _(
                "PUBLISHER_SMTP_PASSWORD holds a line break or a character outside ASCII, which "
                "SMTP AUTH here cannot send (the password is not shown)"
            )
        )
    return user, password


class Secret:
    """The password, to blot out of any text that might carry it, in any form it was sent."""

    def __init__(self, user: str, password: str) -> None:
        forms: set[str] = set()
        if password:
            plain = f"\0{user}\0{password}".encode()
            forms = {password, repr(password)[1:-1]}
            forms.add(" ".join(password.split()))  # as a server that makes white space single
            forms |= {base64.b64encode(x).decode() for x in (password.encode(), plain)}
        self.forms = sorted(filter(None, forms), key=len, reverse=True)

    def blot(self, text: str) -> str:
        """`text` with every form of the password replaced by [password]."""
        for form in self.forms:
            text = text.replace(form, "[password]")
        return text


@dataclass(frozen=True)
class _Envelope:
    sender: str
    recipient: str
    data: bytes
    message_id: str


class SmtpTransport:
    """Sends one message per recipient through an SMTP server, over one reused connection."""

    name = "smtp"
    repeatable = False  # a message sent twice is two mails to the person
    max_batch = 1  # each recipient's outcome is their own, and the ledger's is per batch

    def __init__(
        self,
        settings: SmtpSettings,
        clock: Clock,
        tls: ssl.SSLContext | None = None,
        timeout: float = 60.0,
        data_timeout: float = 600.0,
        retry: RetryPolicy = RETRY,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.tls = tls or ssl.create_default_context()  # honours SSL_CERT_FILE
        self.timeout = timeout
        self.data_timeout = data_timeout  # RFC 5321 4.5.3.2.6: wait 10 minutes for it
        self.retry = retry
        self.sleep = sleep
        self.monotonic = monotonic
        self.secret = Secret(settings.user, settings.password)
        self._smtp: smtplib.SMTP | None = None
        self._next = 0.0
        self._recipient: tuple[str, ...] = ()
        """The address being sent to, as given and as the key, blotted out of what the server
        says meanwhile (`_address_pattern`, made only when something is to be said)."""

    @classmethod
    def from_environment(
        cls, clock: Clock, environ: Mapping[str, str] = os.environ
    ) -> SmtpTransport:
        """A transport to the server PUBLISHER_SMTP_* name."""
        return cls(settings_from_environment(environ), clock)

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Send the one recipient of `recipients` their message; return its Message-ID."""
        if len(recipients) != 1:
            raise ValueError(f"an SMTP batch is one recipient, not {len(recipients)}")
        contact = recipients[0].contact
        try:
            mail = build_mime(notice, contact, self.clock())
        except NotifyError as exc:
            raise Refused(f"the message could not be built: {exc}") from None
        found = _Envelope(
            notice.sender.email, contact.email, mail.as_bytes(), str(mail["Message-ID"])
        )
        self._pace()
        self._recipient = (contact.email, contact.address)
        try:
            self._attempts(found)
        except (Refused, OutcomeUnknown) as exc:
            raise type(exc)(self._blot(str(exc))) from None
        finally:
            self._recipient = ()
        return found.message_id

    def _blot(self, text: str) -> str:
        """`text` without the password, nor the address of the recipient being sent to."""
        text = self.secret.blot(text)
        return (
            _address_pattern(*self._recipient).sub("<recipient>", text) if self._recipient else text
        )

    def _said(self, code: int, reply: bytes | str) -> str:
        """The server's reply on one line, cut to 300 characters (at a space where one is
        near), with the password and the recipient's address blotted out before the cut (and
        before white space is made single, and after), so no part of either is shown."""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        said = self._blot(f"{code} {' '.join(self._blot(text).split())}")
        if len(said) <= _SAID:
            return said
        cut = said.rfind(" ", _SAID // 2, _SAID + 1)
        return said[: cut if cut > 0 else _SAID]

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _pace(self) -> None:
        """Wait until the next message is due, at most `rate` a second."""
        now = self.monotonic()
        if self._next > now:
            self.sleep(self._next - now)
        self._next = max(now, self._next) + 1.0 / self.settings.rate

    def _attempts(self, envelope: _Envelope) -> None:
        attempt = 0
        while True:
            try:
                return self._transaction(envelope)
            except Retry as retry:
                self._drop()
                if retry.at_once:
                    continue  # the idle connection had been closed: the next one is new
                attempt += 1
                if attempt >= self.retry.attempts:
                    raise Refused(
                        f"{self.settings.where}: gave up after {attempt} attempts "
                        f"({retry.reason}); nothing was accepted"
                    ) from None
                self.sleep(self.retry.backoff(attempt))

    def _transaction(self, envelope: _Envelope) -> None:
        """One mail transaction on the open connection (or a new one)."""
        reused = self._smtp is not None
        smtp = self._smtp or self._connect()
        step = "MAIL FROM"
        try:
            options = self._mail_options(smtp, envelope.data)
            self._expect(smtp, step, *smtp.mail(envelope.sender, options))
            step = "RCPT TO"
            self._expect(smtp, step, *smtp.rcpt(envelope.recipient))
            step = "DATA"
            self._expect(smtp, step, *smtp.docmd("DATA"), wanted=354)
            step = "the message"
            smtp.send(_wire(envelope.data))  # raises unless all of it, its end too, went out
        except smtplib.SMTPServerDisconnected as exc:  # OSErrors and timeouts come as this
            idle = reused and step == "MAIL FROM" and not isinstance(exc.__context__, TimeoutError)
            raise Retry(f"{step}: the connection was lost ({exc})", at_once=idle) from None
        self._answer(smtp, envelope)

    def _answer(self, smtp: smtplib.SMTP, envelope: _Envelope) -> None:
        """Read the reply to the end of the message: from here on, it may have been taken."""
        unknown = f"{envelope.message_id} may have been accepted; the server's log says"
        try:
            if smtp.sock is not None:
                smtp.sock.settimeout(self.data_timeout)
            code, reply = smtp.getreply()
            if smtp.sock is not None:
                smtp.sock.settimeout(self.timeout)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise OutcomeUnknown(
                f"{self.settings.where}: no answer after the end of the message ({exc}); {unknown}"
            ) from None
        if not 200 <= code < 300 and not 400 <= code < 600:
            self._drop()
            said = self._said(code, reply)
            raise OutcomeUnknown(
                f"{self.settings.where} answered {said} to the end of the message, "
                f"neither accepted nor refused; {unknown}"
            )
        self._expect(smtp, "the end of the message", code, reply)

    def _expect(
        self, smtp: smtplib.SMTP, step: str, code: int, reply: bytes, wanted: int = 0
    ) -> None:
        """Go on if `code` is `wanted` (any 2xx if 0); else raise by what it means at `step`."""
        if code == wanted or (not wanted and 200 <= code < 300):
            return
        said = f"{step}: {self._said(code, reply)}"
        if code == 421 or not 400 <= code < 600:
            raise Retry(said)  # the server is closing, or said something unheard of
        if step not in _RECIPIENT_STEPS:  # the session or the sender: not this one person
            if code < 500:
                raise Retry(said)
            raise Refused(f"{self.settings.where} refused {said}")
        if step != "the end of the message":  # after it, the transaction is over anyway
            self._reset(smtp)
        verb = "deferred" if code < 500 else "refused"
        again = "; the next run tries again" if code < 500 else ""
        raise RecipientRefused(f"{self.settings.where} {verb} the message at {said}{again}")

    def _connect(self) -> smtplib.SMTP:
        """A new connection: greeted, TLS as configured, logged in."""
        with self._mapped():
            smtp = self._open()
        self._smtp = smtp
        try:
            with self._mapped():
                self._expect(smtp, "EHLO", *smtp.ehlo())
                if self.settings.security == "starttls":
                    self._start_tls(smtp)
                if self.settings.user:
                    self._login(smtp)
        except BaseException:
            self._drop()
            raise
        return smtp

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        if settings.security == "tls":
            return smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=self.timeout, context=self.tls
            )
        return smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)

    @contextmanager
    def _mapped(self) -> Iterator[None]:
        """Turn what connecting raised into a retry or a refusal, by whether waiting helps."""
        settings = self.settings
        try:
            yield
        except ssl.SSLCertVerificationError as exc:
            raise Refused(
                f"{settings.where}: its certificate is not trusted ({exc.verify_message}); "
                "for a certificate of your own CA, set SSL_CERT_FILE to the CA's file"
            ) from None
        except ssl.SSLError as exc:
            raise Refused(
                f"{settings.where}: TLS failed ({exc.reason}); is PUBLISHER_SMTP_SECURITY "
                f"({settings.security}) what port {settings.port} speaks? "
                "(tls is usually port 465, starttls 587)"
            ) from None
        except smtplib.SMTPConnectError as exc:  # a greeting other than 220
            self._expect_greeting(exc.smtp_code, exc.smtp_error)
        except OSError as exc:  # refused, reset, DNS, a timeout, the connection lost
            raise Retry(f"could not connect: {exc}") from None

    def _expect_greeting(self, code: int, reply: bytes | str) -> None:
        said = f"the greeting: {self._said(code, reply)}"
        if 400 <= code < 500:
            raise Retry(said)
        raise Refused(f"{self.settings.where} refused the connection ({said})")

    def _start_tls(self, smtp: smtplib.SMTP) -> None:
        if not smtp.has_extn("starttls"):
            raise Refused(
                f"{self.settings.where} does not offer STARTTLS; nothing is sent in clear text "
                "(PUBLISHER_SMTP_SECURITY=tls if it speaks TLS from the start)"
            )
        self._expect(smtp, "STARTTLS", *smtp.starttls(context=self.tls), wanted=220)
        self._expect(smtp, "EHLO", *smtp.ehlo())

    def _login(self, smtp: smtplib.SMTP) -> None:
        settings = self.settings
        if not smtp.has_extn("auth"):
            raise Refused(f"{settings.where} offers no AUTH; the password was not sent")
        try:
            smtp.login(settings.user, settings.password)
        except smtplib.SMTPAuthenticationError as exc:
            said = f"AUTH: {self._said(exc.smtp_code, exc.smtp_error)}"
            if 400 <= exc.smtp_code < 500:
                raise Retry(said) from None
            raise Refused(
                f"{settings.where} refused the login of {settings.user!r} ({said}); "
                "check PUBLISHER_SMTP_USER and PUBLISHER_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPException as exc:  # no mechanism in common
            raise Refused(f"{settings.where}: could not log in ({exc})") from None

    def _mail_options(self, smtp: smtplib.SMTP, data: bytes) -> list[str]:
        options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
        if data.isascii():
            return options
        if not smtp.has_extn("8bitmime"):
            raise Refused(f"{self.settings.where} does not take 8-bit mail (no 8BITMIME)")
        return [*options, "BODY=8BITMIME"]

    def _reset(self, smtp: smtplib.SMTP) -> None:
        """End a refused transaction, keeping the connection if it still answers."""
        try:
            code, _ = smtp.rset()
        except (smtplib.SMTPException, OSError):
            code = 0
        if code != 250:
            self._drop()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()


def _wire(data: bytes) -> bytes:
    """The message as DATA carries it: lines starting with a dot doubled, ended by CRLF.CRLF."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


@functools.lru_cache(maxsize=64)
def _address_pattern(*addresses: str) -> re.Pattern[str]:
    """Each of `addresses` (and the Unicode form of a punycode domain) as a server may write it:
    any of its characters as it is or percent-encoded, once or twice (a link in a link), in
    either case; not where it is the end of a longer address (ty@ in security@), but after
    an encoded character (rcpt%3D…)."""
    found = set(addresses)
    for address in addresses:
        local, _at, domain = address.rpartition("@")
        with suppress(UnicodeError):  # a Unicode domain, as punycode
            found.add(f"{local}@{domain.encode('idna').decode('ascii')}")
        with suppress(UnicodeError):  # a punycode domain, in Unicode
            found.add(f"{local}@{domain.encode('ascii').decode('idna')}")
    forms = [
        "".join(f"(?:{re.escape(c)}|{_encoded(c)}|{_encoded(c).replace('%', '%25')})" for c in a)
        for a in sorted(found, key=len, reverse=True)
    ]
    start = r"(?:(?<=%[0-9a-f]{2})|(?<![\w.%+-]))"  # after a character encoded, or no address
    return re.compile(rf"{start}(?:{'|'.join(forms)})(?![\w-])", re.IGNORECASE)


def _encoded(character: str) -> str:
    return "".join(f"%{byte:02X}" for byte in character.encode())


_SAID = 300
"""At most this many characters of a server's reply are shown."""
