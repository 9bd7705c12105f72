"""The installed wheel alone, with no checkout, starts a project and runs its whole job.

The wheel is built from the repository and installed into a fresh virtual environment; its
dependencies are found through a path file pointing at this environment's site-packages (whose
own path files, such as the editable install's, are not read from there), so nothing is fetched.
Every command runs from a folder outside the repository.
"""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import sysconfig
from email import policy
from pathlib import Path

import pytest

from tests.conftest import REPO

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Kana, CJK punctuation and ideographs, full-width forms."""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh environment where only the wheel is installed."""
    root = tmp_path_factory.mktemp("installed")
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root)]
    subprocess.run([*command, str(REPO)], check=True, capture_output=True)
    (wheel,) = root.glob("incident_publisher-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return venv / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run(
        [str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done.stdout + done.stderr


def test_the_package_comes_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = _run(installed, tmp_path, "python", "-c", "import publisher; print(publisher.__file__)")
    assert Path(where.strip()).is_relative_to(installed.parent)
    assert "No broken requirements" in _run(installed, tmp_path, "python", "-m", "pip", "check")


def _project(installed: Path, tmp_path: Path, lang: str) -> tuple[Path, str]:
    """A new project in `lang`, built and checked; with the id of its one release."""
    _run(installed, tmp_path, "publisher", "new", "project", "--lang", lang)
    project = tmp_path / "project"
    (release,) = project.glob("content/incidents/*/releases/*.yaml")
    release_id = f"{release.parent.parent.name}/{release.stem}"
    _run(installed, project, "publisher", "build")
    _run(installed, project, "publisher", "check", "--strict")
    return project, release_id


def _sample(installed: Path, project: Path, release_id: str) -> email.message.EmailMessage:
    before = set(project.rglob("*.eml"))
    contacts = "contacts.example.csv"
    _run(installed, project, "publisher", "notify", "send", release_id, "--contacts", contacts,
         "--dry-run")  # fmt: skip
    (sample,) = set(project.rglob("*.eml")) - before
    message = email.message_from_bytes(sample.read_bytes(), policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    sample.unlink()
    return message


def _text(message: email.message.EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_new_build_check_and_dry_run_from_the_wheel(
    installed: Path, tmp_path: Path, lang: str
) -> None:
    project, release_id = _project(installed, tmp_path, lang)
    page = project / "site" / release_id / "index.html"
    assert f'<html lang="{lang}"' in page.read_text(encoding="utf-8")
    assert list((project / "site").rglob("*.pdf"))
    message = _sample(installed, project, release_id)
    assert _text(message, "plain").strip()
    if lang == "en":
        published = [p for p in (project / "site").rglob("*") if p.suffix in (".html", ".xml")]
        texts = {p: p.read_text(encoding="utf-8") for p in published}
        texts[project / "mail subject"] = str(message["Subject"])
        texts[project / "mail text"] = _text(message, "plain")
        texts[project / "mail html"] = _text(message, "html")
        found = {p.name: m.group() for p, t in texts.items() if (m := JAPANESE.search(t))}
        assert found == {}


def test_one_overridden_template_changes_only_what_it_overrides(
    installed: Path, tmp_path: Path
) -> None:
    project, release_id = _project(installed, tmp_path, "ja")
    site = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    before = _sample(installed, project, release_id)
    _run(installed, project, "publisher", "theme", "mail/notice.ja.txt")
    override = project / "templates/mail/notice.ja.txt"
    override.write_text(
        override.read_text(encoding="utf-8").replace("でございます。", "です。"), encoding="utf-8"
    )
    after = _sample(installed, project, release_id)
    assert _text(after, "plain") == _text(before, "plain").replace("でございます。", "です。")
    assert _text(after, "plain") != _text(before, "plain")
    assert _text(after, "html") == _text(before, "html")
    _run(installed, project, "publisher", "build")
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == site
