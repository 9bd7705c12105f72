"""The report to the Personal Information Protection Commission (個人情報保護委員会), as its form.

The nine items of 個人情報の保護に関する法律施行規則 第8条第1項, after the form's identifying
fields: who reports (the organisation's name, not its officer's, as the commission asks), 速報 or
確報, the dates of the report, of the discovery (発覚日) and of the first known event (発生日), and
which of 規則第7条第1号〜第4号 makes the leak reportable, as far as the record says.
"""

from __future__ import annotations

from datetime import timedelta

from publisher.check.deadlines import final_day
from publisher.check.rules.appi import (
    FINAL_DAYS,
    MANDATORY_FROM,
    PRELIMINARY_DAYS,
    UNLAWFUL_CATEGORIES,
    final_days,
)
from publisher.report.form import (
    NOT_IN_RECORD,
    Field,
    FieldReader,
    Report,
    Source,
    fixed,
    iso,
    occurred,
)
from publisher.report.notice import NoticeRecord, with_notice
from publisher.report.snapshot import Snapshot

FORM = Source(
    "個人情報保護委員会「漏えい等の報告について」(漏えい等報告フォーム)",
    "https://www.ppc.go.jp/personalinfo/legal/leakAction/",
)
CITED = (
    FORM,
    Source(
        "個人情報の保護に関する法律施行規則 第7条・第8条 (e-Gov法令検索)",
        "https://laws.e-gov.go.jp/law/428M60020000003",
    ),
    Source(
        "BUSINESS LAWYERS「個人情報が漏えいした場合、個人情報保護委員会への報告はどのようにすれば"
        "よいか」(規則第8条第1項各号と別記様式第一)",
        "https://www.businesslawyers.jp/practices/1433",
    ),
)
ITEMS = (
    ("overview", "概要"),
    ("data_items", "漏えい等が発生し、又は発生したおそれがある個人データの項目"),
    ("people", "漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数"),
    ("cause", "原因"),
    ("secondary_damage", "二次被害又はそのおそれの有無及びその内容"),
    ("response_to_people", "本人への対応の実施状況"),
    ("publication", "公表の実施状況"),
    ("prevention", "再発防止のための措置"),
    ("other", "その他参考となる事項"),
)
REASONS = {
    1: "要配慮個人情報が含まれる個人データの漏えい等(又はそのおそれ)",
    2: "不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等"
    "(又はそのおそれ)",
    3: "不正の目的をもって行われたおそれがある個人データの漏えい等(又はそのおそれ)",
    4: "個人データに係る本人の数が1,000人を超える漏えい等(又はそのおそれ)",
}
"""規則第7条各号, in the commission's words on its page about reports."""
STAGES = {"preliminary": "速報", "final": "確報"}
LEFT_TO_FILL = (
    "報告フォームを開く前の質問(問1 漏えい等した情報にマイナンバーが含まれるか、問2 組織の区分、"
    "問3 権限委任をしている業種に当たるか): 記録にはこれを示す項目がありません。",
    "規則第7条第1号(要配慮個人情報)・第2号(財産的被害のおそれ)に当たるか: "
    "記録にはこれを示す項目がありません。報告フォームで選んでください。",
    "報告者の住所、代表者の氏名、法人番号など報告者の詳細、報告担当者の氏名・連絡先: "
    "記録にはありません(報告書は誰の連絡先も持ちません)。",
)


def appi_report(snapshot: Snapshot, stage: str, notices: NoticeRecord | None = None) -> Report:
    """The commission's report (速報 or 確報) of `snapshot`, item 6 with the notice mail's
    counts from `notices` (None: the ledger was not consulted); ContentError on bad pointers."""
    reader = FieldReader(snapshot)
    fields = [*_identity(snapshot, stage), _reportable(snapshot, reader)]
    for number, (key, label) in enumerate(ITEMS, 1):
        field = reader.disclosed(key, label, f"規則第8条第1項第{number}号")
        if key == "response_to_people":
            field = with_notice(field, snapshot, notices)
        fields.append(field)
    reader.done()
    return Report.of(
        snapshot,
        regime="appi",
        stage=stage,
        title=f"個人データの漏えい等報告({STAGES[stage]})",
        lang="ja",
        form=FORM,
        fields=tuple(fields),
        left_to_fill=LEFT_TO_FILL,
        cited=CITED,
        extra={"clock": _clock(snapshot, stage), "reports_recorded": _recorded(snapshot)},
    )


def _identity(snapshot: Snapshot, stage: str) -> list[Field]:
    stage_basis = "規則第8条第1項(速報)" if stage == "preliminary" else "規則第8条第2項(確報)"
    return [
        fixed(
            "reporter",
            "報告者の氏名又は名称",
            "報告フォーム(担当者ではなく事業者の名称)",
            snapshot.organization,
            "site.yaml: organization.name",
        ),
        fixed("stage", "報告の種別", stage_basis, STAGES[stage], "--stage"),
        fixed("report_date", "報告日", "報告フォーム", iso(snapshot.as_of), "--as-of"),
        fixed(
            "discovered",
            "発覚日",
            "規則第8条第1項第1号(概要)",
            iso(snapshot.discovered),
            "incident.yaml: discovered",
        ),
        fixed(
            "occurred",
            "発生日",
            "規則第8条第1項第1号(概要)",
            iso(occurred(snapshot)),
            "timeline (the earliest event known then)",
        ),
    ]


def _reportable(snapshot: Snapshot, reader: FieldReader) -> Field:
    """Which of 規則第7条第1号〜第4号 the record says apply (第3号 and 第4号 only: the record
    has no field for sensitive data or for a risk of financial damage)."""
    numbers = []
    sources = []
    disclosure = snapshot.disclosure
    flag = disclosure.unlawful_purpose if disclosure else None
    category = snapshot.incident.incident.category
    if flag or (flag is None and category in UNLAWFUL_CATEGORIES):
        numbers.append(3)
        sources.append("disclosure.unlawful_purpose" if flag else f"category: {category}")
    people = reader.item("people")
    counts = [p.data.get("value") for p in people.parts if "fact" in p.data]
    if any(isinstance(n, int) and n > 1000 for n in counts):
        numbers.append(4)
        sources.append("disclosure.people")
    value = "\n".join(f"第{n}号 {REASONS[n]}" for n in numbers)
    status = "from the record" if numbers else NOT_IN_RECORD
    basis = "規則第7条各号"
    return Field(
        "reportable", "報告対象となる事態(規則第7条)", basis, status, value, tuple(sources)
    )


def _clock(snapshot: Snapshot, stage: str) -> dict[str, object]:
    days = PRELIMINARY_DAYS if stage == "preliminary" else final_days(snapshot.incident)
    basis = (
        "規則第8条第1項: 速やかに(ガイドライン通則編 3-5-3-3: 概ね3〜5日以内)"
        if stage == "preliminary"
        else f"規則第8条第2項: {days}日以内" + (" (第7条第3号の事態)" if days != FINAL_DAYS else "")
    )
    due = (
        snapshot.discovered + timedelta(days=days)
        if stage == "preliminary"
        else final_day(snapshot.discovered, days)  # 通則編 3-5-3-4: day 1, moved off days off
    )
    return {
        "due": due.isoformat(),
        "days": days,
        "basis": basis,
        "mandatory": snapshot.discovered >= MANDATORY_FROM,
    }


def _recorded(snapshot: Snapshot) -> list[dict[str, str]]:
    return [
        {"stage": r.stage, "date": r.date.isoformat()}
        for r in snapshot.reports
        if r.regime == "appi"
    ]
