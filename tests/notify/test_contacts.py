"""Reading contact lists: checked addresses, rows left out with their lines, bad files refused."""

from __future__ import annotations

import random
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.errors import NotifyError
from publisher.notify import contacts
from publisher.notify.contacts import (
    AddressCheck,
    Contact,
    ContactReport,
    check_address,
    read_contacts,
)
from publisher.notify.ledger import Ledger
from tests.notify.conftest import WriteList, csv_text, people


def read(path: Path, **options: object) -> tuple[list[Contact], ContactReport]:
    report = ContactReport(path.name)
    with Ledger.scratch() as seen:
        seen.begin_staging()
        found = list(read_contacts(path, seen, report, **options))  # type: ignore[arg-type]
    return found, report


def test_valid_rows_are_read_with_fields_and_punycode_domains(write_list: WriteList) -> None:
    path = write_list(
        [
            ("Yamada@Example.JP", "山田 太郎", "例示商事", "customers", "ja"),
            ("sato@例え.example.jp", "", "", "partners", "ja"),
        ]
    )
    found, report = read(path)
    assert found == [
        Contact(
            2, "Yamada@example.jp", "yamada@example.jp", "山田 太郎", "例示商事", "customers", "ja"
        ),
        Contact(
            3,
            "sato@xn--r8jz45g.example.jp",
            "sato@xn--r8jz45g.example.jp",
            "",
            "",
            "partners",
            "ja",
        ),
    ]
    assert (report.rows, report.accepted, report.invalid, report.duplicates) == (2, 2, 0, 0)


BAD_ROWS = [
    (
        "not-an-address",
        "email: 'not-an-address' is not a valid address: An email address must have an @-sign.",
    ),
    (
        "a@@example.jp",
        "email: 'a@@example.jp' is not a valid address: "
        "The part after the @-sign contains invalid characters: '@'.",
    ),
    ("", "email: empty"),
    (
        "ユ@example.jp",
        "email: 'ユ@example.jp' is not a valid address: "
        "Internationalized characters before the @-sign are not supported: 'ユ'.",
    ),
]


@pytest.mark.parametrize(("email", "message"), BAD_ROWS)
def test_invalid_addresses_are_left_out_with_their_line(
    write_list: WriteList, email: str, message: str
) -> None:
    found, report = read(
        write_list([("ok@example.jp", "", "", "", ""), (email, "名前", "", "", "")])
    )
    assert [c.address for c in found] == ["ok@example.jp"]
    assert [(p.line, p.message) for p in report.samples] == [(3, message)]
    assert report.invalid == 1


