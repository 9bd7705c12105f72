"""The typed shape of the content: site, incident record and release files.

Models are strict and closed: unknown keys, wrong types and YAML's silent conversions (an
unquoted `no` read as false, `1.10` read as 1.1) are refused, never coerced. msgspec checks the
shapes; each constrained type carries, as `Explain`, what to tell a writer whose value fails it
(publisher.model.validate says it, with the place).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType, field

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_ZONE = re.compile(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+){0,3}")
EXPECTED_TEXT = "expected text"
"""What a decoder of a text type says of a value that is not text (validate says what it got)."""
_CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"


@dataclass(frozen=True)
class Explain:
    """What to tell a writer whose value does not fit the annotated type."""

    says: Callable[[Any], str]


def _date_problem(value: object) -> str:
    if isinstance(value, datetime):
        return "expected a date like 2020-07-29, got a date and time"
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            return f"impossible date {value!r}: {exc}"
    return "expected a date like 2020-07-29"


def _line_problem(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return "must be one line of text (no line breaks or control characters)"
    return "must not be empty"


class TimeZoneName(str):
    """An IANA time zone name this machine knows (Asia/Tokyo); checked by `convert`."""


class ZonedDateTime(datetime):
    """A date and time with its zone, in any ISO 8601 form (seconds optional)."""


def _time_zone_name(value: object) -> TimeZoneName:
    if not isinstance(value, str):
        raise TypeError(EXPECTED_TEXT)
    try:
        if not _ZONE.fullmatch(value):
            raise ValueError(value)
        ZoneInfo(value)
    except (LookupError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; expected a name like Asia/Tokyo") from None
    return TimeZoneName(value)


def _zoned_date_time(value: object) -> ZonedDateTime:
    if isinstance(value, datetime):
        value = value.isoformat()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            moment = ZonedDateTime.fromisoformat(value)
            if moment.tzinfo is not None:
                return moment
    raise ValueError("expected a date and time with its zone, like 2020-11-14T10:00:00+09:00")


_DECODERS: dict[type, Callable[[object], object]] = {
    TimeZoneName: _time_zone_name,
    ZonedDateTime: _zoned_date_time,
}


def _decode(kind: type, value: object) -> object:
    """msgspec's hook for the types it does not know itself."""
    return _DECODERS[kind](value)


S = TypeVar("S")


def convert(data: object, kind: type[S]) -> S:
    """`data` (as read from YAML) as a `kind`, strictly; raises msgspec.ValidationError."""
    return msgspec.convert(data, kind, strict=True, dec_hook=_decode)


IsoDate = Annotated[date, Explain(_date_problem)]
Text = Annotated[str, Meta(pattern=r"\S"), Explain(lambda v: "must not be empty")]
Line = Annotated[
    str, Meta(pattern=rf"\A[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*\Z"), Explain(_line_problem)
]
"""Text that goes into a mail header (a subject, a sender's name): one line."""
Domain = Annotated[
    str,
    Meta(pattern=r"\A(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z"),
    Explain(lambda v: f"expected a domain name such as example.jp, got {v!r}"),
]
HttpsUrl = Annotated[
    str,
    Meta(pattern=r"\Ahttps://[^\s/]+(/\S*)?\Z"),
    Explain(lambda v: f"expected an https:// URL, got {v!r}"),
]
Email = Annotated[
    str,
    Meta(pattern=r"\A[^@\s]+@[^@\s]+\.[^@\s]+\Z"),
    Explain(lambda v: f"expected an e-mail address, got {v!r}"),
]
Lang = Annotated[str, Meta(pattern=r"\A[a-z]{2}(-[A-Z]{2})?\Z")]
Name = Annotated[str, Meta(pattern=r"\A[a-z0-9][a-z0-9_-]*\Z")]
ReleaseKind = Literal["first_notice", "update", "final_report"]


class Strict(Struct, forbid_unknown_fields=True, frozen=True):
    """Base of every content model: closed, strict, immutable.

    A check a model makes of itself (in `__post_init__`) raises ValueError("<field>: <what is
    wrong>"), so that the problem is reported at that field.
    """


class Organization(Strict, frozen=True, kw_only=True):
    """Who speaks: the name, how it refers to itself, and its official domains."""

    name: Text
    short_name: Text
    self_reference: Text  # the word the organisation uses for itself (弊社, 当社)
    mail_domains: Annotated[list[Domain], Meta(min_length=1)]
    web_domain: Domain


class ContactDesk(Strict, frozen=True, kw_only=True):
    """The desk that closes every release."""

    name: Text
    phone: Text | None = None
    hours: Text | None = None
    email: Email | None = None


# --- notifications (publisher/notify): who sends notice mails, and what a release tells whom ---
class Sender(Strict, frozen=True, kw_only=True):
    """The sender of notice mails: an address (and reply-to) on an official mail domain."""

    email: Email
    name: Line
    reply_to: Email | None = None


class Notify(Strict, frozen=True, kw_only=True):
    """A release's notice mail: the segments told, the subject and the mail templates."""

    segments: list[Name] = []  # contact segments told; empty: everyone in the list
    subject: Line
    template: Name = "notice"  # templates/mail/<template>.<lang>.txt and .html (or without <lang>)
    message: Text | None = None  # plain-text paragraphs of the mail


# --- end of notifications ---


