"""`publisher new` writes a whole project or nothing, and never over anything already there."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from publisher.cli import cli
from publisher.load.starter import starter_files


def _new(*args: str) -> Result:
    return CliRunner().invoke(cli, ["new", *args])


def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_new_folder_gets_the_starter_and_its_schemas(tmp_path: Path) -> None:
    result = _new(str(tmp_path / "a/b/project"), "--lang", "en")
    assert result.exit_code == 0, result.output
    files = _tree(tmp_path / "a/b/project")
    assert set(starter_files("en")) <= files
    assert {"schemas/site.schema.json", "schemas/release.schema.json"} <= files
    assert [p.name for p in (tmp_path / "a/b").iterdir()] == ["project"]  # no staging left


def test_an_existing_empty_folder_is_filled_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    folder.chmod(0o2770)
    before = folder.stat()
    monkeypatch.chdir(folder)
    result = _new(".")
    assert result.exit_code == 0, result.output
    after = folder.stat()
    assert (after.st_ino, stat.S_IMODE(after.st_mode)) == (before.st_ino, 0o2770)
    assert "content/site.yaml" in _tree(Path.cwd())  # the shell's folder, not a deleted one
    assert not [n for n in os.listdir(folder) if n.startswith(".publisher-new-")]


@pytest.mark.parametrize("setup", ["a file", "a link", "not empty"])
def test_a_place_that_is_taken_is_refused_untouched(tmp_path: Path, setup: str) -> None:
    target = tmp_path / "project"
    if setup == "a file":
        target.write_text("mine", encoding="utf-8")
    elif setup == "a link":
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = _new(str(target))
    if setup == "a file":  # click says so: FOLDER is a folder
        assert result.exit_code == 2
        assert "is a file" in result.output
    else:
        assert result.exit_code == 1
        assert result.output.startswith(f"error: {target}: ")
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        {"a file": ["project"], "a link": ["elsewhere", "project"]}.get(
            setup, ["notes.txt", "project"]
        )
    )


def test_a_folder_that_cannot_be_made_is_a_message_not_a_bug(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = _new(str(tmp_path / "file/project"))
    assert result.exit_code == 1
    assert "could not write the new project" in result.output


def test_theme_never_writes_through_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/404.html").symlink_to(tmp_path / "outside.html")
    (tmp_path / "templates/mail").symlink_to(tmp_path, target_is_directory=True)
    for name in ("404.html", "mail/notice.ja.txt"):
        result = CliRunner().invoke(cli, ["theme", name])
        assert result.exit_code == 1, result.output
    assert not (tmp_path / "outside.html").exists()
    assert not (tmp_path / "notice.ja.txt").exists()
