"""The notification of a personal data breach to a supervisory authority (GDPR Art. 33(3)).

(a) the nature of the breach, the categories and approximate numbers of data subjects and of
records; (b) the contact point (the record has no DPO: the site's contact desk, and the
record's `disclosure.contact_point`); (c) the likely consequences; (d) the measures taken or
proposed; and, past 72 hours, the reasons for the delay (Art. 33(1)) from the recorded report.
"""

from __future__ import annotations

from datetime import timedelta

from publisher.check.rules.gdpr import HOURS
from publisher.model.schema import ContactDesk, RegulatorReport
from publisher.report.form import (
    FROM_RECORD,
    NOT_IN_RECORD,
    Field,
    FieldReader,
    Report,
    Source,
    fixed,
    iso,
)
from publisher.report.notice import NoticeRecord, with_notice
from publisher.report.snapshot import Snapshot

ARTICLE = Source(
    "Regulation (EU) 2016/679 (GDPR), Article 33",
    "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
)
STAGES = {
    "preliminary": "initial notification, to be completed in phases (Art. 33(4))",
    "final": "notification (Art. 33(1), (3))",
}
ITEMS = (
    ("overview", "Nature of the personal data breach", "Art. 33(3)(a)"),
    ("data_items", "Categories of personal data records concerned", "Art. 33(3)(a)"),
    ("people", "Approximate number of data subjects concerned", "Art. 33(3)(a)"),
    ("records", "Approximate number of personal data records concerned", "Art. 33(3)(a)"),
)
LATER = (
    ("consequences", "Likely consequences of the breach", "Art. 33(3)(c)"),
    ("prevention", "Measures taken or proposed to address the breach", "Art. 33(3)(d)"),
    ("publication", "Communication to the data subjects", "Art. 34, 34(3)(c)"),
)
LEFT_TO_FILL = (
    "Categories of data subjects concerned (Art. 33(3)(a)): the record has no field for them.",
    "Name and contact details of the data protection officer (Art. 33(3)(b)): the record has "
    "none; the contact point given is the site's contact desk.",
    "The supervisory authority notified, and the controller's registration details.",
)


def gdpr_report(snapshot: Snapshot, stage: str, notices: NoticeRecord | None = None) -> Report:
    """The notification of `snapshot` to the supervisory authority, the communication to the
    data subjects with the notice mail's counts from `notices`; ContentError on bad pointers."""
    reader = FieldReader(snapshot)
    fields = [
        fixed("controller", "Controller", "Art. 33(1)", snapshot.organization, "site.yaml"),
        fixed("stage", "Notification", "Art. 33(1), (4)", STAGES[stage], "--stage"),
        fixed(
            "aware",
            "Became aware of the breach",
            "Art. 33(1)",
            iso(snapshot.discovered),
            "incident.yaml: discovered",
        ),
        fixed(
            "notified", "Date of this notification", "Art. 33(1)", iso(snapshot.as_of), "--as-of"
        ),
    ]
    fields += [reader.disclosed(key, label, basis) for key, label, basis in ITEMS]
    fields.append(_contact(snapshot, reader))
    for key, label, basis in LATER:
        field = reader.disclosed(key, label, basis)
        fields.append(with_notice(field, snapshot, notices) if key == "publication" else field)
    fields.append(_delay(snapshot))
    reader.done()
    return Report.of(
        snapshot,
        regime="gdpr",
        stage=stage,
        title="Notification of a personal data breach to the supervisory authority",
        lang="en",
        form=ARTICLE,
        fields=tuple(fields),
        left_to_fill=LEFT_TO_FILL,
        cited=(ARTICLE,),
        extra={"deadline": _deadline(snapshot), "reports_recorded": _recorded(snapshot)},
    )


def _contact(snapshot: Snapshot, reader: FieldReader) -> Field:
    """(b): the contact desk of site.yaml, and what `disclosure.contact_point` points at."""
    lines = [desk_text(snapshot.site.contact)]
    item = reader.item("contact_point")
    sources = ["site.yaml: contact"]
    if item.state == "stated":
        lines += [p.text for p in item.parts]
        sources += [p.pointer for p in item.parts]
    return Field(
        "contact_point",
        "Data protection officer or other contact point",
        "Art. 33(3)(b)",
        FROM_RECORD,
        "\n\n".join(lines),
        tuple(sources),
        tuple(p.data for p in item.parts),
    )


def desk_text(desk: ContactDesk) -> str:
    """The contact desk, one detail a line: name, phone, hours, e-mail."""
    return "\n".join(str(x) for x in (desk.name, desk.phone, desk.hours, desk.email) if x)


def _delay(snapshot: Snapshot) -> Field:
    label, basis = "Reasons for the delay", "Art. 33(1)"
    due = snapshot.discovered + timedelta(hours=HOURS)
    if snapshot.as_of <= due:
        return Field("delay_reason", label, basis, "not needed", "", ("--as-of",))
    first = _first(snapshot)
    if first is None or first.delay_reason is None:
        return Field("delay_reason", label, basis, NOT_IN_RECORD, "", ("disclosure.reports",))
    return fixed("delay_reason", label, basis, first.delay_reason, "disclosure.reports")


def _first(snapshot: Snapshot) -> RegulatorReport | None:
    made = sorted((r for r in snapshot.reports if r.regime == "gdpr"), key=lambda r: r.date)
    return made[0] if made else None


def _deadline(snapshot: Snapshot) -> dict[str, object]:
    due = snapshot.discovered + timedelta(hours=HOURS)
    return {"due": due.isoformat(), "hours": HOURS, "past": snapshot.as_of > due}


def _recorded(snapshot: Snapshot) -> list[dict[str, str | None]]:
    return [
        {"stage": r.stage, "date": r.date.isoformat(), "delay_reason": r.delay_reason}
        for r in snapshot.reports
        if r.regime == "gdpr"
    ]
