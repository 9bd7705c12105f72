"""Reading a contact list (CSV) as a stream: checked addresses, with the rows left out and why.

The file is never loaded whole: rows are decoded line by line (so a bad byte is reported with its
line), checked, and handed on one at a time. Duplicates are found through a `Seen` store passed
in (the ledger keeps it in SQLite), so memory does not grow with the size of the file.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from publisher.errors import NotifyError, Problem
from publisher.messages import _
from publisher.notify.screening import check_text, garbled

COLUMNS = ("email", "name", "organization", "segment", "language")
MAX_SAMPLES = 100
# A dot-atom of the commonest characters: a strict subset of what RFC 5322 allows.
_SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*")
MAX_DOMAINS = 10_000
_BOM = b"\xef\xbb\xbf"
# A word holding a non-ASCII character: what a misread file shows first.
_WORD = re.compile(r"[^\s,;\"']*[^\x00-\x7f][^\s,;\"']*")


@dataclass(frozen=True)
class Contact:
    """One checked recipient: `address` is the ASCII, lower-cased key; `email` as given."""

    line: int
    email: str
    address: str
    name: str = ""
    organization: str = ""
    segment: str = ""
    language: str = ""


@dataclass
class ContactReport:
    """What reading a list found: counts, and the first rows left out (all counted).

    `unreachable` counts the rows left out of the segments addressed (`addressed`; empty: the
    whole list) by (segment, reason): 'invalid', 'no_address' or 'duplicate'. A row left out
    names its segment as written when that segment is addressed by name; when the whole list
    is, as written if it would pass as a name (no address, no link), else '(unreadable)'.
    Addresses are never kept.
    """

    path: str
    rows: int = 0
    accepted: int = 0
    not_addressed: int = 0
    invalid: int = 0
    duplicates: int = 0
    segments: Counter[str] = field(default_factory=Counter)
    samples: list[Problem] = field(default_factory=list)
    addressed: tuple[str, ...] = ()
    unreachable: Counter[tuple[str, str]] = field(default_factory=Counter)

    def leave_out(self, problem: Problem, duplicate: bool = False) -> None:
        """Count a row left out, keeping the first MAX_SAMPLES for the summary."""
        if duplicate:
            self.duplicates += 1
        else:
            self.invalid += 1
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(problem)


class Seen(Protocol):
    """Remembers addresses already taken in this run."""

    def first_line(self, contact: Contact) -> int | None:
        """The line where `contact`'s address was first seen, or None (and remember it)."""


def read_contacts(
    path: Path,
    seen: Seen,
    report: ContactReport,
    encoding: str = "utf-8",
    segments: Iterable[str] = (),
    explicit: bool = False,
) -> Iterator[Contact]:
    """Yield the valid, addressed, first-seen contacts of `path`; count the rest in `report`."""
    check = AddressCheck()
    with _open(path) as stream:
        rows = csv.reader(_lines(stream, report.path, encoding))
        values_of = _rows(rows, report.path)
        heading = next(values_of, None)
        header = _header(heading, report.path)
        named = [i for i, cell in enumerate(heading or ()) if cell.strip()]
        width = named[-1] + 1 if named else 0  # empty cells at its end name no column
        wanted = _wanted(frozenset(segments), header, report.path, explicit)
        report.addressed = tuple(sorted(wanted))
        start = rows.line_num + 1
        for values in values_of:
            line, start = start, rows.line_num + 1
            if not any(v.strip() for v in values):
                continue
            report.rows += 1
            found = _contact(header, width, values, line, check, report.path)
            if isinstance(found, Problem):
                report.leave_out(found)
                _count_unreachable(report, header, values, wanted)
            elif wanted and found.segment not in wanted:
                report.not_addressed += 1
            elif (first := seen.first_line(found)) is not None:
                problem = Problem(
                    report.path,
                    found.line,
                    message=_("duplicate of line {line}").format(line=first),
                )
                report.leave_out(problem, duplicate=True)
                report.unreachable[found.segment, "duplicate"] += 1
            else:
                report.accepted += 1
                report.segments[found.segment] += 1
                yield found


