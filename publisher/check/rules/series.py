"""Consistency across a series: the record is the one source of truth, releases are its views."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urljoin

from publisher.check.findings import problem_at
from publisher.check.horizon import later_texts, phrases
from publisher.check.prose import (
    FACT,
    REFERENCE,
    RELEASE_LINK,
    Prose,
    event_prose,
    release_prose,
    shows_timeline,
)
from publisher.check.published import Published, Readable
from publisher.check.reading import plain
from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.messages import N_, _
from publisher.model.content import IncidentRecord
from publisher.model.schema import Fact
from publisher.model.series import SERIES_RULES
from publisher.source import dotted

SERIES = "publisher issue 5 (consistency across the series); README, Writing a new incident"


def _each(subject: Subject) -> Iterator[IncidentRecord]:
    yield from subject.content.incidents


def _prose_of(incident: IncidentRecord) -> Iterator[tuple[date, Prose]]:
    """Every piece of prose with the date it is read as of (release date, event known date)."""
    for record in incident.releases:
        for prose in release_prose(record):
            yield record.release.date, prose
    for _i, event, prose in event_prose(incident):
        yield event.known_on, prose


def _reused(rule_id: str) -> Rule:
    check = SERIES_RULES[rule_id]
    summaries = {
        "series-duplicate-date": "No two releases of one incident share a date.",
        "series-before-discovery": "No release is dated before the incident's `discovered` date.",
        "timeline-release-missing": "A timeline event's `release` names a release that exists.",
    }
    return Rule(
        rule_id,
        "error",
        summaries[rule_id],
        SERIES + "; publisher/model/series.py (shared with loading)",
        lambda s: (p for i in _each(s) for p in check(i)),
    )


def file_names(subject: Subject) -> Iterator[Problem]:
    """A release file must be named by its date."""
    for incident in _each(subject):
        for record in incident.releases:
            day = record.release.date.isoformat()
            stem = PurePosixPath(record.doc.path).stem
            if stem != day:
                message = _("the file is named {stem}.yaml but the release is dated {day}")
                message = message.format(stem=stem, day=day)
                yield problem_at(record.doc, ("date",), message)


def kinds(subject: Subject) -> Iterator[Problem]:
    """The first release is the first notice, and no later one is (not judged while a release
    of the series cannot be read)."""
    for incident in _each(subject):
        if incident.unreadable:
            continue
        for i, record in enumerate(incident.releases):
            kind = record.release.kind
            if i == 0 and kind != "first_notice":
                message = _("the first release of the series must be a first_notice, not {kind}")
                message = message.format(kind=kind)
                yield problem_at(record.doc, ("kind",), message)
            elif i > 0 and kind == "first_notice":
                first = incident.releases[0].release.date
                message = _("only the first release is a first_notice (the series began {first})")
                message = message.format(first=first)
                yield problem_at(record.doc, ("kind",), message)


def dated_after(subject: Subject) -> Iterator[Problem]:
    """Nothing a release shows is dated after it: facts, references, links, events; in its
    prose as written, and on its page and print as rendered."""
    yield from dated_in_prose(subject)
    yield from _shown_after(subject)


def dated_in_prose(subject: Subject) -> Iterator[Problem]:
    """Nothing a release's prose names is dated after it, nor an event known before it was."""
    for incident in _each(subject):
        for day, prose in _prose_of(incident):
            yield from _future_names(incident, day, prose)
            yield from _future_links(incident, day, prose)
        yield from _event_dates(incident)


def _shown_after(subject: Subject) -> Iterator[Problem]:
    """What a release's page or print shows, as rendered, that became known after its date
    (a text of the record, or a link to a reference that appeared later)."""
    published = subject.published
    phrased: dict[str, tuple[str, ...]] = {}  # each text's phrases, rendered once for all pages
    for page in published.readables:
        if page.day is None or page.incident is None:
            continue
        known: list[str] = []  # what the page may show, read where a phrase is on it
        for text, when in later_texts(page.incident, page.day):
            found = phrased.get(text.text)
            if found is None:
                found = phrased[text.text] = tuple(phrases(text.text))
            shown = next((p for p in found if _unknown_on(p, page, known)), None)
            if shown is not None:
                line = text.doc.mark(text.loc).text_line
                where = f"{dotted(text.loc)} ({text.doc.path}:{line})"
                message = _("shows {where}, first known on {known}, after {day}")
                message = message.format(where=where, known=when, day=page.day)
                yield from published.locate(page, shown, message)
        yield from _later_references(published, page, page.incident, page.day)


