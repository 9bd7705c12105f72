"""Published history kept append-only: what each public release said, checked against the
publication record, and its earlier versions served at stable URLs.

What is compared is what the release said, not how it looked: the normalised visible text of
the release's own content on its page (the `<article class="release">`, which its PDF prints
too, without the PDF link whose size changes with the PDF's bytes, the list of its other
languages, which a translation added later extends, and the short genuine-mail box; and the box
of corrected facts; whitespace collapsed), and each fact's value as known on its date. A
stylesheet, the site's navigation, footer, genuine-mail box or the notice that a newer release
exists may change; a changed sentence or number in a published release may not, unless the
record carries a correction for it. Pure: takes outputs and the record, returns values; reading
and writing the record are at the edges (load/publication.py and write/publication.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, cast

import msgspec
from msgspec.structs import replace as changed

from publisher import memo, parallel
from publisher.errors import Problem
from publisher.messages import _
from publisher.model.content import IncidentRecord, ReleaseRecord
from publisher.model.publication import Correction, Entry, Record, Version
from publisher.model.schedule import published_at
from publisher.render.archive import held_to, kept_path, served
from publisher.render.article import article_text
from publisher.render.manifest import sha256_hex
from publisher.render.pages import Output, render_page
from publisher.render.release import RenderedRelease
from publisher.render.theme import Theme
from publisher.source import Loc, Located, dotted

RULE = "published-history"
"""The check rule that explains how to record a correction."""
REVISIONS_TEMPLATE = "revisions.html"
EARLIER_TEMPLATE = "revision-earlier.html"


@dataclass(frozen=True)
class Seen:
    """A public release's page (and PDF) as this build makes it."""

    folder: str
    record: ReleaseRecord
    incident: IncidentRecord
    published: datetime
    text: str
    printed: str | None
    """The same digest of its print (the HTML its PDF is made from; None if not planned)."""
    facts: dict[str, str]
    files: dict[str, bytes]


@dataclass(frozen=True)
class History:
    """The record after this build, what to archive, what to serve and what is wrong."""

    record: Record
    changed: bool = False
    archive: dict[str, bytes] = field(default_factory=dict)
    """Files to add under content/published/, by their path there."""
    served: list[Output] = field(default_factory=list)
    """Earlier versions, at their stable URLs."""
    problems: list[Problem] = field(default_factory=list)


def release_text(page: bytes) -> str:
    """The normalised visible text of the release's own content on its page."""
    text = unicodedata.normalize("NFC", article_text(page.decode("utf-8")))
    return " ".join(text.split())


def digest(text: str) -> str:
    """SHA-256 of `text` in UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_digests(pages: list[bytes]) -> list[str]:
    """The digest of each release page's text (`release_text`), kept in the memo by the page's
    bytes: a rebuild reads only the pages that changed, a first build reads them on both cores.
    A page this process asked for before, the same bytes object (a kept page `serve` holds), is
    not hashed again for its name."""
    seen: list[tuple[str, bytes] | None] = [_digested.get(id(page), (page,)) for page in pages]
    memo.mark_used(s[1] for s in seen if s is not None)
    found: list[str | None] = [s[0] if s is not None else None for s in seen]
    asked = [i for i, known in enumerate(found) if known is None]
    names = {i: memo.key("release-text", pages[i]) for i in asked}
    found = [memo.get(names[i], str) if i in names else known for i, known in enumerate(found)]
    unread = [i for i, known in enumerate(found) if known is None]
    made = parallel.shared([pages[i] for i in unread], _text_digest, str)
    for i, made_digest in zip(unread, made, strict=True):
        found[i] = made_digest
        memo.put(names[i], made_digest, str)
    for i in asked:
        _digested.put(id(pages[i]), (pages[i],), (cast(str, found[i]), names[i]))
    return cast(list[str], found)  # every one found or made


_digested = memo.Held()
"""The text digests of pages this process asked for, with their names in the memo, by the
page's bytes object (held, so that its id names no other)."""


def _text_digest(page: bytes) -> str:
    return digest(release_text(page))


