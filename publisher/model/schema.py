"""The typed shape of the content: site, incident record and release files.

Models are strict and closed: unknown keys, wrong types and YAML's silent conversions (an
unquoted `no` read as false, `1.10` read as 1.1) are refused, never coerced. msgspec checks the
shapes; each constrained type carries, as `Explain`, what to tell a writer whose value fails it
(publisher.model.validate says it, with the place). Each field's `Meta(description=...)` says
what it is for: publisher.model.reference makes docs/reference.md and the JSON Schemas from them.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar, cast
from zoneinfo import ZoneInfo

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType, field

from publisher.messages import N_, _

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
        return _("expected a date like 2020-07-29, got a date and time")
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            return _("impossible date {value}: {reason}").format(value=repr(value), reason=exc)
    return _("expected a date like 2020-07-29")


def _line_problem(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return _("must be one line of text (no line breaks or control characters)")
    return _("must not be empty")


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
        said = _("unknown time zone {zone}; expected a name like Asia/Tokyo")
        raise ValueError(said.format(zone=repr(value))) from None
    return TimeZoneName(value)


def _zoned_date_time(value: object) -> ZonedDateTime:
    if isinstance(value, datetime):
        value = value.isoformat()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            moment = ZonedDateTime.fromisoformat(value)
            if moment.tzinfo is not None:
                return moment
    raise ValueError(_("expected a date and time with its zone, like 2020-11-14T10:00:00+09:00"))


_DECODERS: dict[type, Callable[[object], object]] = {
    TimeZoneName: _time_zone_name,
    ZonedDateTime: _zoned_date_time,
}


def decode_hook(kind: type, value: object) -> object:
    """msgspec's hook for the types it does not know itself."""
    return _DECODERS[kind](value)


_CLOCK = r"\d{1,2}(:?\d{2}(:?\d{2}([.,]\d+)?)?)?"
_ZONED = rf"\A\d{{4}}(-\d{{1,2}}-\d{{1,2}}|\d{{4}})([Tt]|[ \t]+){_CLOCK}[ \t]*(Z|[+-]{_CLOCK})\Z"
"""What _zoned_date_time accepts, as a YAML language server sees it (text): an ISO 8601 calendar
date and time, extended or basic, seconds optional, with a zone; and as PyYAML reads them too,
one-digit months, days, hours and zones, and blanks before the zone."""
_JSON_SCHEMAS: dict[type, dict[str, Any]] = {
    TimeZoneName: {
        "type": "string",
        "pattern": rf"\A{_ZONE.pattern}\Z",
        "examples": ["Asia/Tokyo", "Europe/Berlin", "UTC"],
    },
    ZonedDateTime: {
        "type": "string",
        "pattern": _ZONED,
        "examples": ["2020-11-14T10:00+09:00", "2020-11-14T10:00:00Z"],
    },
}


def json_schema_of(kind: type) -> dict[str, Any]:
    """msgspec's schema_hook: the JSON Schema of the types it does not know itself."""
    if kind not in _JSON_SCHEMAS:
        raise NotImplementedError(kind)
    return copy.deepcopy(_JSON_SCHEMAS[kind])


S = TypeVar("S")


def convert(data: object, kind: type[S]) -> S:
    """`data` (as read from YAML) as a `kind`, strictly; raises msgspec.ValidationError."""
    return msgspec.convert(data, kind, strict=True, dec_hook=decode_hook)


IsoDate = Annotated[date, Explain(_date_problem)]
Text = Annotated[str, Meta(pattern=r"\S"), Explain(lambda v: "must not be empty")]
Line = Annotated[
    str, Meta(pattern=rf"\A[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*\Z"), Explain(_line_problem)
]
"""Text that goes into a mail header (a subject, a sender's name): one line."""
Domain = Annotated[
    str,
    Meta(pattern=r"\A(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z"),
    Explain(
        lambda v: _("expected a domain name such as example.jp, got {got}").format(got=repr(v))
    ),
]
HttpsUrl = Annotated[
    str,
    Meta(pattern=r"\Ahttps://[^\s/]+(/\S*)?\Z"),
    Explain(lambda v: _("expected an https:// URL, got {got}").format(got=repr(v))),
]
Email = Annotated[
    str,
    Meta(pattern=r"\A[^@\s]+@[^@\s]+\.[^@\s]+\Z"),
    Explain(lambda v: _("expected an e-mail address, got {got}").format(got=repr(v))),
]
Lang = Annotated[str, Meta(pattern=r"\A[a-z]{2}(-[A-Z]{2})?\Z")]
Slug = Annotated[str, Meta(pattern=r"\A[a-z0-9][a-z0-9-]*\Z")]
"""An id of lower-case letters, digits and hyphens (a reference's)."""
Name = Annotated[str, Meta(pattern=r"\A[a-z0-9][a-z0-9_-]*\Z")]
ReleaseKind = Literal["first_notice", "update", "final_report"]


