"""The incident as it was known on a date, its prose rendered to the plain text a form takes.

What was not known by then is not here: fact values dated later, events that became known
later, measures and references dated later, releases not yet public by the end of the day,
reports made later. Prose is rendered as the site renders it (a timeline event with the facts
known on the day it became known; a release as of its own date), then turned into text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from publisher.errors import Problem, ProseError, ReleaseProblems, RenderError, ViewError
from publisher.messages import _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schedule import published_at
from publisher.model.schema import (
    Disclosure,
    Event,
    FactValue,
    Measure,
    Reference,
    RegulatorReport,
    Site,
)
from publisher.model.view import Facts, KnownIncident, linked_day, view_release
from publisher.render.prose import ProseSource, render_prose
from publisher.render.release import RenderedRelease, RenderedSection, render_release
from publisher.render.theme import Theme
from publisher.render.urls import absolute_links, absolute_url, page_dir
from publisher.report.text import html_text
from publisher.report.words import Words, words_for
from publisher.source import dotted

FactData = int | str | tuple[str, ...]


@dataclass(frozen=True)
class KnownFact:
    """A fact's value in force on the snapshot's date."""

    name: str
    label: str
    unit: str
    value: FactData
    as_of: date


@dataclass(frozen=True)
class KnownEvent:
    """A timeline event known by the snapshot's date, as text."""

    day: date
    text: str


@dataclass(frozen=True)
class KnownSection:
    """A numbered section of a release, as text."""

    heading: str
    text: str


@dataclass(frozen=True)
class KnownRelease:
    """A release public by the snapshot's date: where it is and what it said, as text."""

    date: date
    kind: str
    title: str
    url: str
    sections: tuple[KnownSection, ...]
    notify_subject: str | None
    rendered: RenderedRelease

    def section(self, heading: str) -> KnownSection | None:
        """The section headed `heading`, if the release has one."""
        return next((s for s in self.sections if s.heading == heading), None)


@dataclass(frozen=True)
class Snapshot:
    """One incident as known at the end of `as_of`."""

    incident: IncidentRecord
    site: Site
    as_of: date
    words: Words
    facts: Mapping[str, KnownFact]
    events: tuple[KnownEvent, ...]
    measures: tuple[Measure, ...]
    releases: tuple[KnownRelease, ...]
    references: tuple[Reference, ...]
    reports: tuple[RegulatorReport, ...]

    @property
    def id(self) -> str:
        """The incident's id."""
        return self.incident.id

    @property
    def discovered(self) -> date:
        """When the incident was discovered."""
        return self.incident.incident.discovered

    @property
    def disclosure(self) -> Disclosure | None:
        """The record's disclosure block (where each item is, or since when it is unknown)."""
        return self.incident.incident.disclosure

    @property
    def organization(self) -> str:
        """The organisation's full name."""
        return self.site.organization.name

    def release_on(self, day: date) -> KnownRelease | None:
        """The release of `day`, if it was public by the snapshot's date."""
        return next((r for r in self.releases if r.date == day), None)


def take_snapshot(
    content: Content, incident: IncidentRecord, theme: Theme, as_of: date
) -> Snapshot:
    """`incident` as known at the end of `as_of`; RenderError if its prose does not render."""
    source = incident.incident
    lang = content.site.language
    words = words_for(lang, theme.strings.get(lang, {}))
    problems: list[Problem] = []
    events = _events(content, incident, theme, as_of, problems)
    public = _public(content, incident, as_of)
    releases = [_release(content, incident, r, theme, problems) for r in public]
    if problems:
        raise RenderError(problems)
    return Snapshot(
        incident=incident,
        site=content.site,
        as_of=as_of,
        words=words,
        facts=_facts(Facts(source.facts, as_of), source.facts),
        events=events,
        measures=tuple(m for m in source.measures if m.date <= as_of),
        releases=tuple(r for r in releases if r is not None),
        references=tuple(r for r in source.references if r.as_of <= as_of),
        reports=tuple(
            r for r in (source.disclosure.reports if source.disclosure else []) if r.date <= as_of
        ),
    )


def _facts(facts: Facts, declared: Mapping[str, Any]) -> dict[str, KnownFact]:
    known: dict[str, FactValue] = facts.known()
    return {
        name: KnownFact(
            name,
            declared[name].label,
            declared[name].unit,
            tuple(value.value) if isinstance(value.value, list) else value.value,
            value.as_of,
        )
        for name, value in known.items()
    }


def _public(content: Content, incident: IncidentRecord, as_of: date) -> list[ReleaseRecord]:
    """The releases public by the end of `as_of` (never a draft)."""
    end = datetime.combine(as_of, time.max, ZoneInfo(content.site.timezone))
    return [
        r
        for r in incident.releases
        if not r.release.draft and published_at(r.release, content.site.timezone) <= end
    ]


