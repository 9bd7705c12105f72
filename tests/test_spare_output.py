"""The output before the last, kept in the cache as the spare (publisher/write/site.py): the next
build updates it, writing only what differs, and swaps it in; what it carries over is the last
output's very file, and a spare it cannot trust is not used."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
from pathlib import Path

import pytest

from publisher.render.pages import Output
from publisher.write import site
from publisher.write.site import marker, write_site
from publisher.write.staging import umask


def _site(pages: dict[str, bytes]) -> list[Output]:
    return [*(Output(path, data) for path, data in pages.items()), marker()]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _elsewhere(tmp_path: Path) -> Path:
    """A folder outside the output and the spare, with a file that must stay as it is."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not a build's")
    return elsewhere


FIRST = {"index.html": b"home", "a/index.html": b"a", "b/c/index.html": b"c", "d": b"a file"}
SECOND = {"index.html": b"home", "a/index.html": b"A", "b/c/index.html": b"c", "d": b"a file"}
THIRD = {"index.html": b"home", "a/index.html": b"A", "d/index.html": b"now a folder"}


def test_the_previous_output_is_kept_and_the_next_write_updates_it(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "cache" / "previous" / "site"
    write_site(_site(FIRST), out, spare)
    assert not spare.exists()  # nothing was put aside: there was no output before
    first = _inodes(out)
    write_site(_site(SECOND), out, spare)  # a fresh folder, swapped: the first is the spare
    assert _files(spare) == {**FIRST, ".publisher-build": marker().data}
    second = _inodes(out)
    assert second["index.html"] == first["index.html"]  # carried over, as ever
    result = write_site(_site(THIRD), out, spare)  # the spare (the first output), updated
    assert _files(out) == {**THIRD, ".publisher-build": marker().data}
    third = _inodes(out)
    assert third["index.html"] == second["index.html"]  # the last output's file, linked
    assert third["a/index.html"] == second["a/index.html"]  # changed in the last, the same since
    assert not (out / "b").exists() and (out / "d").is_dir()
    assert _files(spare) == {**SECOND, ".publisher-build": marker().data}  # the last, kept
    assert (result.written, result.unchanged) == (1, 3)  # d/index.html; the rest and the marker
    left = [p.name for p in [*out.rglob(".*"), *spare.rglob(".*")]]
    assert set(left) == {".publisher-build"}  # no temporary file left behind


def test_a_spare_changed_by_hand_is_corrected_from_the_output(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    write_site(_site(FIRST), out, spare)
    write_site(_site(FIRST), out, spare)
    (spare / "a/index.html").unlink()
    (spare / "a/index.html").write_bytes(b"Z")  # a file of its own, of the same size
    (spare / "stray.html").write_bytes(b"not ours")
    before = _inodes(out)
    write_site(_site(FIRST), out, spare)
    assert _files(out) == {**FIRST, ".publisher-build": marker().data}
    assert _inodes(out)["a/index.html"] == before["a/index.html"]


def test_a_file_both_outputs_share_but_changed_in_place_is_written_anew(tmp_path: Path) -> None:
    """An editor that rewrites a file in place changes it in the spare too (the same file):
    its bytes are read, not taken on trust."""
    out, spare = tmp_path / "site", tmp_path / "spare"
    write_site(_site(FIRST), out, spare)
    write_site(_site(FIRST), out, spare)
    with (out / "index.html").open("r+b") as file:
        file.write(b"HOME")
    write_site(_site(FIRST), out, spare)
    assert (out / "index.html").read_bytes() == b"home"


def test_a_spare_another_build_holds_is_left_alone(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    write_site(_site(FIRST), out, spare)
    write_site(_site(FIRST), out, spare)
    held = os.open(spare, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        kept = _files(spare)
        write_site(_site(SECOND), out, spare)
        assert _files(out) == {**SECOND, ".publisher-build": marker().data}
        assert _files(spare) == kept
    finally:
        os.close(held)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


@pytest.mark.parametrize("where", ["a folder", "the spare itself"])
def test_a_spare_holding_a_link_is_removed_and_nothing_written_through_it(
    tmp_path: Path, where: str
) -> None:
    out, spare, elsewhere = tmp_path / "site", tmp_path / "spare", _elsewhere(tmp_path)
    write_site(_site(FIRST), out, spare)
    write_site(_site(FIRST), out, spare)
    if where == "a folder":
        (spare / "a/index.html").unlink()
        (spare / "a").rmdir()
        (spare / "a").symlink_to(elsewhere, target_is_directory=True)
    else:
        os.rename(spare, tmp_path / "moved")
        spare.symlink_to(tmp_path / "moved", target_is_directory=True)
    write_site(_site(SECOND), out, spare)
    assert _files(out) == {**SECOND, ".publisher-build": marker().data}
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert not out.is_symlink() and not (out / "a").is_symlink()


def test_a_previous_output_holding_a_link_is_not_kept_as_the_spare(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    write_site(_site(FIRST), out, spare)
    (out / "etc").symlink_to("/etc", target_is_directory=True)  # a stray, put there by hand
    write_site(_site(SECOND), out, spare)
    assert not os.path.lexists(spare)
    assert _files(out) == {**SECOND, ".publisher-build": marker().data}


def _kept(tmp_path: Path) -> tuple[Path, Path]:
    """An output and its spare, as two writes leave them."""
    out, spare = tmp_path / "site", tmp_path / "spare"
    write_site(_site(FIRST), out, spare)
    write_site(_site(FIRST), out, spare)
    assert spare.is_dir()
    return out, spare


def test_an_output_removed_by_hand_is_written_anew_and_so_is_the_next(tmp_path: Path) -> None:
    out, spare = _kept(tmp_path)
    shutil.rmtree(out)
    write_site(_site(SECOND), out, spare)
    assert _files(out) == {**SECOND, ".publisher-build": marker().data}
    write_site(_site(THIRD), out, spare)
    assert _files(out) == {**THIRD, ".publisher-build": marker().data}


def test_a_spare_that_cannot_be_written_is_given_up_for_a_fresh_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, spare = _kept(tmp_path)

    def refused(*args: object) -> bool:
        raise PermissionError("a folder of the spare made read-only, or another user's")

    monkeypatch.setattr(site, "_carry", refused)
    write_site(_site(SECOND), out, spare)
    assert _files(out) == {**SECOND, ".publisher-build": marker().data}
    assert _files(spare) == {**FIRST, ".publisher-build": marker().data}  # the one swapped out


def test_folders_get_this_build_s_modes_not_the_spare_s(tmp_path: Path) -> None:
    out, spare = _kept(tmp_path)
    (spare / "a").chmod(0o700)
    spare.chmod(0o711)
    write_site(_site(SECOND), out, spare)
    modes = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*")}
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    folders = {name: mode for name, mode in modes.items() if (out / name).is_dir()}
    assert folders and set(folders.values()) == {0o777 & ~umask()}


@pytest.mark.parametrize("kind", ["a link to a folder", "a file"])
def test_a_spare_that_is_no_folder_is_removed_and_its_target_left(
    tmp_path: Path, kind: str
) -> None:
    out, spare, elsewhere = tmp_path / "site", tmp_path / "spare", _elsewhere(tmp_path)
    write_site(_site(FIRST), out, spare)
    if kind == "a file":
        spare.write_text("not a folder")
    else:
        spare.symlink_to(elsewhere, target_is_directory=True)
    write_site(_site(SECOND), out, spare)
    assert spare.is_dir() and not spare.is_symlink()  # the last output, kept in its place
    assert _files(out) == {**SECOND, ".publisher-build": marker().data}
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
