"""The wheel holds the whole package: modules, the default theme, the starter project, py.typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def _package_files() -> set[str]:
    package = REPO / "publisher"
    return {
        path.relative_to(REPO).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path)]
    subprocess.run([*command, str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("incident_publisher-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        scripts = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert _package_files() - names == set()
    assert {"publisher/py.typed", "publisher/theme/base.html"} <= names
    assert "publisher/locale/ja/LC_MESSAGES/publisher.po" in names  # messages in Japanese
    assert "publisher/locale/ja/LC_MESSAGES/publisher.mo" in names  # as publisher reads them
    assert "Name: incident-publisher\n" in metadata
    assert "publisher = publisher.cli:main" in scripts
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