BREAK = "which would start a new line in the mail"
INVISIBLE = "which can hide what the text says"
DIRECTION = "which can make text show in another order than written"
REFUSED_CHARACTERS = [
    (
        "name",
        "山田\u2028Bcc: x 様",
        f"a line break (U+2028 LINE SEPARATOR) at character 3, {BREAK}",
    ),
    (
        "name",
        "山田\u2029Bcc: x",
        f"a line break (U+2029 PARAGRAPH SEPARATOR) at character 3, {BREAK}",
    ),
    ("organization", "例示\x85Bcc: x", f"a line break (U+0085 NEXT LINE) at character 3, {BREAK}"),
    ("name", "山田\vx", f"a line break (U+000B LINE TABULATION) at character 3, {BREAK}"),
    ("name", "山田\x1cx", f"a line break (U+001C) at character 3, {BREAK}"),
    ("name", "山田\tx", "a control character (U+0009 TAB) at character 3, which is not text"),
    ("name", "a\x9bb", "a control character (U+009B) at character 2, which is not text"),
    ("name", "山田\uffff", "a control character (U+FFFF) at character 3, which is not text"),
    (
        "name",
        "山\u200b田",
        f"an invisible character (U+200B ZERO WIDTH SPACE) at character 2, {INVISIBLE}",
    ),
    (
        "name",
        "山\u200c田",
        f"an invisible character (U+200C ZERO WIDTH NON-JOINER) at character 2, {INVISIBLE}",
    ),
    (
        "name",
        "山\u200d田",
        f"an invisible character (U+200D ZERO WIDTH JOINER) at character 2, {INVISIBLE}",
    ),
    (
        "name",
        "山\u2060田",
        f"an invisible character (U+2060 WORD JOINER) at character 2, {INVISIBLE}",
    ),
    (
        "organization",
        "例\ufeff示",
        f"an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE) at character 2, {INVISIBLE}",
    ),
    (
        "name",
        "Jo\u00adsé",
        f"an invisible character (U+00AD SOFT HYPHEN) at character 3, {INVISIBLE}",
    ),
    (
        "name",
        "\u3164",
        f"an invisible character (U+3164 HANGUL FILLER) at character 1, {INVISIBLE}",
    ),
    (
        "name",
        "\u202emoc.live",
        f"a text-direction control (U+202E RIGHT-TO-LEFT OVERRIDE) at character 1, {DIRECTION}",
    ),
    (
        "name",
        "a\u202ab",
        f"a text-direction control (U+202A LEFT-TO-RIGHT EMBEDDING) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u202bb",
        f"a text-direction control (U+202B RIGHT-TO-LEFT EMBEDDING) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u202cb",
        f"a text-direction control (U+202C POP DIRECTIONAL FORMATTING) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u202db",
        f"a text-direction control (U+202D LEFT-TO-RIGHT OVERRIDE) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u2066b",
        f"a text-direction control (U+2066 LEFT-TO-RIGHT ISOLATE) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u2067b",
        f"a text-direction control (U+2067 RIGHT-TO-LEFT ISOLATE) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u2068b",
        f"a text-direction control (U+2068 FIRST STRONG ISOLATE) at character 2, {DIRECTION}",
    ),
    (
        "organization",
        "a\u2069b",
        f"a text-direction control (U+2069 POP DIRECTIONAL ISOLATE) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "\u061cمحمد",
        f"a text-direction control (U+061C ARABIC LETTER MARK) at character 1, {DIRECTION}",
    ),
    (
        "name",
        "a\u200eb",
        f"a text-direction control (U+200E LEFT-TO-RIGHT MARK) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "a\u200fb",
        f"a text-direction control (U+200F RIGHT-TO-LEFT MARK) at character 2, {DIRECTION}",
    ),
    (
        "name",
        "山\ufffd田",
        "a replacement character (U+FFFD REPLACEMENT CHARACTER) at character 2, "
        "left where a character was lost to a wrong encoding",
    ),
]


@pytest.mark.parametrize(("column", "value", "message"), REFUSED_CHARACTERS)
def test_names_with_line_breaks_invisible_or_direction_characters_are_refused(
    write_list: WriteList, column: str, value: str, message: str
) -> None:
    row = {"email": "a@example.jp", "name": "", "organization": "", "segment": "", "language": ""}
    row[column] = value
    found, report = read(write_list([tuple(row.values())]))
    assert found == []
    assert [(p.line, p.message) for p in report.samples] == [(2, f"{column}: contains {message}")]


LOOK_ALIKES = [
    ("name", "ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ", "https://evil.com"),
    ("name", "evil。com", "evil.com"),
    ("name", "evil．com", "evil.com"),
    ("name", "evil｡com", "evil.com"),
    ("organization", "ｅｖｉｌ。ｃｏｍ", "evil.com"),
    ("organization", "ｗｗｗ．ｅｘａｍｐｌｅ", "www.example"),
    ("name", "山田＠example.jp", "山田@example.jp"),
    ("name", "サンプル。jp", "サンプル.jp"),
]


@pytest.mark.parametrize(("column", "value", "reading"), LOOK_ALIKES)
def test_full_width_and_ideographic_look_alikes_of_links_are_refused(
    write_list: WriteList, column: str, value: str, reading: str
) -> None:
    row = {"email": "a@example.jp", "name": "", "organization": "", "segment": "", "language": ""}
    row[column] = value
    found, report = read(write_list([tuple(row.values())]))
    assert found == []
    message = f"{column}: looks like an address or a link: {value!r} (read as {reading!r})"
    assert [(p.line, p.message) for p in report.samples] == [(2, message)]


