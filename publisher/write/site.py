"""The only writer of the output folder: everything goes to a temporary sibling, then one swap.

A failed build never touches the previous output. A folder that publisher did not make is never
replaced, so `--out` pointed at the wrong place cannot wipe it. A file whose bytes did not change
is carried over as a hard link to the previous one, so its modification time stays: a rebuild
with nothing changed rewrites no file, and a deploy tool sees only what really changed.

Builds that overlap on one folder each put a whole folder of their own in place: a file is
carried over only if the link made holds the bytes wanted, and the signature a build records
is that of the folder it staged, wherever that folder is by then.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from publisher.errors import PublisherError
from publisher.files import status
from publisher.messages import _
from publisher.render.pages import Output
from publisher.write.staging import StagingFolder, remove_leftovers, umask
from publisher.write.tree import MARKER, tree_signature


def marker() -> Output:
    """The file that marks a folder as publisher's output, so that a build may replace it."""
    return Output(MARKER, b'{"generator": "publisher"}\n')


@dataclass(frozen=True)
class WriteResult:
    """How many files were written anew and how many carried over; the folder's signature."""

    written: int
    unchanged: int
    tree: str | None
    """The folder's signature (`tree_signature`; None: not signed)."""
    leftover: Path | None = None
    """A temporary folder that could not be removed (it holds the previous output)."""


def write_site(outputs: Iterable[Output], out: Path) -> WriteResult:
    """Write `outputs` into a fresh folder and put it in place of `out` in one swap.

    A symlinked `out` keeps its link: the folder it points to is the one replaced. Staging
    folders that killed builds left beside `out` are removed first.
    """
    out = out.resolve() if out.is_symlink() else out
    _check_replaceable(out)
    files = _checked(outputs)
    if MARKER not in files:
        raise PublisherError(
            f"internal: the outputs lack the {MARKER} marker"
        )  # a bug, not a user's
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    with StagingFolder(out) as staging:
        staging.path.chmod(0o755)
        last = files.pop(MARKER)
        stage = _Stage(staging.path, out)
        unchanged = sum(stage(path, data) for path, data in files.items())
        unchanged += stage(MARKER, last)  # the marker last: a finished build
        _swap(staging.path, out)
        staging.remove()  # the previous output, now where the staging folder was
        # Signed only now, as removing the previous folder changed the change time of the files
        # the two shared; and signed through the descriptor, which names the folder this build
        # staged even if another build has meanwhile put its own in place of `out`.
        tree = tree_signature(staging.fd)
    leftover = staging.path if os.path.lexists(staging.path) else None
    return WriteResult(len(files) + 1 - unchanged, unchanged, tree, leftover)


class _Stage:
    """Puts files into the staging folder, each a hard link to the previous output's file
    where that holds the same bytes."""

    def __init__(self, staging: Path, out: Path) -> None:
        self.staging, self.out = staging, out
        self.previous = _tree(out).files
        self.folders: set[Path] = set()

    def __call__(self, path: str, data: bytes) -> bool:
        """Put `data` at `path` in the staging folder (`_stage`); True if linked."""
        target = self.staging / path
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        return _stage(target, self.out / path, data, self.previous.get(path))


def _stage(target: Path, previous: Path, data: bytes, info: os.stat_result | None) -> bool:
    """Put `data` at `target`: a hard link to the previous file (`info`: as it was seen, None
    if there was none) if that holds the same bytes, else a new file; True if linked."""
    if info is not None and _plain(info, len(data)) and _linked(previous, target, data):
        return True
    target.write_bytes(data)
    return False


@dataclass(frozen=True)
class _Tree:
    """What a folder holds, reached without following a link (which may lead anywhere)."""

    files: dict[str, os.stat_result]
    """Each file by its path, as it is there."""
    folders: set[str]
    plain: bool
    """Whether it holds nothing but folders and files, and every folder could be read."""


