"""APPI (Japan): the report to the Personal Information Protection Commission, items and clock.

The items of 個人情報の保護に関する法律施行規則 第8条第1項; the clock of 第8条第1項 (速報:
速やかに, by the commission's guideline about 3–5 days) and 第8条第2項 (確報: 30 days, 60 days
for a leak that may have been done for an unlawful purpose, 第7条第3号).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from publisher.check.findings import problem_at
from publisher.check.rule import Rule, Subject
from publisher.check.rules.disclosure import items_missing, reports
from publisher.errors import Problem
from publisher.model.content import IncidentRecord

ITEMS = {
    "overview": "概要 (item 1, overview)",
    "data_items": "漏えい等が発生し又は発生したおそれがある個人データの項目 (item 2, data_items)",
    "people": "漏えい等が発生し又は発生したおそれがある個人データに係る本人の数 (item 3, people)",
    "cause": "原因 (item 4, cause)",
    "secondary_damage": "二次被害又はそのおそれの有無及びその内容 (item 5, secondary_damage)",
    "response_to_people": "本人への対応の実施状況 (item 6, response_to_people)",
    "publication": "公表の実施状況 (item 7, publication)",
    "prevention": "再発防止のための措置 (item 8, prevention)",
    "other": "その他参考となる事項 (item 9, other)",
}
MANDATORY_FROM = date(2022, 4, 1)
PRELIMINARY_DAYS = 5
FINAL_DAYS = 30
FINAL_DAYS_UNLAWFUL = 60
UNLAWFUL_CATEGORIES = ("malware", "unauthorized_access")
RULES_SOURCE = "個人情報の保護に関する法律施行規則 第7条・第8条 (令和4年4月1日施行)"


def items(subject: Subject) -> Iterator[Problem]:
    """Every item of the report is present in the record or marked unknown."""
    yield from items_missing(subject, ITEMS, "APPI (施行規則第8条第1項)")


def final_days(incident: IncidentRecord) -> int:
    """30 days, or 60 where the leak may have been done for an unlawful purpose."""
    disclosure = incident.incident.disclosure
    flag = disclosure.unlawful_purpose if disclosure else None
    unlawful = incident.incident.category in UNLAWFUL_CATEGORIES if flag is None else flag
    return FINAL_DAYS_UNLAWFUL if unlawful else FINAL_DAYS


def preliminary(subject: Subject) -> Iterator[Problem]:
    """The preliminary report (速報) is made within 3–5 days of the discovery."""
    for incident in subject.content.incidents:
        yield from _deadline(incident, "preliminary", PRELIMINARY_DAYS, "速報")


def final(subject: Subject) -> Iterator[Problem]:
    """The final report (確報) is made within 30 days (60 for an unlawful purpose)."""
    for incident in subject.content.incidents:
        yield from _deadline(incident, "final", final_days(incident), "確報")


def _deadline(incident: IncidentRecord, stage: str, days: int, name: str) -> Iterator[Problem]:
    discovered = incident.incident.discovered
    due = discovered + timedelta(days=days)
    made = [(i, r) for i, r in reports(incident, "appi") if r.stage == stage]
    if not made and discovered >= MANDATORY_FROM:
        message = f"no {stage} report ({name}) to the commission is recorded; due by {due}"
        yield problem_at(incident.doc, ("disclosure", "reports"), message)
    for i, report in made[:1]:
        if report.date > due:
            late = (report.date - discovered).days
            message = (
                f"the {stage} report ({name}) was made {late} days after the discovery "
                f"({discovered}); due within {days} days, by {due}"
            )
            yield problem_at(incident.doc, ("disclosure", "reports", i, "date"), message)


RULES = (
    Rule(
        "appi-items",
        "error",
        "The nine items of the report to the Personal Information Protection Commission are "
        "each present in the record or marked unknown with the date they were still unknown: "
        + "; ".join(ITEMS.values())
        + ".",
        "個人情報の保護に関する法律施行規則 第8条第1項第1号〜第9号",
        items,
        "appi",
    ),
    Rule(
        "appi-preliminary-deadline",
        "warning",
        "The preliminary report (速報) to the commission is made promptly after the discovery: "
        f"a warning when it was made more than {PRELIMINARY_DAYS} days after `discovered`, or, "
        f"for incidents discovered from {MANDATORY_FROM} (when reporting became mandatory), "
        "when none is recorded in disclosure.reports.",
        RULES_SOURCE + " 第8条第1項 (速やかに); 個人情報保護委員会ガイドライン(通則編) 3-5-3-3 "
        "(概ね3〜5日以内)",
        preliminary,
        "appi",
    ),
    Rule(
        "appi-final-deadline",
        "warning",
        f"The final report (確報) is made within {FINAL_DAYS} days of the discovery, or "
        f"{FINAL_DAYS_UNLAWFUL} days where the leak may have been done for an unlawful purpose "
        "(disclosure.unlawful_purpose; by default true for malware and unauthorized_access): a "
        "warning when late, or, for incidents discovered from "
        f"{MANDATORY_FROM}, when none is recorded.",
        RULES_SOURCE + " 第8条第2項, 第7条第3号",
        final,
        "appi",
    ),
)
