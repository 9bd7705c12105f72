"""What a title's place in its series reads as (check rule series-ordinals), table-driven."""

from __future__ import annotations

import pytest

from publisher.check.rules.series import ordinal


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("不正アクセスに関するお詫びとお知らせ(第1報)", 1),
        ("不正アクセスに関するお知らせ（第４報）", 4),  # full-width digits
        ("第三報", 3),
        ("第十報", 10),
        ("第十二報", 12),
        ("第二十報", 20),
        ("メール誤送信について 2報", 2),
        ("Notice of Data Breach: Update 2", 2),
        ("Update No. 3", 3),
        ("update #4", 4),
        ("Our 2nd update", 2),
        ("12th Update", 12),
        ("続報", None),
        ("速報", None),
        ("お気づきの点はご一報ください", None),  # 一報 without 第 is no ordinal
        ("2020年報告", None),
        ("2020報", None),  # a year, not a place
        ("System update 2026", None),
        ("Notice of Data Breach: Update", None),
    ],
)
def test_the_place_a_title_gives_itself(title: str, place: int | None) -> None:
    assert ordinal(title) == place
