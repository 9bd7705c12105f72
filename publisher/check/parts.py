"""The check in parts: each incident's, and the site's own; a part that did not change is not
checked again.

Most rules find in the whole content exactly what they find in each of its parts (`Subject.part`):
an incident with its releases, pages, prints and mails, and the rest of the site (its indexes,
feeds and static files, and no incident). Such a rule reads of the other incidents only what its
`context` says. So an incident's findings are kept in the memo under a key made of everything
they read: the theme and the code (`theme`), the language of the messages, the rules that apply
and their contexts, site.yaml, and the incident's own files, each by its path and its digest. A
rebuild after one release changed checks that release's incident; the others' findings, and the
pages they would read, are taken as they were. The site's part reads what the lists of every
release show (titles, summaries, dates, languages, addresses: no prose), so its findings are kept
under the LISTING key of render/reuse.py, the digests of the site's own files and where each
title and summary is written (its findings are located there).
"""

from __future__ import annotations

import functools
import hashlib
import os

import msgspec

from publisher import memo, messages, parallel
from publisher.check.findings import found_by
from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.model.content import IncidentRecord
from publisher.source import Loc, Located

_FOUND = list[Problem]


def part_findings(subject: Subject, rules: list[Rule], theme: str | None) -> list[Problem]:
    """What `rules` find in each part of `subject`, the incidents' kept ones taken from the
    memo (when `theme` names the theme and the code that check; None: nothing is kept), the
    rest found by both cores."""
    incidents = subject.content.incidents
    common = _common(subject, rules, theme)
    keys = [_site_key(subject, common), *(_key(subject, common, i) for i in incidents)]
    parts: list[IncidentRecord | None] = [None, *incidents]  # None: the site's part
    kept = [memo.get(key, _FOUND) if key is not None else None for key in keys]
    todo = [part for part, found in zip(parts, kept, strict=True) if found is None]
    made = parallel.shared(todo, functools.partial(_of_part, subject, rules), _FOUND)
    fresh = {_id(part): found for part, found in zip(todo, made, strict=True)}
    for part, key in zip(parts, keys, strict=True):
        if key is not None and _id(part) in fresh:
            memo.put(key, fresh[_id(part)], _FOUND)
    found = [problem for problems in made for problem in problems]
    return found + [problem for problems in kept if problems is not None for problem in problems]


def _id(part: IncidentRecord | None) -> str | None:
    return part.id if part is not None else None


def _of_part(subject: Subject, rules: list[Rule], incident: IncidentRecord | None) -> _FOUND:
    """What `rules` find in the part of `subject` that is `incident`'s (None: the site's)."""
    part = subject.part(incident)
    return [found_by(p, rule.id, rule.severity) for rule in rules for p in _checked(rule, part)]


def _checked(rule: Rule, part: Subject) -> list[Problem]:
    assert rule.check is not None  # the runner gives only rules that apply
    return list(rule.check(part))


def _common(subject: Subject, rules: list[Rule], theme: str | None) -> bytes | None:
    """What every part's findings read besides the part's own files (None when nothing may
    be kept: no theme identity, or a template that failed, which leaves every part without its
    pages)."""
    if theme is None or subject.site.failed:
        return None
    content = subject.everything
    read = (
        theme,
        os.getcwd(),  # the theme's files are named from it
        messages.language(),
        sorted(subject.regimes),
        [(r.id, r.context(content) if r.context else None) for r in rules],
        (content.site_doc.path, content.site_doc.digest),
    )
    return msgspec.msgpack.encode(read, enc_hook=memo.plain)


def _site_key(subject: Subject, common: bytes | None) -> bytes | None:
    """The memo's name for the findings of the site's part: a digest of what every part reads
    (`common`), of what the lists of every release show (the LISTING key) and of the site's own
    files (None: see `_common`, or a pass not keyed, or one with releases whose prose failed)."""
    site = subject.site
    if common is None or not site.listing or site.problems:
        return None
    incidents = subject.everything.incidents
    own = site.part(None, incidents)
    files = sorted((o.path, hashlib.sha256(o.data).digest()) for o in own.outputs)
    shown = [_shown(i.doc, ("title",)) for i in incidents]  # where its findings are located
    shown += [_shown(r.doc, ("title",), ("summary",)) for i in incidents for r in i.releases]
    read = msgspec.msgpack.encode((files, shown), enc_hook=memo.plain)
    return memo.key("check-site-part", common, site.listing, read)


def _shown(doc: Located, *fields: Loc) -> tuple[object, ...]:
    """Where the fields of `doc` that the site's pages show are written (a finding in them is
    located there)."""
    marks = [(doc.key_mark(loc), doc.mark(loc)) for loc in fields]
    return doc.path, [(k.line, k.col, m.line, m.col, m.text, m.style, m.end) for k, m in marks]


def _key(subject: Subject, common: bytes | None, incident: IncidentRecord) -> bytes | None:
    """The memo's name for the findings of `incident`'s part: a digest of everything they read,
    `common` to every part and the incident's own (None when nothing may be kept: see
    `_common`, or a document not read from a file)."""
    docs = [subject.everything.site_doc, incident.doc]
    docs += [v.doc for original in incident.releases for v in original.versions]
    if common is None or not all(doc.digest for doc in docs):
        return None
    own = (
        incident.id,
        sorted(day.isoformat() for day in incident.unreadable),
        [(doc.path, doc.digest) for doc in docs[1:]],
    )
    return memo.key("check-part", common, msgspec.msgpack.encode(own, enc_hook=memo.plain))
