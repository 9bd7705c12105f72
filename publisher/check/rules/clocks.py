"""The deadline rules' one finding: an obligation overdue at the check's moment, or met late.

The obligations and their clocks are publisher.check.deadlines'; an obligation not yet due is
no finding, and neither is one the law does not ask for (the deadlines table says why).
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.deadlines import Obligation, obligations, real_reason, shown, status
from publisher.check.findings import problem_at
from publisher.check.rule import Subject
from publisher.errors import Problem
from publisher.messages import _


def late(subject: Subject, rule: str) -> Iterator[Problem]:
    """A problem for each obligation `rule` watches that is overdue, or was met late."""
    docs = {incident.id: incident.doc for incident in subject.content.incidents}
    for obligation in obligations(subject.content, subject.regimes):
        if obligation.rule != rule:
            continue
        message = _message(obligation, subject)
        if message:
            yield problem_at(docs[obligation.incident], obligation.loc, message)


def _message(obligation: Obligation, subject: Subject) -> str:
    """What is wrong with `obligation` at the subject's moment ('' if nothing)."""
    if obligation.done is None and subject.now is None:
        return ""
    now = subject.now or obligation.due
    found = status(obligation, now)
    due = shown(obligation.due)
    if found.state == "overdue":
        said = _("{obligation}: {status}, nothing recorded; due by {due}")
        return said.format(obligation=obligation.name, status=found.text, due=due)
    if found.state != "late":
        return ""
    said = _("{obligation}: {status}; due by {due}{reasons}")
    reasons = _reasons(obligation, subject)
    return said.format(obligation=obligation.name, status=found.text, due=due, reasons=reasons)


def _reasons(obligation: Obligation, subject: Subject) -> str:
    """What a late GDPR notification lacks: reasons for the delay (Art. 33(1))."""
    if obligation.rule != "gdpr-72h":
        return ""
    disclosure = next(
        i.incident.disclosure for i in subject.content.incidents if i.id == obligation.incident
    )
    index = obligation.loc[2] if len(obligation.loc) > 2 else None
    report = disclosure.reports[index] if disclosure and isinstance(index, int) else None
    given = report.delay_reason if report else None
    if given is None:
        return _("; give the reasons for the delay (delay_reason)")
    no_reasons = _("; delay_reason {given} gives no reasons for the delay")
    return "" if real_reason(given) else no_reasons.format(given=repr(given))
