"""docs/deploy.md's workflows parse, and every publisher command in them is one publisher takes."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from publisher.cli import cli
from tests.conftest import REPO

DOC = REPO / "docs" / "deploy.md"


def _workflows() -> list[dict[Any, Any]]:
    blocks = re.findall(r"^```yaml\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.S | re.M)
    return [doc for doc in map(yaml.safe_load, blocks) if isinstance(doc, dict) and "jobs" in doc]


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _command_lines(workflow: dict[Any, Any]) -> list[list[str]]:
    """Each shell command of the workflow's `run` steps, as words (continuations joined)."""
    lines = []
    for step in _steps(workflow):
        script = step.get("run", "").replace("\\\n", " ")
        lines += [shlex.split(line, comments=True) for line in script.splitlines()]
    return [words for words in lines if words]


def _publisher_commands(workflow: dict[Any, Any]) -> list[list[str]]:
    return [words for words in _command_lines(workflow) if words[0] == "publisher"]


def _parse(words: list[str]) -> tuple[click.Command, dict[str, Any]]:
    """The command `words` name and its options, parsed as the CLI would (errors raise)."""
    command: click.Command = cli
    rest = words[1:]
    while isinstance(command, click.Group):
        name, *rest = rest
        found = command.get_command(click.Context(command), name)
        assert found is not None, f"{' '.join(words)}: no command {name!r}"
        command = found
    return command, command.make_context(" ".join(words[:2]), rest).params


WORKFLOWS = _workflows()
COMMANDS = [words for workflow in WORKFLOWS for words in _publisher_commands(workflow)]


def test_the_doc_has_both_workflows() -> None:
    uses = [{step.get("uses", "").split("@")[0] for step in _steps(w)} for w in WORKFLOWS]
    assert len(WORKFLOWS) == 2
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= uses[0]
    assert any(words[:3] == ["aws", "s3", "sync"] for words in _command_lines(WORKFLOWS[1]))


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(w) for w in COMMANDS])
def test_every_publisher_command_is_one_publisher_takes(
    words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a project's folders, for options that want them to exist
    for folder in ("content", "templates"):
        (tmp_path / folder).mkdir()
    _parse(words)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=["pages", "object-store"])
def test_the_build_makes_pdfs_and_the_folder_it_builds_is_published(
    workflow: dict[Any, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    builds = [_parse(w) for w in _publisher_commands(workflow) if w[1] == "build"]
    assert len(builds) == 1
    params = builds[0][1]
    assert not params["no_pdf"] and not params["drafts"] and params["as_of"] is None
    out = params["out"].as_posix()
    pages = [s for s in _steps(workflow) if "upload-pages-artifact" in s.get("uses", "")]
    uploads = [step["with"]["path"] for step in pages]
    synced = [w[3] for w in _command_lines(workflow) if w[:3] == ["aws", "s3", "sync"]]
    assert uploads + synced and all(path.rstrip("/") == out for path in uploads + synced)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=["pages", "object-store"])
def test_the_workflow_installs_this_distribution_and_the_pdf_libraries(
    workflow: dict[Any, Any],
) -> None:
    name = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    lines = _command_lines(workflow)
    pip = [w for w in lines if w[:2] == ["pip", "install"]]
    assert [re.split(r"==| @ ", w[2])[0] for w in pip] == [name]
    assert all(" @ git+https://" in w[2] and w[2].endswith("@COMMIT") for w in pip)
    script = (REPO / "scripts" / "install-system-packages").read_text(encoding="utf-8")
    listed = re.search(r"^packages=\((.*?)\)", script, re.S | re.M)
    assert listed, "scripts/install-system-packages: no packages=(...) list"
    runtime = set(listed[1].split())
    apt = {word for w in lines if w[:2] == ["sudo", "apt-get"] for word in w[2:]}
    assert runtime - {"python3-venv"} <= apt
