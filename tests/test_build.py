"""`publisher build` end to end: what it writes, what it refuses, and what a failure leaves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import cli
from tests.conftest import INCIDENT, REPO, THEME, MakeTree
from tests.pagetext import links

RELEASE_IDS = [
    "emotet-2020/2020-11-14",
    "emotet-2020/2020-09-30",
    "emotet-2020/2020-08-05",
    "emotet-2020/2020-07-31",
    "emotet-2020/2020-07-29",
]


def _build(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["build", *args])
    return result.exit_code, result.stdout, result.stderr


def _example_args(out: Path) -> list[str]:
    return ["--content", str(REPO / "content"), "--templates", str(REPO / "templates"),
            "--out", str(out)]  # fmt: skip


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_build_writes_pages_and_catalog(tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = _build(*_example_args(out))
    assert (code, stderr) == (0, "")
    assert "built 5 releases" in stdout
    for release_id in RELEASE_IDS:
        assert (out / release_id / "index.html").is_file()
    assert (out / "emotet-2020" / "index.html").is_file()
    assert (out / "index.html").is_file()
    catalog = json.loads((out / "releases.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in catalog] == RELEASE_IDS
    first = catalog[-1]
    assert {k: first[k] for k in ("incident", "date", "kind", "lang", "url")} == {
        "incident": "emotet-2020",
        "date": "2020-07-29",
        "kind": "first_notice",
        "lang": "ja",
        "url": "emotet-2020/2020-07-29/",
    }
    assert first["title"].startswith("弊社社員等を騙った")


def test_quiet_build_prints_nothing(tmp_path: Path) -> None:
    assert _build(*_example_args(tmp_path / "site"), "--quiet") == (0, "", "")


BASE_PATH = "/incident/"
"""The path of the example's base_url (content/site.yaml)."""


def test_internal_links_are_relative_and_resolve(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(*_example_args(out))[0] == 0
    checked = 0
    for page in out.rglob("*.html"):
        for link in links(page.read_text(encoding="utf-8")):
            if link.startswith(("https://", "mailto:", "#")):
                continue
            if page.name == "404.html" and page.parent == out:
                # served for a missing address at any depth: its links lead from the site's path
                assert link.startswith(BASE_PATH), f"{page}: link {link} not from {BASE_PATH}"
                target = (out / link.removeprefix(BASE_PATH)).resolve()
            else:
                assert not link.startswith("/"), f"{page}: absolute link {link}"
                target = (page.parent / link).resolve()
            target = target / "index.html" if link.endswith("/") or target.is_dir() else target
            assert target.is_file(), f"{page}: broken link {link}"
            checked += 1
    assert checked > 30


def test_failed_build_leaves_previous_output_untouched(make_tree: MakeTree, tmp_path: Path) -> None:
    out = tmp_path / "site"
    templates = str(REPO / "templates")
    root = make_tree()
    assert _build("--content", str(root), "--templates", templates, "--out", str(out))[0] == 0
    before = _snapshot(out)
    make_tree(
        {"incidents/test/incident.yaml": INCIDENT.replace("category: malware", "category: x")}
    )
    code, stdout, stderr = _build(
        "--content", str(root), "--templates", templates, "--out", str(out)
    )
    assert code == 1
    first = "content/incidents/test/incident.yaml:3:11: error: schema: category:"
    assert stderr.splitlines()[0].startswith(first)
    assert stderr.splitlines()[-1] == "1 problem; nothing was written."
    assert "Traceback" not in stdout + stderr
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.txt").write_text("precious")
    code, _, stderr = _build(*_example_args(out))
    assert code == 2  # a wrong --out: the command line, not the content
    assert "refusing to replace a folder publisher did not make" in stderr
    assert (out / "thesis.txt").read_text() == "precious"


def test_rebuild_replaces_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(*_example_args(out))[0] == 0
    (out / "stale.html").write_text("old")
    assert _build(*_example_args(out))[0] == 0
    assert not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_missing_content_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    code, _, stderr = _build("--content", str(tmp_path / "nope"), "--out", str(tmp_path / "s"))
    assert code == 1
    assert "site.yaml: error: schema: file not found" in stderr
    assert "Traceback" not in stderr


def test_help_does_not_import_heavy_libraries() -> None:
    probe = (
        "import sys\n"
        "from publisher.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['weasyprint', 'sendgrid', 'msgspec', 'markdown_it', 'jinja2']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_bug_is_reported_as_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something unexpected")

    monkeypatch.setattr("publisher.build.build_site", broken)
    monkeypatch.delenv("PUBLISHER_DEBUG", raising=False)
    code, _, stderr = _build(*_example_args(tmp_path / "site"))
    assert code == 3
    assert stderr.splitlines()[0] == (
        "internal error, a bug in publisher: RuntimeError: something unexpected"
    )
    assert "Traceback" not in stderr


def test_the_swap_exchanges_the_folders_in_one_step(tmp_path: Path) -> None:
    from publisher.write.site import _exchange

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "new").write_text("new")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old").write_text("old")
    assert _exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["new"]
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["old"]


