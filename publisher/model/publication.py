"""The publication record (content/publication.lock.yaml): what each public release said, by
version, and the corrections that allowed it to change. Kept with the content and committed,
like a lock file; builds add to it, people add corrections."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, field

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


class Correction(Strict, frozen=True, kw_only=True):
    """A change to a published release, allowed and explained: written by a person."""

    date: Annotated[IsoDate, Meta(description="The day the correction is published.")]
    what: Annotated[Text, Meta(description="What changed, for the revision list.")]
    why: Annotated[Text, Meta(description="Why it changed, for the revision list.")]


class Entry(Strict, frozen=True, kw_only=True):
    """One public release: its versions, and the corrections between them."""

    release: Annotated[Text, Meta(description="The release's id.")]
    published: Annotated[Text, Meta(description="When it went public (ISO 8601).")]
    versions: Annotated[list[Version], Meta(min_length=1)]
    corrections: list[Correction] = field(default_factory=list)

    def __post_init__(self) -> None:
        numbers = [v.version for v in self.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"versions: must be numbered 1, 2, 3... in order, not {numbers}")
        if len(self.corrections) < len(self.versions) - 1:
            raise ValueError(
                f"corrections: version {len(self.corrections) + 2} was made public by a "
                "correction, which is missing: a used correction is history and stays"
            )
        dates = [c.date for c in self.corrections]
        if dates != sorted(dates):
            raise ValueError("corrections: must be in the order they were published (by date)")


class Record(Strict, frozen=True, kw_only=True):
    """Every release a build has made public, by the folder of its page in the site."""

    releases: dict[str, Entry] = field(default_factory=dict)
