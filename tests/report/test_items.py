"""One disclosure item resolved against the incident as known on a date (the pure core)."""

from __future__ import annotations

from datetime import date

import pytest

from publisher.load.content import load_content
from publisher.render.theme import load_theme
from publisher.report.items import resolve_item, resolve_pointer
from publisher.report.snapshot import Snapshot, take_snapshot
from tests.conftest import MakeTree
from tests.report.conftest import shop_tree


def _snapshot(make_tree: MakeTree, day: date) -> Snapshot:
    content = load_content(shop_tree(make_tree))
    [incident] = content.incidents
    return take_snapshot(content, incident, load_theme(None), day)


BAD = [
    ("facts.nope", "no fact 'nope' in the incident record"),
    ("release:2026-13-01", "release:2026-13-01: expected release:YYYY-MM-DD"),
    ("release:2026-03-05", "no release of this incident is dated 2026-03-05"),
    ("release:2026-03-04#Nope", "the release of 2026-03-04 has no section headed 'Nope'"),
    (
        "somewhere",
        "cannot tell where 'somewhere' points; use facts.<name>, timeline, measures, "
        "references or release:<YYYY-MM-DD>[#<section heading>|#notify]",
    ),
]


@pytest.mark.parametrize("pointer,reason", BAD, ids=[b[0] for b in BAD])
def test_a_pointer_to_nothing_says_why(make_tree: MakeTree, pointer: str, reason: str) -> None:
    assert resolve_pointer(_snapshot(make_tree, date(2026, 3, 20)), pointer) == reason


def test_a_pointer_to_something_later_gives_nothing(make_tree: MakeTree) -> None:
    snapshot = _snapshot(make_tree, date(2026, 3, 4))
    assert resolve_pointer(snapshot, "facts.records") is None
    assert resolve_pointer(snapshot, "release:2026-03-20") is None
    assert resolve_pointer(snapshot, "references") is None  # the record has none


def test_the_notice_mail_and_a_section(make_tree: MakeTree) -> None:
    snapshot = _snapshot(make_tree, date(2026, 3, 20))
    mail = resolve_pointer(snapshot, "release:2026-03-20#notify")
    assert mail is not None and not isinstance(mail, str)
    assert mail.text.endswith("Notice mail: “Notice of Data Breach: update”")
    section = resolve_pointer(snapshot, "release:2026-03-04#What We Are Doing")
    assert section is not None and not isinstance(section, str)
    assert section.text.endswith("What We Are Doing:\n- The shop taken offline")  # as of 3/4


def test_items_by_state(make_tree: MakeTree) -> None:
    early = _snapshot(make_tree, date(2026, 3, 4))
    late = _snapshot(make_tree, date(2026, 3, 20))
    assert resolve_item(early, "records")[0].status == "not yet known as of 2026-03-04"
    assert resolve_item(late, "records")[0].status == "stated"
    assert resolve_item(early, "consequences")[0].note is None
    assert resolve_item(late, "consequences")[0].note == "No misuse of the data has been seen."
    assert resolve_item(late, "cause")[0].status == "not in the record"
