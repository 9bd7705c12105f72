"""Counts typed into prose: a number written with a fact's unit (11台, 1,240 people) is that fact.

A release that says 端末11台 in one section and 最終的に12台 in another, a mail that says 11 while
the page says 12, or a first notice that already gives a later count, all state a fact the record
does not back. A literal count that differs from the fact's value as of the release's date is an
error; one that equals it is a warning: write `{{ facts.NAME }}`, so the next value reaches it.

`literal_counts` is a function over any text of a release (its prose, its mail, a translation's),
so whatever reads another language's text can hold it to the same facts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from publisher.check.prose import Prose, mail_prose, release_prose
from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.files import packaged_yaml
from publisher.messages import _
from publisher.model.schema import Fact

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>", re.IGNORECASE)
_WIDE = str.maketrans("０１２３４５６７８９，", "0123456789,")
"""Full-width digits and comma, read as ASCII ones (one character each: offsets hold)."""
_NUMBER = r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)"
_DIGIT = re.compile(r"\d")
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"名", "人"}),
    frozenset({"people", "persons", "individuals"}),
)
"""Counter words that count the same thing: a fact counted in 名 is also typed as 1,240人."""


@dataclass(frozen=True)
class LiteralCount:
    """A number typed with a fact's unit, and what the fact says as of the text's date."""

    offset: int
    written: str
    fact: str
    value: int
    known: int | None
    """The fact's value as of the date (None: not yet known then)."""
    first_known: date

    @property
    def agrees(self) -> bool:
        """Whether the typed number is the fact's value as of the date."""
        return self.known == self.value


def literal_counts(text: str, facts: Mapping[str, Fact], day: date) -> Iterator[LiteralCount]:
    """Every count in `text` (Jinja expressions and link targets left out) typed with the unit
    of one of the integer `facts`, with that fact's value as of `day`. A count next to a word
    that names another kind of thing than the fact's label does (従業員1名 beside 影響を受けた
    顧客, 2 people on our staff) is not the fact's; see counted.yaml."""
    wanted = [
        (name, fact, unit)
        for name, fact in facts.items()
        for unit in _units(fact, facts)
        if _may_hold(text, unit)
    ]
    if not wanted or not _DIGIT.search(text):
        return  # a count needs a digit, which neither translating nor blanking makes
    shown = _blank(_LINK_TARGET, text.translate(_WIDE))
    blank = _blank(_JINJA, shown)
    taken: set[int] = set()
    for name, fact, unit in wanted:
        for match in re.finditer(_NUMBER + r"\s*" + re.escape(unit) + _end(unit), blank):
            if match.start() not in taken and _counts(fact, shown, match):
                taken.add(match.start())
                yield _count(match, text[match.start() : match.end()], name, fact, day)


_CHANGED = frozenset("0123456789,０１２３４５６７８９，")
"""What _WIDE reads or writes."""


def _may_hold(text: str, unit: str) -> bool:
    """Whether `text` may hold a count in `unit`, read without translating and blanking it: a
    unit without white space or what _WIDE changes is in the text they make only where it is
    in `text` (they change those characters alone, or make spaces of others)."""
    return unit in text or any(c.isspace() or c in _CHANGED for c in unit)


def _counts(fact: Fact, text: str, match: re.Match[str]) -> bool:
    """Whether the count `match` may be of `fact`: what it counts (its unit if that names a kind
    of thing, as PCs does, else the word it is written with), if counted.yaml knows it, is a
    kind the fact's label names too."""
    unit = _kind_of().get(fact.unit.strip().casefold())
    kind = unit or _kind_beside(text, match.start(), match.end())
    return kind is None or kind in _kinds(fact)


def _kinds(fact: Fact) -> set[str]:
    """The kinds of thing (counted.yaml) the fact's labels name, in every language."""
    labels = [fact.label, *(words.label for words in fact.translations.values())]
    kind = _kind_of()
    found = (kind.get(m.group().casefold()) for label in labels for m in _counted().finditer(label))
    return {k for k in found if k}


_BEFORE = r"(?:様|さま|さん|の方|方)?[\s(（:：はがもの]{0,3}\Z"
"""What may stand between a counted word and its number: 従業員1名, うち従業員1名, ご利用者様
1名, staff (2 people)."""
_AFTER = r"\A(?:の|\s+(?:of|in|on|from|at|among)\s+(?:(?:our|the|your|its|their)\s+)?)"
"""What may stand between a count and the word after it: 1,240名のお客様, 2 people on our staff."""


def _kind_beside(text: str, start: int, end: int) -> str | None:
    """The kind of the counted word written with the number at text[start:end]: just before it
    (従業員1名), else just after it (1,240名のお客様, 2 people on our staff). A word just after
    another number or a Jinja expression is that one's unit, not this one's word: in 11拠点13台
    の端末 and {{ facts.sites }}拠点12台の端末, 13台 and 12台 count 端末."""
    words = _counted().pattern
    before = re.compile(f"(?<![0-9}}])({words}){_BEFORE}", re.IGNORECASE).search(
        text, max(0, start - 24), start
    )
    after = re.search(f"{_AFTER}({words})", text[end : end + 32], re.IGNORECASE)
    found = before or after
    return _kind_of().get(found.group(1).casefold()) if found else None


@functools.cache
def _kind_of() -> dict[str, str]:
    """Each counted word of counted.yaml (in lower case) and its kind: 従業員 staff."""
    raw = packaged_yaml(Path(__file__).with_name("counted.yaml"))
    return {str(word).casefold(): str(kind) for kind, words in raw.items() for word in words}


@functools.cache
def _counted() -> re.Pattern[str]:
    """Any counted word, the longest first; English ones as whole words."""
    words = sorted(_kind_of(), key=len, reverse=True)
    return re.compile(
        "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words),
        re.IGNORECASE,
    )


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """`text` with what `pattern` matches turned into spaces (offsets stay where they were)."""
    return pattern.sub(lambda m: re.sub(r"\S", " ", m.group()), text)


def _units(fact: Fact, facts: Mapping[str, Fact]) -> list[str]:
    """The words that may follow a count of `fact`: its unit, and the unit's synonyms that no
    other fact has as its own unit."""
    unit = fact.unit.strip()
    if not unit or not any(isinstance(v.value, int) for v in fact.values):
        return []
    own = {f.unit.strip() for f in facts.values()}
    same = [group for group in SYNONYMS if unit in group]
    return [unit, *sorted(w for g in same for w in g if w != unit and w not in own)]


def _end(unit: str) -> str:
    return r"(?![A-Za-z])" if unit[-1:].isascii() and unit[-1:].isalpha() else ""


def _count(match: re.Match[str], written: str, name: str, fact: Fact, day: date) -> LiteralCount:
    known = [v for v in fact.values if v.as_of <= day and isinstance(v.value, int)]
    current = max(known, key=lambda v: v.as_of).value if known else None
    first = min(v.as_of for v in fact.values)
    value = int(match.group(1).replace(",", ""))
    return LiteralCount(match.start(), written, name, value, current, first)


def _release_texts(subject: Subject) -> Iterator[tuple[Prose, Mapping[str, Fact], date]]:
    for incident in subject.content.incidents:
        facts = incident.incident.facts
        for record in (v for original in incident.releases for v in original.versions):
            day = record.release.date  # a translation's is its original's
            for piece in (*release_prose(record), *mail_prose(record)):
                yield piece, facts, day


def counts_at(
    texts: Iterable[tuple[Prose, Mapping[str, Fact], date]], agreeing: bool
) -> Iterator[Problem]:
    """The literal counts of `texts` that agree with their fact (`agreeing`) or do not."""
    for piece, facts, day in texts:
        for count in literal_counts(piece.text, facts, day):
            if count.agrees == agreeing:
                yield piece.at(count.offset, _message(count, day))


def _message(count: LiteralCount, day: date) -> str:
    name = f"facts.{count.fact}"
    if count.agrees:
        said = _("{written} is {name} typed as text: write {{{{ {name} }}}} instead")
        return said.format(written=count.written, name=name)
    if count.known is None:
        return _(
            "{written}: {name} is not yet known on {day} (first known on {first}); a release "
            "states only what was known on its date"
        ).format(written=count.written, name=name, day=day, first=count.first_known)
    said = _("{written} contradicts {name}, which is {known} as of {day}")
    return said.format(written=count.written, name=name, known=count.known, day=day)


def mismatched(subject: Subject) -> Iterator[Problem]:
    """Counts typed into releases and mails that are not the fact's value as of their date."""
    yield from counts_at(_release_texts(subject), agreeing=False)


def typed(subject: Subject) -> Iterator[Problem]:
    """Counts typed into releases and mails that equal the fact: they will not follow it."""
    yield from counts_at(_release_texts(subject), agreeing=True)


_READS = (
    "Reads every release's prose (title, summary, greeting, intro, section bodies, closing, "
    "contact note) and its notice mail's subject and message, as written, leaving out Jinja "
    "expressions and link targets: a number (11, 1,240, full-width digits too) followed by the "
    "unit of an integer fact (Fact.unit: 台, 名, ' people'; 名 and 人, people and persons count "
    "the same) is that fact's count, unless the word it is written with names another kind "
    "of thing than the fact's label does (従業員1名, うち従業員1名, 2 people on our staff are no "
    "count of 影響を受けた顧客; 1,240名のお客様 is; publisher/check/rules/counted.yaml). "
)
RULES = (
    Rule(
        "prose-count-mismatch",
        "error",
        _READS + "An error when the number is not the fact's value as of the release's date, or "
        "the fact was not yet known on that date: the release, its mail and its other sections "
        "would say different things.",
        "publisher issue 12 item 2 (numbers typed into prose are tied to the facts)",
        mismatched,
    ),
    Rule(
        "prose-count-literal",
        "warning",
        _READS + "A warning when the number equals the fact's value as of the release's date: "
        "write {{ facts.NAME }} so a correction of the fact reaches the text.",
        "publisher issue 12 item 2 (numbers typed into prose are tied to the facts)",
        typed,
    ),
)