def _unknown_on(phrase: str, page: Readable, known: list[str]) -> bool:
    """Whether `page` shows `phrase` and none of its sources holds it (`known`: the sources'
    plain texts, filled on first need)."""
    if phrase not in page.reading.plain:
        return False
    if not known:
        known.extend(plain(source.text) for source in page.sources)
    return not any(phrase in k for k in known)


def _later_references(
    published: Published, page: Readable, incident: IncidentRecord, day: date
) -> Iterator[Problem]:
    later = [r for r in incident.incident.references if r.as_of > day]
    for link in dict.fromkeys(page.reading.links) if later else ():
        url = urljoin(page.url, link)
        for reference in later:
            if url == reference.url or url.startswith(reference.url.rstrip("/") + "/"):
                message = _("links references[{id}], dated {dated}, after {day}").format(
                    id=repr(reference.id), dated=reference.as_of, day=day
                )
                yield from published.locate(page, link, message)


def _future_names(incident: IncidentRecord, day: date, prose: Prose) -> Iterator[Problem]:
    record = incident.incident
    for offset, name in prose.names(FACT):
        fact = record.facts.get(name)
        first = min(v.as_of for v in fact.values) if fact else None
        if first and first > day:
            message = _("facts.{name} is first known on {first}, after {day}")
            yield prose.at(offset, message.format(name=name, first=first, day=day))
    dated = {r.id: r.as_of for r in record.references}
    for offset, name in prose.names(REFERENCE):
        if dated.get(name, day) > day:
            message = _("references[{id}] is dated {dated}, after {day}")
            yield prose.at(offset, message.format(id=repr(name), dated=dated[name], day=day))


def _future_links(incident: IncidentRecord, day: date, prose: Prose) -> Iterator[Problem]:
    for offset, target in prose.matches(RELEASE_LINK):
        linked = _date(target)
        if linked and linked > day and incident.release_on(linked):
            message = _("links the release of {linked}, published after {day}")
            yield prose.at(offset, message.format(linked=linked, day=day))


def _event_dates(incident: IncidentRecord) -> Iterator[Problem]:
    for i, event in enumerate(incident.incident.timeline):
        if event.known and event.known < event.date:
            message = _("known on {known}, before it happened ({date})")
            message = message.format(known=event.known, date=event.date)
            yield problem_at(incident.doc, ("timeline", i, "known"), message)
        if event.release and event.release < event.known_on:
            message = _("announced by the release of {release}, before it was known")
            message = message.format(release=event.release)
            yield problem_at(incident.doc, ("timeline", i, "release"), message)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def resolves(subject: Subject) -> Iterator[Problem]:
    """Every fact, reference and release link named in prose exists."""
    for incident in _each(subject):
        record = incident.incident
        references = [r.id for r in record.references]
        for _day, prose in _prose_of(incident):
            yield from _unknown(prose, FACT, "facts.{}", list(record.facts), NO_FACT)
            yield from _unknown(prose, REFERENCE, "references[{!r}]", references, NO_REFERENCE)
            yield from _bad_links(incident, prose)


NO_FACT = (
    N_("{named}: no such fact in the incident record"),
    N_("{named}: no such fact in the incident record; did you mean {meant}?"),
)
NO_REFERENCE = (
    N_("{named}: no such reference in the incident record"),
    N_("{named}: no such reference in the incident record; did you mean {meant}?"),
)
"""What a name in prose that the record lacks is said to be: without and with a near one."""


def _unknown(
    prose: Prose,
    pattern: re.Pattern[str],
    shown: str,
    known: list[str],
    what: tuple[str, str],
) -> Iterator[Problem]:
    for offset, name in prose.names(pattern):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            named = shown.format(name)
            if close:
                said = _(what[1]).format(named=named, meant=repr(close[0]))
            else:
                said = _(what[0]).format(named=named)
            yield prose.at(offset, said)


