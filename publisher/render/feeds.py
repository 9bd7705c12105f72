"""Atom feeds (the whole site, and one per incident), sitemap.xml and robots.txt.

Times come from the releases themselves, never from the clock, so feeds are reproducible; a
release not yet due never reaches a feed because the content is filtered before rendering.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from publisher import memo
from publisher.load.themefolders import DEFAULT_THEME
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schedule import published_at
from publisher.model.translation import site_in
from publisher.render.pages import Output, feed_path, render_page
from publisher.render.reuse import EVERYTHING, LISTING
from publisher.render.theme import Theme
from publisher.render.urls import absolute_url, page_dir, release_dir, version_in


def plan_feeds(
    content: Content, theme: Theme, keys: Mapping[str, str] | None = None
) -> list[Output]:
    """feed.xml at the root (every release) and `<incident>/feed.xml` for each incident; and
    for each other language a release is in (a translation's, say), `feed.<lang>.xml` beside
    each, holding the releases in that language. With the `keys` of the incident pages
    (publisher.render.reuse: an incident's feed reads what its page reads), the incidents'
    feeds are kept in the memo."""
    site_lang = content.site.language
    keys = keys or {}
    pick = lambda i, o: version_in(i, o.release.date, site_lang)  # noqa: E731
    feeds = _feeds(content, theme, site_lang, pick, keys)
    for lang in sorted(_languages(content) - {site_lang}):
        if lang in theme.strings:
            feeds += _feeds(content, theme, lang, _in(lang, site_lang), keys)
    return feeds


Pick = Callable[[IncidentRecord, ReleaseRecord], "ReleaseRecord | None"]
"""Which version of an original a feed lists (None: the feed leaves the release out)."""


def _in(lang: str, site_lang: str) -> Pick:
    def pick(incident: IncidentRecord, original: ReleaseRecord) -> ReleaseRecord | None:
        return next((v for v in original.versions if _lang(v, site_lang) == lang), None)

    return pick


def _lang(record: ReleaseRecord, site_lang: str) -> str:
    return record.release.lang or site_lang


def _languages(content: Content) -> set[str]:
    site_lang = content.site.language
    return {_lang(v, site_lang) for i in content.incidents for o in i.releases for v in o.versions}


def _feeds(
    content: Content, theme: Theme, lang: str, pick: Pick, keys: Mapping[str, str]
) -> list[Output]:
    """The site's feed and each incident's, in `lang`, of the versions `pick` chooses (each
    kept in the memo by the key in `keys` of what it reads, where there is one: the LISTING
    key, an incident's page's)."""
    strings = theme.strings_for(lang)
    own = "" if lang == content.site.language else lang
    if own:  # the organisation's names in the feed's language, where site.yaml gives them
        content = dataclasses.replace(content, site=site_in(content.site, own))
    org = content.site.organization.name
    listed = [(i, [v for o in i.releases if (v := pick(i, o))]) for i in content.incidents]
    title = f"{org} {strings['site_title']}"
    feed = functools.partial(_kept_feed, content, theme, lang)
    read = keys.get(LISTING if _default_feed(theme) else EVERYTHING)
    feeds = [feed(read, feed_path(own), title, listed)]
    for incident, versions in listed:
        if own and not versions:
            continue
        title = versions[-1].release.title if own else incident.incident.title
        key = keys.get(page_dir(incident.id) + "index.html")
        feeds.append(feed(key, feed_path(own, incident.id), title, [(incident, versions)]))
    return feeds


def _default_feed(theme: Theme) -> bool:
    """Whether the theme's feed.xml is the default one, which shows no release's prose."""
    return theme.find("feed.xml").resolve() == (DEFAULT_THEME / "feed.xml").resolve()


def _kept_feed(
    content: Content,
    theme: Theme,
    lang: str,
    key: str | None,
    path: str,
    title: str,
    listed: list[tuple[IncidentRecord, list[ReleaseRecord]]],
) -> Output:
    """The feed `_feed` makes, or, with the `key` of what it reads, the one an earlier build
    kept in the memo."""
    name = memo.key("feed", key, lang, path) if key else None
    kept = memo.get(name, bytes) if name else None
    if kept is not None:
        return Output(path, kept)
    made = _feed(content, theme, lang, path, title, listed)
    if name:
        memo.put(name, made.data, bytes)
    return made


def plan_sitemap(content: Content, pages: list[Output]) -> list[Output]:
    """sitemap.xml listing every page by its absolute https URL, and robots.txt pointing to it."""
    urls = sorted(
        absolute_url(content.site, p.path) for p in pages if p.path.endswith("index.html")
    )
    languages = _alternates(content)
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if languages else ""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>',
        *(f"<url><loc>{_xml(url)}</loc>{languages.get(url, '')}</url>" for url in urls),
        "</urlset>",
    ]
    robots = f"User-agent: *\nAllow: /\nSitemap: {absolute_url(content.site, 'sitemap.xml')}\n"
    return [
        Output("sitemap.xml", ("\n".join(lines) + "\n").encode("utf-8")),
        Output("robots.txt", robots.encode("utf-8")),
    ]


def _xml(url: str) -> str:
    """`url` as XML writes it, & < and > escaped (what xml.sax.saxutils does, whose import
    brings urllib.request and http.client with it)."""
    return escape(url, quote=False)


def _alternates(content: Content) -> dict[str, str]:
    """The `<xhtml:link hreflang>` elements of each page of a release in several languages,
    by the page's URL (every version names every version, itself included)."""
    found: dict[str, str] = {}
    for incident in content.incidents:
        for original in incident.releases:
            if not original.translations:
                continue
            urls = [
                (_lang(v, content.site.language), absolute_url(content.site, release_dir(v)))
                for v in original.versions
            ]
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{lang}" href="{_xml(url)}"/>'
                for lang, url in urls
            )
            found |= {url: links for _, url in urls}
    return found


def _feed(
    content: Content,
    theme: Theme,
    lang: str,
    path: str,
    title: str,
    listed: list[tuple[IncidentRecord, list[ReleaseRecord]]],
) -> Output:
    entries = sorted(
        (_entry(content, record) for _, versions in listed for record in versions),
        key=lambda e: (e["moment"], e["url"]),
        reverse=True,
    )
    fallback = min((i.incident.discovered.isoformat() for i, _ in listed), default="1970-01-01")
    folder = path.rpartition("/")[0] + "/" if "/" in path else ""
    return render_page(theme, "feed.xml", path, {
        "strings": theme.strings_for(lang),
        "site": content.site,
        "lang": lang,
        "title": title,
        "id": absolute_url(content.site, folder),
        "self_url": absolute_url(content.site, path),
        "updated": entries[0]["updated"] if entries else fallback + "T00:00:00Z",
        "entries": entries,
    })  # fmt: skip


def _entry(content: Content, record: ReleaseRecord) -> dict[str, Any]:
    release = record.release
    when = published_at(release, content.site.timezone)
    return {
        "release": release,
        "url": absolute_url(content.site, release_dir(record)),
        "moment": when,
        "updated": when.isoformat(),
    }
