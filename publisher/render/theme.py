"""Reading the theme: the default one inside the package, overridden file by file by a project's.

A project's templates folder need hold only what it changes: a page template or mail template
of the same name replaces the default's, a static file of the same path replaces the default's,
and `strings/<lang>.yaml` is merged key by key into the default wording (mappings inside it too).
A template that replaces a default one can still extend it as `default:<name>`.

Nothing outside a layer's folder is used: a symbolic link in it (a static file linked to
/etc/passwd, a template or wording file linked elsewhere) that leads outside the folder is a
problem naming the link, found before any file of the theme is read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from publisher.errors import ContentError, Problem, display_path
from publisher.load.themefolders import DEFAULT_THEME, theme_layers
from publisher.load.yamlfile import read_yaml
from publisher.messages import _
from publisher.render.environment import page_environment, prose_environment


@dataclass(frozen=True)
class Theme:
    """What turns content into pages: Jinja environments, wording per language, static files."""

    layers: tuple[Path, ...]
    """The folders searched for a file, in order: the project's templates, then the default."""
    pages: jinja2.Environment
    prose: jinja2.Environment
    strings: Mapping[str, Mapping[str, Any]]
    static: Mapping[str, bytes]

    def strings_for(self, lang: str) -> Mapping[str, Any]:
        """The wording for `lang`; KeyError if the theme has none."""
        return self.strings[lang]

    def find(self, name: str) -> Path:
        """The file that provides `name` (a path inside the theme): the first layer's that has it,
        else where the project would put it."""
        for layer in self.layers:
            if (layer / name).is_file():
                return layer / name
        return self.layers[0] / name

    def first_of(self, names: Sequence[str]) -> str | None:
        """The first of `names` that a layer provides, searching layer by layer, so that a project's
        file wins over a more specific default one; None if no layer has any."""
        for layer in self.layers:
            for name in names:
                if (layer / name).is_file():
                    return name
        return None

    def files(self, folder: str, pattern: str) -> list[Path]:
        """The files in `folder` matching `pattern`, as the theme provides them (overrides win)."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            for path in sorted((layer / folder).glob(pattern)):
                if path.is_file():
                    found[path.name] = path
        return [found[name] for name in sorted(found)]


_last: tuple[tuple[Path | None, str, str], Theme] | None = None
"""The theme loaded last, with what it was loaded from: a long-running `serve` renders each
build with it while the theme's files and the code are those it was loaded with, so its
templates are compiled once."""


def load_theme(overrides: Path | None = None, identity: str | None = None) -> Theme:
    """The default theme under the project's `overrides` folder (None: the default alone);
    raise ContentError if that folder is missing or its strings are malformed. With the
    theme's `identity` (a digest of its files and of the code), the theme last loaded with the
    same one is taken as it is."""
    global _last
    asked = (overrides, os.getcwd(), identity or "")
    if identity is not None and _last is not None and _last[0] == asked:
        return _last[1]
    theme = _loaded(overrides)
    if identity is not None:
        _last = (asked, theme)
    return theme


def _loaded(overrides: Path | None) -> Theme:
    if overrides is not None and not overrides.is_dir():
        missing = Problem(display_path(overrides), message=_("templates folder not found"))
        raise ContentError([missing])
    layers = theme_layers(overrides)
    links = [problem for layer in layers for problem in _links_out(layer)]
    if links:
        raise ContentError(links)
    strings = _strings(layers)
    static: dict[str, bytes] = {}
    for layer in reversed(layers):
        static_root = layer / "static"
        for path in sorted(static_root.rglob("*")):
            if path.is_file():
                static["static/" + path.relative_to(static_root).as_posix()] = path.read_bytes()
    pages = page_environment([layer.resolve() for layer in layers], DEFAULT_THEME)
    return Theme(layers, pages, prose_environment(), strings, static)


def _links_out(layer: Path) -> list[Problem]:
    """A problem for each symbolic link in `layer` that leads outside it (links to folders are
    checked, not entered: what they lead to inside the layer is walked where it lies)."""
    root = os.path.realpath(layer)
    shown = display_path(layer)
    problems = []
    for folder, folders, files in os.walk(layer):
        for name in sorted(folders + files):
            path = os.path.join(folder, name)
            real = os.path.realpath(path)
            if os.path.islink(path) and os.path.commonpath([root, real]) != root:
                message = _(
                    "a symbolic link that leads outside {folder}/; nothing from outside the "
                    "project is published (copy the file in instead)"
                ).format(folder=shown)
                problems.append(Problem(display_path(Path(path)), message=message))
    return problems


def _strings(layers: tuple[Path, ...]) -> dict[str, Mapping[str, Any]]:
    """Each language's wording: the default's, with the project's keys laid over it."""
    problems: list[Problem] = []
    strings: dict[str, Mapping[str, Any]] = {}
    for layer in reversed(layers):
        for path in sorted((layer / "strings").glob("*.yaml")):
            doc, found = read_yaml(path, display_path(path))
            problems.extend(found)
            if doc is not None and not isinstance(doc.data, dict):
                problems.append(Problem(doc.path, 1, 1, message=_("expected a mapping of strings")))
            elif doc is not None:
                strings[path.stem] = _merged(strings.get(path.stem, {}), doc.data)
    if problems:
        raise ContentError(problems)
    return strings


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`, key by key; mappings in both are merged the same way."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, Mapping):
            merged[key] = _merged(below, value)
        else:
            merged[key] = value
    return merged
