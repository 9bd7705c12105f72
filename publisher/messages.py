"""The language publisher's own messages are in (problems, summaries, prompts), and `_()`.

English is written in the code, inside `_()` (or `counted()` where a count is said), with named
placeholders filled after the lookup: `_("cannot read {path}").format(path=path)`. Japanese is in
publisher/locale/ja/LC_MESSAGES/publisher.po, compiled by scripts/update-messages into the
publisher.mo beside it, which the standard library's gettext reads the first time a Japanese
message is asked for (never when every message is English; nothing is written at run time). A
message the catalogue lacks is said in English.

The language is the CLI's choice, made once per command (`speaking`), held in a context
variable: the code that words a message reads it, nobody passes it down. It is independent of
the language of the pages and mails. Outside a command (tests, the library) it is English.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LANGUAGES = ("en", "ja")
"""The languages messages can be in; English is the fallback of every message."""
LOCALE = Path(__file__).parent / "locale"
"""The message catalogues: publisher.pot (extracted), and <language>/LC_MESSAGES/publisher.po."""
DOMAIN = "publisher"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "counted": (2, 3)}
"""The functions whose literal arguments are messages, as Babel's extractor takes them."""

_language: ContextVar[str] = ContextVar("publisher_messages", default="en")


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Messages in `language` (one of LANGUAGES, else English) inside the block."""
    token = _language.set(language if language in LANGUAGES else "en")
    try:
        yield
    finally:
        _language.reset(token)


def language() -> str:
    """The language messages are in now."""
    return _language.get()


def _(message: str) -> str:
    """`message` in the current language (English as written when it has no translation)."""
    if _language.get() == "en":
        return message
    return _catalogue(_language.get()).gettext(message) or message


def N_(message: str) -> str:
    """`message` itself, marked for the catalogue: `_()` translates it where it is said."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that counts `n` things, in the current language."""
    english = singular if n == 1 else plural
    if _language.get() == "en":
        return english
    return _catalogue(_language.get()).ngettext(singular, plural, n) or english


def counted(n: int, singular: str, plural: str, **fields: object) -> str:
    """`1 release`, `2 releases`: a message that counts `n` things, in the right number, for
    every message that counts. `singular` and `plural` are whole messages with `{n}` and any
    other named `fields` in them (`counted(2, "{n} release", "{n} releases")`), so that
    Japanese can say リリース2件."""
    return ngettext(singular, plural, n).format(n=n, **fields)


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    """The translations of `lang`, from the compiled catalogue beside its .po (the standard
    library reads it in a millisecond; Babel reading the .po takes a tenth of a second, which
    every command would feel). A catalogue that cannot be read leaves the messages in English."""
    try:
        with (LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
            return gettext.GNUTranslations(file)
    except Exception:  # missing or damaged (tests/test_messages.py holds ours to its .po)
        return gettext.NullTranslations()
