"""Safe notices: nothing the organisation publishes or sends may read like the phishing it reports.

Pages may link the official web domain and the references the record declares; mails only the
official web domain; everything over https. Senders and contact addresses are on the official
mail domains; nothing asks for passwords or credentials. Pages, feeds and printed releases are
read as rendered (publisher.check.published), wherever their text came from; the notice mails
are rendered and checked through publisher.notify (links, the reminder of how to recognise
genuine mail, a plain-text part, no attachment), their subject and message read as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import unquote, urljoin, urlsplit

from publisher.check.findings import problem_at
from publisher.check.prose import URL, Prose, mail_prose
from publisher.check.published import Readable
from publisher.check.reading import followable
from publisher.check.rule import Rule, Subject
from publisher.errors import ContentError, Problem, PublisherError
from publisher.messages import _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.notify.phishing import credential_requests
from publisher.notify.safety import on_mail_domain
from publisher.render.theme import Theme
from publisher.source import Located

SAMPLE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_C0 = "".join(map(chr, range(0x21)))
"""What a browser strips from either end of a link: control characters and spaces."""
SOURCE = "publisher issue 5 (safe-notice rules); JPCERT/CC guidance on Emotet spoofed mail"


def _releases(content: Content) -> Iterator[tuple[IncidentRecord, ReleaseRecord]]:
    for incident in content.incidents:
        for record in incident.releases:
            yield incident, record


def links(subject: Subject) -> Iterator[Problem]:
    """Links are https: pages to the web domain or declared references, mails the web domain."""
    content = subject.content
    web = content.site.organization.web_domain
    if urlsplit(content.site.base_url).hostname != web:
        message = _("the site must be served from the official web domain {domain}")
        message = message.format(domain=web)
        yield problem_at(content.site_doc, ("base_url",), message)
    form = content.site.contact.form
    if form is not None and urlsplit(form).hostname != web:
        message = _("the contact desk's web form must be on the official web domain {domain}")
        message = message.format(domain=web)
        yield problem_at(content.site_doc, ("contact", "form"), message)
    published = subject.published
    for readable in published.readables:
        for link in dict.fromkeys(readable.reading.links):
            wrong = _link_problem(link, readable, content.site.base_url, web)
            if wrong:
                yield from published.locate(readable, link, wrong)
    for _i, record in _releases(content):
        yield from _bad_urls(mail_prose(record), web, ())


def _link_problem(link: str, readable: Readable, base: str, web: str) -> str | None:
    """What is wrong with `link` on `readable`: not https, or off the official web domain and
    the incident's declared references (a link inside the site is neither)."""
    written = "".join(link.strip(_C0).split()).replace("\\", "/")  # as a browser reads it
    if written.startswith(base.rstrip("/") + "/"):
        return None  # a page of the site, by its public URL
    if not written.startswith("//") and not urlsplit(written).scheme:
        return None  # inside the site: a path, a fragment
    if urlsplit(written).scheme.lower() in ("mailto", "tel"):
        return None  # an address, not a page: safe-sender reads mailto: links
    try:
        url = urljoin(readable.url, written)
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises for a port that is no number (http://[::1)
    except ValueError:
        return _not_https(link)
    if _within(url, base):
        return None
    if parts.scheme.lower() != "https":
        return _not_https(link)
    declared = [r.url for r in readable.incident.incident.references] if readable.incident else []
    if host != web and not any(_within(url, d) for d in declared):
        return _off_web(link, web, bool(declared))
    return None


def _not_https(link: str) -> str:
    return _("link {link} is not https").format(link=link)


def _off_web(link: str, web: str, declared: bool) -> str:
    if declared:
        said = _("link {link} is not a declared reference or on the official web domain {domain}")
    else:
        said = _("link {link} is not on the official web domain {domain}")
    return said.format(link=link, domain=web)


def _bad_urls(prose: Iterable[Prose], web: str, declared: tuple[str, ...]) -> Iterator[Problem]:
    for piece in prose:
        for offset, url in piece.matches(URL):
            if not followable(url):
                said = _("{url} is not a well-formed address: no reader can follow it")
                yield piece.at(offset, said.format(url=url))
                continue
            parts = urlsplit(url)
            if parts.scheme.lower() != "https":
                yield piece.at(offset, _not_https(url))
            elif parts.hostname != web and not any(_within(url, d) for d in declared):
                yield piece.at(offset, _off_web(url, web, bool(declared)))


def senders(subject: Subject) -> Iterator[Problem]:
    """The mail sender, reply-to and contact addresses are on the official mail domains."""
    domains = subject.content.site.organization.mail_domains
    for doc, loc, address in _addresses(subject.content):
        if address and not on_mail_domain(address, domains):
            yield problem_at(doc, loc, _off_domain(address, domains))
    configured = set(_configured(subject.everything))  # said where it is configured, if wrong
    published = subject.published
    for readable in published.readables:
        for address in dict.fromkeys(_mailto(readable.reading.links)):
            if address not in configured and not on_mail_domain(address, domains):
                yield from published.locate(readable, address, _off_domain(address, domains))


def _addresses(content: Content) -> Iterator[tuple[Located, tuple[str | int, ...], str | None]]:
    """Every address the site and the releases of `content` configure, where each is."""
    site = content.site
    yield content.site_doc, ("contact", "email"), site.contact.email
    if site.notify_from:
        yield content.site_doc, ("notify_from", "email"), site.notify_from.email
        yield content.site_doc, ("notify_from", "reply_to"), site.notify_from.reply_to
    for _i, record in _releases(content):
        change = record.release.contact
        if change and isinstance(change.email, str):
            yield record.doc, ("contact", "email"), change.email


def _configured(content: Content) -> list[str]:
    """The addresses configured anywhere in `content`, sorted (what safe-sender reads of every
    incident when it checks one)."""
    return sorted({address for _doc, _loc, address in _addresses(content) if address})


def _mailto(links: Iterable[str]) -> Iterator[str]:
    """The addresses of the mailto: links among `links`."""
    for link in links:
        written = "".join(link.split())
        if written[:7].lower() == "mailto:":
            for address in unquote(written[7:].partition("?")[0]).split(","):
                if address:
                    yield address


def _off_domain(address: str, domains: Iterable[str]) -> str:
    said = _("{address} is not on an official mail domain ({domains})")
    return said.format(address=address, domains=", ".join(domains))


def credentials(subject: Subject) -> Iterator[Problem]:
    """No page, feed, printed release or mail asks for passwords, PINs, card numbers or other
    credentials."""
    published = subject.published
    for readable in published.readables:
        for match in credential_requests(readable.reading.text):
            yield from published.locate(readable, match.group(), _asks(match))
    for _i, record in _releases(subject.content):
        for piece in mail_prose(record):
            for match in credential_requests(piece.text):
                yield piece.at(match.start(), _asks(match))


def _asks(match: re.Match[str]) -> str:
    said = _("asks for credentials ({text}); genuine notices never do")
    return said.format(text=repr(match.group()))


def mails(subject: Subject) -> Iterator[Problem]:
    """The rendered notice mails pass publisher.notify's safety rules."""
    releases = [r for _i, r in _releases(subject.content) if r.release.notify is not None]
    theme = subject.theme
    if not releases or theme is None:
        return  # prose-renders reports a broken templates folder
    language = subject.content.site.language
    for record in releases:
        if (record.release.lang or language) not in theme.strings:
            continue  # no wording for the language: the build reports it
        yield from _mail_problems(subject.content, record, theme)


def _mail_problems(content: Content, record: ReleaseRecord, theme: Theme) -> list[Problem]:
    """What is wrong with the mail of `record`: a problem found at a line (of site.yaml, the
    release, a mail template) stays there; the others are said at the release's notify block."""
    from publisher.notify.contacts import Contact
    from publisher.notify.message import build_mime, plan_notice

    def at_notify(message: str) -> Problem:
        return problem_at(record.doc, ("notify",), message)

    try:
        notice = plan_notice(content, record, theme)
        sample = Contact(0, "sample@example.jp", "sample@example.jp", "Sample", "Example")
        build_mime(notice, sample, SAMPLE_TIME)
    except ContentError as exc:
        return [p if p.line else at_notify(str(p)) for p in exc.problems]
    except PublisherError as exc:
        return [at_notify(str(exc))]
    found = []
    for body in notice.bodies.values():
        found += [m.group() for m in credential_requests(body.text)]
    asks = _("the mail asks for credentials ({text}); genuine notices never do")
    return [at_notify(asks.format(text=repr(text))) for text in found]


RULES = (
    Rule(
        "safe-links",
        "error",
        "Every link in what the organisation publishes or sends is https. Pages link only the "
        "official web domain (site.yaml organization.web_domain) or a reference the incident "
        "declares; notice mails (notify.subject, notify.message) link only the official web "
        "domain; the site's base_url and the contact desk's web form (contact.form) are on the "
        "official web domain.",
        SOURCE,
        links,
    ),
    Rule(
        "safe-sender",
        "error",
        "The notice mail sender and reply-to (site.yaml notify_from) and every contact e-mail "
        "address (site.yaml contact, a release's contact change) are on one of the official "
        "mail domains (organization.mail_domains).",
        SOURCE,
        senders,
        context=_configured,
    ),
    Rule(
        "safe-credentials",
        "error",
        "No release, mail subject, mail message or rendered mail asks the reader to enter, send "
        "or confirm a password, PIN, card or account number or other credentials. A sentence "
        'that says it never will ("We will never ask you to enter your password", '
        "「パスワードの入力をお願いすることはございません」) is the advice genuine notices give, "
        "not a request.",
        SOURCE,
        credentials,
    ),
    Rule(
        "safe-mail",
        "error",
        "Each release's notice mail, rendered from templates/mail/, passes the notification "
        "safety rules: a plain-text part and an HTML part only (multipart/alternative, UTF-8), "
        "no attachment, links only https on the official web domain and to the release page, "
        "no scripts, forms or remote images, and the reminder of how to recognise genuine mail "
        "(every official @domain named), with no request for credentials. (The sender's "
        "domain is safe-sender's.)",
        "publisher/notify/safety.py (check_mail, check_mime); " + SOURCE,
        mails,
    ),
)


def _within(url: str, reference: str) -> bool:
    """Whether `url` is `reference` or a page below it: same host, path under its path."""
    one, two = urlsplit(url), urlsplit(reference)
    if (one.scheme, one.hostname, one.port) != (two.scheme, two.hostname, two.port):
        return False
    base = two.path if two.path.endswith("/") else two.path + "/"
    return one.path == two.path or one.path.startswith(base)
