"""Where reports may go, and writing them there: only the folder `--out` names.

A report is for a regulator, not for the public: it never goes into the site (the build's
output, or any folder publisher built, which holds `.publisher-build`) nor into the content or
templates, which are inputs. Each file is written beside its place and renamed into it, so a
failed write never leaves half a report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from publisher.errors import PublisherError, display_path
from publisher.messages import _
from publisher.write.private import FOLDERS, inside

PARTIAL = ".part"


def out_problem(out: Path, guarded: Mapping[str, Path | None]) -> str | None:
    """Why `out` may not take reports (it is or lies inside a `guarded` folder, named by what
    it is, or inside a site publisher built); None if it may."""
    found = inside(out, guarded)
    if found is None:
        return None
    what, folder = found
    if what is None:
        return _(
            "{out} is inside {folder}, a site publisher built: reports are not for "
            "publication; name a folder of their own"
        ).format(out=out, folder=display_path(folder))
    return _(
        "{out} is inside {what} ({folder}): reports go only to a folder of their own, "
        "never into the site, the content or the templates"
    ).format(out=out, what=_(FOLDERS.get(what, what)), folder=folder)


def write_files(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write `files` (name → bytes) into `folder`, made if missing; the paths written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in files.items():
            written.append(_write(folder / name, data))
    except OSError as exc:
        said = _("could not write into {folder}: {error}")
        raise PublisherError(said.format(folder=folder, error=exc)) from None
    return written


def _write(path: Path, data: bytes) -> Path:
    """Write `data` beside `path` and rename it into place; no partial file is left."""
    partial = path.with_name(path.name + PARTIAL)
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
