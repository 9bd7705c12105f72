"""publisher.yaml gives every command its defaults, from the working folder or one above it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from publisher.cli import cli
from tests.conftest import REPO

RELEASE = "emotet-2020/2020-11-14"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose content lies in records/, worked on from its subfolder work/."""
    shutil.copytree(
        REPO / "content", tmp_path / "records", ignore=shutil.ignore_patterns(".publisher-cache")
    )
    shutil.copy(REPO / "examples/contacts.csv", tmp_path / "contacts.csv")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _project_file(project: Path, text: str) -> None:
    (project / "publisher.yaml").write_text(text, encoding="utf-8")


def test_the_folders_come_from_the_project_file_above(project: Path) -> None:
    _project_file(project, "content: records\nout: public\n")
    result = _run("build", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (project / "public/emotet-2020/2020-11-14/index.html").is_file()
    assert not (project / "work/site").exists()


def test_an_option_on_the_command_line_wins(project: Path) -> None:
    _project_file(project, "content: records\nout: public\n")
    assert _run("build", "--no-pdf", "--out", "mine").exit_code == 0
    assert (project / "work/mine/index.html").is_file()
    assert not (project / "public").exists()


def test_a_preview_still_needs_its_own_out(project: Path) -> None:
    _project_file(project, "content: records\nout: public\n")
    result = _run("build", "--no-pdf", "--drafts")
    assert result.exit_code == 2
    assert "--drafts and --as-of build a preview" in result.output


def test_regimes_of_the_project_file_are_checked(project: Path) -> None:
    _project_file(project, "content: records\n")
    assert _run("check").exit_code == 0
    _project_file(project, "content: records\nregimes: [gdpr]\n")
    result = _run("check")
    assert result.exit_code == 1
    assert "gdpr-items" in result.output


def test_the_mailout_uses_the_project_outbox_and_ledger(project: Path) -> None:
    _project_file(project, "content: records\noutbox: mail/out\nledger: mail/ledger.sqlite\n")
    result = _run("notify", "send", RELEASE, "--contacts", "../contacts.csv", "--yes")
    assert result.exit_code == 0, result.output
    assert len(list((project / "mail/out").rglob("*.eml"))) == 5
    assert (project / "mail/ledger.sqlite").is_file()
    status = _run("notify", "status", RELEASE)
    assert status.exit_code == 0
    assert "  sent: 5\n" in status.output


@pytest.mark.parametrize(
    ("transport", "needs"), [("sendgrid", "SENDGRID_API_KEY"), ("smtp", "PUBLISHER_SMTP_HOST")]
)
def test_the_mailout_goes_by_the_project_transport(
    project: Path, monkeypatch: pytest.MonkeyPatch, transport: str, needs: str
) -> None:
    """Each transport `notify send --transport` takes, publisher.yaml takes: without its
    settings in the environment, the mailout stops before anything is sent, naming them."""
    for name in ("SENDGRID_API_KEY", "PUBLISHER_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    _project_file(project, f"content: records\ntransport: {transport}\n")
    result = _run("notify", "send", RELEASE, "--contacts", "../contacts.csv", "--yes")
    assert result.exit_code == 1, result.output
    assert needs in result.output
    assert not (project / "work/outbox").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("content: records\noutt: public\n", "2:1: outt: unknown field; did you mean 'out'?"),
        ("transport: pigeon\n", "1:12: transport: expected one of 'outbox', 'sendgrid' or"),
        ("regimes: appi\n", "1:10: regimes: expected a list"),
        ("- content\n", "1:1: expected a mapping"),
    ],
)
def test_a_bad_project_file_is_a_located_error(project: Path, text: str, message: str) -> None:
    _project_file(project, text)
    result = _run("build", "--no-pdf")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(str(project / "publisher.yaml") + ":"), first
    assert message in first
    assert not (project / "work/site").exists()


def test_check_in_json_says_a_broken_project_file_as_findings(project: Path) -> None:
    """A caller that reads check's JSON gets the project file's problem in it, located, as a
    schema finding, rather than an empty stdout; the text form says it as every command does."""
    _project_file(project, "content: records\noutt: public\n")
    result = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": str(project / "publisher.yaml"),
            "line": 2,
            "col": 1,
            "severity": "error",
            "rule": "schema",
            "message": "outt: unknown field; did you mean 'out'?",
        }
    ]
    text = CliRunner().invoke(cli, ["check"])
    assert text.exit_code == 1 and text.stdout == ""
    assert "publisher.yaml:2:1: outt: unknown field" in text.stderr


def test_an_empty_project_file_still_says_where_the_project_is(project: Path) -> None:
    _project_file(project, "# nothing yet\n")
    assert _run("build", "--no-pdf", "--content", "../records").exit_code == 0
    assert (project / "site/index.html").is_file()  # the default out, beside publisher.yaml
    assert not (project / "work/site").exists()


def test_keys_left_out_are_the_defaults_beside_the_project_file(project: Path) -> None:
    (project / "records").rename(project / "content")
    _project_file(project, "out: built/site\n")
    result = _run("build", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (project / "built/site/index.html").is_file()


def test_a_duplicate_key_is_a_located_error(project: Path) -> None:
    _project_file(project, "content: records\nout: a\nout: b\n")
    result = _run("build", "--no-pdf")
    assert result.exit_code == 1
    assert "publisher.yaml:3:1: out: duplicate key" in result.output, result.output


def test_a_templates_folder_of_another_name_must_exist(project: Path) -> None:
    _project_file(project, "content: records\ntemplates: mytheme\n")
    result = _run("build", "--no-pdf")
    assert result.exit_code == 2
    assert "no folder ../mytheme (named in publisher.yaml)" in result.output
    (project / "mytheme").mkdir()
    assert _run("build", "--no-pdf").exit_code == 0


def test_a_broken_project_file_leaves_help_working(project: Path) -> None:
    _project_file(project, "contnet: records\n")
    for command in (["build", "--help"], ["notify", "send", "--help"], ["theme", "--help"]):
        result = _run(*command)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Usage: ")
    assert _run("theme").exit_code == 1


def test_regimes_on_the_command_line_add_to_those_of_the_project(project: Path) -> None:
    _project_file(project, "content: records\nregimes: [gdpr]\n")
    result = _run("check", "--regime", "ca")
    assert "gdpr-items" in result.output
    assert "ca-headings" in result.output
