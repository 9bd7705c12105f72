"""GDPR: what a breach notification must contain, and the 72-hour clock (Art. 33 and 34).

The clock is publisher.check.deadlines', counted in hours.
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.deadlines import GDPR_HOURS
from publisher.check.rule import Rule, Subject
from publisher.check.rules.clocks import late
from publisher.check.rules.disclosure import items_missing
from publisher.errors import Problem

HOURS = GDPR_HOURS
ITEMS = {
    "overview": "the nature of the breach (Art. 33(3)(a), overview)",
    "people": "the approximate number of data subjects concerned (Art. 33(3)(a), people)",
    "records": "the approximate number of personal data records concerned (Art. 33(3)(a), records)",
    "contact_point": "the contact point where more information can be obtained "
    "(Art. 33(3)(b), contact_point)",
    "consequences": "the likely consequences of the breach (Art. 33(3)(c), consequences)",
    "prevention": "the measures taken or proposed (Art. 33(3)(d), prevention)",
}


def items(subject: Subject) -> Iterator[Problem]:
    """Every item of Art. 33(3) (and so of Art. 34(2)) is present or marked unknown."""
    yield from items_missing(subject, ITEMS, "GDPR (Art. 33(3), 34(2))")


def clock(subject: Subject) -> Iterator[Problem]:
    """The supervisory authority is notified within 72 hours, or with reasons for the delay."""
    yield from late(subject, "gdpr-72h")


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
        "of becoming aware of the breach, counted in hours from disclosure.aware_at (a date "
        "and time with its zone; default: the start of `discovered` in the site's zone) to the "
        "report's `at` (default: the end of its `date`). A later notification gives the reasons "
        "for the delay in delay_reason (not a placeholder such as TBD or 未定). A warning when "
        "it was late without reasons, or when none is recorded and the 72 hours are past; "
        "nothing is due where reportable.gdpr says not_reportable (unlikely to result in a "
        "risk). `publisher deadlines` shows the clock.",
        "Regulation (EU) 2016/679 (GDPR) Art. 33(1)",
        clock,
        "gdpr",
        whole=True,  # the clock
    ),
)
