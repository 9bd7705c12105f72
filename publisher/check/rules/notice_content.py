"""What a notice to the people concerned says: each item its regime asks for, page and mail apart.

The items, the releases that are notices and the data categories that call for an item are data
(publisher/check/notice_items.yaml). A notice states an item when the record's `disclosure:`
block points into it: the release's page for `release:<date>`, `release:<date>#<heading>` (a
heading with a body), `facts.<name>`, `timeline`, `measures` or `references` that its prose
shows; its notice mail only what its `notify.states` names, or `release:<date>#notify` points
at, and only if it has a message: a mail that is only a link states nothing. An item marked
`unknown: <date>` is stated as unknown. An item with `names:` or `months:` also needs them in
the notice's text (Equifax, Experian and TransUnion; an offer of 12 months or more).
California's five headings come in the statute's order, each with a body that is not a
placeholder (TBD, 未定).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_type_hints

import msgspec

from publisher.check.findings import problem_at
from publisher.check.prose import FACT, REFERENCE, Prose, release_prose
from publisher.check.reading import read_html
from publisher.check.rule import Rule, Subject
from publisher.check.rules.ca import HEADINGS
from publisher.errors import Problem
from publisher.files import packaged_yaml
from publisher.messages import _
from publisher.model.content import IncidentRecord, ReleaseRecord
from publisher.model.placeholders import placeholder, placeholders
from publisher.model.schema import Disclosed, Disclosure


class Item(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One item a notice must state, as the table declares it."""

    title: str
    when: list[str] = []
    names: list[str] = []
    months: int | None = None
    phones: list[str] = []


