"""SHA256SUMS: the digest of every published file, so a reader can check a PDF they were sent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from publisher import memo
from publisher.render.pages import Output

MANIFEST = "SHA256SUMS"


def sha256sums(outputs: Iterable[Output]) -> Output:
    """A `sha256sum -c` compatible manifest of `outputs`, sorted by path."""
    files = sorted((o for o in outputs if o.path != MANIFEST), key=lambda o: o.path)
    lines = [f"{sha256_hex(o.data)}  {o.path}\n" for o in files]
    return Output(MANIFEST, "".join(lines).encode("utf-8"))


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` in hex; once per bytes object this process holds (`serve` holds
    the pages it keeps from one build to the next, and hashes them once)."""
    if len(data) < _WORTH:
        return hashlib.sha256(data).hexdigest()
    seen: str | None = _hashed.get(id(data), (data,))
    if seen is None:
        seen = hashlib.sha256(data).hexdigest()
        _hashed.put(id(data), (data,), seen)
    return seen


_hashed = memo.Held()
"""Digests by the bytes object hashed (held, so that its id names no other)."""
_WORTH = 1024
"""Bytes below which a digest is not worth keeping."""