@pytest.mark.parametrize(
    ("name", "organization"),
    [
        ("山田 太郎", "株式会社サンプル"),
        ("山田\u3000太郎", "例示商事株式会社"),
        ("O'Brien", "O’Brien & Sons"),
        ("José", "Jose\u0301 García-López"),
        ("Mary-Jane Smith", "Example Co., Ltd."),
        ("ジョン・スミス", "モーニング娘。"),
        ("葛\U000e0100城 花子", "㈱サンプル"),
        ("髙橋 﨑", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("Ngô Bảo Châu", "محمد"),
    ],
)
def test_ordinary_names_in_any_script_are_kept(
    write_list: WriteList, name: str, organization: str
) -> None:
    found, report = read(write_list([("a@example.jp", name, organization, "", "")]))
    assert [(c.name, c.organization) for c in found] == [(name, organization)]
    assert report.samples == []


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "name",
            "https://evil.example/",
            "name: looks like an address or a link: 'https://evil.example/'",
        ),
        (
            "organization",
            "www.evil.example",
            "organization: looks like an address or a link: 'www.evil.example'",
        ),
        (
            "name",
            "山田\r\nBcc: x@example.com",
            "name: contains a line break (U+000D CARRIAGE RETURN) at character 3, "
            "which would start a new line in the mail",
        ),
        ("name", "x" * 201, "name: longer than 200 characters"),
        (
            "name",
            "=?utf-8?b?eA0KQmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?=",
            "name: contains an encoded word (=?...?=): "
            "'=?utf-8?b?eA0KQmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?='",
        ),
        (
            "name",
            "login at phish.xyz now",
            "name: looks like an address or a link: 'login at phish.xyz now'",
        ),
        (
            "organization",
            "evil-site.co.uk",
            "organization: looks like an address or a link: 'evil-site.co.uk'",
        ),
        ("name", "パスワードを再設定", "name: mentions passwords or logins: 'パスワードを再設定'"),
        (
            "name",
            "ｐａｓｓｗｏｒｄ ｒｅｓｅｔ",
            "name: mentions passwords or logins: 'ｐａｓｓｗｏｒｄ ｒｅｓｅｔ' "
            "(read as 'password reset')",
        ),
        (
            "name",
            "＝？utf-8？b？eA==?=",
            "name: contains an encoded word (=?...?=): '＝？utf-8？b？eA==?=' "
            "(read as '=?utf-8?b?eA==?=')",
        ),
        ("name", "evil.соm", "name: looks like an address or a link: 'evil.соm'"),
        ("organization", "例え.jp", "organization: looks like an address or a link: '例え.jp'"),
    ],
)
def test_names_that_could_inject_links_or_headers_are_refused(
    write_list: WriteList, column: str, value: str, message: str
) -> None:
    row = {"email": "a@example.jp", "name": "", "organization": "", "segment": "", "language": ""}
    row[column] = value
    found, report = read(write_list([tuple(row.values())]))
    assert found == []
    assert [(p.line, p.message) for p in report.samples] == [(2, message)]


def test_duplicates_differing_in_case_are_left_out_naming_the_first_line(
    write_list: WriteList,
) -> None:
    rows = [("a@example.jp", "", "", "", "")] * 1 + [("b@example.jp", "", "", "", "")]
    rows += [("A@EXAMPLE.JP", "", "", "", ""), ("b@Example.jp", "", "", "", "")]
    found, report = read(write_list(rows))
    assert [c.line for c in found] == [2, 3]
    assert [(p.line, p.message) for p in report.samples] == [
        (4, "duplicate of line 2"),
        (5, "duplicate of line 3"),
    ]
    assert report.duplicates == 2


