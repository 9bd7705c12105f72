"""The notice mail of a release: rendered once per shape of contact, checked, personalised.

A shape is which personal fields a contact has (name, organisation). Each shape's mail is
rendered once from templates/mail/<template>.txt and .html with tokens in place of the contact's
fields; personalising a mail is replacing those tokens (by us for the outbox, by SendGrid's
substitutions for a batch), so both transports deliver exactly the same bytes. Every shape is
checked against the safety rules (publisher.notify.safety) before anything is sent. Its
Reply-To is the contact desk's address when replies to the sender reach the desk, and the mail
says so; otherwise it has none and asks for no reply (reply_channel).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

import jinja2
import msgspec
from markupsafe import escape

from publisher.errors import ContentError, NotifyError, Problem, display_path
from publisher.messages import _
from publisher.model.content import Content, ReleaseRecord
from publisher.model.schema import Notify, Sender
from publisher.model.translation import site_in
from publisher.model.view import view_release
from publisher.notify.contacts import Contact
from publisher.notify.proof import chosen_language
from publisher.notify.safety import SafetyRules, check_mail, check_mime, on_mail_domain
from publisher.render.theme import Theme
from publisher.render.urls import release_dir

PERSONAL = ("name", "organization")


def token(field: str, part: str) -> str:
    """The placeholder for a contact's `field` in the `part` ('text' or 'html') of a mail."""
    return f"%%contact_{field}_{part}%%"


@dataclass(frozen=True)
class MailBody:
    """One shape's mail, with tokens where the contact's fields go."""

    shape: str
    text: str
    html: str


@dataclass(frozen=True)
class Notice:
    """Everything needed to write or send a release's notice mail to anyone.

    A release with translations that have a `notify` block has a Notice in each of their
    languages (`translations`), under the original's release id: one ledger row per person.
    """

    release_id: str
    subject: str
    sender: Sender
    release_url: str
    pdf_url: str
    bodies: Mapping[str, MailBody]
    segments: tuple[str, ...]
    lang: str = ""
    """The language of a translation's notice; '' for the original's."""
    translations: Mapping[str, Notice] = dataclasses.field(default_factory=dict)

    def body(self, contact: Contact) -> MailBody:
        """The mail body of `contact`'s shape."""
        return self.bodies[shape_of(contact)]

    def for_contact(self, contact: Contact) -> Notice:
        """The notice `contact` gets: in their `language` if there is a translation in it
        (or in its language without the region), else the original."""
        lang = chosen_language(self.translations, contact.language)
        return self.translations[lang] if lang else self

    @property
    def versions(self) -> tuple[Notice, ...]:
        """The original notice, then each translation's."""
        return (self, *self.translations.values())


def shape_of(contact: Contact) -> str:
    """Which personal fields `contact` has: '', 'name', 'organization' or 'name+organization'."""
    return "+".join(f for f in PERSONAL if getattr(contact, f))


def substitutions(contact: Contact) -> dict[str, str]:
    """The token → value pairs of `contact` (the HTML values escaped)."""
    pairs = {}
    for field in PERSONAL:
        value = getattr(contact, field)
        if value:
            pairs[token(field, "text")] = value
            pairs[token(field, "html")] = str(escape(value))
    return pairs


def personalize(body: MailBody, contact: Contact) -> tuple[str, str]:
    """The text and HTML that `contact` receives."""
    text, html = body.text, body.html
    for key, value in substitutions(contact).items():
        text, html = text.replace(key, value), html.replace(key, value)
    return text, html


def release_urls(content: Content, record: ReleaseRecord) -> tuple[str, str]:
    """The public URLs of the release page and its PDF, from site.yaml's base_url."""
    base = content.site.base_url.rstrip("/") + "/"
    page = base + release_dir(record)
    # The PDF beside the page, named as publisher.pdf.plan.pdf_path names it.
    return page, f"{page}{record.id.replace('/', '-')}.pdf"


def plan_notice(content: Content, record: ReleaseRecord, theme: Theme) -> Notice:
    """Render and check the notice of `record` and of each translation that has a mail; raise
    ContentError if any safety rule breaks in any of them."""
    notice, problems = _checked_notice(content, record, theme)
    translations = {}
    for version in record.translations:
        if version.release.notify is None:
            continue
        try:
            translated = plan_notice(content, version, theme)
        except ContentError as exc:
            problems += exc.problems
            continue
        translations[version.variant] = replace(
            translated, release_id=notice.release_id, lang=version.variant
        )
    if problems:
        raise ContentError(problems)
    return replace(notice, translations=translations)


