"""One item of the record's `disclosure` block, resolved against the incident as known on a date.

Pure: a snapshot in, values out. Each pointer of `present:` gives a part as of the snapshot's
date (a fact's value with its label and unit; the events, measures and references known by
then; a release public by then, with its URL and title, and the section or notice mail named
after `#`). A pointer whose target came later gives nothing, so an item stated only later is
"not yet known" on the date. `unknown:` says since when the record knows it does not know; a
date after the snapshot's says it was not known on the snapshot's date either, and its note,
written later, is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from publisher.check.findings import problem_at
from publisher.errors import Problem
from publisher.model.schema import Disclosed
from publisher.report.snapshot import KnownFact, Snapshot
from publisher.report.words import Words

State = Literal["stated", "unknown", "not_yet", "absent"]


@dataclass(frozen=True)
class Part:
    """What one pointer gives: pasteable text, and the same as data for the JSON."""

    pointer: str
    text: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Item:
    """A disclosure item on the snapshot's date: stated (with parts), unknown, or neither."""

    key: str
    state: State
    day: date | None = None
    """unknown: the date it is said to be unknown on; not_yet: the snapshot's date."""
    parts: tuple[Part, ...] = ()
    note: str | None = None

    @property
    def status(self) -> str:
        """The item's state in words: stated, unknown as of DATE, not yet known as of DATE."""
        if self.state == "unknown":
            return f"unknown as of {self.day}"
        if self.state == "not_yet":
            return f"not yet known as of {self.day}"
        return "stated" if self.state == "stated" else "not in the record"

    def value(self, words: Words) -> str:
        """The text to paste into the form's field."""
        if self.state == "stated":
            body = "\n\n".join(p.text for p in self.parts)
        elif self.state == "unknown" and self.day:
            body = words.unknown.format(date=words.date(self.day))
        elif self.state == "not_yet" and self.day:
            body = words.not_yet.format(date=words.date(self.day))
        else:
            return ""
        return f"{body}\n{self.note}" if self.note else body


def resolve_item(snapshot: Snapshot, key: str) -> tuple[Item, list[Problem]]:
    """The disclosure item `key` as of the snapshot's date, and problems with its pointers."""
    disclosure = snapshot.disclosure
    disclosed = getattr(disclosure, key, None) if disclosure else None
    if not isinstance(disclosed, Disclosed):
        return Item(key, "absent"), []
    if disclosed.present is not None:
        return _present(snapshot, key, disclosed)
    if disclosed.unknown is not None:
        if disclosed.unknown > snapshot.as_of:  # its note was written later: not shown
            return Item(key, "unknown", snapshot.as_of), []
        return Item(key, "unknown", disclosed.unknown, note=disclosed.note), []
    return Item(key, "absent"), []


def _present(snapshot: Snapshot, key: str, disclosed: Disclosed) -> tuple[Item, list[Problem]]:
    parts: list[Part] = []
    problems: list[Problem] = []
    for i, pointer in enumerate(disclosed.present or []):
        found = resolve_pointer(snapshot, pointer)
        if isinstance(found, str):
            loc = ("disclosure", key, "present", i)
            problems.append(problem_at(snapshot.incident.doc, loc, found))
        elif found is not None:
            parts.append(found)
    if not parts:
        return Item(key, "not_yet", snapshot.as_of), problems
    return Item(key, "stated", parts=tuple(parts), note=disclosed.note), problems


def resolve_pointer(snapshot: Snapshot, pointer: str) -> Part | str | None:
    """What `pointer` gives on the snapshot's date: a part, None if it came later, or why it
    points at nothing."""
    if pointer.startswith("facts."):
        return _fact(snapshot, pointer)
    if pointer == "timeline":
        return _timeline(snapshot)
    if pointer == "measures":
        return measures_part(snapshot)
    if pointer == "references":
        return _references(snapshot)
    if pointer.startswith("release:"):
        return _release(snapshot, pointer)
    return (
        f"cannot tell where {pointer!r} points; use facts.<name>, timeline, measures, "
        "references or release:<YYYY-MM-DD>[#<section heading>|#notify]"
    )


