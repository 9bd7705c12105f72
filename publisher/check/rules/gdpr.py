"""GDPR: what a breach notification must contain, and the 72-hour clock (Art. 33 and 34)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from publisher.check.findings import problem_at
from publisher.check.rule import Rule, Subject
from publisher.check.rules.disclosure import items_missing, reports
from publisher.errors import Problem

ITEMS = {
    "overview": "the nature of the breach (Art. 33(3)(a), overview)",
    "people": "the approximate number of data subjects concerned (Art. 33(3)(a), people)",
    "records": "the approximate number of personal data records concerned (Art. 33(3)(a), records)",
    "contact_point": "the contact point where more information can be obtained "
    "(Art. 33(3)(b), contact_point)",
    "consequences": "the likely consequences of the breach (Art. 33(3)(c), consequences)",
    "prevention": "the measures taken or proposed (Art. 33(3)(d), prevention)",
}
HOURS = 72


def items(subject: Subject) -> Iterator[Problem]:
    """Every item of Art. 33(3) (and so of Art. 34(2)) is present or marked unknown."""
    yield from items_missing(subject, ITEMS, "GDPR (Art. 33(3), 34(2))")


def clock(subject: Subject) -> Iterator[Problem]:
    """The supervisory authority is notified within 72 hours, or the delay is explained."""
    for incident in subject.content.incidents:
        discovered = incident.incident.discovered
        due = discovered + timedelta(hours=HOURS)
        made = reports(incident, "gdpr")
        if not made:
            message = f"no notification to the supervisory authority is recorded; due by {due}"
            yield problem_at(incident.doc, ("disclosure", "reports"), message)
            continue
        i, first = made[0]
        if first.date > due and first.delay_reason is None:
            message = (
                f"notified {first.date}, more than {HOURS} hours after the discovery "
                f"({discovered}), without a delay_reason"
            )
            yield problem_at(incident.doc, ("disclosure", "reports", i, "date"), message)


RULES = (
    Rule(
        "gdpr-items",
        "error",
        "A notification of a personal data breach describes, each present in the record or "
        "marked unknown: " + "; ".join(ITEMS.values()) + ". Art. 34(2) asks the same of the "
        "communication to the data subjects, in clear and plain language.",
        "Regulation (EU) 2016/679 (GDPR) Art. 33(3)(a)–(d), Art. 34(2)",
        items,
        "gdpr",
    ),
    Rule(
        "gdpr-72h",
        "warning",
        f"The supervisory authority is notified without undue delay and within {HOURS} hours "
        "of becoming aware of the breach (dates only: by `discovered` + 3 days); a later "
        "notification carries its delay_reason. A warning when no notification is recorded "
        "(not needed only where the breach is unlikely to result in a risk).",
        "Regulation (EU) 2016/679 (GDPR) Art. 33(1)",
        clock,
        "gdpr",
    ),
)
