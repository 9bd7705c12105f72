"""Where pages live in the site, and links to them: relative inside the site, absolute outside."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from publisher.model.content import IncidentRecord, ReleaseRecord
from publisher.model.schema import Site


def absolute_url(site: Site, path: str) -> str:
    """The public https URL of `path` (relative to the site root), under the site's base URL."""
    base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
    return base + path.removesuffix("index.html")


def root_path(site: Site) -> str:
    """The path of the site's root on its host, from its base URL (`/incident/`; `/` at the
    host's root): links from it work from a page at any depth."""
    path = urlsplit(site.base_url).path
    return path if path.endswith("/") else path + "/"


def page_dir(incident_id: str, day: date | None = None, lang: str = "") -> str:
    """The folder of a page in the site: `<incident>/`, `<incident>/<date>/`, or a
    translation's `<incident>/<date>/<lang>/`."""
    if day is None:
        return f"{incident_id}/"
    return f"{incident_id}/{day.isoformat()}/" + (f"{lang}/" if lang else "")


def release_dir(record: ReleaseRecord) -> str:
    """The folder of the page of `record` (an original or a translation)."""
    return page_dir(record.incident_id, record.release.date, record.variant)


def version_in(incident: IncidentRecord, day: date, lang: str) -> ReleaseRecord | None:
    """The release of `incident` dated `day` in `lang` if it has that translation, else the
    original (None: no release that day). A translation's links lead to its own language."""
    original = incident.release_on(day)
    if original is None or not lang:
        return original
    return original.in_language(lang) or original


def relative_url(from_dir: str, to_path: str) -> str:
    """A link from a page in `from_dir` to `to_path` (a folder ending in / or a file).

    Both are paths inside the site, relative to its root; folders end in `/`.
    """
    here = [p for p in from_dir.split("/") if p]
    there = [p for p in to_path.split("/") if p]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    if not parts:
        return "./"
    folder = to_path == "" or to_path.endswith("/")
    return "/".join(parts) + ("/" if folder else "")


def pdf_path(incident_id: str, day: date, lang: str = "") -> str:
    """`<incident>/<date>/<incident>-<date>.pdf`, beside the release's page; a translation's
    is `<incident>/<date>/<lang>/<incident>-<date>-<lang>.pdf`."""
    name = f"{incident_id}-{day.isoformat()}" + (f"-{lang}" if lang else "")
    return f"{page_dir(incident_id, day, lang)}{name}.pdf"


_RELATIVE_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^"]*)"')


def absolute_links(html: str, page_url: str) -> str:
    """`html` with every relative link made absolute against the page's public URL."""
    return _RELATIVE_HREF.sub(lambda m: f'href="{urljoin(page_url, m.group(1))}"', html)
