"""What lets a rebuild with nothing changed do nothing at all: the inputs as one digest and the
stamp that records it with the output folder's signature (write/tree.py), kept in the cache
folder; the build writes it and forgets the stamps of output folders that are gone."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from publisher.files import file_bytes, sealed, unsealed, write_whole


def inputs_digest(
    roots: Iterable[Path], options: Mapping[str, Any], leave_out: Iterable[Path] = ()
) -> str:
    """SHA-256 over the build options and every entry under `roots` but the folders in
    `leave_out` (caches: they hold outputs): each folder's name, each file's name and bytes
    (the content of anything but a regular file is not read)."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    skipped = _identities(leave_out)
    for root in roots:
        for name, info in _input_entries(root, skipped):
            digest.update(os.fsencode(f"{root.name}/{name}") + b"\0")
            if not stat.S_ISREG(info.st_mode):
                digest.update(b"folder\0" if stat.S_ISDIR(info.st_mode) else b"other\0")
                continue
            try:
                data = file_bytes(root / name, info)
            except OSError:  # gone since it was listed (an editor's swap file): not an input
                continue
            digest.update(f"{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def inputs_snapshot(
    roots: Iterable[Path], leave_out: Iterable[Path] = ()
) -> frozenset[tuple[str, int, int, int]]:
    """Every entry under `roots` (as inputs_digest lists them) with its size, time and inode:
    cheap to take, for noticing that something changed (publisher serve polls it)."""
    skipped = _identities(leave_out)
    return frozenset(
        (f"{root}/{name}", info.st_size, info.st_mtime_ns, info.st_ino)
        for root in roots
        for name, info in _input_entries(root, skipped)
    )


def _identities(folders: Iterable[Path]) -> set[tuple[int, int]]:
    return {_identity(info) for folder in folders if (info := _stat(str(folder)))}


def _input_entries(root: Path, skipped: set[tuple[int, int]]) -> list[tuple[str, os.stat_result]]:
    """Every folder and file under `root`, sorted, with its status (links followed, each folder
    once, so a link loop ends, but never out of `root`: such a link is an entry of its own,
    whose target is not read), but the folders in `skipped`."""
    found: list[tuple[str, os.stat_result]] = []
    try:
        seen = {_identity(os.stat(root)), *skipped}
    except OSError:
        return found
    inside = os.path.realpath(root)
    folders = [(os.fspath(root), "")]  # depth first, each folder's in the order of their names
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listed:
                entries = sorted(listed, key=lambda entry: entry.name)
        except OSError:
            continue
        deeper = []
        for entry in entries:
            info = _entry_stat(entry, inside)
            if info is None:
                continue
            if stat.S_ISDIR(info.st_mode):
                if _identity(info) in seen:
                    continue
                seen.add(_identity(info))
                deeper.append((entry.path, f"{prefix}{entry.name}/"))
            found.append((prefix + entry.name, info))
        folders += reversed(deeper)
    return sorted(found, key=lambda entry: entry[0])


def _entry_stat(entry: os.DirEntry[str], inside: str) -> os.stat_result | None:
    """The status of what `entry` leads to; of the link itself if it leads out of the folder
    `inside`: nothing outside the inputs is read (the build says what is wrong)."""
    try:
        if entry.is_symlink():
            if not _within(os.path.realpath(entry.path), inside):
                return entry.stat(follow_symlinks=False)
            return os.stat(entry.path)
        return entry.stat(follow_symlinks=False)  # not a link: what it leads to is itself
    except OSError:  # a broken link, or gone since it was listed
        return None


def _stat(path: str) -> os.stat_result | None:
    """The status of what `path` leads to (None: nothing)."""
    try:
        return os.stat(path)
    except OSError:
        return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def stamp_path(cache: Path, out: Path) -> Path:
    """Where the stamp of the last build into `out` is kept: in the cache folder, not in the
    output, which is published (a stamp tells when the next scheduled release is due)."""
    key = hashlib.sha256(os.fsencode(os.path.realpath(out))).hexdigest()[:16]
    return cache / "builds" / f"{key}.json"


def spare_path(cache: Path, out: Path) -> Path:
    """Where the output before the last build into `out` is kept, for the next build to update
    rather than write anew (publisher.write.site)."""
    return cache / "previous" / stamp_path(cache, out).stem


_STAMP_NAME = re.compile(r"[0-9a-f]{16}\.json")


def read_stamp(path: Path) -> dict[str, Any]:
    """The stamp a previous build left ({} if none or unreadable)."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def write_stamp(path: Path, stamp: Mapping[str, Any]) -> None:
    """Put `stamp` (which names its output folder as "out") at `path` in one step, and forget
    the stamps of output folders that are gone (a test's, a preview deleted by hand)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, json.dumps(stamp, indent=2, sort_keys=True).encode("utf-8"))
    for other in path.parent.iterdir():
        if _STAMP_NAME.fullmatch(other.name) and not _out_exists(read_stamp(other)):
            with contextlib.suppress(OSError):
                other.unlink()


def recorded_stamps(cache: Path) -> list[dict[str, Any]]:
    """The stamps of every output folder's last build kept in the cache folder `cache`."""
    folder = cache / "builds"
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [read_stamp(folder / name) for name in names if _STAMP_NAME.fullmatch(name)]


def _out_exists(stamp: Mapping[str, Any]) -> bool:
    out = stamp.get("out")
    return isinstance(out, str) and os.path.isdir(out)


def renders_path(cache: Path, out: Path) -> Path:
    """Where the last build into `out` keeps its pages and prints for the next to reuse."""
    return cache / "renders" / stamp_path(cache, out).with_suffix(".msgpack").name


def read_renders(path: Path) -> dict[str, tuple[str, bytes]]:
    """The pages and prints a previous build kept, by name, with their keys ({} if none, or
    unreadable: damaged, even where it still reads as MessagePack, or another version's)."""
    import msgspec

    try:
        body = unsealed(_RENDERS, path.read_bytes())
        return msgspec.msgpack.decode(body, type=dict[str, tuple[str, bytes]]) if body else {}
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return {}


_RENDERS = b"publisher-renders 1\n"
"""The start of a file of kept pages and prints (`files.sealed`)."""


def write_renders(path: Path, made: Mapping[str, tuple[str, bytes]]) -> None:
    """Keep `made` at `path` in one step, and forget what builds into other output folders that
    are gone kept (those whose stamp is gone: write_stamp forgets them), their pages and the
    outputs before their last (`spare_path`)."""
    import shutil

    import msgspec

    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, sealed(_RENDERS, msgspec.msgpack.encode(made)))
    stamps = path.parent.parent / "builds"
    for other in path.parent.iterdir():
        kept = _RENDERS_NAME.fullmatch(other.name)
        if kept and other != path and not (stamps / f"{kept.group(1)}.json").is_file():
            with contextlib.suppress(OSError):
                other.unlink()
    spares = path.parent.parent / "previous"
    for other in spares.iterdir() if spares.is_dir() else ():
        gone = not (stamps / f"{other.name}.json").is_file()
        if _KEY.fullmatch(other.name) and other.name != path.stem and gone:
            shutil.rmtree(other, ignore_errors=True)


_RENDERS_NAME = re.compile(r"([0-9a-f]{16})\.msgpack")
_KEY = re.compile(r"[0-9a-f]{16}")
