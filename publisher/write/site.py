"""The only writer of the output folder: everything goes to a temporary sibling, then one swap.

A failed build never touches the previous output. A folder that publisher did not make is never
replaced, so `--out` pointed at the wrong place cannot wipe it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from publisher.errors import PublisherError
from publisher.render.pages import Output

MARKER = ".publisher-build"
_MARKER_TEXT = b"Made by publisher build. This folder is replaced as a whole on every build.\n"


def write_site(outputs: Iterable[Output], out: Path) -> None:
    """Write `outputs` into a fresh folder and put it in place of `out` in one swap."""
    _check_replaceable(out)
    files = _checked(outputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        staging.chmod(0o755)
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PublisherError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PublisherError(
            f"{out}: refusing to replace a folder publisher did not make (no {MARKER} in it); "
            "choose an empty or new folder for --out"
        )


def _checked(outputs: Iterable[Output]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for output in outputs:
        pure = PurePosixPath(output.path)
        if pure.is_absolute() or ".." in pure.parts or output.path == MARKER:
            raise PublisherError(f"refusing to write outside the output folder: {output.path}")
        if output.path in files:
            raise PublisherError(f"two outputs want the same path: {output.path}")
        files[output.path] = output.data
    return files


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, retired / out.name)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(retired / out.name, out)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
