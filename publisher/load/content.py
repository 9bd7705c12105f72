"""Reading the content folder: every YAML file, validated, gathered before anything is decided.

Nothing outside the content folder is read: a symbolic link that leads out of it (a release file
linked to /etc/passwd, an incident folder linked elsewhere) is a problem naming the link, and the
file it points at is never opened, so no part of it can reach a message.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from babel import localedata

from publisher import memo, messages, parallel
from publisher.errors import ContentError, Problem, display_path
from publisher.files import RECENT_NS, status
from publisher.load.yamlfile import read_bytes, yaml_document
from publisher.messages import _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schema import Incident, Release, Site, Translation, decode_hook, is_slug
from publisher.model.series import series_problems
from publisher.model.translation import translated
from publisher.model.validate import validate
from publisher.source import Located

M = TypeVar("M")


def load_content(root: Path) -> Content:
    """Read and validate everything under `root`; raise ContentError listing every problem."""
    content, problems = read_content(root)
    if content is not None:
        problems += [p for record in content.incidents for p in series_problems(record)]
    if problems or content is None:
        raise ContentError(problems)
    return content


def read_content(root: Path) -> tuple[Content | None, list[Problem]]:
    """Read and validate every file under `root` (the rules across a series are not applied)."""
    problems: list[Problem] = []
    _unchanged.turn()
    first = not memo.held()  # nothing read before: no build kept what it read
    inside = _Inside(root, problems)
    site_path = root / "site.yaml"
    site = _load(site_path, Site, problems) if inside(site_path) else None
    folders = inside.folders(root / "incidents")
    # A first build: both cores read the files into the memo, then they are read from it here
    # (a rebuild finds all but the changed ones there, and reads them faster alone).
    if parallel.available() and first:
        parallel.shared(folders, functools.partial(_read_into_memo, root), bool)
    incidents = [
        record
        for folder in folders
        if (record := _load_incident(folder, problems, inside)) is not None
    ]
    if not site_path.is_file() and not problems:
        problems.append(Problem(display_path(site_path), message=_("file not found")))
    if site is None:
        return None, problems
    incidents.sort(key=lambda r: (r.incident.discovered, r.id), reverse=True)
    return Content(*site, tuple(incidents)), problems


def _read_into_memo(root: Path, folder: Path) -> bool:
    """Read an incident's files as `_load_incident` does, for the memo only (its problems are
    said when the folder is read again)."""
    return _load_incident(folder, [], _Inside(root, [])) is not None


def _load(
    path: Path, model: type[M], problems: list[Problem], names: list[bytes] | None = None
) -> tuple[M, Located] | None:
    """The file at `path` validated as `model`, with its document (which holds the SHA-256 of
    its bytes); None (its problems added to `problems`) if it is no valid `model`."""
    if not path.is_file():
        return None
    shown = display_path(path)
    raw, found = read_bytes(path, shown)
    problems.extend(found)
    if raw is None:
        return None
    name = memo.key("load", model.__name__, shown, messages.language(), raw)
    if names is not None:
        names.append(name)
    kind = _kind(model)
    loaded: _Loaded[M] | None = memo.get(name, kind, decode_hook)
    if loaded is None:
        loaded = _validated(raw, shown, model)
        value, doc, found = loaded
        memo.put(name, (value, doc and doc.packed_marks(), found), kind, decode_hook)
    value, doc, found = loaded
    problems.extend(found)
    if value is None or doc is None:
        return None
    return value, doc


_Loaded = tuple[M | None, Located | None, list[Problem]]
"""A file's model value, its document and its problems."""


def _kind(model: type) -> object:
    """The type of a `model` file's memo entry: one object per model, as msgspec reads a type
    it has seen before faster (a new one is looked through again)."""
    kind = tuple[model | None, Located | None, list[Problem]]  # type: ignore[valid-type]
    return _KINDS.setdefault(model, kind)


_KINDS: dict[type, object] = {}


def _validated(raw: bytes, shown: str, model: type[M]) -> _Loaded[M]:
    """The bytes of a file named `shown` read and validated as `model`, with the problems; the
    document without its data (read once, by the validation: the model's value holds it)."""
    doc, problems = yaml_document(raw, shown)
    if doc is None:
        return None, None, problems
    value, found = validate(doc, model)
    digest = hashlib.sha256(raw).hexdigest()
    return value, replace(doc, data=None, digest=digest), problems + found


