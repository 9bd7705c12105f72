"""Safe notices, continued: nothing published or sent hurries the reader, offers a download,
gives a telephone number other than the contact desk's, or names a look-alike of the official
domains.

Pages, feeds and printed releases are read as rendered (publisher.check.published); a notice
mail is read twice: its subject and message as written, and its bodies as the mail templates
render them, so wording that a template holds is found at the template's line. The patterns are
publisher.notify.phishing's, shared with the other safe-notice rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from publisher.check.prose import URL, mail_prose
from publisher.check.published import Readable
from publisher.check.reading import followable
from publisher.check.rule import Rule, Subject
from publisher.check.rules.notice_content import allowed_phones
from publisher.errors import Problem
from publisher.messages import _
from publisher.model.schema import Reference
from publisher.notify.lines import LINES, hits
from publisher.notify.phishing import (
    HOST,
    PROTOCOL_RELATIVE,
    download,
    lookalike,
    official,
    phone_numbers,
    phone_region,
    same_phone,
    threats,
    urgent_asks,
)

SOURCE = "publisher issue 12 item 6 (safe-notice holes); JPCERT/CC guidance on Emotet spoofed mail"
_SCHEMELESS = re.compile(r"(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,63}(?=/|$)", re.IGNORECASE)


def _texts(subject: Subject) -> Iterator[Readable]:
    """Every page, feed and print, then every notice mail as rendered (see the module)."""
    yield from subject.published.readables
    yield from subject.mails


def urgency(subject: Subject) -> Iterator[Problem]:
    """No page or mail hurries the reader (至急, 24時間以内に, immediately) to do something, or
    threatens them (アカウントは本日停止されます, legal action)."""
    published = subject.published
    for readable in _texts(subject):
        text = readable.reading.text
        for match in dict.fromkeys(m.group() for m in urgent_asks(text)):
            message = _("hurries the reader ({text}); genuine notices give time to check")
            message = message.format(text=repr(match))
            yield from published.locate(readable, match, message)
        for match in dict.fromkeys(m.group() for m in threats(text)):
            message = _("threatens the reader ({text}); genuine notices do not")
            message = message.format(text=repr(match))
            yield from published.locate(readable, match, message)


def downloads(subject: Subject) -> Iterator[Problem]:
    """No page or mail links an archive, executable, script or macro document, wherever it is."""
    published = subject.published
    seen: set[tuple[str, str]] = set()  # a print repeats its page's links, made absolute
    for readable in _texts(subject):
        for link in dict.fromkeys(readable.reading.links):
            kind = download(link)
            where = (readable.owner, urljoin(readable.url, link)) if kind else None
            if where is not None and where not in seen:
                seen.add(where)
                message = _(
                    "link {link} downloads a .{kind} file; genuine notices offer no archive, "
                    "program or macro document, even on the official domain"
                ).format(link=link, kind=kind)
                yield from published.locate(readable, link, message)


def phones(subject: Subject) -> Iterator[Problem]:
    """Every telephone number on a page or in a mail is the contact desk's (in whatever form:
    +81 45-…, (045) …, full-width digits) or one a notice item declares."""
    site = subject.content.site
    desk = site.contact.phone
    region = phone_region(site.timezone, site.language)
    desks = ([w for _, w in phone_numbers(desk)] or [desk]) if isinstance(desk, str) else []
    allowed = [(number, region) for number in desks]  # the desk's numbers, its hours left out
    allowed += [(number, "US") for number in allowed_phones()]  # California's credit bureaus
    shown = desk if isinstance(desk, str) else _("none in site.yaml contact.phone")
    published = subject.published
    for readable in _texts(subject):
        for _offset, written in phone_numbers(readable.reading.text):
            if not any(same_phone(written, number, home) for number, home in allowed):
                message = _(
                    "the telephone number {number} is not the contact desk's ({desk}); "
                    "spoofed notices give their own numbers"
                ).format(number=written, desk=shown)
                yield from published.locate(readable, written, message)


def lookalikes(subject: Subject) -> Iterator[Problem]:
    """No page or mail names or links a host that imitates an official domain, or links one
    without its scheme (//host/, www.host/ as a relative link)."""
    published = subject.published
    org = subject.content.site.organization
    domains = [org.web_domain, *org.mail_domains]
    for readable in _texts(subject):
        declared = _declared_hosts(readable)
        for needle, message in _lookalikes_in(readable, domains, declared):
            yield from published.locate(readable, needle, message)
    for incident in subject.content.incidents:
        declared = _hosts_of(incident.incident.references)
        for record in incident.releases:
            for piece in mail_prose(record):
                for offset, host in _hosts(piece.text):
                    like = lookalike(host, domains)
                    if like and host.lower() not in declared:
                        yield piece.at(offset, _imitates(host, like))
                for match in PROTOCOL_RELATIVE.finditer(piece.text):
                    host = match.group(1)
                    if not official(host, domains) and host.lower() not in declared:
                        yield piece.at(match.start(), _schemeless_host(host))


def _declared_hosts(readable: Readable) -> set[str]:
    return _hosts_of(readable.incident.incident.references if readable.incident else [])


def _hosts_of(references: Iterable[Reference]) -> set[str]:
    """The hosts of the incident's declared references."""
    return {(urlsplit(r.url).hostname or "").lower() for r in references}


def _lookalikes_in(
    readable: Readable, domains: list[str], declared: set[str]
) -> Iterator[tuple[str, str]]:
    """(what to locate, message) for each look-alike or scheme-less link of `readable`."""
    yield from _schemeless(readable.reading.links, domains)
    lines = hits(_line_hosts, readable.reading.text)
    for whole, found in dict.fromkeys(link for _start, line in lines for link in line.relative):
        if not official(found, domains) and found.lower() not in declared:
            yield whole, _schemeless_host(found)
    for name in dict.fromkeys(host for _offset, host in _hosts_in(lines)):
        like = lookalike(name, domains)
        if like and name.lower() not in declared:
            yield name, _imitates(name, like)


def _schemeless(links: Iterable[str], domains: list[str]) -> Iterator[tuple[str, str]]:
    """Links written as a host without a scheme (www.host/x): a page of this site that reads as
    another site."""
    for link in dict.fromkeys(links):
        written = link.strip()
        if urlsplit(written).scheme or written.startswith(("/", "#", ".", "?")):
            continue
        found = _SCHEMELESS.match(written)
        name = found.group() if found else ""
        if name and (name.lower().startswith("www.") or lookalike(name, domains)):
            said = _(
                "link {link} has no scheme: it reads as the site {name}, but a browser opens "
                "it as a page of this site"
            )
            yield link, said.format(link=link, name=name)


def _hosts(text: str) -> Iterator[tuple[int, str]]:
    """(offset, host) of each host name in `text`, outside URLs and e-mail addresses too: the
    names first, then the hosts of the URLs."""
    return _hosts_in(hits(_line_hosts, text))


def _hosts_in(lines: list[tuple[int, _Hosts]]) -> Iterator[tuple[int, str]]:
    """_hosts of a text, from the _line_hosts of its lines (and where they start)."""
    for start, line in lines:
        yield from ((start + at, name) for at, name in line.names)
    for start, line in lines:
        yield from ((start + at, host) for at, host in line.urls)


class _Hosts(NamedTuple):
    """The hosts a line names: links without their scheme, host names, hosts of URLs."""

    relative: tuple[tuple[str, str], ...]
    """(link, host) of each link without its scheme (PROTOCOL_RELATIVE)."""
    names: tuple[tuple[int, str], ...]
    """(offset, name) of each host name outside the line's URLs (HOST)."""
    urls: tuple[tuple[int, str], ...]
    """(offset, host) of each URL's host (URL)."""


@functools.lru_cache(maxsize=LINES)
def _line_hosts(line: str) -> _Hosts | None:
    """The hosts `line` names (None: none). A text is read a line at a time
    (publisher.notify.lines): none of PROTOCOL_RELATIVE, HOST and URL takes a line break
    (their classes leave out white space) or reads one otherwise than the end of the string
    (`\\b`, lookarounds that do not name it), so a name is in a URL of its own line only."""
    spans = [m.span() for m in URL.finditer(line)]
    found = ((m.start(), m.group()) for m in HOST.finditer(line))
    names = tuple((at, name) for at, name in found if not any(a <= at < b for a, b in spans))
    found_urls = (m for m in URL.finditer(line) if followable(m.group()))
    hosts = ((m.start(), urlsplit(m.group()).hostname) for m in found_urls)
    urls = tuple((at, host) for at, host in hosts if host)
    relative = tuple((m.group(), m.group(1)) for m in PROTOCOL_RELATIVE.finditer(line))
    return _Hosts(relative, names, urls) if relative or names or urls else None


def _schemeless_host(host: str) -> str:
    return _("//{host} is a link without its scheme to a host not official").format(host=host)


def _imitates(host: str, domain: str) -> str:
    said = _(
        "{host} imitates the official domain {domain}; genuine notices name only official ones"
    )
    return said.format(host=host, domain=domain)


RULES = (
    Rule(
        "safe-urgency",
        "error",
        "No page, feed, printed release or notice mail (subject, message and the mail templates "
        "as rendered) hurries the reader: a sentence that asks something of them (ください, "
        "お願い, please, you must) and says 至急, 今すぐ, 直ちに, 本日中に, 24時間以内に, "
        '"immediately", "urgent", "within 24 hours" or that the account will be suspended. '
        "Nor does any threaten them, asking or not: their account suspended, frozen or deleted "
        '(アカウントは本日停止されます, "your account will be suspended"), 法的措置, "legal '
        'action", "prosecuted". A sentence that says it never will, or whose action is against '
        "the attacker or on the organisation's own accounts (攻撃者に対し, 当該アカウント, "
        '"those responsible"), is not one, nor are the spoofed mail\'s words quoted to describe '
        'it (「アカウントが停止されます」などと書かれたメール, messages saying "your account will '
        'be suspended").',
        SOURCE,
        urgency,
    ),
    Rule(
        "safe-downloads",
        "error",
        "No page, feed, printed release or notice mail links an archive, an executable, a "
        "script, a disk image, a shortcut or a macro document ("
        + ", ".join(f".{k}" for k in ("zip", "rar", "7z", "exe", "msi", "js", "vbs", "iso"))
        + ", .lnk, .docm, .xlsm and the like; publisher/notify/phishing.py DOWNLOADS), not "
        "even on the official web domain: that is what Emotet's mail carries.",
        SOURCE,
        downloads,
    ),
    Rule(
        "safe-phone",
        "error",
        "Every telephone number a page, feed, printed release or notice mail shows (10 to 13 "
        "digits written from +, ( or 0, or as (1-)800-555-0142; full-width digits too) is the "
        "contact desk's (site.yaml contact.phone) in any form it may be written in: compared as "
        "dialled (the phonenumbers library), a number without + in the country of the site's "
        "timezone, so that in Japan +81 45-123-4567, +81 (0)45 123 4567, (045) 123-4567 and "
        "０４５－１２３－４５６７ are 045-123-4567, and in London +44 20 7946 0000 is 020 7946 "
        "0000; or one that publisher/check/notice_items.yaml declares for a notice item (the "
        "credit bureaus' toll-free numbers, dialled in the United States).",
        SOURCE,
        phones,
    ),
    Rule(
        "safe-lookalike",
        "error",
        "No page, feed, printed release or notice mail (its subject too) names or links a host "
        "that imitates an official domain (holds its name, as yokohama-toyopet.jp.evil.example "
        "or yokohama-toyopet-jp.com do, or differs from it by a letter or two), unless the "
        "incident declares it as a reference; no page links a host without its scheme "
        "(//host/... to a host not official, or www.host/... that the browser reads as a "
        "page of this site).",
        SOURCE,
        lookalikes,
    ),
)