class Regime(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A regime's notice: its source, which releases are notices, and the items."""

    source: str
    notices: Literal["notified", "every"]
    items: dict[str, Item]


class Table(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """publisher/check/notice_items.yaml."""

    appi: Regime
    gdpr: Regime
    ca: Regime
    categories: dict[str, str]


def _item(value: object) -> object:
    return {"title": value} if isinstance(value, str) else value


@functools.cache
def table() -> Table:
    """The notice items of every regime, read once from the package."""
    raw = packaged_yaml(Path(__file__).parent.with_name("notice_items.yaml"))
    for regime in ("appi", "gdpr", "ca"):
        raw[regime]["items"] = {k: _item(v) for k, v in raw[regime]["items"].items()}
    return msgspec.convert(raw, Table)


@dataclass(frozen=True)
class Notice:
    """One notice: a release's page, or its mail, and what it shows."""

    incident: IncidentRecord
    record: ReleaseRecord
    part: Literal["page", "mail"]
    text: str
    """The text the reader gets (the page's prose as rendered; the mail's subject and message)."""


def _notices(subject: Subject, regime: Regime) -> Iterator[Notice]:
    for incident in subject.content.incidents:
        for record in incident.releases:
            notify = record.release.notify
            if regime.notices == "notified" and notify is None:
                continue
            yield Notice(incident, record, "page", _page_text(subject, record))
            if notify is not None:
                words = "\n".join(filter(None, (notify.subject, notify.message)))
                yield Notice(incident, record, "mail", words)


def _page_text(subject: Subject, record: ReleaseRecord) -> str:
    rendered = subject.rendered.get(record.id)
    if rendered is None:
        return ""
    return "\n".join(read_html(str(piece.html)).text for piece in rendered.pieces)


def allowed_phones() -> list[str]:
    """The telephone numbers a notice may give for one of its items (the credit bureaus')."""
    regimes = (table().appi, table().gdpr, table().ca)
    return [phone for r in regimes for item in r.items.values() for phone in item.phones]


def required(incident: IncidentRecord, item: Item) -> bool:
    """Whether the incident's data categories call for `item` (always, without `when:`)."""
    disclosure = incident.incident.disclosure
    categories = set(disclosure.data_categories) if disclosure else set()
    return not item.when or bool(categories & set(item.when))


def states(notice: Notice, field: str, value: Disclosed) -> bool:
    """Whether `notice` states the item `field`: a `present:` pointer of `value` points into it,
    or (a mail with a message) its `notify.states` names it (see the module)."""
    notify = notice.record.release.notify
    if notice.part == "mail" and (notify is None or not notify.message):
        return False
    if notice.part == "mail" and notify is not None and field in notify.states:
        return True
    return any(_points_into(notice, pointer) for pointer in value.present or [])


def _points_into(notice: Notice, pointer: str) -> bool:
    record = notice.record
    own = f"release:{record.release.date.isoformat()}"
    if notice.part == "mail":
        return pointer == own + "#notify"
    if pointer == own:
        return True
    if pointer.startswith(own + "#"):
        heading = pointer.removeprefix(own + "#")
        return any(s.heading == heading and (s.body or s.timeline) for s in record.release.sections)
    return _shows(record, pointer)


def _shows(record: ReleaseRecord, pointer: str) -> bool:
    """Whether the release's prose shows what `pointer` names (facts.x, timeline, ...)."""
    prose = list(release_prose(record))
    if pointer.startswith("facts."):
        name = pointer.removeprefix("facts.")
        return any(found == name for p in prose for _offset, found in p.names(FACT))
    if pointer == "timeline":
        return any(s.timeline for s in record.release.sections) or _uses(prose, "timeline")
    if pointer == "references":
        return any(True for p in prose for _name in p.names(REFERENCE))
    return pointer == "measures" and _uses(prose, "measures")


def _uses(prose: list[Prose], name: str) -> bool:
    """Whether a Jinja expression of `prose` reads `name` (measures.taken, incident.timeline)."""
    pattern = re.compile(r"\{[{%][^}]*\b" + name + r"\b")
    return any(pattern.search(p.text) for p in prose)


_MONTHS = re.compile(
    r"(\d+)\s*[- ]?\s*(months?|か月|ヶ月|カ月|ケ月|箇月|years?|年間)", re.IGNORECASE
)


def _evidence(notice: Notice, item: Item) -> str | None:
    """What the notice's text lacks of the item's `names:` and `months:`, or None."""
    missing = [n for n in item.names if n.lower() not in notice.text.lower()]
    if missing:
        return _("does not name {names}").format(names=", ".join(missing))
    if item.months is not None:
        offered = [
            int(n) * (12 if unit.lower().startswith("year") or unit == "年間" else 1)
            for n, unit in _MONTHS.findall(notice.text)
        ]
        if max(offered, default=0) < item.months:
            return _("offers no period of {months} months or more").format(months=item.months)
    return None


def _findings(subject: Subject, name: str) -> Iterator[Problem]:
    regime: Regime = getattr(table(), name)
    for notice in _notices(subject, regime):
        if notice.part == "mail":
            yield from _unknown_states(notice.record)
        disclosure = notice.incident.incident.disclosure
        for field, item in regime.items.items():
            if not required(notice.incident, item):
                continue
            value = getattr(disclosure, field) if disclosure else None
            message = _missing(notice, field, item, value)
            if message:
                loc = ("notify",) if notice.part == "mail" else ("sections",)
                yield problem_at(notice.record.doc, loc, message)


def _unknown_states(record: ReleaseRecord) -> Iterator[Problem]:
    """Each name of `notify.states` that is not an item of the `disclosure:` block."""
    notify = record.release.notify
    items = [f for f in Disclosure.__struct_fields__ if f in _DISCLOSED]
    for i, field in enumerate(notify.states if notify else []):
        if field not in items:
            close = difflib.get_close_matches(field, items, n=1, cutoff=0.5)
            if close:
                message = _(
                    "no disclosure item {field} (an item of the disclosure block); did you mean "
                    "{meant}?"
                ).format(field=repr(field), meant=repr(close[0]))
            else:
                message = _("no disclosure item {field} (an item of the disclosure block)")
                message = message.format(field=repr(field))
            yield problem_at(record.doc, ("notify", "states", i), message)


_DISCLOSED = {
    name
    for name, kind in get_type_hints(Disclosure, include_extras=True).items()
    if "Disclosed" in str(kind)
}
"""The fields of the `disclosure:` block that are items (present or unknown)."""


def _missing(notice: Notice, field: str, item: Item, value: Disclosed | None) -> str | None:
    mail = notice.part == "mail"
    if value is not None and value.unknown is not None:
        return None
    if value is None or not states(notice, field, value):
        day = notice.record.release.date.isoformat()
        if mail:
            said = _(
                "the notice mail does not state {item}: say it, and list {field} in "
                "notify.states (or point disclosure.{field}.present at release:{day}#notify), "
                "or mark it unknown"
            )
        else:
            said = _(
                "the release page does not state {item}: say it, and point "
                "disclosure.{field}.present at release:{day}[#<heading>], or mark it unknown"
            )
        return said.format(item=item.title, field=field, day=day)
    lacks = _evidence(notice, item)
    if not lacks:
        return None
    if mail:
        return _("the notice mail states {item} but {lacks}").format(item=item.title, lacks=lacks)
    return _("the release page states {item} but {lacks}").format(item=item.title, lacks=lacks)


def appi_notice(subject: Subject) -> Iterator[Problem]:
    """The notice to the people concerned states items 1, 2, 4, 5 and 9 (施行規則第10条)."""
    yield from _findings(subject, "appi")


def gdpr_notice(subject: Subject) -> Iterator[Problem]:
    """The communication to the data subjects states what Art. 34(2) asks."""
    yield from _findings(subject, "gdpr")


def ca_notice(subject: Subject) -> Iterator[Problem]:
    """The California notice states what §1798.82(d)(2) asks, data categories permitting."""
    yield from _findings(subject, "ca")
    known = table().categories
    for incident in subject.content.incidents:
        disclosure = incident.incident.disclosure
        for i, category in enumerate(disclosure.data_categories if disclosure else []):
            if category not in known:
                message = _("unknown data category {category}; known: {known}")
                message = message.format(category=repr(category), known=", ".join(known))
                yield problem_at(incident.doc, ("disclosure", "data_categories", i), message)


def ca_headings(subject: Subject) -> Iterator[Problem]:
    """The five headings come in the statute's order, each with a body that says something."""
    for incident in subject.content.incidents:
        for record in incident.releases:
            yield from _heading_order(record)
            yield from _heading_bodies(record)


def _heading_order(record: ReleaseRecord) -> Iterator[Problem]:
    order = {h.lower(): n for n, h in enumerate(HEADINGS)}
    found = [
        (i, s.heading)
        for i, s in enumerate(record.release.sections)
        if s.heading.strip().lower() in order
    ]
    for (_i, before), (i, heading) in itertools.pairwise(found):
        if order[heading.strip().lower()] < order[before.strip().lower()]:
            said = _('"{heading}" comes after "{before}"; the statute orders them {order}')
            statute = ", ".join(f'"{h}"' for h in HEADINGS)
            message = said.format(heading=heading, before=before, order=statute)
            yield problem_at(record.doc, ("sections", i, "heading"), message)


def _heading_bodies(record: ReleaseRecord) -> Iterator[Problem]:
    wanted = {h.lower() for h in HEADINGS}
    for i, section in enumerate(record.release.sections):
        if section.heading.strip().lower() not in wanted or section.timeline:
            continue
        if placeholder(section.body):
            if section.body:
                message = _('"{heading}" says {body}: the notice gives its information here')
            else:
                message = _('"{heading}" says nothing: the notice gives its information here')
            body = repr(section.body.strip()) if section.body else ""
            message = message.format(heading=section.heading, body=body)
            yield problem_at(record.doc, ("sections", i, "body"), message)


def _explain(name: str) -> str:
    regime: Regime = getattr(table(), name)
    notices = (
        "each release with a notify block: its page and its mail, apart"
        if regime.notices == "notified"
        else "every release's page, and its mail where it has one"
    )
    items = "; ".join(
        f"{i.title} (disclosure.{f}"
        + (f"; when the data categories include {', '.join(i.when)}" if i.when else "")
        + (f"; naming {', '.join(i.names)}" if i.names else "")
        + (f"; offering {i.months} months or more" if i.months else "")
        + ")"
        for f, i in regime.items.items()
    )
    return (
        f"The notice to the people concerned ({notices}) states, each present in it or marked "
        f"unknown: {items}. A page states an item when its disclosure pointer is "
        "release:<its date>, a heading of it with a body, or facts.<name>, timeline, measures "
        "or references that its prose shows; a mail, when the pointer is "
        "release:<its date>#notify or its notify.states names the item, and the mail has a "
        "message. Declared in publisher/check/notice_items.yaml."
    )


def _rules() -> tuple[Rule, ...]:
    data: Mapping[str, Regime] = {n: getattr(table(), n) for n in ("appi", "gdpr", "ca")}
    checks = {"appi": appi_notice, "gdpr": gdpr_notice, "ca": ca_notice}
    found = [
        Rule(f"{n}-notice-items", "error", _explain(n), data[n].source, checks[n], n)
        for n in checks
    ]
    found.append(
        Rule(
            "ca-headings-form",
            "error",
            "The headings the statute names come in its order ("
            + ", ".join(f'"{h}"' for h in HEADINGS)
            + "), each with a body that is not empty or a placeholder ("
            + ", ".join(placeholders())
            + "; publisher/model/placeholders.yaml).",
            "California Civil Code §1798.82(d)(1)(A)",
            ca_headings,
            "ca",
        )
    )
    return tuple(found)


RULES = _rules()
