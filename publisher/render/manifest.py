"""SHA256SUMS: the digest of every published file, so a reader can check a PDF they were sent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from publisher.render.pages import Output

MANIFEST = "SHA256SUMS"


def sha256sums(outputs: Iterable[Output]) -> Output:
    """A `sha256sum -c` compatible manifest of `outputs`, sorted by path."""
    files = sorted((o for o in outputs if o.path != MANIFEST), key=lambda o: o.path)
    lines = [f"{hashlib.sha256(o.data).hexdigest()}  {o.path}\n" for o in files]
    return Output(MANIFEST, "".join(lines).encode("utf-8"))
