"""What a build at a moment would record of the published history, and what it would refuse:
one reconciliation for the build (at its moment, on the pages it writes) and for `publisher
check` (now, on the pages the content makes), so that both say the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from publisher.load.publication import Publication
from publisher.render.history import History, reconcile, seen_releases
from publisher.render.pages import Output
from publisher.render.release import RenderedRelease


def reconciled(
    publication: Publication,
    now: datetime,
    pages: list[Output],
    rendered: Iterable[RenderedRelease],
    prints: Mapping[str, bytes],
    zone: str,
) -> History:
    """The record after a build at `now` that publishes `pages` of the releases `rendered`,
    printed from `prints` (by release id; its problems: what it would refuse). A correction's
    date is a day in the site's zone, `zone`."""
    seen = seen_releases(pages, rendered, zone, prints)
    at = now.astimezone(ZoneInfo(zone))
    record, located, shown = publication.record, publication.located, publication.shown
    return reconcile(record, located, shown, seen, publication.archive, at)