def test_a_row_whose_cells_are_shifted_by_an_unquoted_comma_is_left_out_naming_its_line(
    tmp_path: Path,
) -> None:
    """Ellis, Jordan written without quotes: every cell after it would be read under the next
    column (its segment as its language), so the person would be sent to, or skipped, on the
    wrong column's say. Empty cells past the header's, as a spreadsheet adds them, are no shift."""
    path = tmp_path / "shifted.csv"
    path.write_text(
        "email,name,organization,segment,language\n"
        "jordan@example.jp,Ellis, Jordan,,customers,ja\n"
        "sam@example.jp,Sam,,customers,ja,,\n"
        '"kim@example.jp","Kim, Lee",,customers,ja\n',
        encoding="utf-8",
    )
    for header in (
        "email,name,organization,segment,language",
        "email,name,organization,segment,language,,",
    ):
        text = path.read_text(encoding="utf-8").partition("\n")[2]
        path.write_text(header + "\n" + text, encoding="utf-8")  # as a spreadsheet may write it
        found, report = read(path, segments=("customers",))
        assert [(c.address, c.name, c.segment) for c in found] == [
            ("sam@example.jp", "Sam", "customers"),
            ("kim@example.jp", "Kim, Lee", "customers"),
        ]
        assert [(p.line, p.message) for p in report.samples] == [
            (2, "the row has 6 cells but the header row has 5: is a comma in a name or an "
             "organization not inside double quotes?"),
        ]  # fmt: skip
        assert report.not_addressed == 0


def test_segments_filter_rows_and_a_list_without_segments_addresses_everyone(
    write_list: WriteList,
) -> None:
    rows = people(2, segment="customers") + people(1, start=10, segment="staff")
    found, report = read(write_list(rows), segments=("customers",))
    assert (len(found), report.not_addressed, dict(report.segments)) == (2, 1, {"customers": 2})
    no_segment = write_list([("x@example.jp",), ("y@example.jp",)], "plain.csv", ("email",))
    found, report = read(no_segment, segments=("customers",))
    assert [c.address for c in found] == ["x@example.jp", "y@example.jp"]


def test_utf8_bom_and_cp932_lists_read_the_same(write_list: WriteList) -> None:
    text = "email,name\nyamada@example.jp,山田 太郎\n"
    with_bom = write_list(b"\xef\xbb\xbf" + text.encode(), "bom.csv")
    shift_jis = write_list(text.encode("cp932"), "sjis.csv")
    assert read(with_bom)[0] == read(shift_jis, encoding="cp932")[0]
    assert read(with_bom)[0][0].name == "山田 太郎"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "email,name\na@example.jp,山田\n".encode("cp932"),
            "list.csv:2: not valid utf-8 (byte 0x8e at column 14) (a Shift_JIS export? try "
            "--encoding cp932); nothing was sent",
        ),
        (b"", "list.csv: the file is empty; expected a header row with an email column"),
        (
            b"mail,name\na@example.jp,x\n",
            "list.csv:1: no 'email' column in the header row (found 'mail', 'name')",
        ),
        (
            b"email,Email\na@example.jp,x\n",
            "list.csv:1: column 'email' appears twice in the header row",
        ),
    ],
)
def test_unreadable_lists_stop_with_a_located_message(
    write_list: WriteList, data: bytes, message: str
) -> None:
    with pytest.raises(NotifyError) as caught:
        read(write_list(data, "list.csv"))
    assert str(caught.value) == message


