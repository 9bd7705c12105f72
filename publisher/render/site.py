"""The render pass: everything the site shows, rendered once, for the check to read and the
build to write.

Pure: takes the content and the theme, returns values. Every release's prose, then the pages,
releases.json, static files, feeds, sitemap and robots.txt, and each release's print (the HTML
its PDF is made from), with what stopped any of it. Nothing is filled in later: a PDF build
lists its PDFs by planning the pages that name them again (`with_pdfs`).
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from publisher import parallel
from publisher.errors import Problem, RenderError
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.render.feeds import plan_feeds, plan_sitemap
from publisher.render.pages import (
    Output,
    PdfFiles,
    plan_pages,
    release_page,
    release_versions,
    render_each,
    render_one,
    render_page,
)
from publisher.render.release import RenderedRelease
from publisher.render.reuse import LISTING, Made, Reuse, output_keys, print_name
from publisher.render.theme import Theme
from publisher.render.urls import absolute_links, page_dir, pdf_path, release_dir

PRINT_TEMPLATE = "release-print.html"


@dataclass(frozen=True)
class SiteRendering:
    """What one render pass made of a content tree."""

    releases: tuple[RenderedRelease, ...]
    """Every release whose prose rendered, in the content's order."""
    problems: tuple[Problem, ...]
    """What stopped the prose of the others."""
    pages: tuple[Output, ...] = ()
    """The pages, releases.json and static files (no PDF named)."""
    feeds: tuple[Output, ...] = ()
    """The feeds, sitemap.xml and robots.txt."""
    prints: Mapping[str, bytes] = field(default_factory=dict)
    """Each release's print HTML, by release id."""
    failed: tuple[Problem, ...] = ()
    """Where a template failed (then there are no pages, feeds or prints)."""
    made: Made = field(default_factory=dict)
    """The release and incident pages and the prints, with their keys, for the next build."""
    rendered: frozenset[str] = frozenset()
    """The pages, feeds and prints rendered anew, by name (the others were the last build's)."""
    listing: str = ""
    """The key of what the lists of every release read (publisher.render.reuse.LISTING; empty:
    the pass was not keyed)."""

    @property
    def outputs(self) -> list[Output]:
        """The pages, then the feeds and sitemap; RenderError if a template failed."""
        if self.failed:
            raise RenderError(list(self.failed))
        return [*self.pages, *self.feeds]

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the rendered releases."""
        return tuple(r.view.record.id for r in self.releases)

    def part(
        self, incident: IncidentRecord | None, incidents: Iterable[IncidentRecord]
    ) -> SiteRendering:
        """What of this pass is `incident`'s, of the content's `incidents`: its releases, the
        files in its folder, its prints and the problems located in its files. None: the rest,
        the site's own pages and files and the problems in no incident's files."""
        if incident is None:
            everyone = tuple(incidents)
            folders = tuple(page_dir(i.id) for i in everyone)
            files = {path for i in everyone for path in _files_of(i)}
            releases: tuple[RenderedRelease, ...] = ()
            problems = tuple(p for p in self.problems if p.path not in files)
            pages = tuple(o for o in self.pages if not o.path.startswith(folders))
            feeds = tuple(o for o in self.feeds if not o.path.startswith(folders))
        else:
            folder, files = page_dir(incident.id), _files_of(incident)
            releases = tuple(r for r in self.releases if r.view.incident.id == incident.id)
            problems = tuple(p for p in self.problems if p.path in files)
            pages = tuple(o for o in self.pages if o.path.startswith(folder))
            feeds = tuple(o for o in self.feeds if o.path.startswith(folder))
        ids = [r.view.record.id for r in releases]
        prints = {i: self.prints[i] for i in ids if i in self.prints}
        return SiteRendering(releases, problems, pages, feeds, prints, self.failed)


def _files_of(incident: IncidentRecord) -> set[str]:
    """The files an incident was read from, as problems name them."""
    records = [v for original in incident.releases for v in original.versions]
    return {incident.doc.path, *(record.doc.path for record in records)}


def render_site(content: Content, theme: Theme, reuse: Reuse | None = None) -> SiteRendering:
    """Every release, page, feed and print of `content` under `theme`, rendered once; the
    pages and prints `reuse` holds with the keys they have now taken from it, not rendered."""
    keys = output_keys(content, reuse.theme) if reuse else {}
    kept = reuse.kept(keys) if reuse else {}
    fresh = _rendered_apart(content, theme, kept, keys)
    releases, problems = render_each(content, theme, keys)
    made_before = kept | fresh
    try:
        pages = plan_pages(content, theme, releases, kept=made_before, listing=keys.get(LISTING))
        feeds = plan_feeds(content, theme, keys) + plan_sitemap(content, pages)
        prints = {r.view.record.id: _print(theme, r, made_before) for r in releases}
    except RenderError as exc:  # the build says where; the check reads nothing
        return SiteRendering(tuple(releases), tuple(problems), failed=tuple(exc.problems))
    made = {o.path: o.data for o in pages if o.path in keys}
    made |= {print_name(i): html for i, html in prints.items() if keys}
    copied = {*kept, *theme.static}  # static files are copied, not rendered
    rendered = frozenset(o.path for o in [*pages, *feeds] if o.path not in copied)
    return SiteRendering(
        tuple(releases), tuple(problems), tuple(pages), tuple(feeds), prints,
        made={name: (keys[name], data) for name, data in made.items()},
        rendered=rendered | {n for n in made if n not in kept},
        listing=keys.get(LISTING, ""),
    )  # fmt: skip


def _rendered_apart(
    content: Content, theme: Theme, kept: Mapping[str, bytes], keys: Mapping[str, str]
) -> dict[str, bytes]:
    """The page and print of each release `kept` does not hold, by name, rendered by both cores
    (`parallel.shared`; their Markdown goes to the memo), for the render pass to take as made;
    nothing where the work is not shared (the pass renders them itself, as it would here)."""
    if not parallel.available():
        return {}
    records = [
        (incident, record)
        for incident in content.incidents
        for original in incident.releases
        for record in original.versions
        if release_dir(record) + "index.html" not in kept
    ]
    made = parallel.shared(records, functools.partial(_page_and_print, content, theme, keys), _Made)
    return {
        name: data
        for (_, record), both in zip(records, made, strict=True)
        if both is not None
        for name, data in zip(
            (release_dir(record) + "index.html", print_name(record.id)), both, strict=True
        )
    }


_Made = tuple[bytes, bytes] | None
"""A release's page and print, or None where rendering it stopped (the pass says why)."""