class Strict(Struct, forbid_unknown_fields=True, frozen=True):
    """Base of every content model: closed, strict, immutable.

    A check a model makes of itself (in `__post_init__`) raises ValueError("<field>: <what is
    wrong>"), so that the problem is reported at that field.
    """


class OrganizationWords(Strict, frozen=True, kw_only=True):
    """The organisation's names in another language, for its translated releases and mails."""

    name: Annotated[Text, Meta(description="Its full name in this language.")]
    short_name: Annotated[Text, Meta(description="Its short name in this language.")]
    self_reference: Annotated[
        Text, Meta(description="The word it uses for itself in this language (we).")
    ]


class Organization(Strict, frozen=True, kw_only=True):
    """Who speaks: the name, how it refers to itself, and its official domains."""

    name: Annotated[
        Text, Meta(description="The organisation's full name, as it signs releases and mails.")
    ]
    short_name: Annotated[
        Text, Meta(description="A short form of the name, for templates (`org.short_name`).")
    ]
    self_reference: Annotated[
        Text,
        Meta(
            description="The word the organisation uses for itself in its text (we; in Japanese "
            "弊社, 当社)."
        ),
    ]
    mail_domains: Annotated[
        list[Domain],
        Meta(
            min_length=1,
            description="Every domain genuine mail comes from; senders and contact addresses "
            "must be on one, and pages tell readers to trust only these.",
        ),
    ]
    web_domain: Annotated[
        Domain,
        Meta(
            description="The official web site's domain: `base_url` must be on it, and mails "
            "may link only to it."
        ),
    ]
    translations: Annotated[
        dict[Lang, OrganizationWords],
        Meta(description="Its names in other languages (`en: {name: ..., ...}`)."),
    ] = {}


class ContactDesk(Strict, frozen=True, kw_only=True):
    """The desk that closes every release."""

    name: Annotated[Text, Meta(description="The desk's name, printed at the end of every release.")]
    phone: Annotated[
        Text | None, Meta(description="Its telephone number, as printed; leave out if none.")
    ] = None
    hours: Annotated[
        Text | None,
        Meta(description="When the desk answers, as printed (Mon–Fri 9:00–17:00; 平日 9時〜17時)."),
    ] = None
    email: Annotated[
        Email | None,
        Meta(description="Its e-mail address, on one of the official mail domains."),
    ] = None
    form: Annotated[
        HttpsUrl | None,
        Meta(
            description="The address of its web form for inquiries: https, on "
            "`organization.web_domain`."
        ),
    ] = None
    address: Annotated[
        Text | None,
        Meta(description="Its postal address, as printed (line breaks are kept)."),
    ] = None


# --- notifications (publisher/notify): who sends notice mails, and what a release tells whom ---
class Sender(Strict, frozen=True, kw_only=True):
    """The sender of notice mails: an address (and reply-to) on an official mail domain."""

    email: Annotated[
        Email, Meta(description="The From address of notice mails, on an official mail domain.")
    ]
    name: Annotated[
        Line, Meta(description="The sender's name the reader's mail program shows (one line).")
    ]
    reply_to: Annotated[
        Email | None,
        Meta(description="Where replies go, on an official mail domain; default: `email`."),
    ] = None
    translations: Annotated[
        dict[Lang, Line],
        Meta(description="Its `name` in other languages (`en: ...`), for translated mails."),
    ] = {}


