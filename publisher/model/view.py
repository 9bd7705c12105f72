"""A release as the incident stood on its date: the facts, events and measures known then.

Nothing dated after the release can reach its text: asking for a fact that was not yet known is
an error naming the date it became known, not an empty string in a public apology. Prose reaches
the incident only as `KnownIncident`, the record as it stood on the release's date.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from datetime import date

import msgspec
from msgspec import UNSET

from publisher.errors import ViewError
from publisher.messages import _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schema import (
    Advice,
    ContactDesk,
    DateRange,
    Event,
    Fact,
    FactValue,
    Incident,
    Layout,
    Measure,
    Reference,
)
from publisher.model.translation import incident_in, site_in

FactData = int | str | list[str] | date | DateRange


def linked_day(href: str) -> date | None:
    """The date a `release:<date>` link names; None for any other link (ViewError if the date
    is not one)."""
    if not href.startswith("release:"):
        return None
    try:
        return date.fromisoformat(href.removeprefix("release:"))
    except ValueError:
        said = _("link {href}: expected release:YYYY-MM-DD")
        raise ViewError(said.format(href=repr(href))) from None


@dataclass(frozen=True)
class Correction:
    """A fact whose value changed, with the note that explains it; shown with the new value."""

    name: str
    label: str
    unit: str
    before: FactData
    before_as_of: date
    after: FactData
    as_of: date
    note: str


class FactList(list[str]):
    """A list-valued fact: loop over it, join it or make bullets; printed whole it is an error."""

    def __init__(self, name: str, items: list[str]) -> None:
        super().__init__(items)
        self.name = name

    def __str__(self) -> str:
        said = _(
            "facts.{name} is a list: write {{{{ facts.{name} | join('、') }}}}, loop over it, or "
            "use | bullets"
        )
        raise ViewError(said.format(name=self.name))


class Facts:
    """The facts as of a date, for templates: `facts.infected_pcs` is the value known then."""

    def __init__(self, facts: dict[str, Fact], day: date) -> None:
        self._facts = facts
        self._day = day

    def entry(self, name: str) -> FactValue:
        """The dated value of fact `name` in force on this view's date."""
        fact = self._facts.get(name)
        if fact is None:
            close = difflib.get_close_matches(name, list(self._facts), n=1)
            if close:
                said = _(
                    "facts.{name}: no such fact in the incident record; did you mean '{close}'?"
                )
            else:
                said = _("facts.{name}: no such fact in the incident record")
            raise ViewError(said.format(name=name, close=close[0] if close else ""))
        known = [v for v in fact.values if v.as_of <= self._day]
        if not known:
            first = min(v.as_of for v in fact.values)
            said = _(
                "facts.{name}: not yet known on {day} (first known on {first}); a release can "
                "only show what was known on its date"
            )
            raise ViewError(said.format(name=name, day=self._day, first=first))
        return max(known, key=lambda v: v.as_of)

    def __getattr__(self, name: str) -> FactData:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> FactData:
        value = self.entry(name).value
        return FactList(name, value) if isinstance(value, list) else value

    def known(self) -> dict[str, FactValue]:
        """Every fact that has a value on this view's date."""
        return {
            name: self.entry(name)
            for name, fact in self._facts.items()
            if any(v.as_of <= self._day for v in fact.values)
        }


