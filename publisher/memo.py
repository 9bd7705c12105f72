"""Results of pure functions, by a digest of everything they read, kept from one build to the next.

Like `functools.lru_cache`, and as invisible: a function that asks the memo gets the value it
would compute, because its key holds every input of that value (the function says which), and
an entry is never changed. What it adds is that the build keeps the entries on disk (`load`,
`save`), so a rebuild after one release changed parses and renders only that release again,
and that a worker process can compute entries for its parent (`since`, `merge`).

Values are typed data (strings, tuples, msgspec structs, dataclasses) kept as MessagePack and
read back as the type the asker names: never code, so a cache file from anywhere can do no more
than be ignored. `save` keeps only the entries the build used, so the file holds the current
content's and no more; one that cannot be read, is damaged, or is another version's, is ignored
and the build computes everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from publisher.files import sealed, unsealed, write_whole

_HEADER = b"publisher-memo 4\n"


class _Kept:
    """An entry as the file holds it, read as its type when first asked for."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_entries: dict[bytes, Any] = {}
_written: dict[bytes, bytes] = {}
"""Each entry's bytes, as read from the file or checked by `put`: written again as they are."""
_used: set[bytes] = set()
_added: list[bytes] = []
_source: tuple[Path, str] | None = None
"""The file the entries in memory came from, and what made them (the code and libraries that
compute them)."""
_changed = False
"""Whether the entries in memory are no longer those of the file they came from."""


class Held:
    """Values computed from objects a long-running process holds from one build to the next
    (`serve`: the same document while its file is unchanged, the same page bytes while the page
    is kept), by a key and the objects they were computed from; what a build did not ask for is
    forgotten when the one after it begins (`load`), so no more than two builds' are held."""

    def __init__(self) -> None:
        self.now: dict[object, tuple[tuple[object, ...], Any]] = {}
        self.before: dict[object, tuple[tuple[object, ...], Any]] = {}
        _held.append(self)

    def get(self, name: object, of: tuple[object, ...]) -> Any:
        """The value under `name` computed from the very objects `of`, or None."""
        for table in (self.now, self.before):
            seen = table.get(name)
            if seen is not None and _same_objects(seen[0], of):
                self.now[name] = seen
                return seen[1]
        return None

    def put(self, name: object, of: tuple[object, ...], value: object) -> None:
        """Hold `value`, computed from the objects `of`, under `name`."""
        self.now[name] = (of, value)

    def _turn(self) -> None:
        self.before, self.now = self.now, {}


_held: list[Held] = []


def _same_objects(one: tuple[object, ...], other: tuple[object, ...]) -> bool:
    return len(one) == len(other) and all(a is b for a, b in zip(one, other, strict=True))