class Notify(Strict, frozen=True, kw_only=True):
    """A release's notice mail: the segments told, the subject and the mail templates."""

    segments: Annotated[
        list[Name],
        Meta(
            description="The contact list's segments to tell (its `segment` column); empty: "
            "everyone in the list."
        ),
    ] = []
    subject: Annotated[Line, Meta(description="The mail's subject (one line).")]
    template: Annotated[
        Name,
        Meta(
            description="The mail template: `templates/mail/<template>.<lang>.txt` and `.html` "
            "(or without `<lang>`), else the default theme's."
        ),
    ] = "notice"
    message: Annotated[
        Text | None,
        Meta(
            description="What the mail says before its links to the release: plain-text paragraphs."
        ),
    ] = None
    states: Annotated[
        list[Text],
        Meta(
            description="The items of the record's `disclosure:` block that `message` states "
            "(overview, data_items, cause, ...): the notice-content checks read a mail as "
            "stating these and no others."
        ),
    ] = []


FactPointer = Annotated[
    str,
    Meta(pattern=r"\Afacts\.[^.\s]+\Z"),
    Explain(lambda v: _("expected facts.<name>, got {got}").format(got=repr(v))),
]


class SubstituteNotice(Strict, frozen=True, kw_only=True):
    """A section of the page and PDF for those its notice mail could not reach, with a count."""

    count: Annotated[
        FactPointer,
        Meta(
            description="The fact that counts them (`facts.<name>`, a whole number), shown as "
            "known on the release's date; `publisher report` compares it with the ledger's "
            "bounced, dropped and not reachable."
        ),
    ]


# --- end of notifications ---


class Layout(Strict, frozen=True, kw_only=True):
    """How a release's body is laid out: the formal frame and numbered headings."""

    formal: Annotated[
        bool | None,
        Meta(
            description="The formal frame of a Japanese release: 記 before the sections, 以上 "
            "after them (where the language's strings have them); default: true."
        ),
    ] = None
    numbered: Annotated[
        bool | None,
        Meta(description="Number the section headings (1., 2., ...); default: true."),
    ] = None


class Site(Strict, frozen=True, kw_only=True):
    """content/site.yaml: the organisation and the site as a whole."""

    organization: Annotated[
        Organization, Meta(description="Who publishes: its names and official domains.")
    ]
    base_url: Annotated[
        HttpsUrl,
        Meta(
            description="The public address of the site, on `organization.web_domain`; pages, "
            "feeds and mails link from it."
        ),
    ]
    language: Annotated[
        Lang, Meta(description="The language of releases that set no `lang` (ja, en).")
    ] = "ja"
    timezone: Annotated[
        TimeZoneName,
        Meta(
            description="The time zone of release dates: a release without `publish_at` is "
            "public from the start of its date here."
        ),
    ] = cast(TimeZoneName, "Asia/Tokyo")  # a str: msgspec's JSON Schema cannot encode a subclass
    contact: Annotated[
        ContactDesk, Meta(description="The desk every release ends with, for questions.")
    ]
    notify_from: Annotated[
        Sender | None,
        Meta(description="The sender of notice mails; needed by `publisher notify send`."),
    ] = None
    layout: Annotated[
        Layout,
        Meta(description="The layout of every release's body; a release's `layout` wins."),
    ] = field(default_factory=lambda: Layout())
    regimes: Annotated[
        list[Literal["appi", "gdpr", "ca"]],
        Meta(
            description="The laws whose completeness rules `publisher check` applies (`--regime` "
            "adds more)."
        ),
    ] = []


class DateRange(Strict, frozen=True, kw_only=True, rename={"start": "from", "end": "to"}):
    """Days a fact may span (an intrusion window): `{from: 2026-03-01, to: 2026-03-08}`."""

    start: Annotated[IsoDate, Meta(description="Its first day (`from`).")]
    end: Annotated[IsoDate, Meta(description="Its last day (`to`), not before `from`.")]

    def __post_init__(self) -> None:
        if self.end < self.start:
            said = _("to: {end} is before from: {start}")
            raise ValueError(said.format(end=self.end, start=self.start))


_FACT_KINDS = N_(
    "expected a number (11), a text, a list of texts, a date (2026-03-01) or a range "
    "{{from: 2026-03-01, to: 2026-03-08}}"
)
"""What a fact's value may be (braces doubled: it is formatted, as every message is)."""
_FACT_SCHEMA = {
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "pattern": r"\S"},
        {"type": "array", "items": {"type": "string", "pattern": r"\S"}},
        {"type": "string", "format": "date"},
        {
            "type": "object",
            "properties": {
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
            },
            "required": ["from", "to"],
            "additionalProperties": False,
        },
    ]
}


