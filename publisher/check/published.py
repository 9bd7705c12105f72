"""What reaches a reader: every page, feed, printed release and static file, as rendered.

The safe-notice rules, the as-of rule and the control-character rule read these rather than the
source fields, so a link in a timeline event, a measure or a fact, a URL that a Jinja expression
assembles and one written into a template are screened alike. Each file keeps what it was made
from, so a finding is located where its text was written: at the source field that holds it (to
the column, where it stands as written), else at the prose field whose rendering produced it,
else at the template line that holds it, else at the file the page belongs to.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote, urljoin

from publisher.check.prose import Prose, mail_prose, release_prose
from publisher.check.reading import Reading, read_file, read_html, urls_in
from publisher.errors import ContentError, Problem, PublisherError, display_path
from publisher.messages import N_, _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.view import ReleaseView
from publisher.render.pages import Output
from publisher.render.release import RenderedRelease
from publisher.render.site import SiteRendering
from publisher.render.theme import Theme
from publisher.render.urls import absolute_url, page_dir, pdf_path, release_dir

_TEMPLATE_FILES = (".html", ".htm", ".xml", ".txt", ".yaml", ".css", ".js", ".svg")
UNTRACED = N_(" (as the templates render the page)")
"""Said after a finding that no source field, prose or template line holds as written."""


@dataclass(frozen=True)
class Readable:
    """One published file as a reader gets it, with what it was made from."""

    path: str
    """Where it is in the site."""
    url: str
    """Its public URL, which its relative links resolve against."""
    owner: str
    """The file it belongs to (a release, an incident record, site.yaml, a static file)."""
    reading: Reading
    incident: IncidentRecord | None = None
    day: date | None = None
    """A release's page or print: the release's date, the horizon of what it may show."""
    sources: tuple[Prose, ...] = ()
    """The source texts it may show, as written."""
    pieces: tuple[tuple[Prose, str], ...] = ()
    """Its prose fields, each with the HTML its rendering made."""


@dataclass(frozen=True)
class Published:
    """Every file a reader gets, read (none if a page template fails: the build says why)."""

    readables: tuple[Readable, ...] = ()
    theme: Theme | None = None

    def locate(self, readable: Readable, needle: str, message: str) -> list[Problem]:
        """`message` at each place `needle`, found in `readable`, was written (see the module)."""
        forms = _written(needle)
        found = [p.at(i, message) for p in readable.sources for i in _offsets(p.text, forms)]
        if not found:
            found = [p.at(0, message) for p, made in readable.pieces if _shows(made, needle)]
        if not found:
            found = [Problem(*at, "", message) for at in self._in_templates(needle)][:1]
        return found or [Problem(readable.owner, 0, 0, "", message + _(UNTRACED))]

    def _in_templates(self, needle: str) -> Iterator[tuple[str, int, int]]:
        forms = [re.escape(needle), re.escape(html.escape(needle))]
        if len(needle) == 1:  # a character: as a template may write it, a character reference
            forms.append(f"&#(?:[xX]0*{ord(needle):x}|0*{ord(needle)});")
        pattern = re.compile("|".join(forms), re.IGNORECASE if len(needle) == 1 else 0)
        for shown, text, lines in self._template_lines:
            if pattern.search(text) is None:  # in no line of it
                continue
            for number, line in enumerate(lines, 1):
                found = pattern.search(line)
                if found:
                    yield shown, number, found.start() + 1

    @functools.cached_property
    def _template_lines(self) -> list[tuple[str, str, list[str]]]:
        """The text files of the theme's layers, the project's first: each whole and by line."""
        found = []
        for layer in self.theme.layers if self.theme else ():
            for path in sorted(layer.rglob("*")):
                if path.suffix in _TEMPLATE_FILES and path.is_file():
                    text = path.read_text(encoding="utf-8", errors="replace")
                    found.append((display_path(path), text, text.splitlines()))
        return found


def publish(content: Content, theme: Theme, site: SiteRendering) -> Published:
    """Every page, feed, printed release and static file of the render pass `site`, read."""
    if site.failed:  # a template that fails stops the build, which says where
        return Published((), theme)
    rendered = {r.view.record.id: r for r in site.releases}
    files = _Files(content, theme, rendered)
    readables = [r for o in site.outputs if (r := files.readable(o)) is not None]
    by_path = {r.path: r for r in readables}
    readables += [
        files.printed(_print_path(rendered[i]), i, markup.decode("utf-8"), by_path)
        for i, markup in site.prints.items()
    ]
    return Published(tuple(readables), theme)


def _print_path(release: RenderedRelease) -> str:
    view = release.view
    return pdf_path(view.incident.id, view.date, view.record.variant)


class _Files:
    """Who each published file belongs to, and what it may show."""

    def __init__(
        self, content: Content, theme: Theme, rendered: dict[str, RenderedRelease]
    ) -> None:
        self.content = content
        self.theme = theme
        self.rendered = {release_dir(r.view.record): r for r in rendered.values()}
        self.by_id = rendered
        self.incidents = {page_dir(i.id): i for i in content.incidents}
        self.made: dict[str, tuple[tuple[Prose, ...], tuple[tuple[Prose, str], ...]]] = {}
        self.site = tuple(_site_sources(content))
        self.of_incident: dict[str, tuple[Prose, ...]] = {}

    def readable(self, output: Output) -> Readable | None:
        reading = read_file(output.path, output.data)
        if reading is None:
            return None
        folder = output.path.rpartition("/")[0] + "/"
        url = absolute_url(self.content.site, output.path)
        release = self.rendered.get(folder)
        if release is not None:
            return self._of_release(output.path, url, release, reading)
        incident = self.incidents.get(folder)
        if incident is not None:
            sources = self._incident_made_of(incident)
            return Readable(output.path, url, incident.doc.path, reading, incident, None, sources)
        if output.path.startswith("static/"):
            return Readable(output.path, url, display_path(self.theme.find(output.path)), reading)
        sources = self._site_made_of
        return Readable(output.path, url, self.content.site_doc.path, reading, None, None, sources)

    def printed(
        self, path: str, release_id: str, markup: str, pages: dict[str, Readable]
    ) -> Readable:
        """A release's print; of its links, those its page does not hold (the print makes the
        page's relative links absolute: they are the page's, checked there as written)."""
        release = self.by_id[release_id]
        folder = release_dir(release.view.record)
        url = absolute_url(self.content.site, folder)
        reading = read_html(markup)
        page = pages.get(folder + "index.html")
        if page is not None:
            site = self.content.site.base_url
            written = page.reading.links
            on_page = {*written, *(urljoin(url, link) for link in written if _LINKLIKE.match(link))}
            links = tuple(
                link for link in reading.links if link not in on_page and not link.startswith(site)
            )
            reading = Reading(links, reading.text, reading.raw)
        return self._of_release(path, url, release, reading)

    def _of_release(
        self, path: str, url: str, release: RenderedRelease, reading: Reading
    ) -> Readable:
        view = release.view
        sources, pieces = self._made_of(release)
        owner = view.record.doc.path
        return Readable(path, url, owner, reading, view.incident, view.date, sources, pieces)

    def _incident_made_of(self, incident: IncidentRecord) -> tuple[Prose, ...]:
        """The sources of an incident's page and feeds, the same for each."""
        made = self.of_incident.get(incident.id)
        if made is None:
            made = self.of_incident[incident.id] = (*_incident_sources(incident), *self.site)
        return made

    @functools.cached_property
    def _site_made_of(self) -> tuple[Prose, ...]:
        """The sources of the site's own pages and feeds (the index, releases.json, ...)."""
        return (*(p for i in self.content.incidents for p in _incident_sources(i)), *self.site)

    def _made_of(
        self, release: RenderedRelease
    ) -> tuple[tuple[Prose, ...], tuple[tuple[Prose, str], ...]]:
        """The sources and prose pieces of a release, the same for its page and its print."""
        made = self.made.get(release.view.record.id)
        if made is None:
            sources = (*_release_sources(release.view), *self.site)
            pieces = tuple((Prose(p.doc, p.loc, p.text), str(p.html)) for p in release.pieces)
            made = self.made[release.view.record.id] = (sources, pieces)
        return made