def _tree(out: Path) -> _Tree:
    """What `out` holds (not `plain` if it is missing)."""
    files: dict[str, os.stat_result] = {}
    folders: set[str] = set()
    plain = True
    walk = [("", str(out))]
    while walk:
        prefix, folder = walk.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.add(name)
                        walk.append((name + "/", entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        files[name] = entry.stat(follow_symlinks=False)
                    else:
                        plain = False
        except OSError:
            plain = False
    return _Tree(files, folders, plain)


def _linked(previous: Path, target: Path, data: bytes) -> bool:
    """Link `previous` at `target` if it holds `data`. The link is what is compared, not the
    file first looked at: another build may have swapped the output in between."""
    try:
        os.link(previous, target)
    except OSError:
        return False
    try:
        if _plain(target.lstat(), len(data)) and target.read_bytes() == data:
            return True
    except OSError:
        pass
    target.unlink(missing_ok=True)
    return False


def _plain(info: os.stat_result, size: int) -> bool:
    """A plain file of `size` bytes with the permissions a file written now gets (one whose
    permissions were changed since is written anew, not carried over)."""
    mode = stat.S_IMODE(info.st_mode)
    return stat.S_ISREG(info.st_mode) and mode == 0o666 & ~umask() and info.st_size == size


def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        said = _("{out}: exists and is not a folder; choose another --out")
        raise PublisherError(said.format(out=out))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        said = _(
            "{out}: refusing to replace a folder publisher did not make (no {marker} in it); "
            "choose an empty or new folder for --out"
        )
        raise PublisherError(said.format(out=out, marker=MARKER))


def _checked(outputs: Iterable[Output]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for output in outputs:
        pure = PurePosixPath(output.path)
        if pure.is_absolute() or ".." in pure.parts:
            said = _("refusing to write outside the output folder: {path}")
            raise PublisherError(said.format(path=output.path))
        if output.path in files:
            said = _("two outputs want the same path: {path}")
            raise PublisherError(said.format(path=output.path))
        files[output.path] = output.data
    return files


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False if unavailable."""
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if rename is None:
        return False
    at_cwd, exchange = -100, 2
    if rename(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`: one atomic exchange where the system offers it."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return  # `staging` now holds the previous output; the caller removes it
    with StagingFolder(out, "old") as retired:
        os.rename(out, retired.path / out.name)
        try:
            os.rename(staging, out)
        except OSError:
            os.rename(retired.path / out.name, out)
            raise


def update_site(outputs: Iterable[Output], out: Path) -> WriteResult:
    """Write `outputs` into `out` file by file, each file that changed replaced in one rename,
    and remove what the last build made that this one does not: for a preview only its own
    server reads, which may show the last build's files beside this one's for the moment the
    update takes. A folder that is new, empty, or holds anything but folders and files is
    written as `write_site` writes it, in one swap. The folder is not signed (`tree` is None:
    the caller signs it when it needs to)."""
    out = out.resolve() if out.is_symlink() else out
    _check_replaceable(out)
    files = _checked(outputs)
    previous = _tree(out)
    if not previous.plain or not previous.files or MARKER not in files:
        return write_site([Output(path, data) for path, data in files.items()], out)
    found, folders = previous.files, previous.folders
    wanted = {path.rpartition("/")[0] for path in files}
    wanted |= {folder[:i] for folder in wanted for i, c in enumerate(folder) if c == "/"}
    last = files.pop(MARKER)
    held = _held.get(out, {})
    for path in sorted(set(found) - set(files) - {MARKER}):  # first: a file may become a folder
        (out / path).unlink(missing_ok=True)
    for folder in sorted(folders - wanted, key=len, reverse=True):  # and a folder a file
        with suppress(OSError):  # not empty: something not ours was put in it
            (out / folder).rmdir()
    now = {path: _update(out, path, data, found, held) for path, data in files.items()}
    now[MARKER] = _update(out, MARKER, last, found, held)
    files[MARKER] = last
    _held[out] = {path: (info, files[path]) for path, info in now.items()}
    written = sum(found.get(path) is not info for path, info in now.items())
    return WriteResult(written, len(now) - written, None)


_Held = dict[str, tuple[os.stat_result, bytes]]
_held: dict[Path, _Held] = {}
"""What `update_site` last wrote into each folder, file by file, as it left each file: a file
found as it was left holds those bytes, and is compared with them rather than read."""


def _update(
    out: Path, path: str, data: bytes, found: dict[str, os.stat_result], held: _Held
) -> os.stat_result:
    """Put `data` at `path` in `out` unless the file there (`found`, as `held` says it was
    left or as it reads) holds it; the file's status after (`found`'s if not written)."""
    info = found.get(path)
    if info is not None and _plain(info, len(data)):
        left = held.get(path)
        if left is not None and status(info) == status(left[0]) and left[1] == data:
            return info  # as this process left it
        if left is None and _holds(out / path, data):
            return info
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target.lstat()


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds `data`."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False