def _yaml_read(value: object) -> str:
    """What YAML made of an unquoted value that is not text, in words."""
    if isinstance(value, bool):
        said = _("{value} (YAML reads yes, no, on and off so; put it in quotes)")
        return said.format(value=str(value).lower())
    if isinstance(value, datetime):
        return _("a date and time")
    if isinstance(value, int | float):
        return _("the number {value} (put it in quotes for text)").format(value=value)
    if isinstance(value, dict):
        return _("a mapping")
    return _("a list") if isinstance(value, list) else repr(value)


def fact_datum(value: object) -> int | str | list[str] | date | DateRange:
    """A fact's value as written, checked: a number, a text, a list of texts, a date or a
    DateRange (from a mapping); raises ValueError saying what is wrong."""
    if isinstance(value, bool | float | datetime):
        kinds = _(_FACT_KINDS).format()
        raise ValueError(_("{kinds}, got {got}").format(kinds=kinds, got=_yaml_read(value)))
    if isinstance(value, int | date | DateRange):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(_("must not be empty"))
        return value
    if isinstance(value, list):
        for number, item in enumerate(value, 1):
            if not isinstance(item, str):
                said = _("item {number} of the list: expected text, got {got}")
                raise ValueError(said.format(number=number, got=_yaml_read(item)))
            if not item.strip():
                said = _("item {number} of the list: must not be empty")
                raise ValueError(said.format(number=number))
        return list(value)
    if isinstance(value, dict):
        try:
            return convert(value, DateRange)
        except msgspec.ValidationError as exc:
            said = str(exc).split(" - at `", 1)[0]
            a_range = _("a range {{from: 2026-03-01, to: 2026-03-08}}: {problem}")
            raise ValueError(a_range.format(problem=said)) from None
    raise ValueError(_(_FACT_KINDS).format())


class FactValue(Strict, frozen=True, kw_only=True):
    """What was known of a fact from a date on; `note` explains a change from the earlier value."""

    as_of: Annotated[
        IsoDate,
        Meta(description="The date from which this was known; releases before it cannot show it."),
    ]
    # Any, checked by fact_datum in __post_init__, not a union: msgspec allows one text-like type
    # (text or a date) in a union, and crashes on a pattern-constrained text in a union with a
    # list or a mapping (msgspec issue 717; tests/test_validate_sweep.py guards every union).
    value: Annotated[
        Any,
        Meta(
            description="What was known: a number (11), a text (Emotet), a list of texts, a date "
            "(2026-03-01) or a range of dates ({from: 2026-03-01, to: 2026-03-08}).",
            extra_json_schema=_FACT_SCHEMA,
        ),
    ]
    note: Annotated[
        Text | None,
        Meta(description="Why the value changed from the one before; shown with the new value."),
    ] = None
    translations: Annotated[
        dict[Lang, Text],
        Meta(description="Its `note` in other languages (`en: ...`), for translated releases."),
    ] = {}

    def __post_init__(self) -> None:
        try:
            msgspec.structs.force_setattr(self, "value", fact_datum(self.value))
        except ValueError as exc:
            raise ValueError(f"value: {exc}") from None


class FactWords(Strict, frozen=True, kw_only=True):
    """A fact's label and unit in another language."""

    label: Annotated[Text, Meta(description="What the fact is, in this language.")]
    unit: Annotated[
        str | None,
        Meta(description='Its unit in this language (" PCs"); default: the original\'s `unit`.'),
    ] = None


class Fact(Strict, frozen=True, kw_only=True):
    """A fact of the incident whose value is dated, so each release shows it as of its own date."""

    label: Annotated[
        Text, Meta(description="What the fact is, in words (Infected PCs; 感染を確認した端末).")
    ]
    unit: Annotated[
        str, Meta(description='The unit written after the value (" people"; 台, 名).')
    ] = ""
    values: Annotated[
        list[FactValue],
        Meta(min_length=1, description="Its values, each from its own date on."),
    ]
    translations: Annotated[
        dict[Lang, FactWords],
        Meta(description="Its label and unit in other languages (`en: {label: ..., unit: ...}`)."),
    ] = {}