def _checked_notice(
    content: Content, record: ReleaseRecord, theme: Theme
) -> tuple[Notice, list[Problem]]:
    """The notice of `record` alone, and what is wrong with it."""
    notify, sender = _settings(content, record)
    page, pdf = release_urls(content, record)
    rules = SafetyRules.of(content.site, page)
    problems = _unusable_senders(content, sender)  # its domain: the check rule safe-sender
    desk = _desk_email(content, record)
    problems = problems or _reply_off_desk(content, sender, desk)  # one finding per address
    sender = msgspec.structs.replace(sender, reply_to=reply_channel(sender, desk))
    extra = {"release_url": page, "pdf_url": pdf, "reply_desk": bool(sender.reply_to)}
    renderer = _MailRenderer(content, record, theme, extra)
    bodies = {}
    for shape in ("", "name", "organization", "name+organization"):
        body, found = renderer.render(shape, rules)
        problems += found
        bodies[shape] = body
    segments = tuple(notify.segments)
    return Notice(record.id, notify.subject, sender, page, pdf, bodies, segments), problems


def _settings(content: Content, record: ReleaseRecord) -> tuple[Notify, Sender]:
    notify = record.release.notify
    if notify is None:
        said = _("{path}: the release has no notify block; nothing to send")
        raise NotifyError(said.format(path=record.doc.path))
    sender = site_in(content.site, record.variant).notify_from  # its name in the mail's language
    if sender is None:
        said = _("{path}: no notify_from sender is configured")
        raise NotifyError(said.format(path=content.site_doc.path))
    return notify, sender


def reply_channel(sender: Sender, desk_email: str | None) -> str | None:
    """The Reply-To of a notice: the contact desk's address when replies to the sender
    (`reply_to`, else `email`) reach it, so the mail can say so; else none (the mail asks
    for no reply)."""
    replies = (sender.reply_to or sender.email).lower()
    return desk_email if desk_email and replies == desk_email.lower() else None


def _desk_email(content: Content, record: ReleaseRecord) -> str | None:
    """The contact desk's address as `record` shows it (None: it has none, or it is paused)."""
    email = view_release(content, _incident(content, record), record).contact.email
    return email if isinstance(email, str) and email else None


def _reply_off_desk(content: Content, sender: Sender, desk_email: str | None) -> list[Problem]:
    """A reply_to that is not the desk's address, while the desk has one: the mail could not
    say where replies go (it says they reach the desk), so it is located in site.yaml."""
    if not sender.reply_to or not desk_email or reply_channel(sender, desk_email):
        return []
    if not on_mail_domain(sender.reply_to, content.site.organization.mail_domains):
        return []  # the check rule safe-sender says so, where the address is
    mark = content.site_doc.mark(("notify_from", "reply_to"))
    message = _(
        "{reply_to} is not the contact desk's address ({desk}): a notice says that replies reach "
        "the desk; set reply_to to it or leave reply_to out"
    ).format(reply_to=sender.reply_to, desk=desk_email)
    where = (content.site_doc.path, mark.line, mark.col, "notify_from.reply_to")
    return [Problem(*where, message)]


