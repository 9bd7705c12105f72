"""Where private files may go: never into the site, the content or the templates.

A report for a regulator, an outbox of notice mails, the ledger of who was told and its export
say what is not for the public or name the people told. The site is published; the content and
the templates are inputs a project commits. So a path that is one of them or lies inside one,
or inside any folder publisher built (which holds `.publisher-build`), is refused.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from publisher.messages import N_
from publisher.write.tree import MARKER

FOLDERS = {
    "the site": N_("the site"),
    "the content": N_("the content"),
    "the templates": N_("the templates"),
}
"""The folders a private file may not go into, as messages name them."""


def inside(path: Path, guarded: Mapping[str, Path | None]) -> tuple[str | None, Path] | None:
    """The folder `path` is or lies inside, of `guarded` (with its name there) or else a site
    publisher built (with None for a name); None if it lies in none of them."""
    real = Path(os.path.realpath(path))
    for what, folder in guarded.items():
        if folder is not None:
            other = Path(os.path.realpath(folder))
            if real == other or real.is_relative_to(other):
                return what, folder
    for folder in (real, *real.parents):
        if (folder / MARKER).is_file():
            return None, folder
    return None