class Event(Strict, frozen=True, kw_only=True):
    """One line of the timeline: when it happened, when it became known, and what it was."""

    date: Annotated[IsoDate, Meta(description="When it happened.")]
    known: Annotated[
        IsoDate | None,
        Meta(
            description="When it became known, if later: only releases from then on show it; "
            "default: `date`."
        ),
    ] = None
    text: Annotated[
        Text,
        Meta(description="What happened (Markdown; facts are as of the day it became known)."),
    ]
    release: Annotated[
        IsoDate | None, Meta(description="The date of the release that announced it, if any.")
    ] = None
    translations: Annotated[
        dict[Lang, Text],
        Meta(description="Its text in other languages (`en: ...`), for translated releases."),
    ] = {}

    @property
    def known_on(self) -> dt.date:
        """The first date a release may show this event."""
        return self.known or self.date


class Measure(Strict, frozen=True, kw_only=True):
    """A measure taken (or planned) against the incident, dated."""

    date: Annotated[
        IsoDate,
        Meta(description="When it was taken or decided; releases from that date on list it."),
    ]
    text: Annotated[Text, Meta(description="What the measure is.")]
    translations: Annotated[
        dict[Lang, Text],
        Meta(description="Its text in other languages (`en: ...`), for translated releases."),
    ] = {}
    status: Annotated[
        Literal["taken", "planned"],
        Meta(
            description="Done, or still to come (templates: `measures.taken`, `measures.planned`)."
        ),
    ] = "taken"


class AttachmentPattern(Strict, frozen=True, kw_only=True):
    """A way the spoofed mails look, known from a date on."""

    as_of: Annotated[
        IsoDate, Meta(description="When this pattern became known; releases from then show it.")
    ]
    text: Annotated[Text, Meta(description="How the spoofed mail looks (its attachment, lure).")]
    translations: Annotated[
        dict[Lang, Text],
        Meta(description="Its text in other languages (`en: ...`), for translated releases."),
    ] = {}


class Advice(Strict, frozen=True, kw_only=True):
    """What people who receive spoofed mail should look for."""

    attachment_patterns: Annotated[
        list[AttachmentPattern],
        Meta(description="The ways the spoofed mails look, each from the date it became known."),
    ] = []


class Reference(Strict, frozen=True, kw_only=True):
    """An external page the releases may point to."""

    id: Annotated[Slug, Meta(description='The name prose uses for it: `references["id"]`.')]
    title: Annotated[Text, Meta(description="The page's title, as shown.")]
    url: Annotated[HttpsUrl, Meta(description="Its address; pages may link to it.")]
    as_of: Annotated[
        IsoDate, Meta(description="When it appeared; releases before this date cannot show it.")
    ]
    translations: Annotated[
        dict[Lang, Text],
        Meta(description="Its `title` in other languages (`en: ...`), for translated releases."),
    ] = {}


# --- regulatory disclosure (publisher/check): where each required item is, or since when not known
Regime = Literal["appi", "gdpr", "ca"]


class Disclosed(Strict, frozen=True, kw_only=True):
    """One item a regulator requires: where it is stated (`present`), or `unknown` as of a date."""

    present: Annotated[
        list[Text] | None,
        Meta(
            description="Where the record states it: `facts.<name>`, `timeline`, `measures`, "
            "`references` or `release:<date>[#heading]`."
        ),
    ] = None
    unknown: Annotated[
        IsoDate | None,
        Meta(description="Instead of `present`: the date on which it was still not known."),
    ] = None
    note: Annotated[
        Text | None,
        Meta(description="Why it is not known, or what else the regulator should know."),
    ] = None


class RegulatorReport(Strict, frozen=True, kw_only=True):
    """A report made to a regulator (APPI: the commission; GDPR: the supervisory authority)."""

    regime: Annotated[Regime, Meta(description="The law it was made under.")]
    stage: Annotated[
        Literal["preliminary", "final", "combined"],
        Meta(
            description="`preliminary` (APPI 速報), `final` (確報; GDPR's notification; "
            "California's sample copy to the Attorney General) or `combined` (APPI: one report "
            "that is both 速報 and 確報)."
        ),
    ] = "final"
    date: Annotated[IsoDate, Meta(description="The date it was made.")]
    at: Annotated[
        ZonedDateTime | None,
        Meta(
            description="When it was made, with its zone, on `date` (GDPR counts hours); "
            "default: by the end of `date`."
        ),
    ] = None
    delay_reason: Annotated[
        Text | None,
        Meta(
            description="GDPR: the reasons it was made later than 72 hours after becoming "
            "aware (Art. 33(1)): real reasons, not a placeholder such as TBD or 未定."
        ),
    ] = None


