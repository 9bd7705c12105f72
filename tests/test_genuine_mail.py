"""The genuine-mail box of a release page says what is true of that page (issue 12 item 6)."""

from __future__ import annotations

from pathlib import Path

from publisher.build import BuildConfig, build_site
from publisher.reporter import NullReporter
from tests.conftest import INCIDENT, RELEASE, REPO, MakeTree

REFS = INCIDENT + (
    "references:\n"
    "  - {id: cert, title: CERT advisory, url: 'https://cert.example.org/a?x=1&y=2', "
    "as_of: 2020-08-01}\n"
    "  - {id: other, title: Other advisory, url: 'https://other.example.org/', as_of: 2020-08-01}\n"
)
ONLY = "lead only to pages on our website (https://www.example.com/).</p>"


def _page(make_tree: MakeTree, tmp_path: Path, release: str) -> str:
    root = make_tree(
        {"incidents/test/incident.yaml": REFS, "incidents/test/releases/2020-08-05.yaml": release}
    )
    out = tmp_path / "site"
    build_site(BuildConfig(root, REPO / "templates", out), NullReporter())
    return (out / "test/2020-08-05/index.html").read_text(encoding="utf-8")


def test_a_page_that_links_a_declared_reference_names_it_as_the_exception(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    linked = RELEASE + "closing: \"See <{{ references['cert'].url }}>.\"\n"
    page = _page(make_tree, tmp_path, linked)
    assert ONLY not in page
    assert (
        "lead only to pages on our website (https://www.example.com/) and, for background, to "
        "“CERT advisory” (https://cert.example.org/a?x=1&amp;y=2).</p>"
    ) in page
    assert "Other advisory" not in page  # declared, not linked: not named


def test_a_page_without_such_links_says_links_go_only_to_the_site(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    assert ONLY in _page(make_tree, tmp_path, RELEASE)
