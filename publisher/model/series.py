"""Rules that span files: a series of releases must make sense as a whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from publisher.errors import Problem
from publisher.messages import _
from publisher.model.content import IncidentRecord, ReleaseRecord
from publisher.source import dotted

SeriesRule = Callable[[IncidentRecord], Iterator[Problem]]


def series_problems(record: IncidentRecord) -> list[Problem]:
    """Problems with an incident's series: duplicate dates, dates before discovery, bad links."""
    return [problem for rule in SERIES_RULES.values() for problem in rule(record)]


def duplicate_dates(incident: IncidentRecord) -> Iterator[Problem]:
    """A release dated like an earlier one of the same incident."""
    seen: dict[object, ReleaseRecord] = {}
    for record in incident.releases:
        day = record.release.date
        if day in seen:
            mark = record.doc.mark(("date",))
            message = _("another release of this incident has the same date: {path}")
            message = message.format(path=seen[day].doc.path)
            yield Problem(record.doc.path, mark.line, mark.col, "date", message)
        else:
            seen[day] = record


def before_discovery(record: IncidentRecord) -> Iterator[Problem]:
    """A release dated before the incident was discovered."""
    discovered = record.incident.discovered
    for release in record.releases:
        if release.release.date < discovered:
            mark = release.doc.mark(("date",))
            message = _("release is dated before the incident was discovered ({discovered})")
            message = message.format(discovered=discovered)
            yield Problem(release.doc.path, mark.line, mark.col, "date", message)


def event_releases(record: IncidentRecord) -> Iterator[Problem]:
    """A timeline event announced by a release that does not exist."""
    for i, event in enumerate(record.incident.timeline):
        if event.release is not None and record.lacks_release(event.release):
            loc = ("timeline", i, "release")
            mark = record.doc.mark(loc)
            message = _("no release of this incident is dated {date}").format(date=event.release)
            yield Problem(record.doc.path, mark.line, mark.col, dotted(loc), message)


SERIES_RULES: dict[str, SeriesRule] = {
    "series-duplicate-date": duplicate_dates,
    "series-before-discovery": before_discovery,
    "timeline-release-missing": event_releases,
}
