"""Reading the templates folder: page templates, per-language strings and static files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from publisher.errors import ContentError, Problem, display_path
from publisher.load.yamlfile import read_yaml
from publisher.render.environment import page_environment, prose_environment


@dataclass(frozen=True)
class Theme:
    """What turns content into pages: Jinja environments, wording per language, static files."""

    root: Path
    pages: jinja2.Environment
    prose: jinja2.Environment
    strings: Mapping[str, Mapping[str, Any]]
    static: Mapping[str, bytes]

    def strings_for(self, lang: str) -> Mapping[str, Any]:
        """The wording for `lang`; KeyError if the theme has none."""
        return self.strings[lang]


def load_theme(root: Path) -> Theme:
    """Read `root` (the templates folder); raise ContentError if its strings are malformed."""
    if not root.is_dir():
        raise ContentError([Problem(display_path(root), message="templates folder not found")])
    problems: list[Problem] = []
    strings: dict[str, Mapping[str, Any]] = {}
    for path in sorted((root / "strings").glob("*.yaml")):
        doc, found = read_yaml(path, display_path(path))
        problems.extend(found)
        if doc is not None and not isinstance(doc.data, dict):
            problems.append(Problem(doc.path, 1, 1, message="expected a mapping of strings"))
        elif doc is not None:
            strings[path.stem] = doc.data
    if problems:
        raise ContentError(problems)
    static_root = root / "static"
    static = {
        "static/" + p.relative_to(static_root).as_posix(): p.read_bytes()
        for p in sorted(static_root.rglob("*"))
        if p.is_file()
    }
    return Theme(root, page_environment(root.resolve()), prose_environment(), strings, static)
