"""What a contact's text may hold: one visible line that reads as no link, and no garbled text.

A name or organisation is shown in the mail's To header and greeting. `check_text` refuses a value
that holds a line break (U+2028, U+0085 as well as CR and LF), a control character, an invisible
character (zero-width, soft hyphen, byte order mark), a text-direction control (bidi), or that
reads as an address or a link once normalised as a reader or a mail client may take it (NFKC:
full-width letters as ASCII; the ideographic full stop as a dot). `garbled` finds text that is
UTF-8 read with the wrong encoding. Pure functions: they take text and give reasons.
"""

from __future__ import annotations

import re
import unicodedata

from publisher.messages import N_, _

MAX_TEXT = 200
LINE_BREAKS = frozenset("\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029")
DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e") | frozenset(
    "\u2066\u2067\u2068\u2069"
)
# The names Unicode gives controls only as aliases, which unicodedata.name does not know.
_CONTROL_NAMES = {
    "\0": "NULL",
    "\t": "TAB",
    "\n": "LINE FEED",
    "\v": "LINE TABULATION",
    "\f": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x85": "NEXT LINE",
}
# Letters that draw nothing (Hangul fillers): printable to Python, invisible to a reader.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"
_PRINTABLE_BUT_REFUSED = re.compile(f"[\ufffd{_BLANK_LETTERS}]")
# A scheme, "www.", or anything shaped like a host name (a dot between a label and two letters or
# more, in any script): a contact's name is shown in the mail, and must not smuggle a link into it.
_LINKISH = re.compile(r"://|www\.|[\w-]+\.[^\W\d_]{2,}(?!\w)", re.IGNORECASE)
# An RFC 2047 encoded-word: decoded by the mail library, it could carry a header line.
_ENCODED_WORD = re.compile(r"=\?")
_CREDENTIALS = re.compile(r"password|passwd|パスワード|暗証|login|ログイン", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
# What garbled text shows: half-width kana (UTF-8 read as cp932), or a Latin-1 letter that starts
# a UTF-8 sequence (UTF-8 read as Latin-1 or Windows-1252: 'Ã©' for 'é', 'â€™' for '’').
_MAY_BE_GARBLED = re.compile(r"[\u00c2-\u00f4\uff61-\uff9f]")
# What UTF-8 Japanese is made of: kana, CJK ideographs and symbols, full- and half-width forms.
_JAPANESE = re.compile(
    r"[\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f]+"
)


def check_text(column: str, value: str) -> None:
    """Refuse (ValueError) a value that could break a mail's lines, hide text, or show a link."""
    if (problem := character_problem(value)) is not None:
        raise ValueError(f"{column}: {problem}")  # column names and a message, as written
    if len(value) > MAX_TEXT:
        said = _("{column}: longer than {most} characters")
        raise ValueError(said.format(column=column, most=MAX_TEXT))
    if column not in ("name", "organization"):
        return
    read = reading(value)
    if read == value:
        shown = repr(value)
    else:
        shown = _("{value} (read as {read})").format(value=repr(value), read=repr(read))
    if _ENCODED_WORD.search(read):
        said = _("{column}: contains an encoded word (=?...?=): {value}")
    elif "@" in read or _LINKISH.search(read):
        said = _("{column}: looks like an address or a link: {value}")
    elif _CREDENTIALS.search(read):
        said = _("{column}: mentions passwords or logins: {value}")
    else:
        return
    raise ValueError(said.format(column=column, value=shown))


def reading(value: str) -> str:
    """`value` as a reader or a mail client may take it: NFKC, ideographic full stops as dots."""
    return unicodedata.normalize("NFKC", value).replace("\u3002", ".")


def character_problem(value: str) -> str | None:
    """Why `value` may not be shown in a mail, for its first refused character; None if none is."""
    if value.isprintable() and not _PRINTABLE_BUT_REFUSED.search(value):
        return None  # the common case, without a look at each character
    for position, char in enumerate(value, start=1):
        refusal = _refusal(char)
        if refusal is not None:
            return _(refusal).format(char=_describe(char), position=position)
    return None


def _refusal(char: str) -> str | None:
    """Why `char` is refused (a message with {char} and {position}), or None for a character a
    name may hold."""
    if char in LINE_BREAKS:
        return N_(
            "contains a line break ({char}) at character {position}, which would start a new "
            "line in the mail"
        )
    if char in DIRECTION_CONTROLS:
        return N_(
            "contains a text-direction control ({char}) at character {position}, which can make "
            "text show in another order than written"
        )
    category = unicodedata.category(char)
    if category == "Cf" or char in _BLANK_LETTERS:
        return N_(
            "contains an invisible character ({char}) at character {position}, which can hide "
            "what the text says"
        )
    if char == "\ufffd":
        return N_(
            "contains a replacement character ({char}) at character {position}, left where a "
            "character was lost to a wrong encoding"
        )
    if category in ("Cc", "Cs") or _is_noncharacter(char):
        return N_(
            "contains a control character ({char}) at character {position}, which is not text"
        )
    return None


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _describe(char: str) -> str:
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def garbled(text: str) -> tuple[str, str] | None:
    """(garbled run, the text it was) when part of `text` is UTF-8 read with a wrong encoding.

    A run of non-ASCII characters is garbled when encoding it back gives valid UTF-8 that is
    plausible: Japanese read as Shift_JIS (cp932) shows ideographs beside half-width kana, and
    undoes to kana and ideographs only; text read as Latin-1 or Windows-1252 ('Ã©' for 'é')
    undoes to letters (not phonetic ones), Latin-1 signs (©, °) or three-byte characters (’).
    """
    if not _MAY_BE_GARBLED.search(text):
        return None  # the common case, without a look at each run
    for run in _NON_ASCII.findall(text):
        for undo in (_undo_cp932, _undo_latin):
            original = undo(run)
            if original is not None:
                return run, original
    return None


def _undo_cp932(run: str) -> str | None:
    if not _HALF_WIDTH_KANA.search(run):
        return None
    original = _as_utf8(run, "cp932")
    return original if original and _JAPANESE.fullmatch(original) else None


def _undo_latin(run: str) -> str | None:
    for codec in ("cp1252", "latin-1"):
        original = _as_utf8(run, codec)
        if original is not None and original.isprintable() and all(map(_plausible, original)):
            return original
    return None


def _plausible(char: str) -> bool:
    """Whether UTF-8 undone from Latin-1 may hold `char`: a letter, a sign (©) or a 3-byte one."""
    code = ord(char)
    if code >= 0x800 or 0xA0 <= code <= 0xBF:
        return True
    return (0x80 <= code < 0x250 or 0x370 <= code < 0x800) and char.isalpha()


def _as_utf8(run: str, codec: str) -> str | None:
    """`run` encoded with `codec` and decoded as UTF-8, when that works and changes it."""
    try:
        original = run.encode(codec).decode("utf-8")
    except UnicodeError:
        return None
    return original if original != run else None
