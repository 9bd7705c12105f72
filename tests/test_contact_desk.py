"""Contact desks: phone optional; a web form, a postal address and hours in pages and mails."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import BuildConfig, build_site
from publisher.check.runner import check_content
from publisher.load.content import load_content
from publisher.notify.message import plan_notice
from publisher.render.theme import load_theme
from publisher.reporter import NullReporter
from tests.conftest import RELEASE, SITE, MakeTree

REL = "incidents/test/releases/2020-08-05.yaml"
DESK = """\
contact:
  name: Example Help Desk
  hours: Mon–Fri 9:00–17:00
  form: https://www.example.com/inquiry/
  address: |
    Example Corp, Privacy Office
    1-2-3 Example Street, Tokyo 100-0001
"""
FORM_SITE = SITE.replace("contact:\n  name: Example Help Desk\n  email: help@example.com\n", DESK)
SENDER = "notify_from: {email: notice@example.com, name: Example Corp}\n"
NOTIFY = "notify:\n  subject: About our notice\n"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_form_only_desk_shows_in_page_and_mails(
    make_tree: MakeTree, tmp_path: Path, lang: str
) -> None:
    site = FORM_SITE.replace("language: en", f"language: {lang}")
    root = make_tree({"site.yaml": site + SENDER, REL: RELEASE + NOTIFY})
    build_site(BuildConfig(root, None, tmp_path / "out"), NullReporter())
    page = (tmp_path / "out" / "test" / "2020-08-05" / "index.html").read_text(encoding="utf-8")
    address = "Example Corp, Privacy Office<br>1-2-3 Example Street, Tokyo 100-0001"
    assert '<a href="https://www.example.com/inquiry/">' in page
    assert address in page and "Mon–Fri 9:00–17:00" in page
    content = load_content(root)
    notice = plan_notice(content, content.incidents[0].releases[0], load_theme(None))
    body = notice.bodies[""]
    assert "https://www.example.com/inquiry/" in body.text
    assert "1-2-3 Example Street, Tokyo 100-0001" in body.text
    assert "Mon–Fri 9:00–17:00" in body.text
    assert '<a href="https://www.example.com/inquiry/" style=' in body.html  # styled inline
    assert address in body.html


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            "https://forms.example.net/x",
            "content/site.yaml:12:9: error: safe-links: contact.form: the contact desk's web "
            "form must be on the official web domain www.example.com",
        ),
        (
            "http://www.example.com/inquiry/",
            "content/site.yaml:12:9: error: schema: contact.form: expected an https:// URL, got "
            "'http://www.example.com/inquiry/'",
        ),
    ],
)
def test_a_form_off_the_web_domain_is_a_finding(
    make_tree: MakeTree, form: str, message: str
) -> None:
    site = FORM_SITE.replace("https://www.example.com/inquiry/", form)
    root = make_tree({"site.yaml": site})
    found = [str(f) for f in check_content(root).findings]
    assert message in found, found
