"""The language publisher's own messages are in (problems, summaries, prompts), and `_()`.

English is written in the code, inside `_()` (or `counted()` where a count is said), with named
placeholders filled after the lookup: `_("cannot read {path}").format(path=path)`. Japanese is in
publisher/locale/ja/LC_MESSAGES/publisher.po, read with Babel's `read_po` and compiled into a .mo
in the user's cache the first time a Japanese message is asked for (the standard library's gettext
reads that), and never when every message is English. A message the catalogue lacks is said in
English.

The language is the CLI's choice, made once per command (`speaking`), held in a context
variable: the code that words a message reads it, nobody passes it down. It is independent of
the language of the pages and mails. Outside a command (tests, the library) it is English.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import hashlib
import io
import os
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
    """The translations of `lang`: the .po compiled once into a .mo in the user's cache, which
    the standard library's gettext reads in a millisecond (Babel reading the .po takes a tenth
    of a second, which every command would feel); the .po itself where no cache can be kept."""
    po = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        info = po.stat()
    except OSError:
        return gettext.NullTranslations()
    key = hashlib.sha256(f"{po}:{info.st_size}:{info.st_mtime_ns}".encode()).hexdigest()[:20]
    mo = _cache_folder() / f"{DOMAIN}-{lang}-{key}.mo"
    try:
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    except Exception:  # none yet, or a damaged one: compiled again, never a failed command
        pass
    try:
        compiled = _compile(po, lang)
    except Exception:  # a catalogue Babel cannot read (tests/test_messages.py reads ours): English
        return gettext.NullTranslations()
    with contextlib.suppress(OSError):  # no cache: the next command compiles it again
        mo.parent.mkdir(parents=True, exist_ok=True)
        temporary = mo.with_name(f".{mo.name}.{os.getpid()}")
        temporary.write_bytes(compiled)
        os.replace(temporary, mo)
    return gettext.GNUTranslations(io.BytesIO(compiled))


def _compile(po: Path, lang: str) -> bytes:
    """The .mo of the catalogue `po`, with Babel; untranslated and fuzzy messages left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _cache_folder() -> Path:
    """Where compiled catalogues are kept: $XDG_CACHE_HOME/publisher, or ~/.cache/publisher."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "publisher"