def seen_releases(
    outputs: Iterable[Output],
    rendered: Iterable[RenderedRelease],
    timezone: str,
    prints: Mapping[str, bytes],
) -> dict[str, Seen]:
    """Every release page among `outputs` (found by releases.json), with its PDF and the text
    of its print (`prints`: each release's print HTML, by id), by folder."""
    files = {o.path: o.data for o in outputs}
    rows = json.loads(files.get("releases.json", b"[]"))
    by_id = {r.view.record.id: r for r in rendered}
    shown = []  # (row, release, its page, its print)
    for row in rows:
        release = by_id.get(row["id"])
        page = files.get(row["url"] + "index.html")
        if release is not None and page is not None and not release.view.record.release.draft:
            shown.append((row, release, page, prints.get(row["id"])))
    pages = [page for _, _, page, _ in shown]
    digests = text_digests(pages + [html for *_, html in shown if html is not None])
    printed = iter(digests[len(pages) :])
    found: dict[str, Seen] = {}
    for (row, release, page, print_html), text in zip(shown, digests[: len(pages)], strict=True):
        made = {row["url"] + "index.html": page}
        if row.get("pdf") in files:
            made[row["pdf"]] = files[row["pdf"]]
        view = release.view
        found[row["url"]] = Seen(
            row["url"], view.record, view.incident,
            published_at(view.record.release, timezone), text,
            next(printed) if print_html is not None else None,
            known_facts(view.incident, view.date), made,
        )  # fmt: skip
    return found


def known_facts(incident: IncidentRecord, day: Any) -> dict[str, str]:
    """Each fact's value in force on `day`, as JSON text (facts not yet known left out)."""
    known = {}
    for name, fact in incident.incident.facts.items():
        values = [v for v in fact.values if v.as_of <= day]
        if values:
            known[name] = msgspec.json.encode(values[-1].value).decode("utf-8")
    return known


def reconcile(
    record: Record,
    located: Located | None,
    shown: str,
    seen: Mapping[str, Seen],
    archive: Mapping[str, bytes],
    now: datetime,
) -> History:
    """The record after this build: new public releases added, corrected ones given a version,
    and a problem for each published release that changed without a correction, and for each
    archived version that is not as the record says (`archive`: its files, by their path)."""
    said = {page.files[folder + "index.html"]: page.text for folder, page in seen.items()}
    # an archived page this build makes again, byte for byte, is not read twice
    kept = held_to(record, archive, located, shown, lambda page: said.get(page) or _said(page))
    entries = dict(record.releases)
    history = History(record, problems=kept.problems)
    for folder, page in seen.items():
        entry = entries.get(folder)
        if entry is None:
            if folder not in kept.orphans:  # else refused: its history is not to be rewritten
                entries[folder] = _first(page, now)
                history.archive.update(_archived(folder, 1, page.files))
            continue
        updated = _updated(entry, page, now, located, shown, kept.files, history.problems)
        if updated is not entry:
            entries[folder] = updated
            history.archive.update(_archived(folder, len(updated.versions), page.files))
    for folder, entry in entries.items():
        at = _mark(located, shown, ("releases", folder))
        if folder not in seen and datetime.fromisoformat(entry.published) <= now:
            history.problems.append(Problem(*at, f"releases.{folder}", _gone(entry)))
        history.served.extend(served(folder, entry, kept.files))
    new = Record(releases=dict(sorted(entries.items())))
    return replace(history, record=new, changed=new != record)


def _said(page: bytes) -> str:
    """The digest of what `page` says."""
    return text_digests([page])[0]


def unprinted(record: Record, located: Located | None, shown: str) -> list[Problem]:
    """A problem for each release whose current version was published with a PDF, for a build
    that would record without PDFs: a published PDF stays published."""
    found = []
    for folder, entry in record.releases.items():
        latest = len(entry.versions) - 1
        for path in entry.versions[latest].files:
            if path.endswith(".pdf"):
                loc: Loc = ("releases", folder, "versions", latest, "files", path)
                message = _(
                    "release {release} was published with its PDF ({path}), which a build into "
                    "the deploy folder without PDFs (--no-pdf) would take down: a published PDF "
                    "stays published; build with PDFs, or preview with --out and another folder"
                ).format(release=entry.release, path=path)
                found.append(Problem(*_mark(located, shown, loc), dotted(loc), message))
    return found


def _first(page: Seen, now: datetime) -> Entry:
    """A new entry: an original is public from its moment; a translation, a page of its own,
    from the build that first makes it public."""
    version = _version(1, page, now)
    published = page.published if page.record.translation is None else max(now, page.published)
    moment = published.isoformat(timespec="seconds")
    return Entry(release=page.record.id, published=moment, versions=[version])


def _version(number: int, page: Seen, now: datetime, correction: str | None = None) -> Version:
    return Version(
        version=number,
        recorded=now.isoformat(timespec="seconds"),
        text=page.text,
        printed=page.printed,
        facts=page.facts,
        files={path: sha256_hex(data) for path, data in page.files.items()},
        correction=correction,
    )