class _Inside:
    """Whether a path stays inside the content folder; a link that leads out is a problem."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = os.path.realpath(root)
        self.problems = problems

    def __call__(self, path: Path) -> bool:
        """Whether `path` (a file or folder reached from the root) lies inside the root."""
        real = os.path.realpath(path)
        if real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep):
            return True
        message = _(
            "a symbolic link that leads outside the content folder; publisher reads nothing "
            "from outside it (copy the file in instead)"
        )
        self.problems.append(Problem(display_path(path), message=message))
        return False

    def listed(self, path: Path) -> bool:
        """Whether `path`, found in a folder that lies inside the root, does too: it does
        unless it is a symbolic link, which may lead anywhere (and is followed to see)."""
        return not os.path.islink(path) or self(path)

    def folders(self, parent: Path) -> list[Path]:
        """The folders in `parent` that lie inside the root, by name."""
        if not parent.is_dir() or not self(parent):
            return []
        return [p for p in sorted(parent.glob("*")) if p.is_dir() and self.listed(p)]


def _load_incident(folder: Path, problems: list[Problem], inside: _Inside) -> IncidentRecord | None:
    """The incident in `folder` (None: its problems added to `problems`); the one the last
    reading of this process made where none of its files changed since and the memo still
    holds what reading them gave (`_Unchanged`)."""
    key = (os.fspath(folder), inside.root, messages.language(), os.getcwd())
    status = _status(folder) if _unchanged.readings > 1 else None
    kept = _unchanged.before.get(key)
    if status is not None and kept is not None and kept[0] == status and _held(kept[3]):
        _, record, found, names = kept
    else:
        found, names = [], []
        record = _read_incident(folder, found, inside, names)
    if status is not None:
        _unchanged.now[key] = (status, record, found, names)
    problems.extend(found)
    return record


def _held(names: list[bytes]) -> bool:
    """Whether the memo holds all of `names` (each then counted as used: a next build reads
    them too)."""
    return all([memo.holds(name) for name in names])


class _Unchanged:
    """The incidents the last reading of the content in this process made, by folder, with
    the status of their files (`serve` reads the content on every save, and most incidents
    are as they were); no more than the last reading's are held, and none by the first (a
    command that reads the content once does not look at the status of every file)."""

    def __init__(self) -> None:
        self.now: dict[object, _Read] = {}
        self.before: dict[object, _Read] = {}
        self.readings = 0
        """How many times this process has read the content."""

    def turn(self) -> None:
        self.before, self.now = self.now, {}
        self.readings += 1


_Read = tuple[object, IncidentRecord | None, list[Problem], list[bytes]]
"""An incident folder as read: its files' status, the incident, its problems, the memo
entries it asked for."""
_unchanged = _Unchanged()


def _status(folder: Path) -> tuple[object, ...] | None:
    """What tells that an incident folder's files are as they were: the status of the folder,
    of its incident.yaml and releases folder and of every entry there; None where one changed
    in the last seconds (two writes within a tick of the clock may leave the same status:
    files.py reads such a file every time), cannot be read, or is a symbolic link (where it
    leads, and whether that lies inside the content folder, hangs on folders not looked at
    here: such an incident is read every time)."""
    releases = folder / "releases"
    try:
        names = sorted(os.listdir(releases)) if os.path.isdir(releases) else []
    except OSError:
        return None
    found: list[object] = []
    recent = time.time_ns() - RECENT_NS
    for path in (folder, folder / "incident.yaml", releases, *(releases / n for n in names)):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            found.append((path.name, None))
            continue
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode) or max(info.st_mtime_ns, info.st_ctime_ns) >= recent:
            return None
        found.append((path.name, info.st_mode, status(info)))
    return tuple(found)


def _read_incident(
    folder: Path, problems: list[Problem], inside: _Inside, names: list[bytes]
) -> IncidentRecord | None:
    """Read the incident in `folder`, saying in `names` which memo entries it asked for."""
    path = folder / "incident.yaml"
    if not is_slug(folder.name):
        message = _("incident folder names use lower-case letters, digits and hyphens only")
        problems.append(Problem(display_path(folder), message=message))
        return None
    if not path.is_file():
        problems.append(Problem(display_path(path), message=_("file not found")))
        return None
    loaded = _load(path, Incident, problems, names) if inside.listed(path) else None
    originals: dict[str, ReleaseRecord] = {}
    unreadable: set[date] = set()
    translations: list[tuple[Path, str, str]] = []
    for release_path in _release_files(folder / "releases", problems, inside):
        named = _TAGGED.fullmatch(release_path.name)
        if named:
            if wrong := _tag_problem(named[1], named[2]):
                problems.append(Problem(display_path(release_path), message=wrong))
            else:
                translations.append((release_path, named[1], named[2]))
            continue
        found = _load(release_path, Release, problems, names)
        if found is not None:
            record = ReleaseRecord(folder.name, *found, digest=found[1].digest)
            originals[release_path.stem] = record
        elif (day := _named_date(release_path.stem)) is not None:
            unreadable.add(day)
    for release_path, stem, lang in translations:
        _add_translation(release_path, originals, stem, lang, problems, names)
    if loaded is None:
        return None
    releases = sorted(originals.values(), key=lambda r: r.release.date)
    return IncidentRecord(folder.name, *loaded, tuple(releases), frozenset(unreadable))


def _named_date(stem: str) -> date | None:
    """The date a release file's name gives, if it is one."""
    try:
        return date.fromisoformat(stem)
    except ValueError:
        return None


