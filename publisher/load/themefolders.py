"""Where a theme's files lie: the default theme inside the package, under a project's overrides.

Kept apart from `theme` (which needs Jinja) so that a build with nothing to do stays light.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"
"""The theme shipped with publisher: used for every file a project does not override."""


def theme_layers(overrides: Path | None) -> tuple[Path, ...]:
    """The folders a theme reads, the project's `overrides` (if any) first, the default last."""
    return (DEFAULT_THEME,) if overrides is None else (overrides, DEFAULT_THEME)
