"""APPI (Japan): the report to the Personal Information Protection Commission, items and clock.

The items of 個人情報の保護に関する法律施行規則 第8条第1項; whether a report is due (第7条,
recorded in disclosure.reportable.appi); the clocks of 第8条第1項 (速報) and 第8条第2項 (確報),
computed by publisher.check.deadlines, which cites its sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.deadlines import (
    APPI_FROM,
    APPI_GROUNDS,
    FINAL_DAYS,
    FINAL_DAYS_UNLAWFUL,
    PRELIMINARY_DAYS,
    UNLAWFUL_CATEGORIES,
    final_days,
    reportability,
)
from publisher.check.findings import problem_at
from publisher.check.rule import Rule, Subject
from publisher.check.rules.clocks import late
from publisher.check.rules.disclosure import items_missing
from publisher.errors import Problem
from publisher.messages import _

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
MANDATORY_FROM = APPI_FROM
# what publisher.report.appi reads from here, besides the rules
__all__ = ["FINAL_DAYS", "MANDATORY_FROM", "PRELIMINARY_DAYS", "UNLAWFUL_CATEGORIES", "final_days"]
RULES_SOURCE = "個人情報の保護に関する法律施行規則 第7条・第8条 (令和4年4月1日施行)"


def items(subject: Subject) -> Iterator[Problem]:
    """Every item of the report is present in the record or marked unknown."""
    yield from items_missing(subject, ITEMS, "APPI (施行規則第8条第1項)")


def preliminary(subject: Subject) -> Iterator[Problem]:
    """The preliminary report (速報) is made within 5 days of the discovery."""
    yield from late(subject, "appi-preliminary-deadline")


def final(subject: Subject) -> Iterator[Problem]:
    """The final report (確報) is made within 30 days (60 for 第7条第3号), moved off days off."""
    yield from late(subject, "appi-final-deadline")


def reportable(subject: Subject) -> Iterator[Problem]:
    """Whether a report is due is recorded, with its 第7条 grounds or why not."""
    for incident in subject.content.incidents:
        if incident.incident.discovered < APPI_FROM or reportability(incident, "appi"):
            continue
        message = _(
            "record whether a report to the commission is due (施行規則第7条): reportable: "
            "{{appi: {{grounds: [第7条第3号]}}}} (the cases that apply), or {{appi: "
            "{{not_reportable: why}}}}; until then the deadlines count as due"
        ).format()
        yield problem_at(incident.doc, ("disclosure",), message)


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
        "appi-reportable",
        "warning",
        "For an incident discovered from "
        f"{APPI_FROM} (when reporting became mandatory), the record says whether a report "
        "to the commission is due: disclosure.reportable.appi with the grounds of 施行規則第7条 "
        f"({', '.join(APPI_GROUNDS)}), or not_reportable with the reason.",
        RULES_SOURCE + " 第7条",
        reportable,
        "appi",
    ),
    Rule(
        "appi-preliminary-deadline",
        "warning",
        "The preliminary report (速報) to the commission is made promptly after the discovery: "
        f"a warning when it was made more than {PRELIMINARY_DAYS} calendar days after "
        "`discovered`, or when none is recorded and that day is past. A report of stage "
        "`combined` counts; nothing is due before "
        f"{APPI_FROM} or when reportable.appi says not_reportable.",
        RULES_SOURCE + " 第8条第1項 (速やかに); 個人情報保護委員会ガイドライン(通則編) 3-5-3-3 "
        "(概ね3〜5日以内)",
        preliminary,
        "appi",
        whole=True,  # the clock
    ),
    Rule(
        "appi-final-deadline",
        "warning",
        f"The final report (確報) is made within {FINAL_DAYS} days of the discovery, or "
        f"{FINAL_DAYS_UNLAWFUL} days for a case of 第7条第3号 (reportable.appi.grounds, else "
        "disclosure.unlawful_purpose, else true for malware and unauthorized_access), the day "
        "of the discovery being day 1; a last day on a Saturday, Sunday, national holiday or "
        "年末年始 (12/29-1/3) moves to the next business day. A warning when it was made late, "
        "or when none is recorded and the day "
        f"is past; a `combined` report counts; nothing is due before {APPI_FROM} or when "
        "reportable.appi says not_reportable. `publisher deadlines` shows the clock.",
        RULES_SOURCE + " 第8条第2項, 第7条第3号; 個人情報保護委員会ガイドライン(通則編) 3-5-3-4 "
        "(知った時点を1日目とする; 30日目又は60日目が土日、祝日又は年末年始閉庁日の場合は"
        "その翌日); "
        "行政機関の休日に関する法律 第1条・第2条",
        final,
        "appi",
        whole=True,  # the clock
    ),
)