TRANSLATION_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.([a-z]{2}(?:-[A-Z]{2})?)\.yaml")
"""A translation's file name: its original's date, then its language (2026-03-06.en.yaml)."""
_TAGGED = re.compile(r"(\d{4}-\d{2}-\d{2})\.(.+)\.yaml")
"""A release file's name with something between its date and .yaml: a translation's, or a
mistake."""


def _tag_problem(stem: str, tag: str) -> str | None:
    """What is wrong with the language tag of a translation's file name (2020-07-29.JA.yaml,
    .Ja.yaml, .en_gb.yaml, .jp.yaml): None for a language CLDR knows (ja, en), with a region
    (en-GB) if any, written as TRANSLATION_FILE reads it."""
    known = localedata.exists(tag.replace("-", "_"))
    if TRANSLATION_FILE.fullmatch(f"{stem}.{tag}.yaml") and known:
        return None
    parts = re.split(r"[-_]", tag)
    written = "-".join([parts[0].lower(), *(p.upper() for p in parts[1:])])
    if TRANSLATION_FILE.fullmatch(f"{stem}.{written}.yaml") and localedata.exists(
        written.replace("-", "_")
    ):
        said = _(
            "the language tag {tag} is not written as publisher reads it: name the file "
            "{name} (the language in lower case, a region in capitals; <date>.yaml for a "
            "release, <date>.<lang>.yaml for its translation)"
        )
        return said.format(tag=repr(tag), name=f"{stem}.{written}.yaml")
    said = _(
        "{tag} is not a language tag publisher knows: name the file <date>.yaml for a release, "
        "<date>.<lang>.yaml for its translation, with <lang> a language code as ja or en, or a "
        "language and its region as en-GB"
    )
    return said.format(tag=repr(tag))


def _add_translation(
    path: Path,
    originals: dict[str, ReleaseRecord],
    stem: str,
    lang: str,
    problems: list[Problem],
    names: list[bytes],
) -> None:
    """Read the translation at `path` and attach it to its original in `originals`."""
    found = _load(path, Translation, problems, names)
    if found is None:
        return
    translation, doc = found
    original = originals.get(stem)
    mark = doc.mark(("lang",))
    where = (doc.path, mark.line, mark.col, "lang")
    if original is None:
        message = _("a translation of {stem}.yaml, which is missing or invalid beside it")
        message = message.format(stem=stem)
        problems.append(Problem(doc.path, message=message))
    elif translation.lang != lang:
        message = _("the file's name says '{lang}'; name it {name} or fix lang").format(
            lang=lang, name=f"{stem}.{translation.lang}.yaml"
        )
        problems.append(Problem(*where, message))
    else:
        record = translated(original, translation, doc)
        originals[stem] = replace(original, translations=(*original.translations, record))


def _release_files(folder: Path, problems: list[Problem], inside: _Inside) -> list[Path]:
    """The release files in `folder`; anything else there (but hidden files) is a problem."""
    files: list[Path] = []
    if folder.is_dir() and not inside.listed(folder):
        return files
    try:
        with os.scandir(folder) as listed:
            entries = sorted(listed, key=lambda entry: entry.name)
    except OSError:  # no releases folder (or not a folder): no release files
        return files
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith(".") or (entry.is_symlink() and not inside(path)):
            continue
        if entry.is_file() and path.suffix == ".yaml":
            files.append(path)
        else:
            message = _("not a release file: releases are files named YYYY-MM-DD.yaml")
            problems.append(Problem(display_path(path), message=message))
    return files
