"""The archive of published versions (content/published/<page folder>v<N>/) held to the record,
and its earlier versions served: every version the record lists has its files there, each as
published (its SHA-256, and its page's text, as recorded), and every archived version has its
entry. What fails is refused, at the record, with how to restore it; never overwritten, never
served. Pure: takes the record and the archive's bytes, returns files and problems.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from publisher.errors import Problem
from publisher.messages import _
from publisher.model.publication import ARCHIVE_FOLDER, Entry, Record
from publisher.render.pages import Output
from publisher.source import Loc, Located, dotted

_KEPT = re.compile(r"\A(?P<folder>.+/)v(?P<version>[1-9][0-9]*)/[^/]+\Z")
"""An archived file's path: <page folder>v<N>/<name>."""


def kept_path(folder: str, version: int, path: str) -> str:
    """Where a version's file (by its path in the site) is kept under the archive folder."""
    return f"{folder}v{version}/{path.rpartition('/')[2]}"


@dataclass(frozen=True)
class Archive:
    """The archived files that are as the record says, and what is wrong with the others."""

    files: dict[str, bytes]
    problems: list[Problem]
    orphans: frozenset[str]
    """The page folders the archive holds and the record does not: never to be recorded anew."""


Mark = Callable[[Loc], tuple[str, int, int]]


def held_to(
    record: Record,
    archive: Mapping[str, bytes],
    located: Located | None,
    shown: str,
    text_of: Callable[[bytes], str],
) -> Archive:
    """`archive` checked against `record` (found at `shown`); `text_of` digests a page's text."""

    def mark(loc: Loc) -> tuple[str, int, int]:
        at = located.key_mark(loc) if located else None
        return (shown, at.line, at.col) if at else (shown, 0, 0)

    base = posixpath.join(posixpath.dirname(shown), ARCHIVE_FOLDER)
    problems = list(_unrecorded(record, archive, mark, shown, base))
    files: dict[str, bytes] = {}
    for folder, entry in record.releases.items():
        for i, version in enumerate(entry.versions):
            for path, recorded in version.files.items():
                kept = kept_path(folder, version.version, path)
                loc: Loc = ("releases", folder, "versions", i, "files", path)
                data, shown_kept = archive.get(kept), f"{base}/{kept}"
                said = _unlike(data, recorded, shown_kept)
                if data is not None and said is None and kept.endswith("/index.html"):
                    loc = (*loc[:4], "text")
                    said = _unsaid(data, version.text, text_of, shown_kept, shown)
                if said is None:
                    files[kept] = archive[kept]
                else:
                    problems.append(Problem(*mark(loc), dotted(loc), said))
    orphans = {m["folder"] for m in map(_KEPT.match, archive) if m} - set(record.releases)
    return Archive(files, problems, frozenset(orphans))


def _unrecorded(
    record: Record, archive: Mapping[str, bytes], mark: Mark, shown: str, base: str
) -> Iterator[Problem]:
    """A problem for each page folder with archived versions the record does not list."""
    held: dict[str, set[int]] = {}
    for path in archive:
        found = _KEPT.match(path)
        if found:
            held.setdefault(found["folder"], set()).add(int(found["version"]))
    for folder, versions in sorted(held.items()):
        entry = record.releases.get(folder)
        listed = len(entry.versions) if entry else 0
        beyond = sorted(v for v in versions if v > listed)
        if not beyond:
            continue
        where = f"{base}/{folder}v{beyond[0]}/"
        if entry is None:
            loc: Loc = ("releases",)
            said = _(
                "{record} has no entry releases.{folder}, yet {where} holds it as published: the "
                "record lost published history; restore it from version control (git log -p "
                "{record}, then git checkout <commit> -- {record}); a build never records a "
                "published page anew over its archive"
            )
        else:
            loc = ("releases", folder, "versions")
            said = _(
                "{record} lists {listed} versions of {folder}, yet {where} holds version "
                "{version}: the record lost published history; restore it from version control "
                "(git log -p {record}, then git checkout <commit> -- {record}); a build never "
                "records a published page anew over its archive"
            )
        message = said.format(
            record=shown, folder=folder, where=where, listed=listed, version=beyond[0]
        )
        yield Problem(*mark(loc), f"releases.{folder}", message)


def _unlike(data: bytes | None, recorded: str, shown: str) -> str | None:
    """Why an archived file is not the one published (None if it is)."""
    if data is None:
        said = _(
            "{file} is missing; restore it from version control (git checkout HEAD -- {file}): "
            "an archived version is never edited or removed"
        )
    elif hashlib.sha256(data).hexdigest() != recorded:
        said = _(
            "{file} is not the file published: its SHA-256 is not the one the record holds; "
            "restore it from version control (git checkout HEAD -- {file}): an archived version "
            "is never edited or removed"
        )
    else:
        return None
    return said.format(file=shown)


def _unsaid(
    page: bytes, recorded: str, text_of: Callable[[bytes], str], kept: str, shown: str
) -> str | None:
    """Why the archived page `kept` does not say what the record `shown` says (None if it does)."""
    if text_of(page) == recorded:
        return None
    said = _(
        "{file} does not say what the record says it said (its text digest is not this one); "
        "restore {record} from version control (git checkout HEAD -- {record})"
    )
    return said.format(file=kept, record=shown)


def served(folder: str, entry: Entry, archive: Mapping[str, bytes]) -> list[Output]:
    """The earlier versions of `entry` at <folder>v<n>/, from the archive (as verified: what
    is not as recorded is a problem already, and not served)."""
    found = []
    for version in entry.versions[:-1]:
        for path in version.files:
            kept = kept_path(folder, version.version, path)
            if kept in archive:
                data = archive[kept]
                found.append(Output(kept, _moved_down(data) if kept.endswith(".html") else data))
    return found


_RELATIVE = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"]*)"')


def _moved_down(page: bytes) -> bytes:
    """A page moved one folder down: its relative links made to lead where they led, but to a
    file beside it (its own PDF), which moved with it."""

    def fix(link: re.Match[str]) -> str:
        target = link.group(2)
        beside = "/" not in target and not target.endswith("/") and target not in ("", ".")
        return link.group(0) if beside else f'{link.group(1)}="../{target}"'

    return _RELATIVE.sub(fix, page.decode("utf-8")).encode("utf-8")