class Reportability(Strict, frozen=True, kw_only=True):
    """Whether a report is due under one law: on which grounds, or why not (give one)."""

    grounds: Annotated[
        list[Text],
        Meta(
            description="What makes it reportable; APPI: the cases of 施行規則第7条 "
            "(第7条第1号 to 第7条第4号)."
        ),
    ] = []
    not_reportable: Annotated[
        Text | None,
        Meta(description="Instead of `grounds`: why no report is due (the deadlines say so)."),
    ] = None


class Reportable(Strict, frozen=True, kw_only=True):
    """Whether each law asks for a report of this incident, and why."""

    appi: Annotated[
        Reportability | None, Meta(description="To the commission (施行規則第7条).")
    ] = None
    gdpr: Annotated[
        Reportability | None,
        Meta(
            description="To the supervisory authority (Art. 33(1): unless unlikely to be a risk)."
        ),
    ] = None
    ca: Annotated[
        Reportability | None,
        Meta(description="To California residents and the Attorney General (Civ. Code §1798.82)."),
    ] = None


class Disclosure(Strict, frozen=True, kw_only=True):
    """The items the regulators ask for, each present or unknown, and the reports made."""

    overview: Annotated[
        Disclosed | None, Meta(description="What happened (APPI item 1; GDPR: its nature).")
    ] = None
    data_items: Annotated[
        Disclosed | None, Meta(description="Which personal data leaked or may have (APPI item 2).")
    ] = None
    people: Annotated[
        Disclosed | None, Meta(description="How many people are concerned (APPI item 3; GDPR).")
    ] = None
    records: Annotated[
        Disclosed | None, Meta(description="How many personal data records are concerned (GDPR).")
    ] = None
    cause: Annotated[Disclosed | None, Meta(description="The cause (APPI item 4).")] = None
    secondary_damage: Annotated[
        Disclosed | None,
        Meta(description="Whether there is or may be secondary damage, and what (APPI item 5)."),
    ] = None
    response_to_people: Annotated[
        Disclosed | None,
        Meta(description="What has been done for the people concerned (APPI item 6)."),
    ] = None
    publication: Annotated[
        Disclosed | None, Meta(description="Whether and where it was made public (APPI item 7).")
    ] = None
    prevention: Annotated[
        Disclosed | None,
        Meta(description="The measures against a recurrence (APPI item 8; GDPR: the measures)."),
    ] = None
    other: Annotated[Disclosed | None, Meta(description="Anything else of use (APPI item 9).")] = (
        None
    )
    contact_point: Annotated[
        Disclosed | None, Meta(description="Where more information can be had (GDPR).")
    ] = None
    consequences: Annotated[
        Disclosed | None, Meta(description="The likely consequences of the breach (GDPR).")
    ] = None
    breach_dates: Annotated[
        Disclosed | None,
        Meta(description="California: the date, estimated date or date range of the breach."),
    ] = None
    law_enforcement_delay: Annotated[
        Disclosed | None,
        Meta(description="California: whether a law enforcement investigation delayed the notice."),
    ] = None
    credit_bureaus: Annotated[
        Disclosed | None,
        Meta(
            description="California: the major credit reporting agencies' toll-free numbers and "
            "addresses (due when the data categories call for them)."
        ),
    ] = None
    identity_theft_offer: Annotated[
        Disclosed | None,
        Meta(
            description="California: the offer of identity theft prevention services, free, "
            "for at least 12 months (due when the data categories call for it)."
        ),
    ] = None
    data_categories: Annotated[
        list[Slug],
        Meta(
            description="The kinds of personal data involved (ssn, drivers-license, ...: the "
            "names of publisher/check/notice_items.yaml); which notice items they call for is "
            "declared there."
        ),
    ] = []
    unlawful_purpose: Annotated[
        bool | None,
        Meta(
            description="APPI: it may have been done for an unlawful purpose (final report in 60 "
            "days, not 30); default: true for malware and unauthorized_access."
        ),
    ] = None
    residents: Annotated[
        Disclosed | None,
        Meta(
            description="California: how many residents are concerned, `present: "
            "[facts.<name>]` (more than 500: a sample copy of the notice to the Attorney "
            "General)."
        ),
    ] = None
    aware_at: Annotated[
        ZonedDateTime | None,
        Meta(
            description="GDPR: when the organisation became aware of the breach, with its "
            "zone (72 hours run from it); default: the start of `discovered` in the site's zone."
        ),
    ] = None
    reportable: Annotated[
        Reportable | None,
        Meta(description="Whether each law asks for a report, on which grounds or why not."),
    ] = None
    reports: Annotated[
        list[RegulatorReport],
        Meta(description="The reports made to regulators; `publisher deadlines` reads them."),
    ] = []


