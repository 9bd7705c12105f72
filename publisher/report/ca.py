"""The California Attorney General's submission: the sample copy of the notice, and its dates.

A business that notifies more than 500 California residents of one breach submits a single
sample copy of the notice (Civil Code §1798.82(f)) through the Attorney General's form, which
also asks the dates of the breach, of its discovery and of the notice, and the type of personal
information involved. The sample is the notice as it was published: the release's own text and
print, never a list of whom it went to. The number of California residents comes from a fact
named `california_residents`, if the record has one.
"""

from __future__ import annotations

from publisher.report.form import (
    FROM_RECORD,
    NOT_IN_RECORD,
    Field,
    FieldReader,
    Report,
    Source,
    fixed,
    iso,
    occurred,
)
from publisher.report.items import fact_data, fact_value
from publisher.report.snapshot import KnownRelease, Snapshot

FORM = Source(
    "State of California, Department of Justice: Submit Data Security Breach",
    "https://oag.ca.gov/privacy/databreach/report-a-breach",
)
CITED = (
    FORM,
    Source(
        "California Civil Code §1798.82",
        "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml"
        "?lawCode=CIV&sectionNum=1798.82",
    ),
)
RESIDENTS = "california_residents"
"""The fact that holds the number of California residents notified."""
THRESHOLD = 500
LEFT_TO_FILL = (
    "The submitter's details the Attorney General's form asks for (they are not in the record).",
)


def sample_release(snapshot: Snapshot) -> KnownRelease | None:
    """The notice to submit: the latest release public by then that was mailed (else the latest)."""
    mailed = [r for r in snapshot.releases if r.notify_subject is not None]
    found = mailed or list(snapshot.releases)
    return max(found, key=lambda r: r.date) if found else None


def ca_report(snapshot: Snapshot, sample: KnownRelease | None, sample_text: str) -> Report:
    """The Attorney General's submission of `snapshot`, `sample` being the notice it attaches."""
    reader = FieldReader(snapshot)
    fields = [
        *_dates(snapshot),
        reader.disclosed(
            "data_items", "Type of Personal Information Involved in the Breach", "Section 2"
        ),
        _residents(snapshot),
        _sample(sample, sample_text),
    ]
    reader.done()
    residents = snapshot.facts.get(RESIDENTS)
    count = residents.value if residents and isinstance(residents.value, int) else None
    return Report.of(
        snapshot,
        regime="ca",
        stage="",
        title="Data security breach: sample copy of the notice to California residents",
        lang="en",
        form=FORM,
        fields=tuple(fields),
        left_to_fill=LEFT_TO_FILL,
        cited=CITED,
        extra={
            "submission_required": None if count is None else count > THRESHOLD,
            "sample_notice": sample.url if sample else None,
        },
    )


def _dates(snapshot: Snapshot) -> list[Field]:
    """Section 2's name and dates: of the breach, of its discovery, of the notices mailed."""
    notified = ", ".join(r.date.isoformat() for r in snapshot.releases if r.notify_subject)
    earliest = iso(occurred(snapshot))
    return [
        fixed("organization", "Organization name", "Section 2", snapshot.organization, "site.yaml"),
        fixed("breach_dates", "Date(s) of Breach (if known)", "Section 2", earliest,
              "timeline (the earliest event known then)"),
        fixed("discovery_dates", "Date(s) of Discovery of Breach", "Section 2",
              iso(snapshot.discovered), "incident.yaml: discovered"),
        fixed("notice_dates", "Date(s) Individual Notice Provided to Consumers", "Section 2",
              notified, "releases with a notify block"),
    ]  # fmt: skip


def _residents(snapshot: Snapshot) -> Field:
    label = "Number of California residents affected"
    basis = f"Civil Code §1798.82(f): more than {THRESHOLD}"
    fact = snapshot.facts.get(RESIDENTS)
    if fact is not None:
        value = fact_value(fact, snapshot.words)
        pointer = f"facts.{RESIDENTS}"
        return Field("residents", label, basis, FROM_RECORD, value, (pointer,), (fact_data(fact),))
    declared = RESIDENTS in snapshot.incident.incident.facts
    status = f"not yet known as of {snapshot.as_of}" if declared else NOT_IN_RECORD
    return Field("residents", label, basis, status, "", (f"facts.{RESIDENTS}",))


def _sample(sample: KnownRelease | None, text: str) -> Field:
    label = "Sample copy of the notice (attached as PDF)"
    if sample is None:
        return Field("sample", label, "Section 1", NOT_IN_RECORD, "", ("releases",))
    data = {"release": sample.date.isoformat(), "title": sample.title, "url": sample.url}
    source = f"release:{sample.date.isoformat()}"
    return Field("sample", label, "Section 1", FROM_RECORD, text, (source,), (data,))
