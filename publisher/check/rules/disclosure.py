"""The record's `disclosure` block: each required item present (where) or unknown (as of when).

Shared by the regimes: each names the items it requires; the pointers are checked once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from publisher.check.deadlines import APPI_GROUNDS
from publisher.check.findings import problem_at
from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.messages import _
from publisher.model.content import IncidentRecord
from publisher.model.schema import Disclosed, RegulatorReport

LISTS = ("timeline", "measures", "references")


def items_missing(subject: Subject, items: Mapping[str, str], regime: str) -> Iterator[Problem]:
    """Every item of `items` (id → what the law calls it) the record neither states nor marks."""
    for incident in subject.content.incidents:
        disclosure = incident.incident.disclosure
        for item, title in items.items():
            if disclosure is None or getattr(disclosure, item) is None:
                message = _(
                    "{regime} requires {title}: say where the record states it "
                    "(present: [...]) or since when it is unknown (unknown: YYYY-MM-DD)"
                ).format(regime=regime, title=title)
                yield problem_at(incident.doc, ("disclosure", item), message)


def reports(incident: IncidentRecord, regime: str) -> list[tuple[int, RegulatorReport]]:
    """The reports made under `regime`, with their index in the record, earliest first."""
    disclosure = incident.incident.disclosure
    found = list(enumerate(disclosure.reports)) if disclosure else []
    return sorted(((i, r) for i, r in found if r.regime == regime), key=lambda p: p[1].date)


def pointers(subject: Subject) -> Iterator[Problem]:
    """Every disclosed item says exactly one of present/unknown, and what it says holds."""
    for incident in subject.content.incidents:
        disclosure = incident.incident.disclosure
        if disclosure is None:
            continue
        for item in disclosure.__struct_fields__:
            value = getattr(disclosure, item)
            if isinstance(value, Disclosed):
                yield from _item(incident, item, value)
        discovered = incident.incident.discovered
        for i, report in enumerate(disclosure.reports):
            if report.date < discovered:
                message = _("a report dated before the incident was discovered ({discovered})")
                message = message.format(discovered=discovered)
                yield problem_at(incident.doc, ("disclosure", "reports", i, "date"), message)
            if report.at is not None and report.at.date() != report.date:
                message = _("{at} is not on the report's date ({date})")
                message = message.format(at=report.at.isoformat(), date=report.date)
                yield problem_at(incident.doc, ("disclosure", "reports", i, "at"), message)
        yield from _reportable(incident)


def _reportable(incident: IncidentRecord) -> Iterator[Problem]:
    """Each law's reportability gives grounds or a reason, not both; APPI's are of 第7条."""
    disclosure = incident.incident.disclosure
    reportable = disclosure.reportable if disclosure else None
    for regime in ("appi", "gdpr", "ca"):
        found = getattr(reportable, regime) if reportable else None
        if found is None:
            continue
        loc = ("disclosure", "reportable", regime)
        if bool(found.grounds) == (found.not_reportable is not None):
            message = _("give exactly one of grounds: or not_reportable:")
            yield problem_at(incident.doc, loc, message)
        for i, ground in enumerate(found.grounds if regime == "appi" else []):
            if ground not in APPI_GROUNDS:
                message = _("{ground} is not a case of 施行規則第7条: {grounds}")
                message = message.format(ground=repr(ground), grounds=", ".join(APPI_GROUNDS))
                yield problem_at(incident.doc, (*loc, "grounds", i), message)


def _item(incident: IncidentRecord, item: str, value: Disclosed) -> Iterator[Problem]:
    loc = ("disclosure", item)
    discovered = incident.incident.discovered
    if (value.present is None) == (value.unknown is None):
        yield problem_at(incident.doc, loc, _("give exactly one of present: or unknown:"))
    if value.unknown is not None and value.unknown < discovered:
        message = _(
            "unknown as of {unknown}, before the incident was discovered ({discovered})"
        ).format(unknown=value.unknown, discovered=discovered)
        yield problem_at(incident.doc, (*loc, "unknown"), message)
    for i, pointer in enumerate(value.present or []):
        reason = _unresolved(incident, pointer)
        if reason:
            yield problem_at(incident.doc, (*loc, "present", i), reason)


def _unresolved(incident: IncidentRecord, pointer: str) -> str | None:
    """Why `pointer` does not point at anything in the record, or None if it does."""
    record = incident.incident
    if pointer.startswith("facts."):
        name = pointer.removeprefix("facts.")
        no_fact = _("no fact {name} in the incident record")
        return None if name in record.facts else no_fact.format(name=repr(name))
    if pointer in LISTS:
        empty = _("the record's {list} is empty")
        return None if getattr(record, pointer) else empty.format(list=pointer)
    if pointer.startswith("release:"):
        return _release_pointer(incident, pointer.removeprefix("release:"))
    return _(
        "cannot tell where {pointer} points; use facts.<name>, timeline, measures, "
        "references or release:<YYYY-MM-DD>[#<section heading>|#notify]"
    ).format(pointer=repr(pointer))


def _release_pointer(incident: IncidentRecord, target: str) -> str | None:
    day_text, _hash, part = target.partition("#")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return _("release:{target}: expected release:YYYY-MM-DD").format(target=target)
    record = incident.release_on(day)
    if record is None:
        return (
            None
            if day in incident.unreadable
            else _("no release of this incident is dated {date}").format(date=day_text)
        )
    release = record.release
    if part == "notify":
        no_notify = _("the release of {date} has no notify block")
        return None if release.notify else no_notify.format(date=day_text)
    if part and part not in [s.heading for s in release.sections]:
        no_section = _("the release of {date} has no section headed {heading}")
        return no_section.format(date=day_text, heading=repr(part))
    return None


RULES = (
    Rule(
        "disclosure-pointer",
        "error",
        "Each item of the record's `disclosure` block gives exactly one of `present:` (pointers "
        "to where the record states it: facts.<name>, timeline, measures, references, "
        "release:<date>, release:<date>#<section heading>, release:<date>#notify) or `unknown:` "
        "(the date it was still unknown, not before the discovery), and every pointer resolves; "
        "no report to a regulator is dated before the discovery, and a report's `at` is on its "
        "`date`; each law under `reportable` gives exactly one of grounds (APPI: 第7条第1号 to "
        "第7条第4号) or not_reportable.",
        "publisher issue 5 (legal completeness: present in the record or marked unknown)",
        pointers,
    ),
)
