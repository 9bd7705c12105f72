"""The body's layout, per site and per release: the 記 … 以上 frame and numbered headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import BuildConfig, build_site
from publisher.reporter import NullReporter
from tests.conftest import RELEASE, SITE, THEME, MakeTree

REL = "incidents/test/releases/2020-08-05.yaml"
JA_SITE = SITE.replace("language: en", "language: ja")


@pytest.mark.parametrize(
    ("site_layout", "release_layout", "ki", "number"),
    [
        ("", "", True, True),
        ("layout: {formal: false}\n", "", False, True),
        ("layout: {numbered: false}\n", "", True, False),
        ("layout: {formal: false, numbered: false}\n", "", False, False),
        ("layout: {formal: false, numbered: false}\n", "layout: {numbered: true}\n", False, True),
        ("", "layout: {formal: false, numbered: false}\n", False, False),
        ("layout: {formal: false}\n", "layout: {formal: true}\n", True, True),
    ],
)
def test_frame_and_numbers_follow_the_site_and_the_release(
    make_tree: MakeTree,
    tmp_path: Path,
    site_layout: str,
    release_layout: str,
    ki: bool,
    number: bool,
) -> None:
    root = make_tree({"site.yaml": JA_SITE + site_layout, REL: RELEASE + release_layout})
    build_site(BuildConfig(root, None, tmp_path / "out"), NullReporter())
    page = (tmp_path / "out" / "test" / "2020-08-05" / "index.html").read_text(encoding="utf-8")
    assert ('<p class="ki">記</p>' in page) is ki
    assert ('<p class="ijo">以上</p>' in page) is ki
    assert ("<h2>1.What happened</h2>" in page) is number
    assert ("<h2>What happened</h2>" in page) is not number


def test_only_japanese_lists_get_the_middle_dot() -> None:
    for css in ("static/style.css", "print/release.css"):
        text = (THEME / css).read_text(encoding="utf-8")
        dots = [line for line in text.splitlines() if "\\30FB" in line]
        assert dots and all(":lang(ja)" in line for line in dots), css
