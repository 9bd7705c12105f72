"""A build's inputs as one digest, so that a rebuild with nothing changed can do nothing at all."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CACHE_FOLDER = ".publisher-cache"
"""The default PDF cache's folder name (publisher.pdf); never an input of the build."""

MARKER = ".publisher-build"
"""The file in an output folder that marks it as publisher's, and holds the build's stamp."""


def inputs_digest(roots: Iterable[Path], options: Mapping[str, Any]) -> str:
    """SHA-256 over the build options and every file (path and bytes) under `roots`."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and _is_input(p, root)):
            try:
                data = path.read_bytes()
            except OSError:  # gone since it was listed (an editor's swap file): not an input
                continue
            name = path.relative_to(root).as_posix()
            digest.update(f"{root.name}/{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _is_input(path: Path, root: Path) -> bool:
    """Not the PDF cache: a folder of outputs, even when it lives in the content folder."""
    return CACHE_FOLDER not in path.relative_to(root).parts


def read_stamp(marker: Path) -> dict[str, Any]:
    """The stamp a previous build left in its marker file ({} if none or unreadable)."""
    try:
        stamp = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def tree_is_intact(out: Path, manifest: str = "SHA256SUMS") -> bool:
    """Whether `out` holds exactly the files its manifest lists, each with its listed digest."""
    try:
        lines = (out / manifest).read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    listed = dict(_entry(line) for line in lines)
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    if present != set(listed) | {manifest, MARKER}:
        return False
    return all(_digest(out / name) == digest for name, digest in listed.items())


def _entry(line: str) -> tuple[str, str]:
    digest, _, name = line.partition("  ")
    return name, digest


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
