"""The notice mail as mail clients show it: inline styles in one column of at most 600 px, an
address that keeps to its greeting, links only to pages, and a Reply-To its words agree with."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from publisher.errors import ContentError
from publisher.load.content import load_content
from publisher.notify.contacts import Contact
from publisher.notify.message import build_mime, plan_notice
from publisher.render.theme import load_theme
from tests.conftest import REPO, THEME

NOW = datetime(2020, 11, 14, 1, 0, tzinfo=UTC)
EXAMPLE = (REPO / "content", "emotet-2020/2020-11-14")
STARTER = (REPO / "publisher" / "starter" / "en" / "content", "mail-server-2026/2026-03-06")
BLOCKS = {"body", "table", "td", "p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "li"}
"""The elements a mail client lays out as blocks: each carries its own style."""
CONTACTS = [
    Contact(2, "a@example.jp", "a@example.jp"),
    Contact(2, "a@example.jp", "a@example.jp", "山田 太郎"),
    Contact(2, "a@example.jp", "a@example.jp", "", "例示商事株式会社"),
    Contact(2, "a@example.jp", "a@example.jp", "山田 太郎", "例示商事株式会社"),
]
COLLECTIVE = {"ja": re.compile("皆様|皆さま|各位"), "en": re.compile(r"everyone|all of you", re.I)}
"""Words for many readers, which a mail that greets one by name must not switch to."""
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def mail_parts(content: Path, release: str, contact: Contact) -> tuple[str, str, str | None]:
    """The text part, the HTML part and the Reply-To of `contact`'s copy."""
    loaded = load_content(content)
    record = loaded.find_release(release)
    assert record is not None
    mail = build_mime(plan_notice(loaded, record, load_theme(THEME)), contact, NOW)
    text, html = (p.get_content() for p in mail.iter_parts())  # type: ignore[attr-defined]
    reply = mail["Reply-To"]
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n"), reply and str(reply)


@pytest.mark.parametrize("where", [EXAMPLE, STARTER], ids=["ja", "en"])
@pytest.mark.parametrize("contact", CONTACTS, ids=["none", "name", "organization", "both"])
def test_the_html_part_is_built_for_mail_clients(where: tuple[Path, str], contact: Contact) -> None:
    text, html, _ = mail_parts(*where, contact)
    tags = elements(html)
    assert not {"style", "link"} & {t for t, _ in tags}
    unstyled = [t for t, attrs in tags if t in BLOCKS and not attrs.get("style")]
    assert unstyled == []
    assert any("max-width:600px" in (a.get("style") or "") for t, a in tags if t == "table")
    links = [a["href"] for t, a in tags if t == "a" and a.get("href")]
    assert links and not [u for u in links if u.lower().split("?")[0].endswith(".pdf")]
    assert ".pdf" not in text
    assert [u for u in links if u not in text] == []


@pytest.mark.parametrize(("where", "lang"), [(EXAMPLE, "ja"), (STARTER, "en")], ids=["ja", "en"])
@pytest.mark.parametrize("contact", CONTACTS, ids=["none", "name", "organization", "both"])
def test_the_body_keeps_to_the_greeting(
    where: tuple[Path, str], lang: str, contact: Contact
) -> None:
    text, html, _ = mail_parts(*where, contact)
    visible = re.sub(r"<[^>]+>", "", html.split("<body", 1)[1].split(">", 1)[1])
    for part in (text, visible):
        greeting = part.strip().splitlines()[0]
        if contact.name or contact.organization:
            assert not COLLECTIVE[lang].search(part), part
        else:
            assert COLLECTIVE[lang].search(greeting) or greeting == "To all concerned,", greeting


def test_the_example_opens_before_its_facts_and_says_what_the_release_says() -> None:
    text, _, _ = mail_parts(*EXAMPLE, CONTACTS[1])
    opening, facts = text.split("弊社のパソコン端末がコンピュータウイルス", 1)
    assert "横浜トヨペット株式会社でございます。" in opening and "ご連絡申し上げます。" in opening
    assert "送受信した相手のメールアドレスと名前、およびメール本文が漏洩いたしました" in facts
    assert "流出" not in text and "皆様" not in text


