"""Dates, date ranges and numbers from CLDR (publisher.render.formats), as filters and in prose."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from publisher.errors import ContentError, FormatError
from publisher.load.content import load_content
from publisher.render.formats import format_day, format_number, format_range
from publisher.render.pages import render_releases
from publisher.render.theme import load_theme
from tests.conftest import RELEASE, MakeTree

REL = "incidents/test/releases/2020-08-05.yaml"
INC = "incidents/test/incident.yaml"

MARCH_1, MARCH_8 = date(2022, 3, 1), date(2022, 3, 8)


def _strings(lang: str) -> Any:
    return load_theme(None).strings_for(lang)


@pytest.mark.parametrize(
    ("lang", "name", "day", "expected"),
    [
        ("ja", "long", date(2020, 7, 29), "2020年7月29日"),
        ("ja", "short", date(2020, 7, 29), "7月29日"),
        ("ja", "weekday", MARCH_8, "2022年3月8日(火)"),
        ("ja", "short_weekday", MARCH_8, "3月8日(火)"),
        ("en", "long", date(2020, 7, 29), "July 29, 2020"),
        ("en", "short", date(2020, 7, 29), "July 29"),
        ("en", "weekday", MARCH_8, "Tuesday, March 8, 2022"),
        ("en", "short_weekday", MARCH_8, "Tue, Mar 8"),
    ],
)
def test_dates_in_the_default_strings(lang: str, name: str, day: date, expected: str) -> None:
    assert format_day(_strings(lang), name, day) == expected


@pytest.mark.parametrize(
    ("lang", "start", "end", "expected"),
    [
        ("ja", MARCH_1, MARCH_8, "2022年3月1日～8日"),
        ("ja", MARCH_1, date(2022, 4, 8), "2022年3月1日～4月8日"),
        ("ja", MARCH_1, MARCH_1, "2022年3月1日"),
        ("en", MARCH_1, MARCH_8, "Mar 1\u2009–\u20098, 2022"),
        ("en", MARCH_1, date(2023, 1, 2), "Mar 1, 2022\u2009–\u2009Jan 2, 2023"),
    ],
)
def test_date_ranges(lang: str, start: date, end: date, expected: str) -> None:
    assert format_range(_strings(lang), "range", start, end) == expected


@pytest.mark.parametrize(
    ("strings", "number", "expected"),
    [
        ({"locale": "ja", "number_format": "#,##0"}, 1240, "1,240"),
        ({"locale": "en"}, 1240, "1,240"),
        ({"locale": "de"}, 1240, "1.240"),
        ({"locale": "fr"}, 1240, "1\u202f240"),
        ({"locale": "ja"}, 11, "11"),
    ],
)
def test_numbers_are_grouped_per_language(strings: Any, number: int, expected: str) -> None:
    assert format_number(strings, number) == expected


@pytest.mark.parametrize(
    ("strings", "name", "message"),
    [
        (
            {"date_formats": {"long": "yMMMd"}},
            "weekdy",
            "no date format 'weekdy' in the strings (known: long)",
        ),
        (
            {"date_formats": {"long": "y年M月"}},
            "long",
            "date format 'long': 'y年M月' is neither a CLDR format name "
            "(short, medium, long, full) nor a CLDR skeleton like yMMMd",
        ),
        (
            {"locale": "xx-YY", "date_formats": {"long": "long"}},
            "long",
            "locale 'xx-YY': not a locale CLDR knows (ja, en, en_GB)",
        ),
    ],
)
def test_unknown_formats_are_errors(strings: Any, name: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        format_day(strings, name, MARCH_1)
    assert str(caught.value) == message


BIG = """\
title: Test incident
discovered: 2020-07-29
category: malware
facts:
  infected_pcs:
    label: Infected PCs
    unit: " PCs"
    values:
      - {as_of: 2020-08-05, value: 1240}
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ facts.infected_pcs }} PCs.", "<p>1,240 PCs.</p>"),
        ("{{ facts.infected_pcs + 1 }}", "<p>1,241</p>"),
        ("{{ release.date }}", "<p>August 5, 2020</p>"),
        ("{{ release.date | date_weekday }}", "<p>Wednesday, August 5, 2020</p>"),
        ("{{ release.date | date('short_weekday') }}", "<p>Wed, Aug 5</p>"),
        (
            "{{ incident.discovered | date_range(release.date) }}",
            "<p>Jul 29\u2009–\u2009Aug 5, 2020</p>",
        ),
        ("{{ 1234567 | number }}", "<p>1,234,567</p>"),
    ],
)
def test_prose_prints_numbers_and_dates_per_language(
    make_tree: MakeTree, body: str, expected: str
) -> None:
    release = RELEASE.replace('"{{ facts.infected_pcs }} PCs."', repr(body))
    root = make_tree({INC: BIG, REL: release})
    (rendered,) = render_releases(load_content(root), load_theme(None))
    assert str(rendered.sections[0].html).strip() == expected