def _bad_links(incident: IncidentRecord, prose: Prose) -> Iterator[Problem]:
    for offset, target in prose.matches(RELEASE_LINK):
        linked = _date(target)
        if linked is None:
            message = _("link release:{target}: expected release:YYYY-MM-DD")
            yield prose.at(offset, message.format(target=target))
        elif incident.lacks_release(linked):
            message = _("link release:{target}: no release of this incident is dated {target}")
            yield prose.at(offset, message.format(target=target))


def corrections(subject: Subject) -> Iterator[Problem]:
    """A published value that later changes carries a note that a later release shows."""
    for incident in _each(subject):
        published = _published(incident)
        releases = [r.release.date for r in incident.releases]
        for name, fact in incident.incident.facts.items():
            shown = published.get(name, [])
            yield from _missing_notes(incident, name, fact, shown, releases)


def _published(incident: IncidentRecord) -> dict[str, list[date]]:
    """For each fact, the dates as of which a release showed it."""
    shown: dict[str, list[date]] = {}
    for record in incident.releases:
        for prose in release_prose(record):
            for _offset, name in prose.names(FACT):
                shown.setdefault(name, []).append(record.release.date)
    timeline_days = [r.release.date for r in incident.releases if shows_timeline(r)]
    for _i, event, prose in event_prose(incident):
        if any(day >= event.known_on for day in timeline_days):
            for _offset, name in prose.names(FACT):
                shown.setdefault(name, []).append(event.known_on)
    return shown


def _missing_notes(
    incident: IncidentRecord, name: str, fact: Fact, shown: list[date], releases: list[date]
) -> Iterator[Problem]:
    order = sorted(range(len(fact.values)), key=lambda i: fact.values[i].as_of)
    ends = [fact.values[i].as_of for i in order[2:]] + [date.max]
    for (before, after), end in zip(itertools.pairwise(order), ends, strict=False):
        old, new = fact.values[before], fact.values[after]
        if new.value == old.value or not any(old.as_of <= d < new.as_of for d in shown):
            continue
        loc = ("facts", name, "values", after)
        if not new.note:
            message = _(
                "changes the value {value} a release published; add a note explaining the "
                "correction"
            )
            yield problem_at(incident.doc, loc, message.format(value=repr(old.value)))
        elif end != date.max and not any(new.as_of <= d < end for d in releases):
            message = _("no release dated from {start} to before {end} shows this correction")
            message = message.format(start=new.as_of, end=end)
            yield problem_at(incident.doc, (*loc, "note"), message)


def links_previous(subject: Subject) -> Iterator[Problem]:
    """Every release after the first links the one before it."""
    for incident in _each(subject):
        for before, record in zip(incident.releases, incident.releases[1:], strict=False):
            wanted = before.release.date
            linked = {
                _date(target)
                for prose in release_prose(record)
                for _offset, target in prose.matches(RELEASE_LINK)
            }
            between = {d for d in incident.unreadable if wanted < d < record.release.date}
            if wanted not in linked and not linked & between:  # an unreadable one may be it
                message = _("does not link the previous release ([...](release:{wanted}))")
                message = message.format(wanted=wanted)
                yield problem_at(record.doc, ("intro",), message)


_ORDINAL = re.compile(
    r"第\s*(?P<kanji>[0-9０-９一二三四五六七八九十]+)\s*報"
    r"|(?<![0-9０-９])(?P<digits>[0-9０-９]{1,2})\s*報"
    r"|\bupdate\s+(?:no\.\s*|#)?(?P<update>\d{1,2})\b"  # not a year: System update 2026
    r"|\b(?P<nth>\d{1,2})(?:st|nd|rd|th)\s+update\b",
    re.IGNORECASE,
)
_KANJI_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")}


def ordinal(title: str) -> int | None:
    """The place in its series a title gives itself (第3報, 第三報, 3報, Update 3, 3rd update),
    or None if it gives none."""
    found = _ORDINAL.search(title)
    if found is None:
        return None
    number = next(group for group in found.groups() if group is not None)
    if number.isdecimal():
        return int(number)  # full-width digits too
    tens, _ten, ones = number.rpartition("十")
    if "十" not in number:
        return _KANJI_DIGITS.get(number)
    return (_KANJI_DIGITS.get(tens, 0) if tens else 1) * 10 + _KANJI_DIGITS.get(ones, 0)


def _numbered_as(title: str) -> str:
    found = _ORDINAL.search(title)
    return found.group(0) if found else ""


