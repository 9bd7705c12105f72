"""The typed shape of the content: site, incident record and release files.

Models are strict and closed: unknown keys, wrong types and YAML's silent conversions (an
unquoted `no` read as false, `1.10` read as 1.1) are refused, never coerced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _iso_date(value: object) -> object:
    if isinstance(value, datetime):
        raise ValueError("expected a date like 2020-07-29, got a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"impossible date {value!r}: {exc}") from None
    raise ValueError("expected a date like 2020-07-29")


def _domain(value: str) -> str:
    if not _DOMAIN.fullmatch(value):
        raise ValueError(f"expected a domain name such as example.jp, got {value!r}")
    return value


def _https_url(value: str) -> str:
    if not re.fullmatch(r"https://[^\s/]+(/\S*)?", value):
        raise ValueError(f"expected an https:// URL, got {value!r}")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"expected an e-mail address, got {value!r}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _one_line(value: str) -> str:
    if re.search(r"[\x00-\x1f\x7f\u2028\u2029]", value):
        raise ValueError("must be one line of text (no line breaks or control characters)")
    return value


def _aware(value: object) -> object:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    raise ValueError("expected a date and time with its zone, like 2020-11-14T10:00:00+09:00")


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; expected a name like Asia/Tokyo") from None
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
AwareDateTime = Annotated[datetime, BeforeValidator(_aware)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
Text = Annotated[str, AfterValidator(_not_blank)]
Line = Annotated[str, AfterValidator(_not_blank), AfterValidator(_one_line)]
"""Text that goes into a mail header (a subject, a sender's name): one line."""
Domain = Annotated[str, AfterValidator(_domain)]
HttpsUrl = Annotated[str, AfterValidator(_https_url)]
Email = Annotated[str, AfterValidator(_email)]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
ReleaseKind = Literal["first_notice", "update", "final_report"]


class Strict(BaseModel):
    """Base of every content model: closed, strict, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Organization(Strict):
    """Who speaks: the name, how it refers to itself, and its official domains."""

    name: Text
    short_name: Text
    self_reference: Text = Field(
        description="the word the organisation uses for itself (弊社, 当社)"
    )
    mail_domains: list[Domain] = Field(min_length=1)
    web_domain: Domain


class ContactDesk(Strict):
    """The desk that closes every release."""

    name: Text
    phone: Text | None = None
    hours: Text | None = None
    email: Email | None = None


# --- notifications (publisher/notify): who sends notice mails, and what a release tells whom ---
class Sender(Strict):
    """The sender of notice mails: an address (and reply-to) on an official mail domain."""

    email: Email
    name: Line
    reply_to: Email | None = None


class Notify(Strict):
    """A release's notice mail: the segments told, the subject and the mail templates."""

    segments: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]] = Field(
        default=[], description="contact segments told; empty: everyone in the list"
    )
    subject: Line
    template: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")] = Field(
        default="notice", description="templates/mail/<template>.txt and .html"
    )
    message: Text | None = Field(default=None, description="plain-text paragraphs of the mail")


# --- end of notifications ---


class Site(Strict):
    """content/site.yaml: the organisation and the site as a whole."""

    organization: Organization
    base_url: HttpsUrl
    language: Lang = "ja"
    timezone: TimeZone = "Asia/Tokyo"
    contact: ContactDesk
    notify_from: Sender | None = None
    regimes: list[Literal["appi", "gdpr", "ca"]] = []


class FactValue(Strict):
    """What was known of a fact from a date on; `note` explains a change from the earlier value."""

    as_of: IsoDate
    value: int | Text | list[Text]
    note: Text | None = None


class Fact(Strict):
    """A fact of the incident whose value is dated, so each release shows it as of its own date."""

    label: Text
    unit: str = ""
    values: list[FactValue] = Field(min_length=1)


class Event(Strict):
    """One line of the timeline: when it happened, when it became known, and what it was."""

    date: IsoDate
    known: IsoDate | None = Field(default=None, description="when it became known; default: date")
    text: Text
    release: IsoDate | None = Field(default=None, description="the release that announced it")

    @property
    def known_on(self) -> dt.date:
        """The first date a release may show this event."""
        return self.known or self.date


class Measure(Strict):
    """A measure taken (or planned) against the incident, dated."""

    date: IsoDate
    text: Text
    status: Literal["taken", "planned"] = "taken"


class AttachmentPattern(Strict):
    """A way the spoofed mails look, known from a date on."""

    as_of: IsoDate
    text: Text


class Advice(Strict):
    """What people who receive spoofed mail should look for."""

    attachment_patterns: list[AttachmentPattern] = []


class Reference(Strict):
    """An external page the releases may point to."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    url: HttpsUrl
    as_of: IsoDate


# --- regulatory disclosure (publisher/check): where each required item is, or since when not known
Regime = Literal["appi", "gdpr", "ca"]


class Disclosed(Strict):
    """One item a regulator requires: where it is stated (`present`), or `unknown` as of a date."""

    present: list[Text] | None = Field(
        default=None,
        description="pointers: facts.<name>, timeline, measures, references, "
        "release:<date>[#heading]",
    )
    unknown: IsoDate | None = Field(default=None, description="the date it was still unknown")
    note: Text | None = None


class RegulatorReport(Strict):
    """A report made to a regulator (APPI: the commission; GDPR: the supervisory authority)."""

    regime: Regime
    stage: Literal["preliminary", "final"] = "final"
    date: IsoDate
    delay_reason: Text | None = None


class Disclosure(Strict):
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
    unlawful_purpose: bool | None = Field(
        default=None, description="APPI: may have been done for an unlawful purpose (60-day clock)"
    )
    reports: list[RegulatorReport] = []


# --- end of regulatory disclosure ---


class Incident(Strict):
    """content/incidents/<id>/incident.yaml: the one record every release is a view of."""

    title: Text
    discovered: IsoDate
    category: Literal["malware", "unauthorized_access", "misdelivery", "loss", "other"]
    facts: dict[str, Fact] = {}
    timeline: list[Event] = []
    measures: list[Measure] = []
    advice: Advice = Advice()
    references: list[Reference] = []
    disclosure: Disclosure | None = None


class Section(Strict):
    """A numbered section of a release: Markdown prose, or a part generated from the record."""

    heading: Text
    body: Text | None = None
    timeline: bool = Field(default=False, description="generate this section from the timeline")


class ContactChange(Strict):
    """A release's change to the contact desk (a channel paused, a note)."""

    email: Email | None = None
    note: Text | None = None


class Release(Strict):
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
    publish_at: AwareDateTime | None = Field(
        default=None, description="when the release goes public; default: its date"
    )
    draft: bool = Field(default=False, description="built only with --drafts, for preview")
    notify: Notify | None = None


def is_slug(name: str) -> bool:
    """Whether `name` can be an incident id (lower-case letters, digits, hyphens)."""
    return _SLUG.fullmatch(name) is not None
