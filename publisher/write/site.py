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
import fcntl
import functools
import os
import stat
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from publisher.errors import OptionError, PublisherError
from publisher.files import status
from publisher.messages import _
from publisher.render.pages import Output
from publisher.write.staging import StagingFolder, remove_leftovers, remove_tree, umask
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


def write_site(outputs: Iterable[Output], out: Path, spare: Path | None = None) -> WriteResult:
    """Write `outputs` into a fresh folder and put it in place of `out` in one swap.

    A symlinked `out` keeps its link: the folder it points to is the one replaced. Staging
    folders that killed builds left beside `out` are removed first. With `spare` (a folder of
    the cache, on the same file system), the output a swap puts aside is kept there rather
    than removed, and the next build updates it, writing only what differs, instead of making
    a fresh folder (`_through_spare`); it is the same swap.
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
    if spare is not None and (done := _through_spare(files, out, spare)) is not None:
        return done
    with StagingFolder(out) as staging:
        staging.path.chmod(0o755)
        last = files.pop(MARKER)
        stage = _Stage(staging.path, out)
        unchanged = sum(stage(path, data) for path, data in files.items())
        unchanged += stage(MARKER, last)  # the marker last: a finished build
        swapped = _swap(staging.path, out)  # a previous output holding a link is not kept:
        if not (swapped and stage.plain and spare is not None and _keep_aside(staging, spare)):
            staging.remove()  # the previous output, now where the staging folder was
        # Signed only now, as removing the previous folder changed the change time of the files
        # the two shared; and signed through the descriptor, which names the folder this build
        # staged even if another build has meanwhile put its own in place of `out`.
        tree = tree_signature(staging.fd)
    leftover = staging.path if os.path.lexists(staging.path) else None
    return WriteResult(len(files) + 1 - unchanged, unchanged, tree, leftover)


def _keep_aside(staging: StagingFolder, spare: Path) -> bool:
    """Move the previous output, where the staging folder was, to `spare` for the next build
    to update; False if it cannot be (another build keeps one there, another file system)."""
    try:
        spare.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging.path, spare)  # refused where a folder that is not empty is
    except OSError:
        return False
    return True


def _through_spare(files: dict[str, bytes], out: Path, spare: Path) -> WriteResult | None:
    """Bring the folder at `spare` (the output before the last, kept by the last build) to hold
    `files`, each file the last output holds unchanged a hard link to it, and swap it with
    `out`, which becomes the spare; None, nothing swapped, where there is no spare to use: none,
    another build's, one that is not plain folders and files as this build makes them (their
    modes too), one it cannot write, no output to swap with, or no atomic swap here. A spare
    that cannot be used, and no other build holds, is removed."""
    try:
        fd = os.open(spare, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError:  # a link, a file: never followed, never used
        with suppress(OSError):
            spare.unlink()
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build may be updating it
    except OSError:
        os.close(fd)
        return None
    try:
        done = _update_spare(files, out, spare, fd)
        if done is None:
            remove_tree(spare)
        return done
    finally:
        os.close(fd)


def _update_spare(files: dict[str, bytes], out: Path, spare: Path, fd: int) -> WriteResult | None:
    """`_through_spare` with the spare open (`fd`) and locked; None where it cannot be used."""
    try:
        mine = _tree(spare)
        if not mine.plain or not _fresh_modes(spare, mine, out, fd):
            return None
        (spare / MARKER).unlink(missing_ok=True)  # not a finished output while it is updated
        mine.files.pop(MARKER, None)
        carry = functools.partial(_carry, spare, out, mine, _tree(out).files)
        _remove_unwanted(spare, mine, files)
        unchanged = sum(carry(path, data) for path, data in files.items() if path != MARKER)
        unchanged += carry(MARKER, files[MARKER])  # the marker last: a finished output
        if not _exchange(spare, out):
            return None
    except OSError:  # the spare cannot be written (a folder made read-only, another owner's)
        return None
    tree = tree_signature(fd)  # the folder now at `out`, whoever swaps after
    return WriteResult(len(files) - unchanged, unchanged, tree)


def _fresh_modes(spare: Path, held: _Tree, out: Path, fd: int) -> bool:
    """Whether the spare's folders have the modes a fresh build's get (its own 0755, the
    others those of the umask), and it lies on the output's file system."""
    own = os.fstat(fd)
    if own.st_dev != out.stat().st_dev or stat.S_IMODE(own.st_mode) != 0o755:
        return False
    wanted = 0o777 & ~umask()
    return all(stat.S_IMODE((spare / name).lstat().st_mode) == wanted for name in held.folders)


def _remove_unwanted(folder: Path, held: _Tree, files: Mapping[str, bytes]) -> None:
    """Remove from `folder` (as `held` says it is) the files not in `files`, then the folders
    none of them is in: a file may become a folder, a folder a file."""
    wanted = {path.rpartition("/")[0] for path in files}
    wanted |= {f[:i] for f in wanted for i, c in enumerate(f) if c == "/"}
    for path in sorted(set(held.files) - set(files)):
        (folder / path).unlink(missing_ok=True)
    for name in sorted(held.folders - wanted, key=len, reverse=True):
        with suppress(OSError):  # not empty: something not ours was put in it
            (folder / name).rmdir()


def _carry(
    folder: Path,
    out: Path,
    held: _Tree,
    previous: dict[str, os.stat_result],
    path: str,
    data: bytes,
) -> bool:
    """Put `data` at `path` in `folder`: the file the last output (`out`, whose files
    `previous` says) holds there, if it holds `data`, linked (or kept, where `folder` has that
    very file already); else a new file. True if carried over."""
    target, was = folder / path, previous.get(path)
    if was is not None and _plain(was, len(data)):
        have = held.files.get(path)
        if have is not None and (have.st_dev, have.st_ino) == (was.st_dev, was.st_ino):
            if _holds(target, data):
                return True
        elif _linked_over(out / path, target, data):
            return True
    _replace(target, data)
    return False


def _linked_over(previous: Path, target: Path, data: bytes) -> bool:
    """Link `previous` in place of `target` if it holds `data` (the link is what is read)."""
    temporary = target.with_name(f".{target.name}.link-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _linked(previous, temporary, data):
            return False
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


def _replace(target: Path, data: bytes) -> None:
    """Write `data` at `target` in one rename (its folder made if need be)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class _Stage:
    """Puts files into the staging folder, each a hard link to the previous output's file
    where that holds the same bytes."""

    def __init__(self, staging: Path, out: Path) -> None:
        self.staging, self.out = staging, out
        previous = _tree(out)
        self.previous, self.plain = previous.files, previous.plain
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
        raise OptionError(said.format(out=out))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        said = _(
            "{out}: refusing to replace a folder publisher did not make (no {marker} in it); "
            "choose an empty or new folder for --out"
        )
        raise OptionError(said.format(out=out, marker=MARKER))


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


def _swap(staging: Path, out: Path) -> bool:
    """Put `staging` in place of `out`: one atomic exchange where the system offers it. True
    if `staging` now holds the previous output."""
    if not out.exists():
        os.rename(staging, out)
        return False
    if _exchange(staging, out):
        return True
    with StagingFolder(out, "old") as retired:
        os.rename(out, retired.path / out.name)
        try:
            os.rename(staging, out)
        except OSError:
            os.rename(retired.path / out.name, out)
            raise
    return False


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
    found = previous.files
    _remove_unwanted(out, previous, files)
    last = files.pop(MARKER)
    held = _held.get(out, {})
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
    _replace(out / path, data)
    return (out / path).lstat()


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds `data`."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False