def _page_and_print(
    content: Content,
    theme: Theme,
    keys: Mapping[str, str],
    pair: tuple[IncidentRecord, ReleaseRecord],
) -> _Made:
    """The page and print of one release as the render pass makes them (no PDF named)."""
    rendered = render_one(content, theme, *pair, keys)
    if isinstance(rendered, list):
        return None
    try:
        page = release_page(theme, rendered, None).data
        return page, print_html(theme, rendered).encode("utf-8")
    except RenderError:
        return None


def _print(theme: Theme, rendered: RenderedRelease, kept: Mapping[str, bytes]) -> bytes:
    data = kept.get(print_name(rendered.view.record.id))
    return print_html(theme, rendered).encode("utf-8") if data is None else data


def with_pdfs(site: SiteRendering, content: Content, theme: Theme, pdfs: PdfFiles) -> list[Output]:
    """The site's outputs with its PDFs, listed by the pages and releases.json that name them."""
    if site.failed:
        raise RenderError(list(site.failed))
    return [*plan_pages(content, theme, list(site.releases), pdfs), *site.feeds]


def print_html(theme: Theme, rendered: RenderedRelease) -> str:
    """The HTML a release's PDF is printed from; its links absolute, to the published site,
    and those that leave the site marked to print their address."""
    view = rendered.view
    path = pdf_path(view.incident.id, view.date, view.record.variant)  # its canonical URL
    here = release_dir(view.record)
    site = view.content.site
    page_url = urljoin(site.base_url, here)
    context = {
        "strings": theme.strings_for(view.lang),
        "site": site,
        "lang": view.lang,
        "r": rendered,
        "view": view,
        "release": view.record.release,
        "versions": release_versions(view.content, theme, view.incident, view.date, here),
        "page_url": page_url,
        "pdf_name": path.rpartition("/")[2],
        "sums_url": urljoin(site.base_url, "SHA256SUMS"),
    }
    html = render_page(theme, PRINT_TEMPLATE, path, context).data.decode("utf-8")
    return printed_urls(absolute_links(html, page_url), site.base_url)


_LINK = re.compile(r'<a href="(https?://[^"]+)"([^>]*)>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def printed_urls(html: str, site_url: str) -> str:
    """`html` with each link that leaves the site marked `data-print-url`, so the print
    stylesheet prints its address after its text; not a link whose text is its address, nor
    one to the site's own pages (the PDF's footer names the site)."""

    def mark(link: re.Match[str]) -> str:
        href, rest, text = link.groups()
        shown = html_lib.unescape(_TAG.sub("", text)).strip()
        if href.startswith(site_url) or shown.rstrip("/") == html_lib.unescape(href).rstrip("/"):
            return link.group(0)
        return f'<a href="{href}" data-print-url{rest}>{text}</a>'

    return _LINK.sub(mark, html)
