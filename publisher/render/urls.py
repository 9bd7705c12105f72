"""Where pages live in the site, and links to them: relative inside the site, absolute outside."""

from __future__ import annotations

from publisher.model.schema import Site


def absolute_url(site: Site, path: str) -> str:
    """The public https URL of `path` (relative to the site root), under the site's base URL."""
    base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
    return base + path.removesuffix("index.html")
