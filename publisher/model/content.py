"""The whole content tree as typed values, each record kept with the document it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from publisher.model.schema import Incident, Release, Site, Translation
from publisher.source import Located


@dataclass(frozen=True)
class ReleaseRecord:
    """One release file: the model and its source (for locating problems).

    A translation (`<date>.<lang>.yaml`) is a ReleaseRecord too, made by
    publisher.model.translation: its `release` is the original's with the translation's words,
    its `doc` the translation's file, and `translation` what that file says.
    """

    incident_id: str
    release: Release
    doc: Located
    translations: tuple[ReleaseRecord, ...] = ()
    """The release in other languages (on an original only), by language."""
    translation: Translation | None = None
    """On a translation: the translation file's model (None on an original)."""
    digest: str = ""
    """The SHA-256 (hex) of the file's bytes: what a translation's `translated_from` names."""

    @property
    def variant(self) -> str:
        """The language of a translation; '' for the original."""
        return self.translation.lang if self.translation else ""

    @property
    def id(self) -> str:
        """`<incident>/<date>`, the release's id in releases.json and on the command line;
        a translation's is `<incident>/<date>/<lang>`."""
        own = f"{self.incident_id}/{self.release.date.isoformat()}"
        return f"{own}/{self.variant}" if self.variant else own

    @property
    def versions(self) -> tuple[ReleaseRecord, ...]:
        """The original (this record, if it is one) and its translations."""
        return (self, *self.translations)

    def in_language(self, lang: str) -> ReleaseRecord | None:
        """This original's version in `lang`: a translation, or None."""
        return next((t for t in self.translations if t.variant == lang), None)


@dataclass(frozen=True)
class IncidentRecord:
    """One incident folder: the record and its releases, oldest first."""

    id: str
    incident: Incident
    doc: Located
    releases: tuple[ReleaseRecord, ...]
    unreadable: frozenset[date] = frozenset()
    """The dates of release files that failed to load: their own problems are said once, and
    rules that would need them (links to them, the order of the series) leave them be."""

    def release_on(self, day: date) -> ReleaseRecord | None:
        """The release published on `day`, if any."""
        return next((r for r in self.releases if r.release.date == day), None)

    def lacks_release(self, day: date) -> bool:
        """Whether no release is dated `day`, not even one whose file failed to load."""
        return self.release_on(day) is None and day not in self.unreadable


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