def _release_sources(view: ReleaseView) -> Iterator[Prose]:
    """The source texts a release's page may show as of its date, the release's own first."""
    record, incident, day = view.record, view.incident, view.date
    yield from release_prose(record)
    for i, section in enumerate(record.release.sections):
        yield Prose(record.doc, ("sections", i, "heading"), section.heading)
    contact = record.release.contact
    if contact and isinstance(contact.email, str):
        yield Prose(record.doc, ("contact", "email"), contact.email)
    doc, source = incident.doc, incident.incident
    yield Prose(doc, ("title",), source.title)
    shown = {id(event) for event in view.events}  # the events the view holds, as they are
    for i, event in enumerate(source.timeline):
        if id(event) in shown:
            yield Prose(doc, ("timeline", i, "text"), event.text)
    for i, measure in enumerate(source.measures):
        if measure.date <= day:
            yield Prose(doc, ("measures", i, "text"), measure.text)
    for i, pattern in enumerate(source.advice.attachment_patterns):
        if pattern.as_of <= day:
            yield Prose(doc, ("advice", "attachment_patterns", i, "text"), pattern.text)
    for i, reference in enumerate(source.references):
        if reference.as_of <= day:
            yield Prose(doc, ("references", i, "title"), reference.title)
            yield Prose(doc, ("references", i, "url"), reference.url)
    for name, fact in source.facts.items():
        yield Prose(doc, ("facts", name, "label"), fact.label)
        yield Prose(doc, ("facts", name, "unit"), fact.unit)
    yield from (text for text, known in fact_texts(incident) if known <= day)
    for original in incident.releases:  # the series: every release's title, later ones too
        for other in original.versions:  # in each language its pages list it in
            yield Prose(other.doc, ("title",), other.release.title)