def _release(
    content: Content,
    incident: IncidentRecord,
    record: ReleaseRecord,
    theme: Theme,
    problems: list[Problem],
) -> KnownRelease | None:
    view = view_release(content, incident, record)
    if view.lang not in theme.strings:
        mark = record.doc.mark(("lang",))
        said = _("no wording for language {lang} in the theme (strings/{file}.yaml)")
        message = said.format(lang=repr(view.lang), file=view.lang)
        problems.append(Problem(record.doc.path, mark.line, mark.col, "lang", message))
        return None
    try:
        rendered = render_release(view, theme.prose, theme.strings_for(view.lang))
    except ReleaseProblems as exc:
        problems.extend(exc.problems)
        return None
    release = record.release
    url = absolute_url(content.site, page_dir(incident.id, release.date))
    words = words_for(view.lang, theme.strings_for(view.lang))
    sections = tuple(
        KnownSection(s.heading, _section_text(s, url, words)) for s in rendered.sections
    )
    subject = release.notify.subject if release.notify else None
    return KnownRelease(release.date, release.kind, release.title, url, sections, subject, rendered)


def _section_text(section: RenderedSection, url: str, words: Words) -> str:
    """A section's prose, or its timeline a day a line, as text; links made absolute."""
    parts = [html_text(absolute_links(str(section.html or ""), url), words.bullet)]
    for day in section.timeline:
        entries = [html_text(absolute_links(str(e), url), words.bullet) for e in day.entries]
        parts += [f"{words.date(day.day)} {entry}" for entry in entries]
    return "\n".join(p for p in parts if p)


def _events(
    content: Content,
    incident: IncidentRecord,
    theme: Theme,
    as_of: date,
    problems: list[Problem],
) -> tuple[KnownEvent, ...]:
    """The events known by `as_of`, oldest first, each rendered as the site renders it."""
    source = incident.incident
    context = _event_context(content, incident, theme, as_of)
    found = []
    for i, event in enumerate(source.timeline):
        if event.known_on > as_of:
            continue
        text = _event_text(content, incident, theme, i, event, context, problems)
        found.append(KnownEvent(event.date, text))
    return tuple(sorted(found, key=lambda e: e.day))


def _event_text(
    content: Content,
    incident: IncidentRecord,
    theme: Theme,
    index: int,
    event: Event,
    context: Mapping[str, Any],
    problems: list[Problem],
) -> str:
    loc = ("timeline", index, "text")
    line = incident.doc.mark(loc).text_line
    source = ProseSource(event.text, incident.doc.path, line, dotted(loc))
    bullet = words_for(content.site.language, context["strings"]).bullet
    facts = Facts(incident.incident.facts, event.known_on)

    def resolve(href: str) -> str:
        return _release_url(content, incident, href)

    try:
        html = render_prose(source, theme.prose, {**context, "facts": facts}, resolve)
    except ProseError as exc:
        problems.append(exc.problem)
        return ""
    return html_text(str(html), bullet)


def _release_url(content: Content, incident: IncidentRecord, href: str) -> str:
    """`release:<date>` as the release page's public URL; other links as they are."""
    day = linked_day(href)
    if day is None:
        return href
    if incident.release_on(day) is None:
        target = href.removeprefix("release:")
        said = _("link {href}: no release of this incident is dated {date}")
        raise ViewError(said.format(href=repr(href), date=target))
    return absolute_url(content.site, page_dir(incident.id, day))


def _event_context(
    content: Content, incident: IncidentRecord, theme: Theme, as_of: date
) -> dict[str, Any]:
    """What prose in a timeline event may name, as known on `as_of` (as a release's prose)."""
    source = incident.incident
    site = content.site
    strings = theme.strings.get(site.language, {})
    facts = Facts(source.facts, as_of)
    measures = tuple(m for m in source.measures if m.date <= as_of)
    references = tuple(r for r in source.references if r.as_of <= as_of)
    patterns = [p for p in source.advice.attachment_patterns if p.as_of <= as_of]
    known = KnownIncident(
        title=source.title,
        discovered=source.discovered,
        category=source.category,
        facts=facts,
        timeline=tuple(e for e in source.timeline if e.known_on <= as_of),
        measures=measures,
        advice=msgspec.structs.replace(source.advice, attachment_patterns=patterns),
        references=references,
    )
    return {
        "strings": strings,
        "site": site,
        "org": site.organization,
        "incident": known,
        "contact": site.contact,
        "measures": {
            "taken": [m.text for m in measures if m.status == "taken"],
            "planned": [m.text for m in measures if m.status == "planned"],
        },
        "attachment_patterns": [p.text for p in patterns],
        "references": {r.id: r for r in references},
    }