@dataclass(frozen=True)
class KnownIncident:
    """The incident record as it stood on a date: the record's names, holding only what was
    known by then (the regulators' disclosure block is not for prose)."""

    title: str
    discovered: date
    category: str
    facts: Facts
    timeline: tuple[Event, ...]
    measures: tuple[Measure, ...]
    advice: Advice
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class ReleaseView:
    """One release with the incident as of its date, and its neighbours in the series.

    A translation's view holds the site (`content.site`) and the record (`words`) in its
    language where they give it: its pages, PDF and mail show the organisation's names, the
    facts' labels, units and notes, references and attachment patterns in that language.
    """

    content: Content
    incident: IncidentRecord
    record: ReleaseRecord
    words: Incident
    facts: Facts
    events: tuple[Event, ...]
    measures: tuple[Measure, ...]
    attachment_patterns: tuple[str, ...]
    references: tuple[Reference, ...]
    corrections: tuple[Correction, ...]
    contact: ContactDesk
    lang: str
    previous: ReleaseRecord | None
    next: ReleaseRecord | None

    @property
    def date(self) -> date:
        """The release's date: the view's horizon."""
        return self.record.release.date

    @property
    def layout(self) -> Layout:
        """The body's layout: each option as the release sets it, else the site, else true."""
        site = self.content.site.layout
        own = self.record.release.layout or Layout()
        return Layout(
            formal=_first(own.formal, site.formal, True),
            numbered=_first(own.numbered, site.numbered, True),
        )

    @property
    def known(self) -> KnownIncident:
        """The incident as this release may show it: what prose and pages get as `incident`."""
        source = self.words
        patterns = [p for p in source.advice.attachment_patterns if p.as_of <= self.date]
        return KnownIncident(
            title=source.title,
            discovered=source.discovered,
            category=source.category,
            facts=self.facts,
            timeline=self.events,
            measures=self.measures,
            advice=msgspec.structs.replace(source.advice, attachment_patterns=patterns),
            references=self.references,
        )


def view_release(content: Content, incident: IncidentRecord, record: ReleaseRecord) -> ReleaseView:
    """The release `record` as of its date."""
    day = record.release.date
    source, lang = incident.incident, record.variant
    if record.translation is not None:  # the record's and the site's words in its language
        source = incident_in(source, lang)
        content = dataclasses.replace(content, site=site_in(content.site, lang))
    index = [r.release.date for r in incident.releases].index(day)  # a translation's original
    return ReleaseView(
        content=content,
        incident=incident,
        record=record,
        words=source,
        facts=Facts(source.facts, day),
        events=tuple(e for e in source.timeline if e.known_on <= day),
        measures=tuple(m for m in source.measures if m.date <= day),
        attachment_patterns=tuple(
            p.text for p in source.advice.attachment_patterns if p.as_of <= day
        ),
        references=tuple(r for r in source.references if r.as_of <= day),
        corrections=tuple(_corrections(source.facts, day)),
        contact=_contact(content, record),
        lang=record.release.lang or content.site.language,
        previous=incident.releases[index - 1] if index > 0 else None,
        next=incident.releases[index + 1] if index + 1 < len(incident.releases) else None,
    )


def _first(*options: bool | None) -> bool:
    return next(o for o in options if o is not None)


def _corrections(facts: dict[str, Fact], day: date) -> list[Correction]:
    found = []
    for name, fact in facts.items():
        known = sorted((v for v in fact.values if v.as_of <= day), key=lambda v: v.as_of)
        if len(known) >= 2 and known[-1].note and known[-1].value != known[-2].value:
            before, after = known[-2], known[-1]
            found.append(
                Correction(
                    name,
                    fact.label,
                    fact.unit,
                    before.value,
                    before.as_of,
                    after.value,
                    after.as_of,
                    after.note or "",
                )
            )
    return found


def _contact(content: Content, record: ReleaseRecord) -> ContactDesk:
    change = record.release.contact
    desk = _desk_words(content.site.contact, record)
    if change is None:
        return desk
    return desk if change.email is UNSET else msgspec.structs.replace(desk, email=change.email)


def _desk_words(desk: ContactDesk, record: ReleaseRecord) -> ContactDesk:
    """The desk in a translation's words where it gives them (name, hours, address)."""
    words = record.translation.contact if record.translation else None
    if words is None:
        return desk
    given = {k: getattr(words, k) for k in ("name", "hours", "address") if getattr(words, k)}
    return msgspec.structs.replace(desk, **given)