# --- end of regulatory disclosure ---


class Incident(Strict, frozen=True, kw_only=True):
    """content/incidents/<id>/incident.yaml: the one record every release is a view of."""

    title: Annotated[Text, Meta(description="The incident's title, heading its own page.")]
    discovered: Annotated[
        IsoDate,
        Meta(
            description="When it was discovered: no release comes before it; legal clocks run "
            "from it."
        ),
    ]
    category: Annotated[
        Literal["malware", "unauthorized_access", "misdelivery", "loss", "other"],
        Meta(description="What kind of incident it is."),
    ]
    facts: Annotated[
        dict[str, Fact],
        Meta(
            description="Every number or name a release states, under a name of your choice "
            "(`{{ facts.NAME }}`), with dated values."
        ),
    ] = {}
    timeline: Annotated[
        list[Event],
        Meta(description="What happened, and when it became known; `timeline: true` lists it."),
    ] = []
    measures: Annotated[
        list[Measure], Meta(description="The measures taken or planned against it, dated.")
    ] = []
    advice: Annotated[
        Advice, Meta(description="What people who receive spoofed mail should look for.")
    ] = field(default_factory=lambda: Advice())
    references: Annotated[
        list[Reference], Meta(description="External pages the releases may link to.")
    ] = []
    disclosure: Annotated[
        Disclosure | None,
        Meta(description="Where the record states each item regulators ask for; reports made."),
    ] = None


class Section(Strict, frozen=True, kw_only=True):
    """A numbered section of a release: Markdown prose, or a part generated from the record."""

    heading: Annotated[
        Text, Meta(description="The section's heading (numbered; in Japanese after 記).")
    ]
    body: Annotated[
        Text | None, Meta(description="Its text (Markdown, with `{{ facts.NAME }}` and the like).")
    ] = None
    timeline: Annotated[
        bool,
        Meta(description="Generate it from the incident's timeline as of the release's date."),
    ] = False


class ContactChange(Strict, frozen=True, kw_only=True):
    """A release's change to the contact desk (a channel paused, a note)."""

    email: Annotated[
        Email | UnsetType | None,
        Meta(
            description="The desk's address in this release; null: the mail channel is paused; "
            "leave out to keep the site's."
        ),
    ] = UNSET
    note: Annotated[
        Text | None, Meta(description="A note under the contact desk (why a channel is paused).")
    ] = None