def test_an_unknown_format_in_prose_is_a_located_error(make_tree: MakeTree) -> None:
    release = RELEASE.replace(
        "{{ facts.infected_pcs }} PCs.", "{{ release.date | date('weekdy') }}"
    )
    root = make_tree({REL: release})
    with pytest.raises(ContentError) as caught:
        render_releases(load_content(root), load_theme(None))
    assert [str(p) for p in caught.value.problems] == [
        "content/incidents/test/releases/2020-08-05.yaml:7:1: sections[1].body: no date format "
        "'weekdy' in the strings (known: long, range, short, short_weekday, weekday)"
    ]


KINDS = (
    "expected a number (11), a text, a list of texts, a date (2026-03-01) or a range "
    "{from: 2026-03-01, to: 2026-03-08}"
)
RANGE = "a range {from: 2026-03-01, to: 2026-03-08}: "

WINDOW = """\
title: Test incident
discovered: 2020-07-29
category: malware
facts:
  intrusion:
    label: Intrusion
    values:
      - {as_of: 2020-08-01, value: 2020-07-20}
      - {as_of: 2020-08-05, value: {from: 2020-07-20, to: 2020-07-28}, note: Longer than thought.}
  found:
    label: Found
    values:
      - {as_of: 2020-08-01, value: 2020-07-29}
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ facts.intrusion }}", "<p>Jul 20\u2009–\u200928, 2020</p>"),
        ("{{ facts.intrusion | date_range }}", "<p>Jul 20\u2009–\u200928, 2020</p>"),
        ("{{ facts.intrusion.start | date_short }}", "<p>July 20</p>"),
        ("{{ facts.found }}", "<p>July 29, 2020</p>"),
        ("{{ facts.found | date_weekday }}", "<p>Wednesday, July 29, 2020</p>"),
    ],
)
def test_facts_may_hold_dates_and_ranges(make_tree: MakeTree, body: str, expected: str) -> None:
    release = RELEASE.replace('"{{ facts.infected_pcs }} PCs."', repr(body))
    root = make_tree({INC: WINDOW, REL: release})
    (rendered,) = render_releases(load_content(root), load_theme(None))
    assert str(rendered.sections[0].html).strip() == expected


def test_a_date_fact_follows_the_as_of_rules(make_tree: MakeTree) -> None:
    later = WINDOW.replace(
        "{as_of: 2020-08-01, value: 2020-07-20}", "{as_of: 2020-08-06, value: 2020-07-20}"
    )
    later = later.replace("{as_of: 2020-08-05, value: {from", "{as_of: 2020-08-07, value: {from")
    release = RELEASE.replace("{{ facts.infected_pcs }} PCs.", "{{ facts.intrusion }}")
    root = make_tree({INC: later, REL: release})
    with pytest.raises(ContentError) as caught:
        render_releases(load_content(root), load_theme(None))
    assert [p.message for p in caught.value.problems] == [
        "facts.intrusion: not yet known on 2020-08-05 (first known on 2020-08-06); a release can "
        "only show what was known on its date"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "{from: 2020-07-28, to: 2020-07-20}",
            RANGE + "to: 2020-07-20 is before from: 2020-07-28",
        ),
        (
            "{from: 2020-07-28}",
            RANGE + "Object missing required field `to`",
        ),
        (
            "{from: 2020-07-28, to: 2020-07-30, by: x}",
            RANGE + "Object contains unknown field `by`",
        ),
        (
            "1.5",
            KINDS + ", got the number 1.5 (put it in quotes for text)",
        ),
        (
            "yes",
            KINDS + ", got true (YAML reads yes, no, on and off so; put it in quotes)",
        ),
        (
            "2020-07-28T10:00:00",
            KINDS + ", got a date and time",
        ),
        ("' '", "must not be empty"),
        ("[a, ' ']", "item 2 of the list: must not be empty"),
    ],
)
def test_a_fact_value_that_fits_no_kind_is_located(
    make_tree: MakeTree, value: str, message: str
) -> None:
    incident = WINDOW.replace(
        "{as_of: 2020-08-01, value: 2020-07-29}", f"{{as_of: 2020-08-01, value: {value}}}"
    )
    root = make_tree({INC: incident})
    with pytest.raises(ContentError) as caught:
        load_content(root)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.field) == (
        "content/incidents/test/incident.yaml",
        13,
        "facts.found.values[1].value",
    )
    assert problem.message == message