def key(kind: str, *parts: str | bytes) -> bytes:
    """The key of `kind`'s value for the inputs `parts` (each kept apart from the next)."""
    digest = hashlib.blake2b(kind.encode(), digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


def get(name: bytes, kind: object, hook: Callable[[type, Any], Any] | None = None) -> Any:
    """The value kept under `name`, as a `kind` (a type msgspec reads, with `hook` for the
    types it does not know), or None (also if it cannot be read as one)."""
    value = _entries.get(name)
    if isinstance(value, _Kept):
        try:
            decoded = msgspec.msgpack.decode(value.data, type=kind, dec_hook=hook)
        except (msgspec.DecodeError, msgspec.ValidationError):
            del _entries[name]
            return None
        _written[name] = value.data
        value = _entries[name] = decoded
    if value is not None:
        _used.add(name)
    return value


def holds(name: bytes) -> bool:
    """Whether an entry is kept under `name` (then counted as used: its asker reads it later
    with `get`, or not at all, and the next build may want it)."""
    found = _entries.get(name) is not None
    if found:
        _used.add(name)
    return found


def put(
    name: bytes, value: object, kind: object, hook: Callable[[type, Any], Any] | None = None
) -> None:
    """Keep `value` (never None) under `name` if it reads back as itself, as `get` reads it (a
    `kind`, with `hook`): a date where any value may be (a fact's) is written as text and would
    come back as one, so such a value is computed again rather than kept."""
    try:
        data = encode(value)
        same = msgspec.msgpack.decode(data, type=kind, dec_hook=hook) == value
    except (TypeError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        same = False
    if not same:
        return
    global _changed
    _written[name] = data
    if name not in _entries:
        _added.append(name)
        _changed = True
    _entries[name] = value
    _used.add(name)


def held() -> int:
    """How many entries the memo holds (at the start of a build: those the last one kept)."""
    return len(_entries)


def added() -> int:
    """How many entries this process has added since the build began."""
    return len(_added)


def since(mark: int) -> tuple[dict[bytes, bytes], list[bytes]]:
    """The entries added after `mark` (a count of `added()`), encoded for a parent process, and
    the names of those used (so that the parent keeps for the next build what the worker read)."""
    found = {}
    for name in _added[mark:]:
        with suppress(TypeError, ValueError):
            found[name] = _encoded(name)
    return found, list(_used)


def merge(entries: dict[bytes, bytes], used: Iterable[bytes] = ()) -> None:
    """Take the entries a worker computed and the names of those it used (`since`), as if
    computed and used here."""
    global _changed
    for name, data in entries.items():
        if name not in _entries:
            _added.append(name)
            _changed = True
        _entries[name] = _Kept(data)
    _used.update(entries)
    mark_used(used)


def mark_used(names: Iterable[bytes]) -> None:
    """Count the entries `names` as used by this build (kept by `save`), though not asked for
    with `get`: the asker holds their values already."""
    _used.update(name for name in names if name in _entries)


def load(path: Path, identity: str) -> None:
    """Start a build with the entries kept at `path` by code of the same `identity`: those in
    memory if they came from there (a long-running `serve` keeps them), else the file's;
    anything unreadable is ignored."""
    global _source, _changed
    _used.clear()
    _added.clear()
    for held in _held:
        held._turn()
    if _source == (path, identity):
        return
    _entries.clear()
    _written.clear()
    _source = (path, identity)
    _changed = False
    with suppress(OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        body = unsealed(_HEADER + identity.encode() + b"\n", path.read_bytes())
        if body is not None:  # else damaged (a changed byte in a text), or another code's
            kept = msgspec.msgpack.decode(body, type=dict[bytes, bytes])
            _entries.update((name, _Kept(value)) for name, value in kept.items())


def prune() -> int:
    """Forget the entries not used since `load` (a long-running `serve`, which saves only when
    it stops, holds no more than its last build used); how many were forgotten."""
    global _changed
    unused = [n for n in _entries if n not in _used]
    for name in unused:
        del _entries[name]
        _written.pop(name, None)
    _changed = _changed or bool(unused)
    return len(unused)


def save(path: Path) -> None:
    """Write the entries used since `load` to `path` (in one step), and forget the rest; an
    entry that cannot be written as data is left out."""
    global _changed
    identity = _source[1] if _source else ""
    prune()
    if not _changed and _source is not None and _source[0] == path and path.is_file():
        return  # the file holds these entries already
    kept = {}
    for name in _entries:
        with suppress(TypeError, ValueError):
            kept[name] = _encoded(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = msgspec.msgpack.encode(kept)
    write_whole(path, sealed(_HEADER + identity.encode() + b"\n", body))
    _changed = _source is None or _source[0] != path  # the file holds them now


def saved_elsewhere(path: Path) -> None:
    """Take it that another process (a forked copy of this one) has saved these entries to
    `path`: forget what `save` forgets, and count the file as holding the rest."""
    global _changed
    prune()
    _changed = _source is None or _source[0] != path


def encode(value: object) -> bytes:
    """`value` as the memo writes data: MessagePack, subclasses of its types as their plain
    forms (TypeError for anything else)."""
    return _ENCODER.encode(value)


def _encoded(name: bytes) -> bytes:
    """The entry `name` as the file keeps it: the bytes it was read from or checked as."""
    value = _entries[name]
    if isinstance(value, _Kept):
        return value.data
    return _written[name] if name in _written else encode(value)


def plain(value: object) -> object:
    """A subclass of a type msgspec writes (a checked time zone name, a zoned date and time) as
    that type's plain form; the asker's `hook` reads it back as the subclass."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)  # never shown: the entry is left out


_ENCODER = msgspec.msgpack.Encoder(enc_hook=plain)
