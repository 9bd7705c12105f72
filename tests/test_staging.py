"""What builds killed before their end leave beside the output, and what the next build does with
it: removed if it is clearly a staging folder of publisher's that nobody holds, else left alone."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.build import BuildConfig, build_site
from publisher.reporter import NullReporter
from tests.conftest import REPO, MakeTree

# A build that dies by SIGKILL at a chosen moment: a real process, killed for real.
KILLED = """\
import os, signal, sys
import {module}
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
{module}.{name} = die
from publisher.cli import main
main()
"""
MOMENTS = {
    "between staging and swap": ("publisher.write.site", "_swap"),
    "after the swap, before the previous output is put aside": (
        "publisher.write.site",
        "_keep_aside",
    ),
}


def _cli(root: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    start = [sys.executable, "-m", "publisher"] if code is None else [sys.executable, "-c", code]
    options = ["--no-pdf", "--quiet", "--templates", str(REPO / "templates")]
    return subprocess.run(
        [*start, *args, *options], cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def _beside(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_next_build_removes_what_a_killed_build_left(
    make_tree: MakeTree, tmp_path: Path, moment: str
) -> None:
    content = make_tree()
    assert _cli(tmp_path, "build").returncode == 0
    release = content / "incidents/test/releases/2020-08-05.yaml"
    release.write_text(release.read_text().replace("Notice", "Notice, revised"))
    # Without the record and its archive the edit is a new page (else refused: test_history.py).
    (content / "publication.lock.yaml").unlink()
    shutil.rmtree(content / "published")
    module, name = MOMENTS[moment]
    killed = _cli(tmp_path, "build", code=KILLED.format(module=module, name=name))
    assert killed.returncode == -9
    assert len(_beside(tmp_path)) == 1, "the killed build left nothing to remove"
    assert _cli(tmp_path, "build").returncode == 0
    assert _beside(tmp_path) == []
    check = ["sha256sum", "--quiet", "-c", "SHA256SUMS"]
    assert subprocess.run(check, cwd=tmp_path / "site", check=False).returncode == 0
    assert "Notice, revised" in (tmp_path / "site/test/2020-08-05/index.html").read_text()


def test_a_build_killed_while_it_updates_the_spare_leaves_the_site_and_the_next_build_mends_it(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """The spare (the output before the last, in the cache) is updated where nobody serves it:
    killed before its swap, the build leaves the site as it was, and the next one brings the
    spare, half updated, to what it must hold."""
    content = make_tree()
    (content / "publication.lock.yaml").unlink(missing_ok=True)  # edits are new pages here
    release = content / "incidents/test/releases/2020-08-05.yaml"
    for _ in range(2):  # the second build puts the first output aside, as the spare
        assert _cli(tmp_path, "build", "--out", "out").returncode == 0
        release.write_text(release.read_text().replace("Notice", "Notice, revised", 1))
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    code = KILLED.format(module="publisher.write.site", name="_exchange")
    assert _cli(tmp_path, "build", "--out", "out", code=code).returncode == -9
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []  # no staging
    assert _cli(tmp_path, "build", "--out", "out").returncode == 0
    check = ["sha256sum", "--quiet", "-c", "SHA256SUMS"]
    assert subprocess.run(check, cwd=tmp_path / "out", check=False).returncode == 0
    page = (tmp_path / "out/test/2020-08-05/index.html").read_text()
    assert "Notice, revised, revised" in page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


# What lies beside the output: its name, what it is, and whether the next build removes it.
BESIDE = [
    (".site.new-k1ll3d0a", "folder", True),
    (".site.old-k1ll3d_b", "folder", True),
    (".site.new-h3ld0000", "held by a live build", False),
    (".site.new-abc", "folder", False),
    (".site.new-k1ll3d0abc", "folder", False),
    (".site.new-K1LL3D0A", "folder", False),
    ("site.new-k1ll3d0a", "folder", False),
    (".other.new-k1ll3d0a", "folder", False),
    (".site.new-f1le0000", "file", False),
    (".site.new-l1nk0000", "link to a folder", False),
]


@pytest.mark.parametrize("nothing_changed", [False, True], ids=["full build", "no-op build"])
def test_only_unheld_staging_folders_of_this_output_are_removed(
    make_tree: MakeTree, tmp_path: Path, nothing_changed: bool
) -> None:
    config = BuildConfig(make_tree(), REPO / "templates", tmp_path / "site")
    build_site(config, NullReporter())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not a build's")
    held = []
    for name, kind, _ in BESIDE:
        path = tmp_path / name
        if kind == "file":
            path.write_text("a file, not a folder")
        elif kind == "link to a folder":
            path.symlink_to(elsewhere)
        else:
            (path / "test").mkdir(parents=True)
            (path / "test" / "index.html").write_text("half a build")
        if kind == "held by a live build":
            held.append(os.open(path, os.O_RDONLY | os.O_DIRECTORY))
            fcntl.flock(held[-1], fcntl.LOCK_EX)
    if not nothing_changed:
        (config.out / "stray.html").write_text("makes the build a full one")
    try:
        build_site(config, NullReporter())
    finally:
        for fd in held:
            os.close(fd)
    left = {name for name, _, _ in BESIDE if os.path.lexists(tmp_path / name)}
    assert left == {name for name, _, removed in BESIDE if not removed}
    assert (elsewhere / "keep.txt").is_file()
    assert (tmp_path / ".site.new-h3ld0000/test/index.html").is_file()


def test_a_file_whose_permissions_changed_is_written_anew_not_carried_over(
    tmp_path: Path,
) -> None:
    """A file of the previous output is carried over (hard-linked) only with the permissions a
    file written now gets: one made writable by everyone, or executable, is written again."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    config = BuildConfig(content, None, tmp_path / "site", cache=tmp_path / "cache")
    build_site(config, NullReporter())
    fresh = (config.out / "index.html").stat().st_mode & 0o777
    for name, mode in (("404.html", 0o666), ("releases.json", 0o755)):
        (config.out / name).chmod(mode)
    kept = (config.out / "robots.txt").stat().st_ino
    site = content / "site.yaml"
    site.write_text(site.read_text() + "\n")  # a real build, carrying files over
    build_site(config, NullReporter())
    for name in ("404.html", "releases.json", "robots.txt"):
        assert (config.out / name).stat().st_mode & 0o777 == fresh
    assert (config.out / "robots.txt").stat().st_ino == kept  # its permissions as written
