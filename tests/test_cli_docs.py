"""Every command has help text and is named in the README."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from publisher.cli import cli
from tests.conftest import REPO


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += _commands(command, path + " ")
    return found


COMMANDS = _commands(cli)


def test_there_are_commands() -> None:
    assert "build" in [name for name, _ in COMMANDS]


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_is_documented(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip()
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"publisher {name}" in readme


def test_version_is_the_installed_package_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"publisher, version {version('incident-publisher')}\n"