class Release(Strict, frozen=True, kw_only=True):
    """content/incidents/<id>/releases/<date>.yaml: one dated release of the incident."""

    date: Annotated[
        IsoDate,
        Meta(description="Its date, also its file's name; nothing dated later may appear in it."),
    ]
    kind: Annotated[
        ReleaseKind,
        Meta(
            description="Its place in the series: the first notice, an update or the final report."
        ),
    ]
    title: Annotated[Text, Meta(description="The release's title.")]
    lang: Annotated[
        Lang | None,
        Meta(description="Its language, if not the site's `language`; picks the wording."),
    ] = None
    summary: Annotated[
        Text, Meta(description="One or two sentences for listings, feeds and search engines.")
    ]
    greeting: Annotated[
        Text | None, Meta(description="The opening courtesy line, before the intro (Markdown).")
    ] = None
    intro: Annotated[
        Text | None, Meta(description="The opening paragraphs, before 記 (Markdown).")
    ] = None
    sections: Annotated[list[Section], Meta(description="The numbered sections after 記.")] = []
    closing: Annotated[
        Text | None, Meta(description="The closing paragraphs, after the sections (Markdown).")
    ] = None
    contact: Annotated[
        ContactChange | None,
        Meta(description="Changes to the site's contact desk for this release."),
    ] = None
    publish_at: Annotated[
        ZonedDateTime | None,
        Meta(
            description="When it goes public, with its zone; default: the start of its date in "
            "the site's time zone."
        ),
    ] = None
    draft: Annotated[
        bool, Meta(description="Not published; built only with `--drafts`, for a preview.")
    ] = False
    layout: Annotated[
        Layout | None,
        Meta(description="Its body's layout, where it differs from the site's `layout`."),
    ] = None
    notify: Annotated[
        Notify | None, Meta(description="Its notice mail, for `publisher notify send`.")
    ] = None
    substitute_notice: Annotated[
        SubstituteNotice | None,
        Meta(
            description="A section for the people its notice could not reach (bounced, "
            "dropped, no valid address): how many, never who."
        ),
    ] = None


# --- translations: a release in another language, sharing the original's facts and dates ---
Sha256 = Annotated[
    str,
    Meta(pattern=r"\A[0-9a-f]{64}\Z"),
    Explain(
        lambda v: _(
            "expected a SHA-256 in hex (64 digits 0-9a-f, as sha256sum prints), got {got}"
        ).format(got=repr(v))
    ),
]


class TranslatedContact(Strict, frozen=True, kw_only=True):
    """The contact desk's wording in the translation's language (its numbers and addresses stay)."""

    name: Annotated[Text | None, Meta(description="The desk's name in this language.")] = None
    hours: Annotated[Text | None, Meta(description="Its hours, as printed in this language.")] = (
        None
    )
    address: Annotated[
        Text | None, Meta(description="Its postal address, as written in this language.")
    ] = None
    note: Annotated[Text | None, Meta(description="The original's `contact.note`, translated.")] = (
        None
    )


class TranslatedNotify(Strict, frozen=True, kw_only=True):
    """The notice mail's wording in the translation's language; who is told stays the original's."""

    subject: Annotated[Line, Meta(description="The mail's subject (one line).")]
    message: Annotated[
        Text | None, Meta(description="The original's `notify.message`, translated.")
    ] = None


class Translation(Strict, frozen=True, kw_only=True):
    """content/incidents/<id>/releases/<date>.<lang>.yaml: a release's text in another language.

    Its date, kind, schedule, layout and facts are the original's (`<date>.yaml`), so numbers
    cannot diverge; it holds only the words.
    """

    lang: Annotated[
        Lang, Meta(description="Its language, as in the file's name (`2026-03-06.en.yaml`: en).")
    ]
    translated_from: Annotated[
        Sha256 | None,
        Meta(
            description="The SHA-256 of the original release file as it was when translated "
            "(`sha256sum releases/<date>.yaml`); `publisher check` says when the original "
            "changed since."
        ),
    ] = None
    title: Annotated[Text, Meta(description="The release's title.")]
    summary: Annotated[Text, Meta(description="The original's `summary`, translated.")]
    greeting: Annotated[Text | None, Meta(description="The original's `greeting`, translated.")] = (
        None
    )
    intro: Annotated[Text | None, Meta(description="The original's `intro`, translated.")] = None
    sections: Annotated[
        list[Section],
        Meta(
            description="The original's sections, translated: as many, in the same order, each "
            "with the same `timeline`."
        ),
    ] = []
    closing: Annotated[Text | None, Meta(description="The original's `closing`, translated.")] = (
        None
    )
    contact: Annotated[
        TranslatedContact | None, Meta(description="The contact desk's wording in this language.")
    ] = None
    notify: Annotated[
        TranslatedNotify | None,
        Meta(
            description="The notice mail in this language, sent to contacts whose `language` "
            "column is this one."
        ),
    ] = None


# --- end of translations ---


def is_slug(name: str) -> bool:
    """Whether `name` can be an incident id (lower-case letters, digits, hyphens)."""
    return _SLUG.fullmatch(name) is not None