def _site(tmp_path: Path, old: str, new: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    site = content / "site.yaml"
    text = site.read_text("utf-8")
    assert old in text
    site.write_text(text.replace(old, new, 1), "utf-8")
    return content


DESK_REPLY = "このメールにご返信いただいた場合も、横浜トヨペットお客様相談室に届きます。"
NO_REPLY = "このメールへのご返信はご遠慮ください。"
DESK_EMAIL = "  email: info@yokohama-toyopet.jp\n# The sender"
FROM = "  email: info@yokohama-toyopet.jp\n  name: 横浜トヨペット株式会社 お客様相談室\n"
REPLY_TO = "  reply_to: info@yokohama-toyopet.jp\n"
REPLIES = [
    # (what site.yaml says instead of what, the Reply-To, what the mail says of replies)
    ("as written", [], "info@yokohama-toyopet.jp", DESK_REPLY),
    ("the From is the desk", [(REPLY_TO, "")], "info@yokohama-toyopet.jp", DESK_REPLY),
    ("no reply channel", [(FROM + REPLY_TO, FROM.replace("info@", "notice@"))], None, NO_REPLY),
    ("the desk has no address", [(DESK_EMAIL, "# The sender")], None, NO_REPLY),
]


@pytest.mark.parametrize(("case", "edits", "reply", "words"), REPLIES, ids=[c[0] for c in REPLIES])
def test_the_reply_to_and_the_words_agree(
    tmp_path: Path, case: str, edits: list[tuple[str, str]], reply: str | None, words: str
) -> None:
    content = REPO / "content"
    if edits:
        content = tmp_path / "content"
        shutil.copytree(REPO / "content", content)
        site = content / "site.yaml"
        for old, new in edits:
            text = site.read_text("utf-8")
            assert old in text
            site.write_text(text.replace(old, new, 1), "utf-8")
    for contact in CONTACTS:
        text, html, reply_to = mail_parts(content, EXAMPLE[1], contact)
        assert reply_to == reply
        assert words in text and words in html
        assert (DESK_REPLY if words == NO_REPLY else NO_REPLY) not in text + html


def test_a_reply_to_that_is_not_the_desk_is_located(tmp_path: Path) -> None:
    old = "  reply_to: info@yokohama-toyopet.jp"
    content = _site(tmp_path, old, "  reply_to: press@yokohama-toyopet.jp")
    loaded = load_content(content)
    record = loaded.find_release(EXAMPLE[1])
    assert record is not None
    with pytest.raises(ContentError) as caught:
        plan_notice(loaded, record, load_theme(THEME))
    [problem] = caught.value.problems
    assert str(problem).endswith(
        "notify_from.reply_to: press@yokohama-toyopet.jp is not the contact desk's address "
        "(info@yokohama-toyopet.jp): a notice says that replies reach the desk; set reply_to to "
        "it or leave reply_to out"
    )
    assert problem.line == 24


@pytest.mark.parametrize("where", [EXAMPLE, STARTER], ids=["ja", "en"])
def test_the_html_mail_fits_a_phone_without_scrolling_sideways(where: tuple[Path, str]) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: run `make setup`"
    _, html, _ = mail_parts(*where, CONTACTS[3])
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"mail-{where[1].replace('/', '-')}-390.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.set_content(html)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        column = page.evaluate("Math.max(...[...document.querySelectorAll('table')]"
                               ".map(t => t.getBoundingClientRect().width))")  # fmt: skip
        assert column <= 390
        page.set_viewport_size({"width": 1000, "height": 900})
        widest = page.evaluate("document.querySelectorAll('table')[1].offsetWidth")
        assert 598 <= widest <= 602  # 600 px and its border
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(target), full_page=True)
        browser.close()
    assert target.stat().st_size > 10_000
