"""A project's templates/ overrides the default theme file by file; strings merge key by key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import cli
from publisher.load.content import load_content
from publisher.notify.message import plan_notice
from publisher.render.theme import load_theme
from tests.conftest import REPO, THEME

RELEASE = "emotet-2020/2020-11-14"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example's content, with an empty templates folder, as the working folder."""
    shutil.copytree(REPO / "content", tmp_path / "content", ignore=_caches)
    (tmp_path / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _caches(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == ".publisher-cache"]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _site(out: str) -> dict[str, bytes]:
    result = CliRunner().invoke(cli, ["build", "--no-pdf", "--out", out])
    assert result.exit_code == 0, result.output
    root = Path(out)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    names = set(before) | set(after)
    return {n for n in names if before.get(n) != after.get(n)} - {"SHA256SUMS"}


def _notice(templates: Path) -> tuple[str, str]:
    content = load_content(Path("content"))
    record = content.find_release(RELEASE)
    assert record is not None
    body = plan_notice(content, record, load_theme(templates)).bodies[""]
    return body.text, body.html


def test_one_mail_template_overrides_that_file_alone(project: Path) -> None:
    default_text, default_html = _notice(project / "templates")
    before = _site("before")
    mail = (THEME / "mail/notice.ja.txt").read_text(encoding="utf-8")
    _write(project / "templates/mail/notice.txt", mail.replace("でございます。", "です。"))
    text, html = _notice(project / "templates")
    assert "横浜トヨペット株式会社です。" in text
    assert text == default_text.replace("でございます。", "です。")
    assert html == default_html
    assert _changed(before, _site("after")) == set()  # the pages do not use mail templates


def test_a_language_file_of_the_project_wins_over_a_neutral_one(project: Path) -> None:
    _write(project / "templates/mail/notice.txt", "neutral {{ release_url }}")
    _write(project / "templates/mail/notice.ja.txt", "ja {{ release_url }} @yokohama-toyopet.jp")
    assert _notice(project / "templates")[0].startswith("ja https://")


def test_strings_merge_key_by_key(project: Path) -> None:
    before = _site("before")
    _write(project / "templates/strings/ja.yaml", "pdf_link: PDFファイル\n")
    after = _site("after")
    page = after["emotet-2020/2020-11-14/index.html"].decode()
    assert "PDFファイル" not in page  # no PDFs in this build: the link is not shown
    assert "本件のリリース一覧" in page  # every other key still comes from the default
    assert _changed(before, after) == set()


def test_a_string_that_is_shown_changes_every_page_that_shows_it(project: Path) -> None:
    before = _site("before")
    _write(project / "templates/strings/ja.yaml", "back_to_index: 一覧へ戻る\n")
    after = _site("after")
    changed = _changed(before, after)
    assert "emotet-2020/2020-11-14/index.html" in changed
    assert all(name.endswith(".html") for name in changed)
    assert "一覧へ戻る" in after["emotet-2020/2020-11-14/index.html"].decode()
    assert "お知らせ一覧" not in after["emotet-2020/2020-11-14/index.html"].decode()


def test_a_page_template_can_extend_the_default_one(project: Path) -> None:
    before = _site("before")
    _write(
        project / "templates/404.html",
        '{% extends "default:404.html" %}{% block title %}Not here{% endblock %}',
    )
    after = _site("after")
    assert _changed(before, after) == {"404.html"}
    assert "<title>Not here</title>" in after["404.html"].decode()
    assert before["404.html"].decode().count("<main") == after["404.html"].decode().count("<main")


def test_static_files_are_added_and_replaced_one_by_one(project: Path) -> None:
    before = _site("before")
    _write(project / "templates/static/logo.svg", "<svg/>")
    _write(project / "templates/static/style.css", "body { font-size: 12pt; }\n")
    after = _site("after")
    assert _changed(before, after) == {"static/logo.svg", "static/style.css"}
    assert after["static/style.css"] == b"body { font-size: 12pt; }\n"


def test_no_templates_folder_means_the_default_theme(project: Path) -> None:
    with_empty = _site("before")
    (project / "templates").rmdir()
    assert _changed(with_empty, _site("after")) == set()


def test_a_templates_folder_named_but_missing_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--templates", "nope", "--out", "x", "--no-pdf"])
    assert result.exit_code == 2
    assert "no folder nope" in result.output


def test_publisher_theme_lists_and_copies_one_file(project: Path) -> None:
    listed = CliRunner().invoke(cli, ["theme"])
    assert listed.exit_code == 0
    assert "mail/notice.ja.txt" in listed.output.splitlines()
    assert "strings/en.yaml" in listed.output.splitlines()
    copied = CliRunner().invoke(cli, ["theme", "mail/notice.ja.txt"])
    assert copied.exit_code == 0, copied.output
    target = project / "templates/mail/notice.ja.txt"
    assert target.read_bytes() == (THEME / "mail/notice.ja.txt").read_bytes()
    target.write_text("mine", encoding="utf-8")
    again = CliRunner().invoke(cli, ["theme", "mail/notice.ja.txt"])
    assert again.exit_code == 1
    assert "already there" in again.output
    assert target.read_text(encoding="utf-8") == "mine"
    assert CliRunner().invoke(cli, ["theme", "../cli.py"]).exit_code == 1
