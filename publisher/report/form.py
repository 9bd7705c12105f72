"""A report as the fields of a regulator's form, in the form's order (pure).

Each field has the form's label, the provision or form part that asks for it, a status
(stated, unknown as of DATE, not yet known as of DATE, not in the record, from the record) and
the value to paste. The regimes (appi.py, gdpr.py, ca.py) say which fields; this module holds
what they share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from publisher.errors import ContentError, Problem
from publisher.report.items import Item, resolve_item
from publisher.report.snapshot import KnownFact, Snapshot

FROM_RECORD = "from the record"
NOT_IN_RECORD = "not in the record"


@dataclass(frozen=True)
class Source:
    """Where a form's fields come from: the regulator's page or the provision."""

    title: str
    url: str


@dataclass(frozen=True)
class Field:
    """One field of the form, with the value to paste."""

    key: str
    label: str
    basis: str
    status: str
    value: str
    sources: tuple[str, ...] = ()
    """Where in the record the value comes from (disclosure pointers, fields of the record)."""
    parts: tuple[Mapping[str, Any], ...] = ()
    """The value as data, one entry per pointer."""


@dataclass(frozen=True)
class Attachment:
    """A file that goes with the report (California: the sample copy of the notice)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Report:
    """A report to one regulator, from one incident as known on `as_of`."""

    regime: str
    stage: str
    """preliminary or final; empty where the regime has no stages (California)."""
    title: str
    lang: str
    """The language of the form's labels (ja for the PPC's form, en otherwise)."""
    incident: str
    organization: str
    as_of: date
    form: Source
    fields: tuple[Field, ...]
    facts: tuple[KnownFact, ...]
    left_to_fill: tuple[str, ...]
    """What the form asks that the record cannot say: to be filled in on the form."""
    cited: tuple[Source, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Regime-specific data for the JSON (the clock, the reports recorded)."""

    @classmethod
    def of(
        cls,
        snapshot: Snapshot,
        *,
        regime: str,
        stage: str,
        title: str,
        lang: str,
        form: Source,
        fields: tuple[Field, ...],
        left_to_fill: tuple[str, ...],
        cited: tuple[Source, ...],
        extra: Mapping[str, Any],
    ) -> Report:
        """The report on `snapshot`'s incident as known then; the rest is the regime's own."""
        return cls(
            regime, stage, title, lang, snapshot.id, snapshot.organization, snapshot.as_of,
            form, fields, tuple(snapshot.facts.values()), left_to_fill, cited, extra,
        )  # fmt: skip

    def field(self, key: str) -> Field:
        """The field `key`; KeyError if the report has none."""
        for found in self.fields:
            if found.key == key:
                return found
        raise KeyError(key)


class FieldReader:
    """Makes fields from one snapshot, gathering the problems its pointers have."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.problems: list[Problem] = []

    def item(self, key: str) -> Item:
        """The disclosure item `key` as of the snapshot's date."""
        item, problems = resolve_item(self.snapshot, key)
        self.problems.extend(p for p in problems if p not in self.problems)
        return item

    def disclosed(self, key: str, label: str, basis: str) -> Field:
        """A field whose value is the disclosure item `key`."""
        item = self.item(key)
        return item_field(item, label, basis, self.snapshot)

    def done(self) -> None:
        """Raise ContentError if any pointer pointed at nothing."""
        if self.problems:
            raise ContentError(self.problems)


def item_field(item: Item, label: str, basis: str, snapshot: Snapshot) -> Field:
    """`item` as a field of the form."""
    return Field(
        key=item.key,
        label=label,
        basis=basis,
        status=item.status,
        value=item.value(snapshot.words),
        sources=tuple(p.pointer for p in item.parts) or (f"disclosure.{item.key}",),
        parts=tuple(p.data for p in item.parts),
    )


def fixed(key: str, label: str, basis: str, value: str, source: str) -> Field:
    """A field the record gives directly (a name, a date): empty is "not in the record"."""
    status = FROM_RECORD if value else NOT_IN_RECORD
    return Field(key, label, basis, status, value, (source,))


def occurred(snapshot: Snapshot) -> date | None:
    """The date of the earliest event of the timeline known by the snapshot's date."""
    return min((e.day for e in snapshot.events), default=None)


def iso(day: date | None) -> str:
    """`day` as YYYY-MM-DD, or empty."""
    return day.isoformat() if day else ""