def _unusable_senders(content: Content, sender: Sender) -> list[Problem]:
    """The sender's addresses that a mail header cannot carry, located in site.yaml."""
    from email_validator import EmailNotValidError, validate_email  # 30 ms: only when asked

    found = []
    for name in ("email", "reply_to"):
        address = getattr(sender, name)
        try:
            if address:
                validate_email(address, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError as exc:
            mark = content.site_doc.mark(("notify_from", name))
            said = _("{address} cannot be the sender of a mail: {error}")
            message = said.format(address=repr(address), error=exc)
            where = (content.site_doc.path, mark.line, mark.col, f"notify_from.{name}")
            found.append(Problem(*where, message))
    return found


class _MailRenderer:
    def __init__(
        self, content: Content, record: ReleaseRecord, theme: Theme, extra: dict[str, object]
    ) -> None:
        assert record.release.notify is not None
        self.notify = record.release.notify
        self.theme = theme
        self.context = _context(content, record, theme, self.notify) | extra
        self.names = {
            part: mail_template(theme, self.notify.template, self.context["lang"], ext)
            for part, ext in (("text", "txt"), ("html", "html"))
        }

    def render(self, shape: str, rules: SafetyRules) -> tuple[MailBody, list[Problem]]:
        fields = shape.split("+") if shape else []
        parts = {
            part: self._render(part, {f: token(f, part) for f in fields}) for part in self.names
        }
        body = MailBody(shape, parts["text"], parts["html"])
        problems = [
            Problem(self._shown(part), message=m)
            for part, m in check_mail(body.text, body.html, rules)
        ]
        problems += self._check_tokens(body, fields)
        return body, problems

    def _render(self, part: str, contact: dict[str, str]) -> str:
        values = {f: contact.get(f, "") for f in PERSONAL}
        try:
            template = self.theme.pages.get_template(self.names[part])
            return template.render({**self.context, "contact": values})
        except jinja2.TemplateNotFound:
            said = _("{path}: mail template not found")
            raise NotifyError(said.format(path=self._shown(part))) from None
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", 0) or 0
            raise ContentError([Problem(self._shown(part), line, 1, message=str(exc))]) from None
        except (LookupError, ValueError) as exc:  # a wording with a placeholder it lacks
            said = _("{kind}: {error} (check strings/*.yaml for this wording)")
            message = said.format(kind=type(exc).__name__, error=exc)
            raise ContentError([Problem(self._shown(part), message=message)]) from None
        except RecursionError:
            message = _("the template includes or extends itself (extend default:NAME instead)")
            raise ContentError([Problem(self._shown(part), message=message)]) from None

    def _check_tokens(self, body: MailBody, fields: list[str]) -> list[Problem]:
        """Rendering with real values must equal replacing tokens (no filters on contact.*)."""
        sample = {f: "<テスト&Co>" for f in fields}
        contact = Contact(0, "sample@example.jp", "sample@example.jp", **sample)
        text, html = personalize(body, contact)
        expected = {"text": text, "html": html}
        return [
            Problem(self._shown(part), message=_("contact fields may only be printed as they are"))
            for part in self.names
            if self._render(part, sample) != expected[part]
        ]

    def _shown(self, part: str) -> str:
        return display_path(self.theme.find(self.names[part]))


def mail_template(theme: Theme, name: str, lang: str, ext: str) -> str:
    """The theme's mail template `name` for `lang`: `mail/<name>.<lang>.<ext>`, or the
    language-neutral `mail/<name>.<ext>`; a project's file wins over a default one of either."""
    names = [f"mail/{name}.{lang}.{ext}", f"mail/{name}.{ext}"]
    return theme.first_of(names) or names[0]


def _context(
    content: Content, record: ReleaseRecord, theme: Theme, notify: Notify
) -> dict[str, Any]:
    view = view_release(content, _incident(content, record), record)
    site = view.content.site  # a translation's: the organisation in its language
    message = notify.message or ""
    return {
        "strings": theme.strings_for(view.lang),
        "lang": view.lang,
        "site": site,
        "org": site.organization,
        "release": record.release,
        "incident": view.known,  # as it stood on the release date, as prose sees it
        "subject": notify.subject,
        "paragraphs": [p.strip() for p in message.split("\n\n") if p.strip()],
        "mail_domains": site.organization.mail_domains,
        "home_url": f"https://{site.organization.web_domain}/",
        "desk": view.contact,
    }


def _incident(content: Content, record: ReleaseRecord) -> Any:
    return next(i for i in content.incidents if i.id == record.incident_id)


def message_id(notice: Notice, contact: Contact) -> str:
    """A stable Message-ID for `contact`'s copy of `notice` (the same on every run)."""
    digest = hashlib.sha256(f"{notice.release_id}\n{contact.address}".encode()).hexdigest()
    domain = notice.sender.email.rsplit("@", 1)[1]
    return f"<notice.{digest[:24]}@{domain}>"


def build_mime(notice: Notice, contact: Contact, now: datetime) -> EmailMessage:
    """The RFC 5322 message `contact` receives: multipart/alternative text + HTML, UTF-8."""
    text, html = personalize(notice.body(contact), contact)
    mail = EmailMessage(policy=SMTP)
    sender = notice.sender
    mail["From"] = Address(sender.name, addr_spec=sender.email)
    mail["To"] = Address(contact.name, addr_spec=contact.email)
    if sender.reply_to:
        mail["Reply-To"] = sender.reply_to
    mail["Subject"] = notice.subject
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message_id(notice, contact)
    mail.set_content(text, charset="utf-8")
    mail.add_alternative(html, subtype="html", charset="utf-8")
    # Reproducible bytes: a boundary from the Message-ID ("=_" never occurs in base64 or QP).
    mail.set_boundary("=_" + message_id(notice, contact)[1:-1].replace("@", "."))
    problems = check_mime(mail)
    if problems:
        raise NotifyError("; ".join(problems))
    return mail
