"""The English notice mail's wording around the organisation's name."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.load.content import load_content
from publisher.notify.contacts import Contact
from publisher.notify.message import build_mime, plan_notice
from publisher.render.theme import load_theme
from tests.conftest import REPO, THEME

STARTER = REPO / "publisher" / "starter" / "en" / "content"
RELEASE = "mail-server-2026/2026-03-06"
NAMES = [
    ("Example Corporation", "This is Example Corporation."),
    ("Example Trading Co., Ltd.", "This is Example Trading Co., Ltd."),
    ("Example Supply, Inc.", "This is Example Supply, Inc."),
]


@pytest.mark.parametrize(("name", "sentence"), NAMES)
def test_a_name_that_ends_in_a_full_stop_gets_no_second_one(
    tmp_path: Path, name: str, sentence: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(STARTER, content)
    site = content / "site.yaml"
    site.write_text(
        site.read_text("utf-8").replace("name: Example Corporation  ", f"name: {name}  ", 1),
        "utf-8",
    )
    loaded = load_content(content)
    record = loaded.find_release(RELEASE)
    assert record is not None and loaded.site.organization.name == name
    notice = plan_notice(loaded, record, load_theme(THEME))
    mail = build_mime(notice, Contact(2, "a@example.com", "a@example.com", "A"), datetime.now(UTC))
    text, html = (p.get_content() for p in mail.iter_parts())  # type: ignore[attr-defined]
    assert sentence + "\n" in text.replace("\r\n", "\n") and f">{sentence}</p>" in html
    assert "Inc.." not in text and "Ltd.." not in text
