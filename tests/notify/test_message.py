"""The notice mail: personalised greeting, multipart UTF-8, and the safety rules enforced."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from publisher.errors import ContentError
from publisher.load.content import load_content
from publisher.notify.contacts import Contact
from publisher.notify.message import Notice, build_mime, plan_notice, release_urls
from publisher.render.theme import load_theme
from tests.conftest import THEME
from tests.notify.conftest import RELEASE, REPO

NOW = datetime(2020, 11, 14, 1, 0, tzinfo=UTC)
PAGE = "https://www.yokohama-toyopet.jp/incident/emotet-2020/2020-11-14/"


def notice(content: Path = REPO / "content", templates: Path = REPO / "templates") -> Notice:
    loaded = load_content(content)
    record = loaded.find_release(RELEASE)
    assert record is not None
    return plan_notice(loaded, record, load_theme(templates))


def received(mail: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def parts(mail: EmailMessage) -> tuple[str, str]:
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()  # type: ignore[attr-defined]


def unstyled(html: str) -> str:
    """The HTML without its inline styles, to compare its words and elements."""
    return re.sub(r' style="[^"]*"', "", html)


def test_a_named_contact_is_greeted_by_name_in_both_parts() -> None:
    contact = Contact(2, "a@example.jp", "a@example.jp", "山田 <太郎>", "例示&商事")
    mail = received(build_mime(notice(), contact, NOW))
    text, html = parts(mail)
    assert text.startswith("例示&商事\r\n山田 <太郎> 様\r\n") or text.startswith(
        "例示&商事\n山田 <太郎> 様\n"
    )
    assert "<p>例示&amp;商事<br>山田 &lt;太郎&gt; 様</p>" in unstyled(html)
    assert str(mail["To"]) == "山田 <太郎> <a@example.jp>" or "a@example.jp" in str(mail["To"])


def test_a_contact_without_a_name_gets_a_general_greeting() -> None:
    text, html = parts(
        received(build_mime(notice(), Contact(2, "a@example.jp", "a@example.jp"), NOW))
    )
    assert text.splitlines()[0] == "関係者各位"
    assert "<p>関係者各位</p>" in unstyled(html)
    assert "様" not in text.splitlines()[0]


def test_the_mail_is_multipart_utf8_from_the_official_domain_without_attachments() -> None:
    mail = received(build_mime(notice(), Contact(2, "a@example.jp", "a@example.jp", "山田"), NOW))
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    assert {p.get_content_charset() for p in mail.iter_parts()} == {"utf-8"}
    assert list(mail.iter_attachments()) == []
    assert mail["From"].addresses[0].domain == "yokohama-toyopet.jp"
    assert mail["Reply-To"].addresses[0].domain == "yokohama-toyopet.jp"
    assert str(mail["Subject"]).startswith("【横浜トヨペット】")
    text, html = parts(mail)
    assert f'<a href="{PAGE}">' in unstyled(html) and PAGE in text
    assert "「@yokohama-toyopet.jp」" in text and "添付ファイル" in text


def test_the_pdf_link_is_where_the_site_build_puts_the_pdf() -> None:
    plan = pytest.importorskip("publisher.pdf.plan")
    content = load_content(REPO / "content")
    record = content.find_release(RELEASE)
    assert record is not None
    page, pdf = release_urls(content, record)
    assert page == PAGE
    assert pdf == "https://www.yokohama-toyopet.jp/incident/" + plan.pdf_path(
        record.incident_id, record.release.date
    )


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(THEME, tmp_path / "templates")
    return tmp_path / "content", tmp_path / "templates"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


UNSAFE = [
    (
        "mail/notice.ja.html",
        '<body style="',
        '<body style="background-image:url(https://tracker.evil.example/p.gif);',
        "templates/mail/notice.ja.html: <body style> loads something (url, @import): not allowed",
    ),
    (
        "mail/notice.ja.html",
        "</head>",
        "<style>@import url(https://fonts.evil.example/x.css);</style></head>",
        "templates/mail/notice.ja.html: "
        "a <style> that loads something (url, @import) is not allowed",
    ),
    (
        "mail/notice.ja.html",
        "</head>",
        '<meta http-equiv="refresh" content="0;url=https://www.yokohama-toyopet.jp/"></head>',
        "templates/mail/notice.ja.html: <meta http-equiv=refresh> is not allowed in a notice mail",
    ),
    (
        "mail/notice.ja.html",
        '<h2 style="{{ h2 }}">お問い合わせ先</h2>',
        '<svg><a xlink:href="https://evil.example/"><text>x</text></a></svg>',
        "templates/mail/notice.ja.html: link to https://evil.example/ is not "
        "https://www.yokohama-toyopet.jp/",
    ),
    (
        "mail/notice.ja.html",
        '<h2 style="{{ h2 }}">お問い合わせ先</h2>',
        '<p><a href="http://www.yokohama-toyopet.jp/x">x</a></p>',
        "templates/mail/notice.ja.html: link to http://www.yokohama-toyopet.jp/x is not https://www.yokohama-toyopet.jp/",
    ),
    (
        "mail/notice.ja.txt",
        "■ お問い合わせ先",
        "詳しくは https://bit.example/abc をご覧ください。",
        "templates/mail/notice.ja.txt: link to https://bit.example/abc is not https://www.yokohama-toyopet.jp/",
    ),
    (
        "mail/notice.ja.html",
        '<h2 style="{{ h2 }}">お問い合わせ先</h2>',
        '<img src="https://www.yokohama-toyopet.jp/logo.png">',
        "templates/mail/notice.ja.html: <img> is not allowed in a notice mail",
    ),
    (
        "mail/notice.ja.txt",
        "■ お問い合わせ先",
        "返信先: support@other.example.com",
        "templates/mail/notice.ja.txt: names an address on other.example.com, "
        "which is not an official mail domain",
    ),
    (
        "mail/notice.ja.txt",
        "{% if not loop.first %}または{% endif %}「@{{ domain }}」{% endfor %}",
        "{% endfor %}弊社のドメイン",
        "templates/mail/notice.ja.txt: "
        "does not say that genuine mail comes from @yokohama-toyopet.jp",
    ),
    (
        "mail/notice.ja.txt",
        "{{ contact.name }} 様",
        "{{ contact.name | upper }} 様",
        "templates/mail/notice.ja.txt: contact fields may only be printed as they are",
    ),
]


@pytest.mark.parametrize(("template", "old", "new", "message"), UNSAFE)
def test_unsafe_templates_stop_the_mailout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, old: str, new: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    content, templates = _copy(tmp_path)
    _edit(templates / template, old, new)
    with pytest.raises(ContentError) as caught:
        notice(content, templates)
    assert message in {str(p) for p in caught.value.problems}


def test_a_mail_template_sees_the_incident_only_as_known_on_the_release_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    content, templates = _copy(tmp_path)
    _edit(
        templates / "mail/notice.ja.txt",
        "■ お問い合わせ先",
        "{{ incident.disclosure }}\n■ お問い合わせ先",
    )
    with pytest.raises(ContentError) as caught:
        notice(content, templates)
    assert any("disclosure" in str(p) for p in caught.value.problems)


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("mail/notice.ja.txt", '{% extends "mail/notice.ja.txt" %}', "extends itself"),
    ],
)
def test_a_broken_override_is_located_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "templates" / path).parent.mkdir(parents=True)
    (tmp_path / "templates" / path).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        notice(tmp_path / "content", tmp_path / "templates")
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems
