"""The publication record (content/publication.lock.yaml): what each public release said, by
version, and the corrections that allowed it to change. Kept with the content and committed,
like a lock file; builds add to it, people add corrections."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated

from msgspec import Meta, field

from publisher.messages import _
from publisher.model.placeholders import placeholder
from publisher.model.schema import IsoDate, Strict, Text

RECORD_FILE = "publication.lock.yaml"
"""The record's name, in the content folder."""
ARCHIVE_FOLDER = "published"
"""The content-side folder of every version's page and PDF as first published."""

Digest = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]


class Version(Strict, frozen=True, kw_only=True):
    """One version of a release as the site published it."""

    version: Annotated[int, Meta(ge=1, description="1 for the first publication, then 2, 3...")]
    recorded: Annotated[Text, Meta(description="When a build first published it (ISO 8601).")]
    text: Annotated[
        Digest,
        Meta(
            description="SHA-256 of the release's own text as its page shows it (the article "
            "and the box of corrected facts, whitespace collapsed)."
        ),
    ]
    printed: Annotated[
        Digest | None,
        Meta(description="SHA-256 of the same text of the release's print, which its PDF is."),
    ] = None
    facts: Annotated[
        dict[str, str],
        Meta(description="Each fact's value as known on the release date, as JSON."),
    ] = field(default_factory=dict)
    files: Annotated[
        dict[str, Digest],
        Meta(description="SHA-256 of the page and the PDF as published (as in SHA256SUMS)."),
    ] = field(default_factory=dict)
    correction: Annotated[
        Digest | None,
        Meta(description="SHA-256 of the correction (date, what, why) that made it public."),
    ] = None

    def __post_init__(self) -> None:
        moment(self.recorded, "recorded")


class Correction(Strict, frozen=True, kw_only=True):
    """A change to a published release, allowed and explained: written by a person."""

    date: Annotated[IsoDate, Meta(description="The day the correction is published.")]
    what: Annotated[Text, Meta(description="What changed, for the revision list.")]
    why: Annotated[Text, Meta(description="Why it changed, for the revision list.")]

    def __post_init__(self) -> None:
        empty = {
            "what": _(
                "what: {text} says nothing; the revision list shows readers what changed: "
                "write it out"
            ),
            "why": _(
                "why: {text} says nothing; the revision list shows readers why it changed: "
                "write it out"
            ),
        }
        for name, text in (("what", self.what), ("why", self.why)):
            if placeholder(text):
                raise ValueError(empty[name].format(text=repr(text.strip())))
        if self.what.strip() == self.why.strip():
            raise ValueError(_("why: repeats what; say why the release changed"))

    @property
    def digest(self) -> str:
        """SHA-256 of what the correction says, as the version it made public records it."""
        said = json.dumps([self.date.isoformat(), self.what, self.why], ensure_ascii=False)
        return hashlib.sha256(said.encode("utf-8")).hexdigest()


class Entry(Strict, frozen=True, kw_only=True):
    """One public release: its versions, and the corrections between them."""

    release: Annotated[Text, Meta(description="The release's id.")]
    published: Annotated[Text, Meta(description="When it went public (ISO 8601).")]
    versions: Annotated[list[Version], Meta(min_length=1)]
    corrections: list[Correction] = field(default_factory=list)

    def __post_init__(self) -> None:
        numbers = [v.version for v in self.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            said = _("versions: must be numbered 1, 2, 3... in order, not {numbers}")
            raise ValueError(said.format(numbers=numbers))
        if len(self.corrections) < len(self.versions) - 1:
            said = _(
                "corrections: version {version} was made public by a correction, which is "
                "missing: a used correction is history and stays"
            )
            raise ValueError(said.format(version=len(self.corrections) + 2))
        dates = [c.date for c in self.corrections]
        if dates != sorted(dates):
            raise ValueError(_("corrections: must be in the order they were published (by date)"))
        first = moment(self.published, "published").date()
        if dates and dates[0] < first:
            said = _(
                "corrections[0].date: {date} is before the release it corrects was published "
                "({published}); date a correction the day it is published"
            )
            raise ValueError(said.format(date=dates[0], published=first))
        for i, (made, day) in enumerate(zip(self.versions[1:], dates, strict=False)):
            recorded = moment(made.recorded, f"versions[{i + 1}].recorded").date()
            if day > recorded:
                said = _(
                    "corrections[{i}].date: {date} is after version {version}, which it made "
                    "public, was recorded ({recorded}); date it {day} or earlier"
                )
                raise ValueError(
                    said.format(
                        i=i, date=day, version=made.version, recorded=made.recorded, day=recorded
                    )
                )
        for i, (made, used) in enumerate(zip(self.versions[1:], self.corrections, strict=False)):
            if made.correction is not None and made.correction != used.digest:
                said = _(
                    "corrections[{i}]: changed since version {version} made it public "
                    "({recorded}); a published correction stays as it was published: restore "
                    "its date, what and why from version control (git log -p), and record a "
                    "further change as a new correction"
                )
                raise ValueError(said.format(i=i, version=made.version, recorded=made.recorded))


class Record(Strict, frozen=True, kw_only=True):
    """Every release a build has made public, by the folder of its page in the site."""

    releases: dict[str, Entry] = field(default_factory=dict)


def moment(text: str, name: str) -> datetime:
    """`text` as an ISO 8601 moment with its zone; ValueError("<name>: ...") if it is not one."""
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        found = None
    if found is None or found.tzinfo is None:
        said = _("{name}: expected a date and time with its zone, got {text}")
        raise ValueError(said.format(name=name, text=repr(text)))
    return found
