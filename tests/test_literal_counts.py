"""literal_counts skips a text without its fact's unit or a digit before translating it, and
finds what translating finds, table-driven: a unit that full-width digits, a full-width comma or
white space make only once read (２号機 read as 2号機, 件 after ，) is looked for all the same."""

from __future__ import annotations

from datetime import date

import pytest

from publisher.check.rules.numbers import literal_counts
from publisher.model.schema import Fact, FactValue

DAY = date(2020, 8, 5)
CASES: list[tuple[str, str, str, list[tuple[int, str, int]]]] = [
    # (what the case is, the fact's unit, the text, (offset, as written, value) of each count)
    ("a count in full-width digits", "台", "合計１１台です。", [(2, "１１台", 11)]),
    ("the unit, no digit", "台", "{{ facts.pcs }}台が感染", []),
    ("no unit", "台", "11 PCs", []),
    ("a unit with a digit, made of full-width ones", "2号機", "第１２号機", [(1, "１２号機", 1)]),
    ("a unit with a comma, made of a full-width one", ",件", "3，件", [(0, "3，件", 3)]),
    ("a unit with a space", "PCs total", "11 PCs total", [(0, "11 PCs total", 11)]),
]


@pytest.mark.parametrize(("name", "unit", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_literal_counts_finds_what_the_translated_text_holds(
    name: str, unit: str, text: str, expected: list[tuple[int, str, int]]
) -> None:
    fact = Fact(label="Infected PCs", unit=unit, values=[FactValue(as_of=DAY, value=11)])
    found = [(c.offset, c.written, c.value) for c in literal_counts(text, {"pcs": fact}, DAY)]
    assert found == expected
