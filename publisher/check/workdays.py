"""Japanese administrative business days: when a deadline counted in days falls on a day off.

行政機関の休日に関する法律 第1条 names the days the national administration is closed
(行政機関の休日): Saturdays and Sundays, the holidays of 国民の祝日に関する法律 (national holidays,
substitute holidays and citizens' holidays) and 年末年始 (December 29 to January 3). Its 第2条
moves the deadline of a report to a national administrative body, set as a period of days by a
law or an order made under one, from such a day to the next day that is not one. The national
holidays come from the `holidays` library (python-holidays, a maintained calendar that follows
the Cabinet Office's list); the weekend and 年末年始 are the statute's own.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays

YEAR_END = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
"""年末年始 as 行政機関の休日に関する法律 第1条第1項第3号 counts it (12月29日〜1月3日)."""


@functools.cache
def _national_holidays(year: int) -> holidays.HolidayBase:
    import holidays  # only when a deadline is counted (the library takes 70 ms to import)

    return holidays.country_holidays("JP", years=year, language="ja")


def day_off(day: date) -> str | None:
    """Why the national administration is closed on `day` (a weekday name, a holiday's name,
    年末年始), or None on a business day."""
    if (day.month, day.day) in YEAR_END:
        return "年末年始"
    if day.weekday() >= 5:
        return "土曜日" if day.weekday() == 5 else "日曜日"
    name = _national_holidays(day.year).get(day)
    return str(name) if name else None


def roll_forward(day: date) -> date:
    """`day`, or the first business day after it when it is a day off (行政機関の休日に関する
    法律 第2条)."""
    while day_off(day):
        day += timedelta(days=1)
    return day
