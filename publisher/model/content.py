"""The whole content tree as typed values, each record kept with the document it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from publisher.model.schema import Incident, Release, Site
from publisher.source import Located


@dataclass(frozen=True)
class ReleaseRecord:
    """One release file: the model and its source (for locating problems)."""

    incident_id: str
    release: Release
    doc: Located

    @property
    def id(self) -> str:
        """`<incident>/<date>`, the release's id in releases.json and on the command line."""
        return f"{self.incident_id}/{self.release.date.isoformat()}"


@dataclass(frozen=True)
class IncidentRecord:
    """One incident folder: the record and its releases, oldest first."""

    id: str
    incident: Incident
    doc: Located
    releases: tuple[ReleaseRecord, ...]

    def release_on(self, day: date) -> ReleaseRecord | None:
        """The release published on `day`, if any."""
        return next((r for r in self.releases if r.release.date == day), None)


@dataclass(frozen=True)
class Content:
    """Everything under content/: the site and its incidents, newest incident first."""

    site: Site
    site_doc: Located
    incidents: tuple[IncidentRecord, ...]

    def find_release(self, release_id: str) -> ReleaseRecord | None:
        """The release with id `<incident>/<date>`, if it exists."""
        for incident in self.incidents:
            for record in incident.releases:
                if record.id == release_id:
                    return record
        return None
