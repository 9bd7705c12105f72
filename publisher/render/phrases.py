"""Titles and headings that break between phrases, never inside a word (BudouX).

Japanese has no spaces, so a browser or WeasyPrint may end a line anywhere: 「コンピュ/ータ」,
「お/詫び」, 「12/台」. BudouX (Google's phrase segmenter, the library Chromium itself uses for
`word-break: auto-phrase`) splits a heading into phrases; each phrase becomes a
`<span class="phrase">`, which the theme's stylesheets keep on one line (`white-space: nowrap`),
so lines break only between spans. `word-break: keep-all` with `<wbr>` would be the browser's
way, but WeasyPrint ignores keep-all, and this works in both. A phrase too long to be sure of
fitting a phone's line is left breakable rather than allowed to overflow.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

import budoux
from markupsafe import Markup, escape

LONGEST_KEPT = 14
"""Characters of the longest phrase kept on one line (a 390 px phone fits about 15 at 24 px)."""

_PARSERS: dict[str, Callable[[], budoux.Parser]] = {
    "ja": budoux.load_default_japanese_parser,
    "zh_hans": budoux.load_default_simplified_chinese_parser,
    "zh_hant": budoux.load_default_traditional_chinese_parser,
    "th": budoux.load_default_thai_parser,
}
_SPAN = Markup('<span class="phrase">{}</span>')


@cache
def _parser(locale: str) -> budoux.Parser | None:
    """BudouX's model for a Babel locale name (`ja`, `ja_JP`, `zh_Hant_TW`), or None."""
    parts = locale.replace("-", "_").lower().split("_")
    if parts[0] == "zh":
        script = "zh_hant" if "hant" in parts or {"tw", "hk", "mo"} & set(parts) else "zh_hans"
        return _PARSERS[script]()
    load = _PARSERS.get(parts[0])
    return load() if load else None


@lru_cache(maxsize=8192)  # a title is shown on every page of its series, and in the indexes
def phrase_html(text: str, locale: str) -> Markup:
    """`text`, escaped, with each phrase of a language BudouX knows in a `phrase` span."""
    parser = _parser(locale)
    chunks = parser.parse(text) if parser else []
    if len(chunks) < 2:
        return escape(text)
    return Markup("").join(
        _SPAN.format(chunk) if len(chunk) <= LONGEST_KEPT else escape(chunk) for chunk in chunks
    )