UTF8_HINT = "try --encoding utf-8; nothing was sent"
AGAIN = "export the list again from where it came from, as UTF-8; nothing was sent"
MISREAD_FILES = [
    (
        "email,name\na@example.jp,山田 太郎\n".encode(),
        "cp932",
        f"list.csv:2: the file looks like UTF-8, not cp932: '山田' would be read as '螻ｱ逕ｰ'; "
        f"{UTF8_HINT}",
    ),
    (
        "email,name\na@example.jp,x\nb@example.jp,José\n".encode(),
        "cp932",
        f"list.csv:3: the file looks like UTF-8, not cp932: 'José' would be read as 'Josﾃｩ'; "
        f"{UTF8_HINT}",
    ),
    (
        "email,name\na@example.jp,髙橋\n".encode(),
        "cp932",
        f"list.csv:2: the file looks like UTF-8, not cp932: '髙橋' would be read as '鬮呎ｩ�'; "
        f"{UTF8_HINT}",
    ),
    (
        "email,name\na@example.jp,José\n".encode(),
        "latin-1",
        f"list.csv:2: the file looks like UTF-8, not latin-1: 'José' would be read as 'JosÃ©'; "
        f"{UTF8_HINT}",
    ),
    (
        "\ufeffemail,name\na@example.jp,x\n".encode(),
        "cp932",
        "list.csv:1: the file starts with a UTF-8 byte order mark, so it is UTF-8, not cp932; "
        f"{UTF8_HINT}",
    ),
    (
        "email,name\na@example.jp,螻ｱ逕ｰ 太郎\n".encode("cp932"),
        "cp932",
        "list.csv:2: garbled text '螻ｱ逕ｰ' (it was '山田' before it was read with the wrong "
        f"encoding); {AGAIN}",
    ),
    (
        "email,name\na@example.jp,縺薙ｓ縺ｫ縺｡縺ｯ\n".encode(),
        "utf-8",
        "list.csv:2: garbled text '縺薙ｓ縺ｫ縺｡縺ｯ' (it was 'こんにちは' before it was read "
        f"with the wrong encoding); {AGAIN}",
    ),
    (
        "email,name\na@example.jp,x\nb@example.jp,JosÃ©\n".encode(),
        "utf-8",
        f"list.csv:3: garbled text 'Ã©' (it was 'é' before it was read with the wrong encoding); "
        f"{AGAIN}",
    ),
    (
        "email,organization\na@example.jp,å±±ç”°å•†äº‹\n".encode(),
        "utf-8",
        "list.csv:2: garbled text 'å±±ç”°å•†äº‹' (it was '山田商事' before it was read with the "
        f"wrong encoding); {AGAIN}",
    ),
    (
        "email,name\na@example.jp,山田\n".encode("cp932"),
        "UTF-8",
        "list.csv:2: not valid UTF-8 (byte 0x8e at column 14) (a Shift_JIS export? try "
        "--encoding cp932); nothing was sent",
    ),
]


MISREAD_IDS = [
    "utf-8 kanji as cp932",
    "utf-8 accent as cp932",
    "utf-8 not decodable as cp932",
    "utf-8 as latin-1",
    "utf-8 byte order mark as cp932",
    "garbled saved as cp932",
    "garbled kana saved as utf-8",
    "garbled accent saved as utf-8",
    "garbled via windows-1252 saved as utf-8",
    "shift_jis as UTF-8 spelled in capitals",
]


