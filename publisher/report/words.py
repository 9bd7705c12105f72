"""The few words a report writes around the record's own text, per language of the record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


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
    strings: Mapping[str, Any]
    """The theme's wording for the language (dates)."""

    def date(self, day: date) -> str:
        """`day` in the language's long form (2020年11月14日; November 14, 2020)."""
        months = self.strings.get("month_names") or []
        month_name = months[day.month - 1] if len(months) == 12 else str(day.month)
        form = str(self.strings.get("date_long", "{year}-{month:02d}-{day:02d}"))
        return form.format(year=day.year, month=day.month, day=day.day, month_name=month_name)


_JA = {
    "bullet": "・",
    "list_separator": "、",
    "taken": "実施済みの措置",
    "planned": "今後実施予定の措置",
    "notice_mail": "通知メール",
    "quoted": "「{text}」",
    "unknown": "不明({date}時点)",
    "not_yet": "{date}時点では判明していない",
}
_EN = {
    "bullet": "- ",
    "list_separator": ", ",
    "taken": "Taken",
    "planned": "Planned",
    "notice_mail": "Notice mail",
    "quoted": "“{text}”",
    "unknown": "Unknown as of {date}",
    "not_yet": "Not yet known as of {date}",
}


def words_for(lang: str, strings: Mapping[str, Any]) -> Words:
    """The words for `lang` (Japanese for ja, English for any other), with its date wording."""
    table = _JA if lang.split("-")[0] == "ja" else _EN
    return Words(**table, strings=strings)