def fact_text(fact: KnownFact, words: Words) -> str:
    """`label: value unit`, a list value joined in the record's language."""
    return f"{fact.label}: {fact_value(fact, words)}"


def fact_value(fact: KnownFact, words: Words) -> str:
    """The fact's value and unit (12台, 1,350 customers), a count grouped as the language
    writes it, a list value joined in the record's language."""
    value = fact.value
    if isinstance(value, int) and not isinstance(value, bool):
        return words.count(value, fact.unit)
    shown = words.list_separator.join(value) if isinstance(value, tuple) else str(value)
    return f"{shown}{fact.unit}"


def fact_data(fact: KnownFact) -> dict[str, Any]:
    """A fact as JSON data: its name, label, value, unit and the date it is known from."""
    value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
    return {
        "fact": fact.name,
        "label": fact.label,
        "value": value,
        "unit": fact.unit,
        "as_of": fact.as_of.isoformat(),
    }


def _fact(snapshot: Snapshot, pointer: str) -> Part | str | None:
    name = pointer.removeprefix("facts.")
    if name not in snapshot.incident.incident.facts:
        return f"no fact {name!r} in the incident record"
    fact = snapshot.facts.get(name)
    if fact is None:
        return None
    return Part(pointer, fact_text(fact, snapshot.words), fact_data(fact))


def _timeline(snapshot: Snapshot) -> Part | None:
    if not snapshot.events:
        return None
    words = snapshot.words
    text = "\n".join(f"{words.date(e.day)} {e.text}" for e in snapshot.events)
    data = [{"date": e.day.isoformat(), "text": e.text} for e in snapshot.events]
    return Part("timeline", text, {"events": data})


def measures_part(snapshot: Snapshot) -> Part | None:
    """The measures taken and planned by the snapshot's date, taken ones with their dates."""
    if not snapshot.measures:
        return None
    words = snapshot.words
    taken = [m for m in snapshot.measures if m.status == "taken"]
    planned = [m for m in snapshot.measures if m.status == "planned"]
    lines = []
    if taken:
        lines.append(f"{words.taken}:")
        lines += [f"{words.bullet}{words.date(m.date)} {m.text}" for m in taken]
    if planned:
        lines.append(f"{words.planned}:")
        lines += [f"{words.bullet}{m.text}" for m in planned]
    data = {
        "taken": [{"date": m.date.isoformat(), "text": m.text} for m in taken],
        "planned": [{"date": m.date.isoformat(), "text": m.text} for m in planned],
    }
    return Part("measures", "\n".join(lines), data)


def _references(snapshot: Snapshot) -> Part | None:
    if not snapshot.references:
        return None
    text = "\n".join(f"{r.title} {r.url}" for r in snapshot.references)
    data = [{"title": r.title, "url": r.url} for r in snapshot.references]
    return Part("references", text, {"references": data})


def _release(snapshot: Snapshot, pointer: str) -> Part | str | None:
    day_text, _, part = pointer.removeprefix("release:").partition("#")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return f"{pointer}: expected release:YYYY-MM-DD"
    if snapshot.incident.release_on(day) is None:
        return f"no release of this incident is dated {day_text}"
    release = snapshot.release_on(day)
    if release is None:
        return None  # not yet public on the snapshot's date
    words = snapshot.words
    lines = [f"{words.date(day)} {words.quoted.format(text=release.title)}", release.url]
    data: dict[str, Any] = {"release": day.isoformat(), "title": release.title, "url": release.url}
    if part == "notify":
        if release.notify_subject is None:
            return f"the release of {day_text} has no notify block"
        lines.append(f"{words.notice_mail}: {words.quoted.format(text=release.notify_subject)}")
        data["notice_mail"] = release.notify_subject
    elif part:
        section = release.section(part)
        if section is None:
            return f"the release of {day_text} has no section headed {part!r}"
        lines += [f"{section.heading}:", section.text]
        data |= {"section": section.heading, "text": section.text}
    return Part(pointer, "\n".join(lines), data)
