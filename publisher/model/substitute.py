"""A release's substitute notice: how many people its notice mail could not reach, as a fact.

The count is a fact of the one incident record (`substitute_notice: {count: facts.NAME}`), so it
follows the same as-of rules as every number a release states: the page shows the value known
on the release's date. The site never reads the notification ledger; `publisher report`
compares the fact with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from publisher.errors import Problem, ViewError
from publisher.messages import _
from publisher.model.view import ReleaseView


@dataclass(frozen=True)
class SubstituteCount:
    """The people a release's notice could not reach, counted as known on its date."""

    fact: str
    label: str
    count: int
    unit: str
    as_of: date


def substitute_count(view: ReleaseView) -> tuple[SubstituteCount | None, list[Problem]]:
    """The release's substitute notice as of its date, or the located problem with its fact."""
    notice = view.record.release.substitute_notice
    if notice is None:
        return None, []
    name = notice.count.removeprefix("facts.")
    try:
        value = view.facts.entry(name)
    except ViewError as exc:
        return None, [_problem(view, str(exc))]
    if not isinstance(value.value, int) or isinstance(value.value, bool):
        said = _("facts.{name}: expected a whole number of people, got {value}")
        message = said.format(name=name, value=repr(value.value))
        return None, [_problem(view, message)]
    fact = view.words.facts[name]
    return SubstituteCount(name, fact.label, value.value, fact.unit, value.as_of), []


def _problem(view: ReleaseView, message: str) -> Problem:
    doc = view.record.doc
    mark = doc.mark(("substitute_notice", "count"))
    return Problem(doc.path, mark.line, mark.col, "substitute_notice.count", message)
