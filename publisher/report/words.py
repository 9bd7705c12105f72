"""The few words a report writes around the record's own text, per language of the record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from publisher.render.formats import format_number


@dataclass(frozen=True)
class Words:
    """How values are joined and introduced in the record's language."""

    bullet: str
    list_separator: str
    taken: str
    planned: str
    notice_mail: str
    quoted: str
    """A title in quotes, with `{text}`."""
    unknown: str
    """A pasteable "not known" with `{date}`."""
    not_yet: str
    """A pasteable "not known yet" with `{date}`."""
    mail_heading: str
    """The notice mail's counts, introduced, with `{date}`."""
    mail_release: str
    """One release's mail by one transport, with `{date}` and `{transport}`."""
    review_only: str
    no_mail: str
    no_ledger: str
    measures: Mapping[str, str]
    """The name of each count of the proof of notice (publisher.notify.record)."""
    count_unit: str
    listed: str
    no_segment: str
    then: str
    until: str
    substitute: str
    """A release's substitute notice, with `{release}`, `{shown}` and `{date}`."""
    substitute_now: str
    strings: Mapping[str, Any]
    """The theme's wording for the language (dates, the number format)."""

    def count(self, n: int, unit: str | None = None) -> str:
        """`n` grouped as the language writes it (1,350), with `unit` (default: count_unit)."""
        return f"{format_number(self.strings, n)}{self.count_unit if unit is None else unit}"

    def date(self, day: date) -> str:
        """`day` in the language's long form (2020年11月14日; November 14, 2020)."""
        months = self.strings.get("month_names") or []
        month_name = months[day.month - 1] if len(months) == 12 else str(day.month)
        form = str(self.strings.get("date_long", "{year}-{month:02d}-{day:02d}"))
        return form.format(year=day.year, month=day.month, day=day.day, month_name=month_name)


_JA: dict[str, Any] = {
    "bullet": "・",
    "list_separator": "、",
    "taken": "実施済みの措置",
    "planned": "今後実施予定の措置",
    "notice_mail": "通知メール",
    "quoted": "「{text}」",
    "unknown": "不明({date}時点)",
    "not_yet": "{date}時点では判明していない",
    "mail_heading": "通知メールの送信状況({date}終了時点、通知の記録による件数):",
    "mail_release": "{date}のリリースの通知メール({transport})",
    "review_only": "(確認用の.emlファイルを書き出したもので、本人には送信されていません)",
    "no_mail": "{date}時点で、通知メールの送信の記録はありません。",
    "no_ledger": "{date}時点で、通知メールの送信の記録はありません(通知の記録がありません)。",
    "measures": {
        "notified": "送信",
        "delivered": "配信",
        "bounced": "不達",
        "dropped": "送信停止",
        "not_reachable": "通知できなかった宛先",
        "invalid": "無効",
        "duplicate": "重複",
        "no_address": "アドレスなし",
    },
    "count_unit": "件",
    "listed": "一覧の読込",
    "no_segment": "(区分なし)",
    "then": "; ",
    "until": "〜",
    "substitute": "代替措置(公表): {release}に、通知メールをお届けできなかった方への"
    "ご通知を掲載({shown}、{date}時点)",
    "substitute_now": "その後の数: {value}({date}時点)",
}
_EN: dict[str, Any] = {
    "bullet": "- ",
    "list_separator": ", ",
    "taken": "Taken",
    "planned": "Planned",
    "notice_mail": "Notice mail",
    "quoted": "“{text}”",
    "unknown": "Unknown as of {date}",
    "not_yet": "Not yet known as of {date}",
    "mail_heading": "Notice mail, as the notification ledger counted it by the end of {date}:",
    "mail_release": "Notice mail of the release of {date} ({transport})",
    "review_only": " (.eml files written for review; nobody was told by them)",
    "no_mail": "No notice mail recorded as of {date}.",
    "no_ledger": "No notice mail recorded as of {date} (there is no notification ledger).",
    "measures": {
        "notified": "notified",
        "delivered": "delivered",
        "bounced": "bounced",
        "dropped": "dropped",
        "not_reachable": "not reachable",
        "invalid": "invalid",
        "duplicate": "duplicate",
        "no_address": "no address",
    },
    "count_unit": "",
    "listed": "list read",
    "no_segment": "(no segment)",
    "then": "; ",
    "until": " to ",
    "substitute": "Substitute notice (public communication): {release} tells the people the "
    "notice mail could not reach ({shown}, as of {date})",
    "substitute_now": "Since then: {value} (as of {date})",
}


def words_for(lang: str, strings: Mapping[str, Any]) -> Words:
    """The words for `lang` (Japanese for ja, English for any other), with its date wording."""
    table = _JA if lang.split("-")[0] == "ja" else _EN
    return Words(**table, strings=strings)