def _updated(
    entry: Entry,
    page: Seen,
    now: datetime,
    located: Located | None,
    shown: str,
    archive: Mapping[str, bytes],
    problems: list[Problem],
) -> Entry:
    """`entry`, or a new version of it if the release changed and a correction allows it."""
    latest = entry.versions[-1]
    pending = entry.corrections[len(entry.versions) - 1 :]
    changes = _changes(latest, page, archive)
    if not changes:
        if pending:
            at = _mark(located, shown, ("releases", page.folder, "corrections"))
            problems.append(Problem(*at, f"releases.{page.folder}.corrections", _idle(entry)))
        return _completed(entry, page)
    if len(pending) == 1 and pending[0].date > now.date():
        loc: Loc = ("releases", page.folder, "corrections", len(entry.versions) - 1, "date")
        problems.append(Problem(*_mark(located, shown, loc), dotted(loc), _early(pending[0], now)))
        return entry
    if len(pending) == 1:
        version = _version(len(entry.versions) + 1, page, now, pending[0].digest)
        return changed(entry, versions=[*entry.versions, version])
    problems.extend(_refusals(entry, page, changes, latest, shown, len(pending)))
    return entry


def _completed(entry: Entry, page: Seen) -> Entry:
    """`entry` with the files this build adds to an unchanged version (its PDF, first made by
    a build after an HTML-only one)."""
    latest = entry.versions[-1]
    added = {p: sha256_hex(d) for p, d in page.files.items() if p not in latest.files}
    printed = latest.printed or page.printed
    if not added and printed == latest.printed:
        return entry
    version = changed(latest, files={**latest.files, **added}, printed=printed)
    return changed(entry, versions=[*entry.versions[:-1], version])


def _changes(latest: Version, page: Seen, archive: Mapping[str, bytes]) -> list[str]:
    """What changed since the latest version, in words."""
    found = []
    if page.text != latest.text:
        found.append(_text_changed(latest, page, archive))
    elif None not in (page.printed, latest.printed) and page.printed != latest.printed:
        found.append(_("the text of its PDF changed (the print template says something else)"))
    unknown = _("not known")
    for name in sorted(set(latest.facts) | set(page.facts)):
        before, after = latest.facts.get(name), page.facts.get(name)
        if before != after:
            said = _("facts.{name} was {before}, is now {after}")
            found.append(said.format(name=name, before=before or unknown, after=after or unknown))
    return found


def _text_changed(latest: Version, page: Seen, archive: Mapping[str, bytes]) -> str:
    """That the text changed, and where it first differs if the archived page of the latest
    version is at hand."""
    folder = page.folder
    old = archive.get(f"{folder}v{latest.version}/index.html")
    if old is None:
        return _("its text changed")
    before, after = release_text(old), release_text(page.files[folder + "index.html"])
    at = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), None)
    at = min(len(before), len(after)) if at is None else at
    start = max(0, at - 15)
    said = _('its text changed (was "…{before}…", is "…{after}…")')
    return said.format(before=before[start : at + 25], after=after[start : at + 25])


def _refusals(
    entry: Entry, page: Seen, changes: list[str], latest: Version, shown: str, pending: int
) -> list[Problem]:
    said = "; ".join(changes)
    if pending:
        message = _(
            "release {release} was published at {folder} (version {version}, recorded "
            "{recorded}) and would change: {changes}; {pending} corrections are waiting; a build "
            "adds one version at a time"
        )
    else:
        message = _(
            "release {release} was published at {folder} (version {version}, recorded "
            "{recorded}) and would change: {changes}; published history is append-only: add a "
            "correction to {shown} (publisher check --explain {rule})"
        )
    message = message.format(
        release=entry.release,
        folder=page.folder,
        version=latest.version,
        recorded=latest.recorded,
        changes=said,
        pending=pending,
        shown=shown,
        rule=RULE,
    )
    where = []
    doc, day = page.incident.doc, page.record.release.date
    for name, fact in page.incident.incident.facts.items():
        known = [i for i, v in enumerate(fact.values) if v.as_of <= day]
        if latest.facts.get(name) != page.facts.get(name) and known:
            mark = doc.mark(("facts", name, "values", known[-1], "value"))
            where.append(Problem(doc.path, mark.line, mark.col, f"facts.{name}", message))
    mark = page.record.doc.mark(("title",))
    return where or [Problem(page.record.doc.path, mark.line, mark.col, "", message)]


