"""Atom feeds (the whole site, and one per incident), sitemap.xml and robots.txt.

Times come from the releases themselves, never from the clock, so feeds are reproducible; a
release not yet due never reaches a feed because the content is filtered before rendering.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from publisher.model.content import Content, IncidentRecord
from publisher.model.schedule import published_at
from publisher.render.pages import Output, render_page
from publisher.render.theme import Theme
from publisher.render.urls import absolute_url, page_dir


def plan_feeds(content: Content, theme: Theme) -> list[Output]:
    """feed.xml at the root (every release) and `<incident>/feed.xml` for each incident."""
    strings = theme.strings_for(content.site.language)
    org = content.site.organization.name
    feeds = [_feed(content, theme, "", f"{org} {strings['site_title']}", content.incidents)]
    feeds += [
        _feed(content, theme, page_dir(i.id), i.incident.title, (i,)) for i in content.incidents
    ]
    return feeds


def plan_sitemap(content: Content, pages: list[Output]) -> list[Output]:
    """sitemap.xml listing every page by its absolute https URL, and robots.txt pointing to it."""
    urls = sorted(
        absolute_url(content.site, p.path) for p in pages if p.path.endswith("index.html")
    )
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"<url><loc>{escape(url)}</loc></url>" for url in urls),
        "</urlset>",
    ]
    robots = f"User-agent: *\nAllow: /\nSitemap: {absolute_url(content.site, 'sitemap.xml')}\n"
    return [
        Output("sitemap.xml", ("\n".join(lines) + "\n").encode("utf-8")),
        Output("robots.txt", robots.encode("utf-8")),
    ]


def _feed(
    content: Content,
    theme: Theme,
    folder: str,
    title: str,
    incidents: tuple[IncidentRecord, ...],
) -> Output:
    entries = sorted(
        (_entry(content, incident, record.release) for incident in incidents
         for record in incident.releases),
        key=lambda e: (e["moment"], e["url"]),
        reverse=True,
    )  # fmt: skip
    fallback = min((i.incident.discovered.isoformat() for i in incidents), default="1970-01-01")
    return render_page(theme, "feed.xml", folder + "feed.xml", {
        "strings": theme.strings_for(content.site.language),
        "site": content.site,
        "lang": content.site.language,
        "title": title,
        "id": absolute_url(content.site, folder),
        "self_url": absolute_url(content.site, folder + "feed.xml"),
        "updated": entries[0]["updated"] if entries else fallback + "T00:00:00Z",
        "entries": entries,
    })  # fmt: skip


def _entry(content: Content, incident: IncidentRecord, release: Any) -> dict[str, Any]:
    when = published_at(release, content.site.timezone)
    return {
        "release": release,
        "url": absolute_url(content.site, page_dir(incident.id, release.date)),
        "moment": when,
        "updated": when.isoformat(),
    }
