"""The rules a notice mail must keep so it cannot be mistaken for the spoofed mail it warns about.

- (From and Reply-To on an official mail domain is the check rule safe-sender's, located in
  site.yaml: publisher/check/rules/safety.py)
- every link is https:// on the official web domain, and the mail links to the release page,
  never to a file such as its PDF (a file to open is what the spoofed mail sends);
- no scripts, forms, frames, embedded objects or remote images; no attachment, ever;
- it repeats how to recognise genuine mail: every official mail domain is named as `@domain`.

Pure functions: they take the rendered text and return the broken rules as messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from urllib.parse import urlsplit

from publisher.messages import N_, _
from publisher.model.schema import Site

_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'()]+", re.IGNORECASE)
_HOST = re.compile(r"(?<![\w.@-])(?:[a-z0-9-]+\.)+[a-z]{2,63}(?![\w-])", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,63})", re.IGNORECASE)
_FORBIDDEN_TAGS = {"script", "iframe", "frame", "form", "object", "embed", "img", "base", "link"}
_URL_ATTRS = {"href", "src", "action", "background", "formaction", "poster", "srcset"}
# Styles that fetch something (a tracking pixel, a remote font) when the mail is opened.
_FETCHING_CSS = re.compile(r"url\s*\(|@import|expression\s*\(", re.IGNORECASE)
_ALLOWED_PARTS = {"multipart/alternative", "text/plain", "text/html"}
# Elements that end a line of visible text: "Inc.<br>Attn" reads as two lines, not a host name.
_LINE_BREAKS = {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd"}


@dataclass(frozen=True)
class SafetyRules:
    """The official domains, and the page every mail must link to."""

    web_domain: str
    mail_domains: tuple[str, ...]
    release_url: str

    @classmethod
    def of(cls, site: Site, release_url: str) -> SafetyRules:
        """The rules of `site` for a mail about the release at `release_url`."""
        org = site.organization
        return cls(org.web_domain, tuple(org.mail_domains), release_url)

    def official_link(self, url: str) -> bool:
        """Whether `url` is https:// on the official web domain (not one no URL parser reads,
        as http://[x)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        return parts.scheme == "https" and parts.hostname == self.web_domain and not parts.username


def on_mail_domain(address: str, domains: Iterable[str]) -> bool:
    """Whether `address` is on one of the official mail `domains` (the rule safe-sender)."""
    return address.rsplit("@", 1)[-1].lower() in domains


def check_mail(text: str, html: str, rules: SafetyRules) -> list[tuple[str, str]]:
    """Broken rules in a mail's text and HTML parts, as (part, message) pairs."""
    page = _Page()
    page.feed(html)
    page.close()
    found = [("html", m) for m in page.problems]
    found += [("html", _off_web(u, rules)) for u in page.links if not rules.official_link(u)]
    for part, visible in (("text", text), ("html", page.text())):
        found += [(part, m) for m in _check_visible(visible, rules)]
    if rules.release_url not in page.links:
        said = _("no link to the release page {url}")
        found.append(("html", said.format(url=rules.release_url)))
    file_link = _(_FILE_LINK)
    found += [("html", file_link.format(url=u)) for u in page.links if _a_file(u)]
    found += [("text", file_link.format(url=u)) for u in _URL.findall(text) if _a_file(u)]
    return found


def _off_web(url: str, rules: SafetyRules) -> str:
    said = _("link to {url} is not https://{domain}/")
    return said.format(url=url, domain=rules.web_domain)


_FILE_LINK = N_(
    "links the file {url}: a notice links pages, not files (the release page shows its PDF)"
)
_FILES = (".pdf", ".zip", ".doc", ".docx", ".xls", ".xlsx", ".exe")


def _a_file(url: str) -> bool:
    """Whether `url` names a file to download (a PDF, an archive, a document) rather than a page."""
    try:
        return urlsplit(url).path.lower().endswith(_FILES)
    except ValueError:  # no URL: the link is reported as not official
        return False


def _check_visible(text: str, rules: SafetyRules) -> list[str]:
    found = []
    urls = _URL.findall(text)
    found += [_off_web(u, rules) for u in urls if not rules.official_link(u)]
    official = {rules.web_domain, *rules.mail_domains}
    stripped = _URL.sub(" ", text)
    host = _("names the domain {domain}, which is not official")
    found += [host.format(domain=h) for h in _HOST.findall(stripped) if h.lower() not in official]
    address = _("names an address on {domain}, which is not an official mail domain")
    found += [
        address.format(domain=d)
        for d in _ADDRESS.findall(stripped)
        if d.lower() not in rules.mail_domains
    ]
    if rules.release_url not in urls:
        said = _("does not show the release page {url}")
        found.append(said.format(url=rules.release_url))
    genuine = _("does not say that genuine mail comes from @{domain}")
    found += [
        genuine.format(domain=d)
        for d in rules.mail_domains
        if not re.search(rf"(?<![\w.+-])@{re.escape(d)}", text)
    ]
    return found


def check_mime(mail: EmailMessage) -> list[str]:
    """Problems with a built message's structure: only text and HTML, no attachment."""
    found = []
    for part in mail.walk():
        kind = part.get_content_type()
        if kind not in _ALLOWED_PARTS:
            found.append(_("a {kind} part is not allowed in a notice mail").format(kind=kind))
        if part.get_content_disposition() is not None or part.get_filename():
            found.append(_("a notice mail never carries an attachment"))
        if not part.is_multipart() and part.get_content_charset() != "utf-8":
            found.append(_("the {kind} part is not UTF-8").format(kind=kind))
    if mail.get_content_type() != "multipart/alternative":
        found.append(_("a notice mail is multipart/alternative (text and HTML)"))
    return found


class _Page(HTMLParser):
    """Collects an HTML part's links, forbidden elements and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.problems: list[str] = []
        self.chunks: list[str] = []
        self.hidden = 0
        self.styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(_("<{tag}> is not allowed in a notice mail").format(tag=tag))
        if tag in ("style", "title", "head"):
            self.hidden += 1
        if tag in _LINE_BREAKS and not self.hidden:
            self.chunks.append("\n")
        self.styles += tag == "style"
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append(_("<meta http-equiv=refresh> is not allowed in a notice mail"))
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name in _URL_ATTRS or name.endswith(":href"):
            self.links.append(value)
        elif name.startswith("on"):
            said = _("<{tag} {name}> (a script) is not allowed in a notice mail")
            self.problems.append(said.format(tag=tag, name=name))
        elif name == "style" and _FETCHING_CSS.search(value):
            said = _("<{tag} style> loads something (url, @import): not allowed")
            self.problems.append(said.format(tag=tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "head") and self.hidden:
            self.hidden -= 1
        if tag == "style" and self.styles:
            self.styles -= 1

    def handle_data(self, data: str) -> None:
        if self.styles and _FETCHING_CSS.search(data):
            self.problems.append(_("a <style> that loads something (url, @import) is not allowed"))
        if not self.hidden:
            self.chunks.append(data)

    def text(self) -> str:
        """The visible text, outside head, title and style."""
        return "".join(self.chunks)