class Site(Strict, frozen=True, kw_only=True):
    """content/site.yaml: the organisation and the site as a whole."""

    organization: Organization
    base_url: HttpsUrl
    language: Lang = "ja"
    timezone: TimeZoneName = TimeZoneName("Asia/Tokyo")
    contact: ContactDesk
    notify_from: Sender | None = None
    regimes: list[Literal["appi", "gdpr", "ca"]] = []


class FactValue(Strict, frozen=True, kw_only=True):
    """What was known of a fact from a date on; `note` explains a change from the earlier value."""

    as_of: IsoDate
    # `str`, not Text: msgspec 0.22 crashes on a pattern-constrained str in a union with a list
    # or a mapping (msgspec issue 717; tests/test_validate_sweep.py guards every union); the
    # blank check is in __post_init__.
    value: int | str | list[Text]
    note: Text | None = None

    def __post_init__(self) -> None:
        if isinstance(self.value, str) and not self.value.strip():
            raise ValueError("value: must not be empty")


class Fact(Strict, frozen=True, kw_only=True):
    """A fact of the incident whose value is dated, so each release shows it as of its own date."""

    label: Text
    unit: str = ""
    values: Annotated[list[FactValue], Meta(min_length=1)]


class Event(Strict, frozen=True, kw_only=True):
    """One line of the timeline: when it happened, when it became known, and what it was."""

    date: IsoDate
    known: IsoDate | None = None  # when it became known; default: date
    text: Text
    release: IsoDate | None = None  # the release that announced it

    @property
    def known_on(self) -> dt.date:
        """The first date a release may show this event."""
        return self.known or self.date


class Measure(Strict, frozen=True, kw_only=True):
    """A measure taken (or planned) against the incident, dated."""

    date: IsoDate
    text: Text
    status: Literal["taken", "planned"] = "taken"


class AttachmentPattern(Strict, frozen=True, kw_only=True):
    """A way the spoofed mails look, known from a date on."""

    as_of: IsoDate
    text: Text


class Advice(Strict, frozen=True, kw_only=True):
    """What people who receive spoofed mail should look for."""

    attachment_patterns: list[AttachmentPattern] = []


class Reference(Strict, frozen=True, kw_only=True):
    """An external page the releases may point to."""

    id: Annotated[str, Meta(pattern=r"\A[a-z0-9][a-z0-9-]*\Z")]
    title: Text
    url: HttpsUrl
    as_of: IsoDate


# --- regulatory disclosure (publisher/check): where each required item is, or since when not known
Regime = Literal["appi", "gdpr", "ca"]


class Disclosed(Strict, frozen=True, kw_only=True):
    """One item a regulator requires: where it is stated (`present`), or `unknown` as of a date."""

    # pointers: facts.<name>, timeline, measures, references, release:<date>[#heading]
    present: list[Text] | None = None
    unknown: IsoDate | None = None  # the date it was still unknown
    note: Text | None = None


class RegulatorReport(Strict, frozen=True, kw_only=True):
    """A report made to a regulator (APPI: the commission; GDPR: the supervisory authority)."""

    regime: Regime
    stage: Literal["preliminary", "final"] = "final"
    date: IsoDate
    delay_reason: Text | None = None


class Disclosure(Strict, frozen=True, kw_only=True):
    """The items the regulators ask for, each present or unknown, and the reports made."""

    overview: Disclosed | None = None
    data_items: Disclosed | None = None
    people: Disclosed | None = None
    records: Disclosed | None = None
    cause: Disclosed | None = None
    secondary_damage: Disclosed | None = None
    response_to_people: Disclosed | None = None
    publication: Disclosed | None = None
    prevention: Disclosed | None = None
    other: Disclosed | None = None
    contact_point: Disclosed | None = None
    consequences: Disclosed | None = None
    # APPI: may have been done for an unlawful purpose (60-day clock)
    unlawful_purpose: bool | None = None
    reports: list[RegulatorReport] = []


# --- end of regulatory disclosure ---


class Incident(Strict, frozen=True, kw_only=True):
    """content/incidents/<id>/incident.yaml: the one record every release is a view of."""

    title: Text
    discovered: IsoDate
    category: Literal["malware", "unauthorized_access", "misdelivery", "loss", "other"]
    facts: dict[str, Fact] = {}
    timeline: list[Event] = []
    measures: list[Measure] = []
    advice: Advice = field(default_factory=lambda: Advice())
    references: list[Reference] = []
    disclosure: Disclosure | None = None


class Section(Strict, frozen=True, kw_only=True):
    """A numbered section of a release: Markdown prose, or a part generated from the record."""

    heading: Text
    body: Text | None = None
    timeline: bool = False  # generate this section from the timeline


class ContactChange(Strict, frozen=True, kw_only=True):
    """A release's change to the contact desk (a channel paused, a note)."""

    email: Email | UnsetType | None = UNSET  # null: the mail channel is paused
    note: Text | None = None


class Release(Strict, frozen=True, kw_only=True):
    """content/incidents/<id>/releases/<date>.yaml: one dated release of the incident."""

    date: IsoDate
    kind: ReleaseKind
    title: Text
    lang: Lang | None = None
    summary: Text
    greeting: Text | None = None
    intro: Text | None = None
    sections: list[Section] = []
    closing: Text | None = None
    contact: ContactChange | None = None
    publish_at: ZonedDateTime | None = None  # when the release goes public; default: its date
    draft: bool = False  # built only with --drafts, for preview
    notify: Notify | None = None


def is_slug(name: str) -> bool:
    """Whether `name` can be an incident id (lower-case letters, digits, hyphens)."""
    return _SLUG.fullmatch(name) is not None