def counts_updates(title: str) -> bool:
    """Whether the title's number counts updates (Update 2, 2nd update), not releases (第2報):
    the first notice is no update, so update N is release N + 1."""
    found = _ORDINAL.search(title)
    return found is not None and (found.group("update") or found.group("nth")) is not None


def ordinals(subject: Subject) -> Iterator[Problem]:
    """The releases of a series are numbered in their titles all or none (a final report may go
    without; so may the first notice where updates are counted), each by its place."""
    for incident in _each(subject):
        if incident.unreadable:
            continue  # a release that cannot be read may be the one numbered
        numbered = [(r, n) for r in incident.releases if (n := ordinal(r.release.title))]
        if not numbered:
            continue
        shown = "; ".join(
            f"{r.release.date}: {_numbered_as(r.release.title)}" for r, _n in numbered
        )
        updates = all(counts_updates(r.release.title) for r, _n in numbered)
        for place, record in enumerate(incident.releases, 1):
            given = ordinal(record.release.title)
            kind = record.release.kind
            if given is None and kind != "final_report" and not (updates and place == 1):
                message = _(
                    "the title gives no place in the series, as other releases of this incident "
                    "do ({shown}); number every release (this one is {place}) or none"
                ).format(shown=shown, place=place - 1 if updates else place)
                yield problem_at(record.doc, ("title",), message)
            elif given is not None and counts_updates(record.release.title):
                if given != place - 1:
                    message = _(
                        "the title numbers it update {given}, but it is update {place} of the "
                        "series (the first release is no update)"
                    ).format(given=given, place=place - 1)
                    yield problem_at(record.doc, ("title",), message)
            elif given is not None and given != place:
                message = _("the title numbers it {given}, but it is release {place} of the series")
                message = message.format(given=given, place=place)
                yield problem_at(record.doc, ("title",), message)


RULES = (
    _reused("series-duplicate-date"),
    _reused("series-before-discovery"),
    _reused("timeline-release-missing"),
    Rule(
        "release-file-name",
        "error",
        "A release file is named by its date: releases/<YYYY-MM-DD>.yaml holds `date: YYYY-MM-DD`.",
        SERIES,
        file_names,
    ),
    Rule(
        "series-kinds",
        "warning",
        "The first release of an incident is its first_notice, and no later release is one.",
        SERIES,
        kinds,
    ),
    Rule(
        "dated-after-release",
        "error",
        "No release shows a fact, reference, release link or event dated after itself: facts "
        "named in prose are known by the release's date (for a timeline event, by the day it "
        "became known), references are dated no later, release links point backwards, an event "
        "is not known before it happened nor announced before it was known. The release's page "
        "and print, as rendered, hold no text of the record first known after its date (a "
        "timeline event, measure, attachment pattern, reference title or fact value, reached "
        "say by a template reading the raw record) and no link to a later reference.",
        SERIES + "; the same horizon the build enforces (publisher/model/view.py)",
        dated_after,
    ),
    Rule(
        "reference-resolves",
        "error",
        'Every `facts.NAME`, `references["id"]` and `release:YYYY-MM-DD` link in prose names '
        "something the incident record has.",
        SERIES,
        resolves,
    ),
    Rule(
        "correction-note",
        "error",
        "A fact whose value changes after a release published it (11 PCs, then 12) carries a "
        "`note` on the new value, and a release shows that correction: one dated on or after "
        "the new value and before the value changes again (a release page shows the latest "
        "correction of each fact).",
        SERIES + "; publisher/model/view.py (corrections shown on the page)",
        corrections,
    ),
    Rule(
        "series-ordinals",
        "warning",
        "If any release of an incident gives its place in the series in its title (第3報, "
        "3報, Update 3, 3rd update), every release does, and by its place (the first release "
        "is 1; Update N and Nth update count updates, so the second release is Update 1 and "
        "the first notice may go without): a reader who finds 第3報 looks for 第1報 and 第2報. "
        "A final report may go without one. Only the original releases are compared, not "
        "their translations.",
        SERIES,
        ordinals,
    ),
    Rule(
        "link-previous",
        "warning",
        "Every release after the first links the one before it with [..](release:YYYY-MM-DD), so "
        "a reader who lands on any release can follow the series back.",
        SERIES,
        links_previous,
    ),
)
