"""The genuine-mail box of a release page says what is true of that page (issue 12 item 6)."""

from __future__ import annotations

from pathlib import Path

from publisher.build import BuildConfig, build_site
from publisher.reporter import NullReporter
from tests.conftest import INCIDENT, RELEASE, REPO, SITE, MakeTree

REFS = INCIDENT + (
    "references:\n"
    "  - {id: cert, title: CERT advisory, url: 'https://cert.example.org/a?x=1&y=2', "
    "as_of: 2020-08-01}\n"
    "  - {id: other, title: Other advisory, url: 'https://other.example.org/', as_of: 2020-08-01}\n"
)
ONLY = "lead only to pages on our website (https://www.example.com/).</p>"


def _page(make_tree: MakeTree, tmp_path: Path, release: str, site: str = SITE) -> str:
    root = make_tree(
        {
            "site.yaml": site,
            "incidents/test/incident.yaml": REFS,
            "incidents/test/releases/2020-08-05.yaml": release,
        }
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


def _box(page: str) -> list[str]:
    """The paragraphs of the full genuine-mail box, in order."""
    box = page.split('<aside class="genuine-mail" id="genuine-mail"', 1)[1].split("</aside>", 1)[0]
    return [p.split("</p>", 1)[0] for p in box.split("<p>")[1:]]


def test_the_full_box_leads_with_what_cannot_be_forged_and_ends_with_the_sender(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    paragraphs = _box(_page(make_tree, tmp_path, RELEASE))
    assert paragraphs[0].startswith("Our notices about this incident never carry attachments.")
    assert "lead only to pages on our website" in paragraphs[1]
    assert "you can open our website (https://www.example.com/) yourself" in paragraphs[2]
    assert "contact Example Help Desk as this page gives it" in paragraphs[3]  # no phone
    assert paragraphs[-1].startswith("Our notices about this incident come from an address")
    assert "can be forged" in paragraphs[-1]


def test_a_desk_with_a_phone_is_named_with_its_number(make_tree: MakeTree, tmp_path: Path) -> None:
    phoned = SITE.replace("  email: help@", "  phone: 0120-000-000\n  email: help@")
    paragraphs = _box(_page(make_tree, tmp_path, RELEASE, phoned))
    assert "call Example Help Desk on 0120-000-000, as this page gives it" in paragraphs[3]


def test_the_short_form_sits_under_the_title_and_links_the_full_box(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    page = _page(make_tree, tmp_path, RELEASE + "greeting: Dear customers.\n")
    article = page.split('<article class="release">', 1)[1].split("</article>", 1)[0]
    short = article.index('class="genuine-mail genuine-mail-short"')
    assert article.index("</header>") < short < article.index('<div class="greeting">')
    note = article[short:].split("</p>", 1)[0]
    assert "Our notices about this incident never carry attachments." in note
    assert "open www.example.com yourself" in note
    assert '<a href="#genuine-mail">How to recognise genuine mail from us</a>' in note
    assert 'id="genuine-mail"' in page.split("</article>", 1)[1]  # the target exists


def test_the_short_form_is_not_what_the_release_says(make_tree: MakeTree, tmp_path: Path) -> None:
    from publisher.render.history import release_text

    text = release_text(_page(make_tree, tmp_path, RELEASE).encode())
    assert "What happened" in text
    assert "attachments" not in text and "genuine" not in text