def fact_texts(incident: IncidentRecord) -> Iterator[tuple[Prose, date]]:
    """Every text of the incident's fact values (a value, an item of a list, a note), with the
    date it is known from."""
    doc = incident.doc
    for name, fact in incident.incident.facts.items():
        for j, value in enumerate(fact.values):
            at = ("facts", name, "values", j)
            if isinstance(value.value, str):
                yield Prose(doc, (*at, "value"), value.value), value.as_of
            elif isinstance(value.value, list):
                for k, item in enumerate(value.value):
                    yield Prose(doc, (*at, "value", k), item), value.as_of
            if value.note:
                yield Prose(doc, (*at, "note"), value.note), value.as_of


def _incident_sources(incident: IncidentRecord) -> Iterator[Prose]:
    yield Prose(incident.doc, ("title",), incident.incident.title)
    for record in incident.releases:
        yield Prose(record.doc, ("title",), record.release.title)
        yield Prose(record.doc, ("summary",), record.release.summary)


def _site_sources(content: Content) -> Iterator[Prose]:
    site, doc = content.site, content.site_doc
    org = site.organization
    for key in ("name", "short_name", "self_reference"):
        yield Prose(doc, ("organization", key), getattr(org, key))
    for key in ("name", "phone", "hours", "email"):
        value = getattr(site.contact, key)
        if isinstance(value, str):
            yield Prose(doc, ("contact", key), value)


@functools.lru_cache(maxsize=256)
def _reading_of(markup: str) -> Reading:
    return read_html(markup)


def _shows(markup: str, needle: str) -> bool:
    """Whether the rendered prose `markup` holds `needle`."""
    return needle in markup or _reading_of(markup).shows(needle)


def _written(needle: str) -> tuple[str, ...]:
    """How `needle` may be written in a source: as it is, else percent-decoded (a link as
    Markdown wrote it)."""
    return tuple(form for form in dict.fromkeys((needle, unquote(needle))) if form)


def _offsets(text: str, forms: tuple[str, ...]) -> Iterator[int]:
    """Where the needle stands whole in `text` (a link is not the start of a longer one), in
    the first of its `forms` that does."""
    for written in forms:
        if written not in text:
            continue
        whole = re.escape(written) + (_URL_GOES_ON if _LINKLIKE.match(written) else "")
        starts = [m.start() for m in re.finditer(whole, text)]
        if starts:
            yield from starts
            return


_LINKLIKE = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.IGNORECASE)
_URL_GOES_ON = r"(?![A-Za-z0-9_/~%#=&+@$*-]|[.,;:!?'][A-Za-z0-9_/~%#=&+@$*-])"
"""What, after a link's text, would make it part of a longer link (Japanese text that follows a
link is no part of it, as publisher.check.prose.URL reads links)."""
"""After a link: nothing that would make the text a longer link."""


def mail_readables(
    content: Content, theme: Theme, incidents: Iterable[IncidentRecord] | None = None
) -> Iterator[Readable]:
    """Every release's notice mail (of `incidents` of `content`, default all) as its reader
    gets it (subject, text and HTML bodies), located at the mail's prose."""
    for incident in content.incidents if incidents is None else incidents:
        for record in incident.releases:
            mail = _mail(content, record, theme)
            if mail is not None:
                sources = tuple(mail_prose(record))
                path = f"{record.id} notice mail"
                yield Readable(path, mail[0], record.doc.path, mail[1], incident, None, sources)


def _mail(content: Content, record: ReleaseRecord, theme: Theme) -> tuple[str, Reading] | None:
    """The release page's URL and the reading of the release's notice mail (None: there is no
    mail, or it cannot be rendered: safe-mail says why)."""
    from publisher.notify.message import plan_notice  # the mail modules only when a mail is

    if record.release.notify is None:
        return None
    if (record.release.lang or content.site.language) not in theme.strings:
        return None
    try:
        notice = plan_notice(content, record, theme)
    except (ContentError, PublisherError):
        return None
    body = notice.bodies[""]
    page = read_html(body.html)
    links = tuple(dict.fromkeys((*page.links, *urls_in(body.text))))
    text = "\n".join((notice.subject, body.text, page.text))
    return notice.release_url, Reading(links, text, body.html)