def _count_unreachable(
    report: ContactReport, header: dict[str, int], values: list[str], wanted: frozenset[str]
) -> None:
    """Count an invalid row under its segment, if that segment is addressed."""
    cells = {name: values[i].strip() if i < len(values) else "" for name, i in header.items()}
    segment = cells.get("segment", "")
    if wanted and segment not in wanted:
        return
    if not wanted:
        try:  # screened as a name is: a shifted row must not put an address in the ledger
            check_text("organization", segment)
        except ValueError:
            segment = "(unreadable)"
    reason = "invalid" if cells.get("email") else "no_address"
    report.unreachable[segment, reason] += 1


def _wanted(
    segments: frozenset[str], header: dict[str, int], shown: str, explicit: bool
) -> frozenset[str]:
    """The segments to address; a list without a segment column addresses everyone in it.

    Segments asked for on the command line need the column: without it, nobody could be left out.
    """
    if "segment" in header:
        return segments
    if explicit and segments:
        said = _("{path}: --segment given, but the list has no 'segment' column")
        raise NotifyError(said.format(path=shown))
    return frozenset()


def _rows(rows: Any, shown: str) -> Iterator[list[str]]:
    """The CSV rows; a malformed file (an unclosed quote, a huge field) is a message."""
    try:
        yield from rows
    except csv.Error as exc:
        said = _("{path}:{line}: not a readable CSV file: {error}")
        raise NotifyError(said.format(path=shown, line=rows.line_num, error=exc)) from None


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        said = _("{path}: cannot read the contact list: {error}")
        raise NotifyError(said.format(path=path, error=exc.strerror)) from None


def _lines(stream: BinaryIO, shown: str, encoding: str) -> Iterator[str]:
    """The file's lines as text; a line not in `encoding`, or garbled by it, stops the reading."""
    utf8 = _is_utf8(encoding)
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(_BOM) and utf8:
            raw = raw[3:]
        try:
            text = _decode(raw, encoding, utf8)
        except ValueError as exc:
            said = _("{path}:{line}: {error}; nothing was sent")
            raise NotifyError(said.format(path=shown, line=number, error=exc)) from None
        yield text


def _decode(raw: bytes, encoding: str, utf8: bool) -> str:
    """`raw` decoded; ValueError saying why, with a hint, when it cannot be or comes out garbled.

    A line that is valid UTF-8 with non-ASCII bytes is UTF-8 whatever was asked: Shift_JIS kana,
    full-width signs and common kanji begin with a byte that can only continue a UTF-8 character.
    """
    if not utf8 and not raw.isascii() and (as_utf8 := _as_utf8(raw)) is not None:
        raise ValueError(_looks_like_utf8(raw, as_utf8, encoding))
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        if utf8 and _is_cp932(raw):
            said = _(
                "not valid {encoding} (byte 0x{byte} at column {column}) (a Shift_JIS export? "
                "try --encoding cp932)"
            )
        else:
            said = _("not valid {encoding} (byte 0x{byte} at column {column})")
        raise ValueError(said.format(encoding=encoding, byte=bad, column=exc.start + 1)) from None
    if not text.isascii() and (found := garbled(text)) is not None:
        run, original = found
        raise ValueError(
            _(
                "garbled text {text} (it was {original} before it was read with the wrong "
                "encoding); export the list again from where it came from, as UTF-8"
            ).format(text=repr(run), original=repr(original))
        )
    return text


def _looks_like_utf8(raw: bytes, as_utf8: str, encoding: str) -> str:
    """Why a UTF-8 line is refused under `encoding`, showing a word as it would be misread."""
    if raw.startswith(_BOM):
        return _(
            "the file starts with a UTF-8 byte order mark, so it is UTF-8, not {encoding}; "
            "try --encoding utf-8"
        ).format(encoding=encoding)
    word = _WORD.findall(as_utf8)[0][:40]
    misread = word.encode("utf-8").decode(encoding, errors="replace")
    return _(
        "the file looks like UTF-8, not {encoding}: {word} would be read as {misread}; "
        "try --encoding utf-8"
    ).format(encoding=encoding, word=repr(word), misread=repr(misread))


