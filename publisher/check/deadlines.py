"""The legal clocks: every obligation an incident's record starts, when it is due, whether met.

One computation, from the record and a moment passed in (never the clock read here), for the
deadline rules of `publisher check`, the warnings of `publisher build` and `publisher deadlines`.

APPI (個人情報の保護に関する法律施行規則, in force from 2022-04-01; before it a report was a duty
of effort): whether a report is due is 規則第7条 (第1号 要配慮個人情報, 第2号 財産的被害のおそれ,
第3号 不正の目的をもって行われたおそれ, 第4号 1,000人を超える), recorded in
`disclosure.reportable.appi`. The source of both clocks is the commission's guideline,
「個人情報の保護に関する法律についてのガイドライン（通則編）」 (個人情報保護委員会, 平成28年11月,
令和7年6月一部改正; https://www.ppc.go.jp/personalinfo/legal/guidelines_tsusoku/):

- 速報 (3-5-3-3, 規則第8条第1項 速やかに): 「「速やか」の日数の目安については、個別の事案による
  ものの、個人情報取扱事業者が当該事態を知った時点から概ね3～5日以内である」. A guide, not a
  period: the guideline moves nothing for days off here, so neither does this module; 5 calendar
  days after `discovered`, the longest the guide allows.
- 確報 (3-5-3-4, 規則第8条第2項: 30日以内, 60日以内 for a 第7条第3号 case): the moment of
  knowing is day 1 (「確報の報告期限の算定に当たっては、その時点を1日目とする」, so 民法第140条's
  first day left out does not apply: day 30 is `discovered` + 29), and (※2) 「土日・祝日も含める。
  ただし、30日目又は60日目が土日、祝日又は年末年始閉庁日（12月29日～1月3日）の場合は、その翌日を
  報告期限とする（行政機関の休日に関する法律（昭和63年法律第91号）第2条）」: a last day that is a
  day off moves to the day after the days off, the next business day (publisher.check.workdays).

A report of stage `combined` is both 速報 and 確報 (3-5-3-4 ※1: one report serves as both when
everything is known by the time of the 速報).

GDPR (Regulation (EU) 2016/679, applied from 2018-05-25) Art. 33(1): the supervisory authority
within 72 hours of becoming aware (`disclosure.aware_at`, a date-time with its zone), counted in
hours; later only with the reasons for the delay; not at all where the breach is unlikely to
result in a risk (`reportable.gdpr.not_reportable`).

California Civil Code §1798.82 as amended by SB 446 (2025), from 2026-01-01: the residents within
30 calendar days of the discovery (§1798.82(a)), the Attorney General a sample copy of the notice
within 15 calendar days of notifying the residents when more than 500 are notified
(§1798.82(f)). Before 2026 the notice was due "in the most expedient time possible and without
unreasonable delay", with no fixed day. The notice is the incident's first release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from publisher.check.workdays import roll_forward
from publisher.messages import _, counted
from publisher.model.content import Content, IncidentRecord
from publisher.model.placeholders import placeholder, words
from publisher.model.schema import Disclosure, RegulatorReport, Reportability

Loc = tuple[str | int, ...]
State = Literal["done", "late", "due", "overdue", "not due"]

TOKYO = ZoneInfo("Asia/Tokyo")
CALIFORNIA = ZoneInfo("America/Los_Angeles")
APPI_FROM = date(2022, 4, 1)
PRELIMINARY_DAYS = 5
FINAL_DAYS = 30
FINAL_DAYS_UNLAWFUL = 60
UNLAWFUL_CATEGORIES = ("malware", "unauthorized_access")
UNLAWFUL_GROUND = "第7条第3号"
APPI_GROUNDS = ("第7条第1号", "第7条第2号", "第7条第3号", "第7条第4号")
GDPR_FROM = date(2018, 5, 25)
GDPR_HOURS = 72
CA_FROM = date(2026, 1, 1)
CA_NOTICE_DAYS = 30
CA_AG_DAYS = 15
CA_AG_RESIDENTS = 500
APPI_SOURCE = "個人情報の保護に関する法律施行規則"
SOURCES = {
    "appi-preliminary-deadline": f"{APPI_SOURCE} 第8条第1項; 通則編ガイドライン 3-5-3-3",
    "appi-final-deadline": f"{APPI_SOURCE} 第8条第2項; 通則編ガイドライン 3-5-3-4",
    "gdpr-72h": "GDPR Art. 33(1)",
    "ca-notice-deadline": "Cal. Civ. Code §1798.82(a) (SB 446, from 2026-01-01)",
    "ca-ag-copy": "Cal. Civ. Code §1798.82(f) (SB 446, from 2026-01-01)",
}


@dataclass(frozen=True)
class Obligation:
    """One thing a law asks of an incident by a moment, and what the record says was done."""

    incident: str
    rule: str
    """The check rule that watches it (its id); SOURCES[rule] is the law it comes from."""
    name: str
    due: datetime
    """The moment it is due by (zoned): met when done at or before it."""
    loc: Loc
    """Where in the incident record it is (or should be) recorded."""
    done: datetime | None = None
    done_on: str = ""
    """When it was done, as the record says it (a date, or a date and time)."""
    not_due: str = ""
    """Why nothing is due (not reportable, or before the law asked for it); '' when due."""
    excused: str = ""
    """Why being late is allowed (GDPR: the reasons for the delay given)."""

    @property
    def source(self) -> str:
        """The law the obligation comes from."""
        return SOURCES[self.rule]


@dataclass(frozen=True)
class Status:
    """Where an obligation stands at a moment: its state and the words for it."""

    state: State
    text: str


def obligations(content: Content, regimes: frozenset[str]) -> list[Obligation]:
    """Every obligation of every incident under `regimes`, incident by incident."""
    zone = ZoneInfo(content.site.timezone)
    found: list[Obligation] = []
    for incident in content.incidents:
        if "appi" in regimes:
            found += appi_obligations(incident)
        if "gdpr" in regimes:
            found += gdpr_obligations(incident, zone)
        if "ca" in regimes:
            found += ca_obligations(incident)
    return found


def next_due(content: Content, regimes: frozenset[str], now: datetime) -> datetime | None:
    """The first moment after `now` when an obligation not yet met becomes overdue."""
    found = [o.due for o in obligations(content, regimes) if status(o, now).state == "due"]
    return min(found, default=None)


def status(obligation: Obligation, now: datetime) -> Status:
    """Done (on time or late), due in N, overdue by N, or not due and why, at `now`."""
    due, done = obligation.due, obligation.done
    if done is not None and done.date() > now.astimezone(done.tzinfo).date():
        done = None  # recorded as done on a later day: not yet done at `now`
    if obligation.not_due:
        return Status("not due", _("not due: {why}").format(why=obligation.not_due))
    if done is not None and done <= due:
        return Status("done", _("done on {day}").format(day=obligation.done_on))
    if done is not None:
        late = _("done on {day}, {span} late").format(day=obligation.done_on, span=span(done - due))
        if obligation.excused:
            return Status("done", _("{late} (reasons for the delay given)").format(late=late))
        return Status("late", late)
    if now <= due:
        return Status("due", _("due in {span}").format(span=span(due - now)))
    return Status("overdue", _("overdue by {span}").format(span=span(now - due)))


def span(delta: timedelta) -> str:
    """A length of time, rounded up: in hours under two days, else in days."""
    hours = math.ceil(delta.total_seconds() / 3600)
    if hours < 48:
        return counted(hours, "{n} hour", "{n} hours")
    days = math.ceil(delta.total_seconds() / 86400)
    return counted(days, "{n} day", "{n} days")


def end_of(day: date, zone: ZoneInfo) -> datetime:
    """The moment `day` ends in `zone` (the next day's midnight)."""
    return datetime.combine(day + timedelta(days=1), time(), zone)


def shown(moment: datetime, *, end_of_day: bool = True) -> str:
    """A moment as the table shows it: `2023-05-01 24:00 +09:00` for the end of a day (a due
    moment), `2023-05-02 00:00 +09:00` with `end_of_day` False (the moment the table is of,
    which --as-of 2023-05-02 gives)."""
    local = moment
    if end_of_day and (local.hour, local.minute, local.second) == (0, 0, 0):
        clock = f"{(local - timedelta(days=1)).date()} 24:00"
    else:
        clock = local.strftime("%Y-%m-%d %H:%M")
    return f"{clock} {local.strftime('%z')[:3]}:{local.strftime('%z')[3:]}"


def real_reason(text: str | None) -> bool:
    """Whether `text` gives reasons: not empty, not a placeholder (TBD, 未定: the one list of
    publisher/model/placeholders.yaml), not a few letters."""
    return not placeholder(text) and len(words(text).replace(" ", "")) >= 8


# --- APPI ---
def reportability(incident: IncidentRecord, regime: str) -> Reportability | None:
    """What the record says of whether `regime` asks for a report (None: it says nothing)."""
    disclosure = incident.incident.disclosure
    reportable = disclosure.reportable if disclosure else None
    found: Reportability | None = getattr(reportable, regime) if reportable else None
    return found


def final_days(incident: IncidentRecord) -> int:
    """30 days, or 60 for a 第7条第3号 case: by the grounds recorded, else unlawful_purpose,
    else the category (malware, unauthorized_access)."""
    disclosure = incident.incident.disclosure
    flag = disclosure.unlawful_purpose if disclosure else None
    grounds = reportability(incident, "appi")
    if flag is None and grounds is not None and grounds.grounds:
        flag = UNLAWFUL_GROUND in grounds.grounds
    unlawful = incident.incident.category in UNLAWFUL_CATEGORIES if flag is None else flag
    return FINAL_DAYS_UNLAWFUL if unlawful else FINAL_DAYS


def final_day(discovered: date, days: int) -> date:
    """The last day for the 確報: day `days` counting `discovered` as day 1, moved off a
    weekend, holiday or 年末年始 to the next business day (通則編ガイドライン 3-5-3-4 ※2)."""
    return roll_forward(discovered + timedelta(days=days - 1))


def appi_obligations(incident: IncidentRecord) -> list[Obligation]:
    """速報 and 確報 to the commission; a `combined` report is both."""
    discovered = incident.incident.discovered
    days = final_days(incident)
    not_due = _appi_not_due(incident)
    preliminary = end_of(discovered + timedelta(PRELIMINARY_DAYS), TOKYO)
    final = end_of(final_day(discovered, days), TOKYO)
    made = _first(incident, "appi", ("preliminary", "combined"))
    rule, name = "appi-preliminary-deadline", _("速報 to the PPC")
    first = _made(incident.id, rule, name, preliminary, made, TOKYO, not_due)
    made = _first(incident, "appi", ("final", "combined"))
    rule, name = "appi-final-deadline", _("確報 to the PPC ({days} days)").format(days=days)
    return [first, _made(incident.id, rule, name, final, made, TOKYO, not_due)]


def _appi_not_due(incident: IncidentRecord) -> str:
    discovered = incident.incident.discovered
    if discovered < APPI_FROM:
        said = _("discovered before {day}, when reports became mandatory (a duty of effort)")
        return said.format(day=APPI_FROM)
    return _not_reportable(reportability(incident, "appi"))


def _not_reportable(found: Reportability | None) -> str:
    """Why a law's report is not due, as the record says ('' if it does not say)."""
    if found is None or not found.not_reportable:
        return ""
    return _("not reportable: {why}").format(why=found.not_reportable)


# --- GDPR ---
def aware_at(incident: IncidentRecord, zone: ZoneInfo) -> datetime:
    """When the organisation became aware: `aware_at`, or the start of `discovered` in `zone`."""
    disclosure = incident.incident.disclosure
    if disclosure and disclosure.aware_at:
        return disclosure.aware_at
    return datetime.combine(incident.incident.discovered, time(), zone)


def gdpr_obligations(incident: IncidentRecord, zone: ZoneInfo) -> list[Obligation]:
    """The notification to the supervisory authority, 72 hours from awareness."""
    aware = aware_at(incident, zone)
    not_due = _not_reportable(reportability(incident, "gdpr"))
    if incident.incident.discovered < GDPR_FROM:
        said = _("discovered {discovered}, before the GDPR applied ({day})")
        not_due = said.format(discovered=incident.incident.discovered, day=GDPR_FROM)
    made = _first(incident, "gdpr", ("preliminary", "final", "combined"))
    due = aware + timedelta(hours=GDPR_HOURS)
    name = _("notification to the supervisory authority (72 hours)")
    zone_of = aware.tzinfo if isinstance(aware.tzinfo, ZoneInfo) else zone
    obligation = _made(incident.id, "gdpr-72h", name, due, made, zone_of, not_due)
    if made and real_reason(made[1].delay_reason):
        return [replace(obligation, excused=made[1].delay_reason or "")]
    return [obligation]


# --- California ---
def residents(incident: IncidentRecord) -> int | None:
    """How many California residents are concerned, by `disclosure.residents` (None: unknown)."""
    disclosure = incident.incident.disclosure
    item = disclosure.residents if disclosure else None
    for pointer in item.present or [] if item else []:
        fact = incident.incident.facts.get(pointer.removeprefix("facts."))
        value = fact.values[-1].value if fact else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def ca_obligations(incident: IncidentRecord) -> list[Obligation]:
    """The notice to the residents (30 days) and the sample copy to the Attorney General."""
    discovered = incident.incident.discovered
    not_due = _not_reportable(reportability(incident, "ca"))
    if discovered < CA_FROM:
        not_due = _(
            "discovered {discovered}, before SB 446 set a number of days ({day}): notice in "
            "the most expedient time possible"
        ).format(discovered=discovered, day=CA_FROM)
    first = incident.releases[0].release.date if incident.releases else None
    notice = Obligation(
        incident.id,
        "ca-notice-deadline",
        _("notice to California residents ({days} days)").format(days=CA_NOTICE_DAYS),
        end_of(discovered + timedelta(CA_NOTICE_DAYS), CALIFORNIA),
        ("discovered",),
        end_of(first, CALIFORNIA) if first else None,
        first.isoformat() if first else "",
        not_due,
    )
    count = residents(incident)
    if count is not None and count <= CA_AG_RESIDENTS and not not_due:
        said = _("{count} California residents, not more than {most}")
        not_due = said.format(count=count, most=CA_AG_RESIDENTS)
    after = first or discovered + timedelta(CA_NOTICE_DAYS)
    made = _first(incident, "ca", ("preliminary", "final", "combined"))
    name = _("sample copy to the Attorney General ({days} days after the notice)")
    name = name.format(days=CA_AG_DAYS)
    due = end_of(after + timedelta(CA_AG_DAYS), CALIFORNIA)
    return [notice, _made(incident.id, "ca-ag-copy", name, due, made, CALIFORNIA, not_due)]


# --- shared ---
def _first(
    incident: IncidentRecord, regime: str, stages: tuple[str, ...]
) -> tuple[int, RegulatorReport] | None:
    """The earliest report under `regime` of one of `stages`, with its index."""
    disclosure: Disclosure | None = incident.incident.disclosure
    found = [
        (i, r)
        for i, r in enumerate(disclosure.reports if disclosure else [])
        if r.regime == regime and r.stage in stages
    ]
    return min(found, key=lambda p: (p[1].date, p[0])) if found else None


def _moment(report: RegulatorReport, zone: ZoneInfo) -> datetime:
    """When a report was made: its `at`, or by the end of its date in `zone`."""
    return report.at if report.at is not None else end_of(report.date, zone)


def _made(
    incident: str,
    rule: str,
    name: str,
    due: datetime,
    made: tuple[int, RegulatorReport] | None,
    zone: ZoneInfo,
    not_due: str,
) -> Obligation:
    if made is None:
        return Obligation(incident, rule, name, due, ("disclosure", "reports"), not_due=not_due)
    i, report = made
    when = _moment(report, zone)
    done_on = report.at.isoformat(timespec="minutes") if report.at else report.date.isoformat()
    loc: Loc = ("disclosure", "reports", i, "at" if report.at else "date")
    return Obligation(incident, rule, name, due, loc, when, done_on, not_due)