@pytest.mark.parametrize(("data", "encoding", "message"), MISREAD_FILES, ids=MISREAD_IDS)
def test_a_list_read_with_the_wrong_encoding_stops_naming_the_line_and_the_fix(
    write_list: WriteList, data: bytes, encoding: str, message: str
) -> None:
    with pytest.raises(NotifyError) as caught:
        read(write_list(data, "list.csv"), encoding=encoding)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("names", "encoding"),
    [
        (["山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "髙橋 﨑", "①商事", "株式会社サンプル"], "cp932"),
        (["山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "José", "Zoë Ørsted", "Œuvre & Co", "Иванов"], "utf-8"),
        (["José", "Zoë Ørsted", "Ñandú"], "latin-1"),
    ],
)
def test_lists_in_the_encoding_asked_for_are_read_as_written(
    write_list: WriteList, names: list[str], encoding: str
) -> None:
    rows = [(f"p{i}@example.jp", name, "", "", "") for i, name in enumerate(names)]
    data = csv_text(rows).encode(encoding)
    found, report = read(write_list(data), encoding=encoding)
    assert [c.name for c in found] == names
    assert report.samples == []


# Hiragana, katakana and JIS level 1 kanji: in Shift_JIS each begins with a byte (0x81-0x9F) that
# can only continue a UTF-8 character, so a line holding them is never valid UTF-8.
SHIFT_JIS_LETTERS = st.characters(min_codepoint=0x3041, max_codepoint=0x9FA0, codec="cp932").filter(
    lambda c: 0x81 <= c.encode("cp932")[0] <= 0x9F
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(SHIFT_JIS_LETTERS, min_size=1, max_size=12), min_size=1, max_size=10))
def test_a_shift_jis_list_is_never_taken_for_utf8_or_garbled(names: list[str]) -> None:
    rows = [(f"p{i}@example.jp", name, "", "", "") for i, name in enumerate(names)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sjis.csv"
        path.write_bytes(csv_text(rows).encode("cp932"))
        found, report = read(path, encoding="cp932")
    assert ([c.name for c in found], report.samples) == (names, [])


def test_100000_rows_with_10_percent_junk(write_list: WriteList) -> None:
    rng = random.Random(4)
    rows = people(90_000)
    junk = [("not an address", "", "", "customers", "")] * 5_000
    junk += [(r[0].upper(), "", "", "customers", "") for r in rng.sample(rows, 5_000)]
    rng.shuffle(all_rows := rows + junk)
    path = write_list(all_rows)
    report = ContactReport(path.name)
    with Ledger.scratch() as seen:
        seen.begin_staging()
        found = sum(1 for _ in read_contacts(path, seen, report))
    assert (found, report.invalid, report.duplicates, report.rows) == (
        90_000,
        5_000,
        5_000,
        100_000,
    )
    assert len(report.samples) == 100
    assert report.samples[0].line < report.samples[-1].line


def _peak_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        with Ledger.scratch() as seen:
            seen.begin_staging()
            for _ in read_contacts(path, seen, ContactReport(path.name)):
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_list(
    write_list: WriteList, monkeypatch: pytest.MonkeyPatch
) -> None:
    # email-validator keeps nothing between calls; a stand-in keeps tracemalloc fast.
    monkeypatch.setattr(contacts, "check_address", lambda text: (text.lower(), text))
    small = _peak_reading(write_list(people(1_000), "small.csv"))
    large = _peak_reading(write_list(people(30_000), "large.csv"))
    assert large < small + 500_000, f"peak {small} bytes for 1,000 rows, {large} for 30,000"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet='aZ09._%+-!#"@ ユ', min_size=0, max_size=70),
            st.sampled_from(["example.jp", "EXAMPLE.jp", "例え.example.jp", "ex_ample.jp", "jp"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_the_domain_cache_answers_exactly_as_email_validator(pairs: list[tuple[str, str]]) -> None:
    check = AddressCheck()
    for local, domain in [("warm", d) for _, d in pairs] + pairs:
        text = f"{local}@{domain}"
        try:
            expected: tuple[str, str] | str = check_address(text)
        except ValueError as exc:
            expected = str(exc)
        try:
            got: tuple[str, str] | str = check(text)
        except ValueError as exc:
            got = str(exc)
        assert got == expected, text


@pytest.mark.parametrize("encoding", ["utf-8", "UTF-8", "utf8", "utf_8"])
def test_a_byte_order_mark_is_dropped_whatever_utf8_is_called(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfemail,name\r\nyamada@example.jp,\xe5\xb1\xb1\xe7\x94\xb0\r\n")
    found, _ = read(path, encoding=encoding)
    assert [(c.address, c.name) for c in found] == [("yamada@example.jp", "山田")]


@pytest.mark.parametrize(
    "data,line",
    [
        (b'email,name\nx@example.jp,"' + b"a" * 200_000 + b'"\n', 2),
        (b"email,segment\rx@example.jp,customers\r", 1),
    ],
    ids=["field over the csv module's limit", "old Mac line endings"],
)
def test_an_unreadable_csv_is_a_message_naming_the_line(
    tmp_path: Path, data: bytes, line: int
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(NotifyError, match=rf"^bad\.csv:{line}: not a readable CSV file: "):
        read(path)
