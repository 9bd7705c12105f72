"""The phishing scanners read a text a line at a time (publisher.notify.lines) and find exactly
what reading it whole finds, table-driven: each input breaks a scanner that trusted its lines
too far (a match over a line break, a denial or a quotation that starts on the line before, a
full-width number, ー for a hyphen), and a line seen before is judged again in its new text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest

from publisher.check.rules.lures import _hosts
from publisher.notify.phishing import (
    credential_requests,
    lookalike,
    phone_numbers,
    threats,
    urgent_asks,
)


def found(matches: Iterable[re.Match[str]]) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in matches]


Scanner = Callable[[str], list[tuple[int, str]]]
SCANNERS: dict[str, Scanner] = {
    "credentials": lambda text: found(credential_requests(text)),
    "urgency": lambda text: found(urgent_asks(text)),
    "threats": lambda text: found(threats(text)),
    "phones": lambda text: list(phone_numbers(text)),
    "hosts": lambda text: list(_hosts(text)),
}
CASES: list[tuple[str, str, str, list[tuple[int, str]]]] = [
    # (scanner, what the case is, the text, (offset, match) of each finding)
    ("credentials", "a request over a line break", "Please sign in to\nverify your account.",
     [(7, "sign in to\nverify")]),
    ("credentials", "a denial on the line before", "We will never\nask you to enter your password.",
     []),
    ("credentials", "a request, then its denial on the next line",
     "Enter your password.\nWe will never ask you to enter your password.",
     [(0, "Enter your password")]),
    ("credentials", "full-width ＩＤ, then advice", "ＩＤとパスワードをご入力ください。\n"
     "パスワードの入力をお願いすることはございません。", [(0, "ＩＤとパスワードをご入力ください")]),
    ("credentials", "a Japanese request does not run over a line break",
     "パスワードを\n入力してください", []),
    ("urgency", "hurry in the sentence that asks", "Please act now.\nWe acted immediately.",
     [(7, "act now")]),
    ("urgency", "the mail's words told on the next line",
     "至急ご連絡ください\nなどと書かれたメール", []),
    ("urgency", "a denial on the line before", "We will not\nimmediately ask you to reply, please.",
     []),
    ("urgency", "the ask on another line", "至急\nご連絡ください", []),
    ("threats", "a threat", "アカウントは本日停止されます", [(0, "アカウントは本日停止されます")]),
    ("threats", "a threat quoted over three lines",
     "「\nアカウントは本日停止されます\n」などと書かれたメール", []),
    ("threats", "against the attacker, then on its own line",
     "攻撃者に対し法的措置を講じます。\n法的措置", [(17, "法的措置")]),
    ("threats", "two lines, two threats", "Your account will be suspended\nand legal action taken.",
     [(0, "Your account will be suspended"), (35, "legal action")]),
    ("threats", "a denial on the line before", "We will not\ntake legal action against you.", []),
    ("phones", "a number over a line break", "045-123\n4567", [(0, "045-123\n4567")]),
    ("phones", "a number over two line breaks", "045\n123\n4567", [(0, "045\n123\n4567")]),
    ("phones", "digits on the lines before take the number's first groups",
     "9\n8\n045\n123\n4567\nx", []),
    ("phones", "full-width digits, ー for a hyphen", "０４５ー１２３ー４５６７",
     [(0, "０４５ー１２３ー４５６７")]),
    ("phones", "an area code in brackets, then a line break", "電話 (045)\n123-4567",
     [(3, "(045)\n123-4567")]),
    ("phones", "a full-width country code over a line break", "＋８１\n４５－１２３－４５６７",
     [(0, "＋８１\n４５－１２３－４５６７")]),
    ("phones", "a digit ends the line before", "受付 9\n045-123-4567", [(5, "045-123-4567")]),
    ("phones", "a date on the line before", "2020年8月5日\n045-123-4567", [(10, "045-123-4567")]),
    ("hosts", "names first, then the hosts of URLs",
     "https://www.example.com/a\nwww.example.com",
     [(26, "www.example.com"), (0, "www.example.com")]),
    ("hosts", "an address's domain is no name", "mail@evil.example\nsee examp1e.com, "
     "https://evil.example/x.", [(22, "examp1e.com"), (35, "evil.example")]),
]  # fmt: skip


@pytest.mark.parametrize(("scanner", "name", "text", "expected"), CASES, ids=[c[1] for c in CASES])
def test_a_text_read_by_line_gives_what_it_gives_whole(
    scanner: str, name: str, text: str, expected: list[tuple[int, str]]
) -> None:
    assert SCANNERS[scanner](text) == expected


def test_a_line_read_before_is_judged_again_in_its_new_text() -> None:
    line = "アカウントは本日停止されます"
    assert found(threats(line)) == [(0, line)]
    assert found(threats(f"「\n{line}\n」などと書かれたメール")) == []
    assert found(threats(f"当該{line}")) == []
    assert found(threats(line)) == [(0, line)]


def test_a_host_remembered_is_judged_against_the_domains_asked() -> None:
    assert lookalike("examp1e.com", ["www.example.com"]) == "www.example.com"
    assert lookalike("examp1e.com", ["www.example.org"]) is None
    assert lookalike("examp1e.com", ("www.example.org", "www.example.com")) == "www.example.com"
