"""Writing the JSON Schemas of a project's files into a folder (publisher new, the docs)."""

from __future__ import annotations

from pathlib import Path

from publisher.model.reference import schema_texts


def write_schemas(folder: Path) -> list[Path]:
    """Write the JSON Schema of each kind of project file into `folder` (made if missing);
    return the files written, in a fixed order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
