"""Dates, date ranges and numbers as a language writes them, from CLDR through Babel.

A language's strings name its formats instead of spelling them out:

    locale: ja
    date_formats:          # a CLDR format name (short, medium, long, full) or a skeleton
      long: yMMMd          # 2020年7月29日
      short: MMMd          # 7月29日
      weekday: yMMMEd      # 2022年3月8日(火)
    number_format: "#,##0" # 1,240 (a CLDR decimal pattern; default: the locale's)

Everything here takes values and returns text; a name or skeleton the strings do not hold, or a
locale Babel does not know, is a FormatError (a ValueError), which the renderers locate.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal

from publisher.errors import FormatError
from publisher.messages import _

Strings = Mapping[str, Any]

NAMED = ("short", "medium", "long", "full")
"""CLDR's own date format names; any other value in `date_formats` is a skeleton."""
_SKELETON = re.compile(r"[GyYuUrQqMLlwWdDFgEec]+")


def locale_of(strings: Strings) -> Locale:
    """The CLDR locale the strings name (`locale`, default English)."""
    return _locale(str(strings.get("locale", "en")))


@functools.lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    """The CLDR locale `name`, parsed once (every date and number of a site names it)."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        said = _("locale {name}: not a locale CLDR knows (ja, en, en_GB)")
        raise FormatError(said.format(name=repr(name))) from None


def date_format(strings: Strings, name: str) -> str:
    """The CLDR format name or skeleton that the strings call `name`."""
    formats = strings.get("date_formats") or {}
    if name not in formats:
        known = ", ".join(sorted(formats)) or _("none")
        said = _("no date format {name} in the strings (known: {known})")
        raise FormatError(said.format(name=repr(name), known=known))
    spec = str(formats[name])
    if spec not in NAMED and not _SKELETON.fullmatch(spec):
        said = _(
            "date format {name}: {spec} is neither a CLDR format name ({named}) nor a CLDR "
            "skeleton like yMMMd"
        )
        raise FormatError(said.format(name=repr(name), spec=repr(spec), named=", ".join(NAMED)))
    return spec


def format_day(strings: Strings, name: str, day: date) -> str:
    """`day` in the format the strings call `name` (long: 2020年7月29日, July 29, 2020)."""
    spec = date_format(strings, name)
    locale = locale_of(strings)
    if spec in NAMED:
        return _named_day(day, spec, locale)
    try:
        return _skeleton_day(spec, day, locale)
    except KeyError:
        said = _("date format {name}: CLDR has no skeleton {spec}")
        raise FormatError(said.format(name=repr(name), spec=repr(spec))) from None


@functools.lru_cache(maxsize=4096)
def _named_day(day: date, spec: str, locale: Locale) -> str:
    """`day` in a CLDR format name, written once (the pages of a series repeat their dates)."""
    return str(format_date(day, spec, locale=locale))


@functools.lru_cache(maxsize=4096)
def _skeleton_day(spec: str, day: date, locale: Locale) -> str:
    """`day` in a CLDR skeleton, written once (KeyError: CLDR has no such skeleton)."""
    return str(format_skeleton(spec, day, locale=locale))


def format_range(strings: Strings, name: str, start: date, end: date) -> str:
    """The days from `start` to `end` as one range (2022年3月1日～8日, Mar 1 – 8, 2022)."""
    if end < start:
        said = _("date range from {start} to {end}: it ends before it starts")
        raise FormatError(said.format(start=start, end=end))
    spec = date_format(strings, name)
    locale = locale_of(strings)
    if spec in NAMED:
        first, last = format_date(start, spec, locale=locale), format_date(end, spec, locale=locale)
        return first if start == end else f"{first} – {last}"
    try:
        return str(format_interval(start, end, spec, locale=locale))
    except KeyError:
        said = _("date format {name}: CLDR has no skeleton {spec}")
        raise FormatError(said.format(name=repr(name), spec=repr(spec))) from None


def format_number(strings: Strings, number: int | float) -> str:
    """`number` grouped as the language writes it (1,240)."""
    pattern = strings.get("number_format")
    try:
        locale = locale_of(strings)
        if isinstance(number, int | float) and (pattern is None or isinstance(pattern, str)):
            return _decimal(number, pattern, locale)
        return str(format_decimal(number, format=pattern, locale=locale))
    except (ValueError, TypeError) as exc:
        raise FormatError(f"number_format {pattern!r}: {exc}") from None  # Babel's own words


@functools.lru_cache(maxsize=4096, typed=True)
def _decimal(number: int | float, pattern: str | None, locale: Locale) -> str:
    """`number` in the decimal pattern, written once (a site repeats its counts)."""
    return str(format_decimal(number, format=pattern, locale=locale))
