"""California: the form of a security breach notice (Civil Code §1798.82(d)) and its clocks.

The clocks (30 days to the residents, a sample copy to the Attorney General 15 days later when
more than 500 are notified: §1798.82(a), (f) as SB 446 amended them) are
publisher.check.deadlines'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from publisher.check.deadlines import CA_AG_DAYS, CA_AG_RESIDENTS, CA_FROM, CA_NOTICE_DAYS
from publisher.check.findings import problem_at
from publisher.check.rule import Rule, Subject
from publisher.check.rules.clocks import late
from publisher.errors import Problem, display_path
from publisher.messages import _

TITLE = "Notice of Data Breach"
HEADINGS = (
    "What Happened",
    "What Information Was Involved",
    "What We Are Doing",
    "What You Can Do",
    "For More Information",
)
MIN_PT = 10.0
STYLESHEETS = ("static", "print")
BODY_SELECTORS = {"html", "body", "main", "article", "p", "li"}
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_SIZE = re.compile(r"font-size\s*:\s*([0-9.]+)\s*(pt|px|rem|em|%)", re.IGNORECASE)
_TO_PT = {"pt": 1.0, "px": 0.75, "rem": 12.0, "em": 12.0, "%": 0.12}
SOURCE = "California Civil Code §1798.82(d)(1)"


def title(subject: Subject) -> Iterator[Problem]:
    """Every release is titled "Notice of Data Breach"."""
    for incident in subject.content.incidents:
        for record in incident.releases:
            if TITLE.lower() not in record.release.title.lower():
                message = _('the notice must be titled "{title}"').format(title=TITLE)
                yield problem_at(record.doc, ("title",), message)


def headings(subject: Subject) -> Iterator[Problem]:
    """Every release has the five section headings the statute names."""
    for incident in subject.content.incidents:
        for record in incident.releases:
            present = {s.heading.strip().lower() for s in record.release.sections}
            for heading in HEADINGS:
                if heading.lower() not in present:
                    message = _('no section headed "{heading}"').format(heading=heading)
                    yield problem_at(record.doc, ("sections",), message)


def type_size(subject: Subject) -> Iterator[Problem]:
    """Body text in the page and PDF stylesheets is at least 10-point type."""
    if subject.theme is None:
        return
    for folder in STYLESHEETS:
        for path in subject.theme.files(folder, "*.css"):
            yield from _small_type(path)


def notice_deadline(subject: Subject) -> Iterator[Problem]:
    """The residents are notified (the first release) within 30 days of the discovery."""
    yield from late(subject, "ca-notice-deadline")


def ag_copy(subject: Subject) -> Iterator[Problem]:
    """More than 500 residents: a sample copy to the Attorney General within 15 days."""
    yield from late(subject, "ca-ag-copy")


def _small_type(path: Path) -> Iterator[Problem]:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.DOTALL)
    for rule in _RULE.finditer(text):
        selectors = {s.strip().lower() for s in rule.group(1).split(",")}
        if not selectors & BODY_SELECTORS:
            continue
        for size in _SIZE.finditer(rule.group(2)):
            points = float(size.group(1)) * _TO_PT[size.group(2).lower()]
            if points < MIN_PT:
                offset = rule.start(2) + size.start()
                line = text.count("\n", 0, offset) + 1
                col = offset - text.rfind("\n", 0, offset)
                given = size.group(1) + size.group(2)
                message = _("body text of {given} is {points}pt, under {least}pt").format(
                    given=given, points=f"{points:g}", least=f"{MIN_PT:g}"
                )
                yield Problem(display_path(path), line, col, "", message)


RULES = (
    Rule(
        "ca-title",
        "error",
        f'A security breach notice is titled "{TITLE}".',
        SOURCE,
        title,
        "ca",
    ),
    Rule(
        "ca-headings",
        "error",
        "A security breach notice presents its information under the headings "
        + ", ".join(f'"{h}"' for h in HEADINGS)
        + ".",
        SOURCE,
        headings,
        "ca",
    ),
    Rule(
        "ca-type-size",
        "error",
        f"The text of the notice is no smaller than {MIN_PT:g}-point type: font-size on html, "
        "body, main, article, p and li in templates/static/*.css and templates/print/*.css "
        "(px at 0.75pt, em/rem/% against a 12pt default).",
        SOURCE,
        type_size,
        "ca",
    ),
    Rule(
        "ca-notice-deadline",
        "warning",
        "For a breach discovered from "
        f"{CA_FROM}, the California residents are notified within {CA_NOTICE_DAYS} calendar "
        "days of the discovery: the incident's first release is the notice. A warning when it "
        "came later, or when there is none and the day is past; nothing is due where "
        "reportable.ca says not_reportable. (Delays the statute allows, for law enforcement or "
        "to determine the scope, are not modelled: record them as not_reportable's reason.)",
        "California Civil Code §1798.82(a), as amended by SB 446 (2025), from 2026-01-01",
        notice_deadline,
        "ca",
        whole=True,  # the clock
    ),
    Rule(
        "ca-ag-copy",
        "warning",
        f"When more than {CA_AG_RESIDENTS} California residents are notified (disclosure."
        "residents: present: [facts.<name>]; not recorded counts as more), a sample copy of the "
        "notice goes to the Attorney General, recorded as a report {regime: ca}, within "
        f"{CA_AG_DAYS} calendar days of the notice (for breaches discovered from {CA_FROM}).",
        "California Civil Code §1798.82(f), as amended by SB 446 (2025), from 2026-01-01",
        ag_copy,
        "ca",
        whole=True,  # the clock
    ),
)
