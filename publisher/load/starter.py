"""Reading the starter project inside the package: what `publisher new` writes, per language."""

from __future__ import annotations

from pathlib import Path

STARTER = Path(__file__).resolve().parent.parent / "starter"
"""common/ holds the files of every new project; ja/ and en/ those of one language."""
LANGUAGES = ("ja", "en")


def starter_files(lang: str) -> dict[str, bytes]:
    """Every file of a new project in `lang`, by its path in the project (POSIX form)."""
    files: dict[str, bytes] = {}
    for layer in (STARTER / "common", STARTER / lang):
        for path in sorted(layer.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(layer).as_posix()] = path.read_bytes()
    return files