def _as_utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_cp932(raw: bytes) -> bool:
    try:
        raw.decode("cp932")
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(encoding: str) -> bool:
    """Whether `encoding` is a name of UTF-8; an encoding Python does not know is a message."""
    try:
        b"".decode(encoding)  # a codec that is not a text encoding (rot13) is unknown here too
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        raise NotifyError(
            _("unknown encoding {encoding}").format(encoding=repr(encoding))
        ) from None


def _header(row: list[str] | None, shown: str) -> dict[str, int]:
    if row is None:
        said = _("{path}: the file is empty; expected a header row with an email column")
        raise NotifyError(said.format(path=shown))
    names = [cell.strip().lower() for cell in row]
    if "email" not in names:
        found = ", ".join(repr(n) for n in names if n) or "nothing"
        said = _("{path}:1: no 'email' column in the header row (found {found})")
        raise NotifyError(said.format(path=shown, found=found))
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    if doubled:
        said = _("{path}:1: column {column} appears twice in the header row")
        raise NotifyError(said.format(path=shown, column=repr(doubled[0])))
    return {name: index for index, name in enumerate(names) if name in COLUMNS}


def _contact(
    header: dict[str, int],
    width: int,
    values: list[str],
    line: int,
    check: AddressCheck,
    path: str,
) -> Contact | Problem:
    """The contact of the row `values` at `line`, under the header row's columns (`header`, of
    `width` cells), or why it is left out. A row with more cells than the header holds, past
    those empty ones a spreadsheet may add, has its cells shifted (a comma in a name that is
    not in double quotes): each would be read under another column."""
    if any(value.strip() for value in values[width:]):
        said = _(
            "the row has {cells} cells but the header row has {columns}: is a comma in a name "
            "or an organization not inside double quotes?"
        )
        return Problem(path, line, message=said.format(cells=len(values), columns=width))
    fields = {name: values[i].strip() if i < len(values) else "" for name, i in header.items()}
    try:
        address, email = check(fields.get("email", ""))
        for name in ("name", "organization", "segment", "language"):
            check_text(name, fields.get(name, ""))
    except ValueError as exc:
        return Problem(path, line, message=str(exc))
    return Contact(
        line,
        email,
        address,
        fields.get("name", ""),
        fields.get("organization", ""),
        fields.get("segment", ""),
        fields.get("language", ""),
    )


def check_address(text: str) -> tuple[str, str]:
    """(key, address to send to) for `text`: an RFC 5322 addr-spec, its domain in punycode."""
    from email_validator import EmailNotValidError, validate_email  # 30 ms: only when asked

    if not text:
        raise ValueError(_("email: empty"))
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        said = _("email: {address} is not a valid address: {error}")
        raise ValueError(said.format(address=repr(text), error=exc)) from None
    ascii_email = checked.ascii_email or checked.normalized
    return ascii_email.lower(), ascii_email


class AddressCheck:
    """check_address, skipping the domain check for domains it has already found valid.

    A list holds few domains, and email-validator spends most of its time on them. An address
    whose local part is a simple dot-atom (a strict subset of RFC 5322's) on a known domain is
    valid with the same normalised form, so it needs no second look. The cache is bounded.
    """

    def __init__(self) -> None:
        self.domains: dict[str, str] = {}

    def __call__(self, text: str) -> tuple[str, str]:
        """(key, address to send to) for `text`, as check_address gives them."""
        local, _at, domain = text.rpartition("@")
        known = self.domains.get(domain)
        simple = len(local) <= 64 and _SIMPLE_LOCAL.fullmatch(local) is not None
        if known is not None and simple and len(local) + len(known) < 254:
            email = f"{local}@{known}"
            return email.lower(), email
        key, email = check_address(text)
        if simple and len(self.domains) < MAX_DOMAINS:
            self.domains[domain] = email.rpartition("@")[2]
        return key, email