def _early(correction: Correction, now: datetime) -> str:
    said = _(
        "the correction is dated {date}, after this build's moment ({now}): a correction is "
        "dated the day it is published; date it {today}, or build again on {date}"
    )
    return said.format(
        date=correction.date, now=now.isoformat(timespec="minutes"), today=now.date()
    )


def _idle(entry: Entry) -> str:
    said = _(
        "release {release}: a correction is recorded but the release did not change; remove it, "
        "or make the change it describes"
    )
    return said.format(release=entry.release)


def _gone(entry: Entry) -> str:
    said = _(
        "release {release} was published ({published}) and is no longer in the site; a "
        "published release stays: correct it instead (publisher check --explain {rule})"
    )
    return said.format(release=entry.release, published=entry.published, rule=RULE)


def _archived(folder: str, number: int, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The archive's copy of a version's files: published/<folder>v<n>/<name>."""
    return {kept_path(folder, number, path): data for path, data in files.items()}


def as_published(history: History, before: Record, outputs: list[Output]) -> History:
    """`history` with each version this build adds to `before` archived and digested as the
    site serves its page (`outputs`: a corrected release's page carries the list of versions),
    so that the record's digests are those of this build's SHA256SUMS."""
    served = {o.path: o.data for o in outputs}
    archive, entries = dict(history.archive), dict(history.record.releases)
    for folder, entry in history.record.releases.items():
        old, latest, page = before.releases.get(folder), entry.versions[-1], folder + "index.html"
        kept = kept_path(folder, latest.version, page)
        added = old is None or len(old.versions) < len(entry.versions)
        if not added or kept not in archive or served.get(page, archive[kept]) == archive[kept]:
            continue
        archive[kept] = served[page]
        files = {**latest.files, page: hashlib.sha256(served[page]).hexdigest()}
        versions = [*entry.versions[:-1], changed(latest, files=files)]
        entries[folder] = changed(entry, versions=versions)
    return replace(history, record=Record(releases=entries), archive=archive)


def with_revisions(outputs: list[Output], record: Record, theme: Theme) -> list[Output]:
    """`outputs` with each corrected release's page listing its versions (before `</main>`),
    and each earlier version saying, at its top, that it is one and where the current one is."""
    pages: dict[str, tuple[Entry, int | None]] = {}
    for folder, entry in record.releases.items():
        if len(entry.versions) > 1:
            pages[folder + "index.html"] = (entry, None)
            for v in entry.versions[:-1]:
                pages[f"{folder}v{v.version}/index.html"] = (entry, v.version)
    if not pages:
        return outputs
    return [_listed(o, *pages[o.path], theme) if o.path in pages else o for o in outputs]


def _listed(page: Output, entry: Entry, shown: int | None, theme: Theme) -> Output:
    """`page` with the list of versions; `shown`: the earlier version it is (None: current)."""
    text = page.data.decode("utf-8")
    lang = re.search(r'<html lang="([^"]+)"', text)
    strings = theme.strings_for(lang.group(1) if lang and lang.group(1) in theme.strings else "ja")
    up, last = ("" if shown is None else "../"), len(entry.versions) - 1
    own = last + 1 if shown is None else shown
    rows = [
        {
            "version": v.version,
            "date": entry.corrections[i - 1].date if i else _day(entry.published),
            "url": None if v.version == own else up + (f"v{v.version}/" if i < last else ""),
            "correction": entry.corrections[i - 1] if i else None,
        }
        for i, v in enumerate(entry.versions)
    ]
    context = {"strings": strings, "revisions": rows[::-1], "shown": shown, "up": up}
    listing = render_page(theme, REVISIONS_TEMPLATE, page.path, context).data.decode("utf-8")
    text = _LISTING.sub("", text)  # an archived version's own list, as it was served
    head, sep, tail = text.rpartition("</main>")
    if not sep:
        return page
    text = head + listing + sep + tail
    if shown is not None:
        notice = render_page(theme, EARLIER_TEMPLATE, page.path, context)
        text = text.replace('<main id="main">', '<main id="main">' + notice.data.decode(), 1)
    return Output(page.path, text.encode("utf-8"))


_LISTING = re.compile(r'<aside class="revisions".*?</aside>\n?', re.DOTALL)


def _day(moment: str) -> date:
    """The date of an ISO 8601 moment, in its own zone."""
    return datetime.fromisoformat(moment).date()


def _mark(located: Located | None, shown: str, loc: Loc) -> tuple[str, int, int]:
    if located is None:
        return shown, 0, 0
    mark = located.key_mark(loc)
    return shown, mark.line, mark.col
