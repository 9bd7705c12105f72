"""The starter projects (publisher/starter/) work as written: new, check, build, notify.

Each language's project is written into a temporary folder and every command runs from inside it,
as a new user would, so publisher.yaml gives the commands their folders. The English project's
pages, feeds, PDF and notice mail hold no Japanese character.
"""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from publisher.cli import cli
from publisher.load.starter import LANGUAGES, STARTER

RELEASE = "mail-server-2026/2026-03-06"
SAMPLE = Path("outbox/dry-run", RELEASE, "sample.eml")
JAPANESE = re.compile(
    "[\u3000-\u303f"  # CJK punctuation: 、。「」〜 and the ideographic space
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff"  # Hiragana, Katakana (・ included)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uff00-\uffef]"  # full-width and half-width forms
)
SCHEMAS = {"publisher.yaml": "publisher", "site.yaml": "site", "incident.yaml": "incident"}


def _run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, f"publisher {' '.join(args)}: {result.exit_code}\n{result.output}"
    return result


@pytest.fixture(params=LANGUAGES)
def project(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A new project in the parameter's language, and the working folder inside it."""
    _run("new", str(tmp_path / "project"), "--lang", request.param)
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def test_the_starter_checks_builds_and_dry_runs_its_mailout(project: Path) -> None:
    assert _run("check", "--strict").output.endswith(" rules: no findings\n")
    _run("build", "--no-pdf")
    assert (project / "site" / RELEASE / "index.html").is_file()
    output = _run("notify", "send", RELEASE, "--contacts", "contacts.example.csv", "--dry-run")
    assert "5 recipients, 0 invalid" in output.output
    assert (project / SAMPLE).is_file()
    assert not list(project.glob("*.sqlite")), "a dry run keeps no ledger"


def test_looking_at_the_example_as_its_readme_says_leaves_it_free_to_become_ones_own(
    project: Path,
) -> None:
    """The README's ways to look at the site (serve, a build into .preview) record nothing, so
    the example can then be renamed and reworded; a build into site/ is publishing (recorded,
    and from then on held to what it said)."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "publisher build --out .preview" in readme and "publisher serve" in readme
    _run("build", "--no-pdf", "--out", ".preview")
    assert (project / ".preview" / RELEASE / "index.html").is_file()
    assert not (project / "content/publication.lock.yaml").exists()
    assert not (project / "content/published").exists()
    site = project / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("example", "my-own"), "utf-8")
    incidents = project / "content/incidents"
    (incidents / "mail-server-2026").rename(incidents / "our-incident")
    assert _run("check").output.endswith(" rules: no findings\n")
    _run("build", "--no-pdf")
    assert "our-incident/2026-03-06" in (project / "content/publication.lock.yaml").read_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_yaml_file_points_at_its_schema(lang: str) -> None:
    for layer in (STARTER / "common", STARTER / lang):
        for path in layer.rglob("*.yaml"):
            inside = path.relative_to(layer)
            kind = "release" if inside.parent.name == "releases" else SCHEMAS[path.name]
            first = path.read_text("utf-8").splitlines()[0]
            pointer = first.removeprefix("# yaml-language-server: $schema=")
            assert pointer != first, f"{path}: no schema pointer on its first line"
            target = Path("/project", inside).parent / pointer
            assert target.resolve() == Path(f"/project/schemas/{kind}.schema.json"), path


def test_the_starters_use_reserved_domains_only() -> None:
    reserved = re.compile(r"(?:^|\.)example\.(?:com|jp)\Z")
    for path in STARTER.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            for domain in re.findall(r"@([\w.-]+)|https://([\w.-]+)", text):
                name = (domain[0] or domain[1]).rstrip(".")
                assert reserved.search(name), f"{path}: {name} is not a reserved domain"


def _japanese_in(name: str, text: str) -> list[str]:
    found = []
    for match in JAPANESE.finditer(text):
        around = text[max(0, match.start() - 30) : match.end() + 10]
        found.append(f"{name}: {match.group()!r} (U+{ord(match.group()):04X}) in …{around}…")
    return found


def _mail_texts(path: Path) -> dict[str, str]:
    mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    texts = {f"{path.name} {key}": str(value) for key, value in mail.items()}
    for part in mail.walk():
        if not part.is_multipart():
            texts[f"{path.name} {part.get_content_type()}"] = part.get_content()
    return texts


def test_the_english_project_says_nothing_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run("new", str(tmp_path / "project"), "--lang", "en")
    project = tmp_path / "project"
    monkeypatch.chdir(project)
    _run("build", "--jobs", "1")
    _run("notify", "send", RELEASE, "--contacts", "contacts.example.csv", "--dry-run")
    texts = {
        str(p.relative_to(project)): p.read_text("utf-8")
        for p in sorted(project.rglob("*"))
        if p.suffix in (".html", ".xml", ".json", ".css", ".txt", ".md", ".yaml", ".csv")
        and p.is_file()
        and p.parent.name != "schemas"  # publisher's own reference, naming Japanese legal terms
    }
    (pdf,) = (project / "site").rglob("*.pdf")
    texts[pdf.name] = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    texts |= _mail_texts(project / SAMPLE)
    assert any(name.endswith("index.html") for name in texts)
    assert "What happened" in texts[pdf.name]
    found = [line for name, text in texts.items() for line in _japanese_in(name, text)]
    assert found == []