def test_a_symlinked_output_keeps_its_link(tmp_path: Path) -> None:
    real = tmp_path / "releases"
    assert _build(*_example_args(real), "--no-pdf")[0] == 0
    (tmp_path / "site").symlink_to(real)
    (real / "index.html").write_text("stale")
    assert _build(*_example_args(tmp_path / "site"), "--no-pdf")[0] == 0
    assert (tmp_path / "site").is_symlink()
    assert (real / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("out", ["content", "content/site", "."])
def test_an_output_folder_overlapping_the_content_is_refused(
    make_tree: MakeTree, tmp_path: Path, out: str
) -> None:
    make_tree()
    code, _, stderr = _build("--templates", str(REPO / "templates"), "--out", out, "--no-pdf")
    assert code == 2
    assert "overlaps the content folder" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_a_wording_with_an_unknown_placeholder_is_located_not_a_bug(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(THEME, templates)
    strings = templates / "strings" / "ja.yaml"
    strings.write_text(
        strings.read_text(encoding="utf-8").replace(
            'section_number: "{number}."', 'section_number: "{num}."'
        ),
        encoding="utf-8",
    )
    args = ["--content", str(REPO / "content"), "--templates", str(templates)]
    code, _, stderr = _build(*args, "--out", str(tmp_path / "site"), "--no-pdf")
    assert code == 1
    assert "release-body.html:7:1: KeyError: 'num'" in stderr
    assert "a bug in publisher" not in stderr


def _no_big_files() -> None:
    """In the build's process: no file may grow past 16 bytes, as on a disk that is full."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails instead of killing the build
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))


# An operational fault of the build: what is wrong, its options, what the message says, and the
# exit status (2: an option names what the build cannot use, said before anything is done).
FAULTS = [
    ("the output is a link to itself", ["--out", "loop", "--no-pdf"], "--out loop: a loop of", 2),
    (
        "the output's folder is a file",
        ["--out", "file/site", "--no-pdf"],
        "--out file/site: could",
        1,
    ),
    ("the disk is full for the site", ["--out", "site", "--no-pdf"], "--out site: could not", 1),
    ("the disk is full for the PDF workers", ["--out", "site", "--jobs", "2"], "could not run", 1),
]


@pytest.mark.parametrize(
    ("fault", "options", "message", "status"), FAULTS, ids=[f[0] for f in FAULTS]
)
def test_an_operational_fault_is_a_message_and_exit_1_or_2_not_a_bug(
    tmp_path: Path, fault: str, options: list[str], message: str, status: int
) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content", ignore=shutil.ignore_patterns(".pub*"))
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "file").write_text("not a folder")
    command = [sys.executable, "-m", "publisher", "build", "--templates", str(REPO / "templates"),
               "--cache", "cache", *options]  # fmt: skip
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, check=False,
        preexec_fn=_no_big_files if "full" in fault else None,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert result.returncode == status, result.stderr
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "site").exists()


def test_a_system_fault_anywhere_in_the_build_is_a_message_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_process_to_spare() -> str:  # as when fc-list cannot be started
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("publisher.pdf.stage.require_fonts", no_process_to_spare)
    code, _, stderr = _build(*_example_args(tmp_path / "site"), "--cache", str(tmp_path / "c"))
    assert (code, stderr) == (
        1,
        "error: the build stopped: [Errno 11] Resource temporarily unavailable\n",
    )
    assert not (tmp_path / "site").exists()


def test_as_of_without_a_zone_is_the_sites_time_for_the_deadlines_too(tmp_path: Path) -> None:
    """`--as-of 2026-05-20T12:00` is noon where the site is, for what is public and for the
    legal deadlines the check judges (before, the check compared it with zoned deadlines and
    stopped with a TypeError, exit 3)."""
    content = REPO / "examples/association-ja/content"
    made = {}
    for name, moment in (("naive", "2026-05-20T12:00"), ("zoned", "2026-05-20T12:00+09:00")):
        out = tmp_path / name
        result = CliRunner().invoke(
            cli, ["build", "--content", str(content), "--out", str(out), "--no-pdf", "-q",
                  "--cache", str(tmp_path / f"cache-{name}"), "--as-of", moment],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        made[name] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert made["naive"] == made["zoned"]


TOOLS = {
    "cProfile": ["-m", "cProfile", "-o", "watched.out", "-m"],
    "trace": ["-m", "trace", "--count", "-C", "watched.out", "--module"],
}


@pytest.mark.parametrize("tool", TOOLS.values(), ids=list(TOOLS))
def test_a_profiled_or_traced_command_ends_so_the_tool_writes_its_report(
    tmp_path: Path, tool: list[str]
) -> None:
    """The console script ends its process at once (no interpreter teardown), except when a
    profiler or tracer watches it: those write what they found as the interpreter ends."""
    command = [sys.executable, *tool, "publisher", "build", "--content", "nowhere"]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert "nowhere/site.yaml: error: schema: file not found" in run.stderr
    assert (tmp_path / "watched.out").exists()
