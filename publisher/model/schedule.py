"""Scheduled publication: the content as the public may see it at a given moment."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schema import Release


def published_at(release: Release, timezone: str) -> datetime:
    """When `release` goes public: its `publish_at`, or the start of its date in the site's zone."""
    if release.publish_at is not None:
        return release.publish_at
    return datetime.combine(release.date, time(0), ZoneInfo(timezone))


def visible(content: Content, as_of: datetime, drafts: bool = False) -> Content:
    """`content` without releases not yet due at `as_of` (and drafts, unless `drafts`).

    An incident with no visible release is left out entirely: it is not public yet.
    """
    incidents = []
    for incident in content.incidents:
        shown = _shown(incident, content.site.timezone, as_of, drafts)
        if shown:
            incidents.append(replace(incident, releases=shown))
    return replace(content, incidents=tuple(incidents))


def _shown(
    incident: IncidentRecord, timezone: str, as_of: datetime, drafts: bool
) -> tuple[ReleaseRecord, ...]:
    """Drafts when asked for (whatever their date); other releases once they are due."""
    return tuple(
        record
        for record in incident.releases
        if (drafts if record.release.draft else published_at(record.release, timezone) <= as_of)
    )


def next_publication(content: Content, as_of: datetime) -> datetime | None:
    """The first moment after `as_of` when a scheduled (non-draft) release becomes due."""
    upcoming = [
        when
        for incident in content.incidents
        for record in incident.releases
        if not record.release.draft
        and (when := published_at(record.release, content.site.timezone)) > as_of
    ]
    return min(upcoming, default=None)
