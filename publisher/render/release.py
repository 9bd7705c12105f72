"""One release's prose rendered from its view: greeting, intro, numbered sections, closing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

import jinja2
from markupsafe import Markup, escape

from publisher import memo, messages
from publisher.errors import Problem, ProseError, ReleaseProblems, RenderError, ViewError
from publisher.messages import _
from publisher.model.schema import Event, Reference
from publisher.model.substitute import SubstituteCount, substitute_count
from publisher.model.view import Facts, ReleaseView, linked_day
from publisher.render.prose import ProseSource, render_prose
from publisher.render.urls import page_dir, relative_url, release_dir, version_in
from publisher.source import Loc, Located, dotted


@dataclass(frozen=True)
class TimelineDay:
    """The events of one day, as rendered paragraphs."""

    day: date
    entries: tuple[Markup, ...]


@dataclass(frozen=True)
class RenderedSection:
    """A numbered section: Markdown prose, or the timeline as of the release."""

    number: int
    heading: str
    html: Markup | None
    timeline: tuple[TimelineDay, ...]


@dataclass(frozen=True)
class RenderedPiece:
    """One piece of prose as rendered, with where it was written: what a page shows can be
    traced back to the field that produced it."""

    doc: Located
    loc: Loc
    text: str
    html: Markup


@dataclass(frozen=True)
class RenderedRelease:
    """Everything of a release that was written as prose, ready for the page template."""

    view: ReleaseView
    greeting: Markup | None
    intro: Markup | None
    sections: tuple[RenderedSection, ...]
    closing: Markup | None
    contact_note: Markup | None
    pieces: tuple[RenderedPiece, ...]
    """Every piece above (timeline events included), in the order it was rendered."""
    substitute: SubstituteCount | None
    """Its substitute notice: the people its notice could not reach, counted on its date."""

    @property
    def linked_references(self) -> tuple[Reference, ...]:
        """The declared references the release's prose links (the genuine-mail box names them)."""
        shown = "".join(piece.html for piece in self.pieces)
        return tuple(r for r in self.view.references if f'href="{escape(r.url)}"' in shown)


def render_release(
    view: ReleaseView, env: jinja2.Environment, strings: Mapping[str, Any], key: str | None = None
) -> RenderedRelease:
    """Render every piece of prose of `view`; raise ProseErrors gathered into one RenderError.

    With `key` (a digest of everything the release's page reads: publisher.render.reuse), the
    prose is kept in the memo under it, and taken from there by the next build."""
    name = memo.key("release-prose", key, messages.language()) if key else None
    if name is not None and memo.holds(name):
        return _Deferred(view, name, env, strings)
    rendered = _rendered(view, env, strings)
    if name and (keep := _to_kept(rendered)) is not None:
        memo.put(name, keep, _Kept)
    return rendered


_Kept = tuple[
    list[tuple[bool, tuple[str | int, ...], str, str]],  # pieces: of the incident?, loc, text, html
    list[int],  # greeting, intro, closing, contact note: the piece of each (-1: none)
    list[tuple[int, str, int, list[tuple[date, list[int]]]]],  # sections, their timelines' pieces
    SubstituteCount | None,
]
"""A release's prose as rendered, as the memo keeps it: each piece once, and where it stands."""


def _to_kept(r: RenderedRelease) -> _Kept | None:
    """`r` as the memo keeps it (None if some prose it shows is no piece: it is not kept)."""
    at = {id(piece.html): i for i, piece in enumerate(r.pieces)}
    shown = [r.greeting, r.intro, r.closing, r.contact_note]
    shown += [s.html for s in r.sections] + [
        e for s in r.sections for d in s.timeline for e in d.entries
    ]
    if any(html is not None and id(html) not in at for html in shown):
        return None

    def piece(html: Markup | None) -> int:
        return -1 if html is None else at[id(html)]

    incident = r.view.incident.doc
    pieces = [(p.doc is incident, p.loc, p.text, str(p.html)) for p in r.pieces]
    ends = [piece(html) for html in (r.greeting, r.intro, r.closing, r.contact_note)]
    sections = [
        (
            s.number,
            s.heading,
            piece(s.html),
            [(d.day, [at[id(e)] for e in d.entries]) for d in s.timeline],
        )
        for s in r.sections
    ]
    return pieces, ends, sections, r.substitute


def _markup(html: str) -> Markup:
    """`html`, kept as rendered, as Markup: what `Markup(html)` makes of a plain string, made
    without its Python-level checks (a rebuild makes some thirty of them per release)."""
    return str.__new__(Markup, html)


_made = memo.Held()
"""The releases made from the memo, by its name, with the documents their pieces name: a
long-running `serve`, whose memo hands it the same documents while their files are unchanged,
makes each once."""


def _from_kept(view: ReleaseView, kept: _Kept, name: bytes) -> RenderedRelease:
    docs = (view.record.doc, view.incident.doc)
    made: RenderedRelease | None = _made.get(name, docs)
    if made is not None:
        return made
    rendered = _built(view, kept)
    _made.put(name, docs, rendered)
    return rendered


class _Deferred(RenderedRelease):
    """A release whose prose the memo holds, read back from it when first asked for: a rebuild
    asks for the prose of the changed incident's releases, and of the others only their views.
    (An entry that no longer reads as prose, which the memo's checks leave to a bug, is
    rendered then.)"""

    def __init__(
        self, view: ReleaseView, name: bytes, env: jinja2.Environment, strings: Mapping[str, Any]
    ) -> None:
        object.__setattr__(self, "view", view)
        object.__setattr__(self, "_from", (name, env, strings))

    def __getattr__(self, field: str) -> Any:
        if field not in _PROSE_FIELDS:
            raise AttributeError(field)
        name, env, strings = self.__dict__["_from"]
        if (kept := memo.get(name, _Kept)) is not None:
            made = _from_kept(self.view, kept, name)
        else:
            try:
                made = _rendered(self.view, env, strings)
            except ReleaseProblems as exc:
                raise RenderError(list(exc.problems)) from None
        for prose in _PROSE_FIELDS:
            object.__setattr__(self, prose, getattr(made, prose))
        return getattr(made, field)


_PROSE_FIELDS = frozenset(f.name for f in dataclasses.fields(RenderedRelease)) - {"view"}


def _built(view: ReleaseView, kept: _Kept) -> RenderedRelease:
    pieces, ends, sections, substitute = kept
    docs = (view.record.doc, view.incident.doc)
    html = [_markup(piece[3]) for piece in pieces]
    made = [RenderedPiece(docs[p[0]], p[1], p[2], h) for p, h in zip(pieces, html, strict=True)]
    greeting, intro, closing, note = (html[i] if i >= 0 else None for i in ends)

    def section(
        number: int, heading: str, body: int, days: list[tuple[date, list[int]]]
    ) -> RenderedSection:
        timeline = tuple([TimelineDay(day, tuple(map(html.__getitem__, at))) for day, at in days])
        return RenderedSection(number, heading, html[body] if body >= 0 else None, timeline)

    return RenderedRelease(
        view=view,
        greeting=greeting,
        intro=intro,
        sections=tuple(section(*s) for s in sections),
        closing=closing,
        contact_note=note,
        pieces=tuple(made),
        substitute=substitute,
    )


def _rendered(
    view: ReleaseView, env: jinja2.Environment, strings: Mapping[str, Any]
) -> RenderedRelease:
    problems: list[Problem] = []
    renderer = _Renderer(view, env, strings, problems)
    release = view.record.release
    doc = view.record.doc
    substitute, found = substitute_count(view)
    problems.extend(found)
    rendered = RenderedRelease(
        view=view,
        greeting=renderer.prose(doc, ("greeting",), release.greeting),
        intro=renderer.prose(doc, ("intro",), release.intro),
        sections=tuple(renderer.section(i) for i in range(len(release.sections))),
        closing=renderer.prose(doc, ("closing",), release.closing),
        contact_note=renderer.prose(
            doc, ("contact", "note"), release.contact.note if release.contact else None
        ),
        pieces=tuple(renderer.pieces),
        substitute=substitute,
    )
    if problems:
        raise ReleaseProblems(problems)
    return rendered


class _Renderer:
    def __init__(
        self,
        view: ReleaseView,
        env: jinja2.Environment,
        strings: Mapping[str, Any],
        problems: list[Problem],
    ) -> None:
        self.view = view
        self.env = env
        self.problems = problems
        self.pieces: list[RenderedPiece] = []
        self.here = release_dir(view.record)
        self.context = _prose_context(view, strings)

    def prose(
        self, doc: Located, loc: Loc, text: str | None, facts: Facts | None = None
    ) -> Markup | None:
        if text is None:
            return None
        mark = doc.mark(loc)
        source = ProseSource(text, doc.path, mark.text_line, dotted(loc))
        context = self.context if facts is None else {**self.context, "facts": facts}
        try:
            html = render_prose(source, self.env, context, self.resolve)
        except ProseError as exc:
            self.problems.append(exc.problem)
            return Markup("")
        self.pieces.append(RenderedPiece(doc, loc, text, html))
        return html

    def section(self, index: int) -> RenderedSection:
        section = self.view.record.release.sections[index]
        html = self.prose(self.view.record.doc, ("sections", index, "body"), section.body)
        days = self.timeline() if section.timeline else ()
        return RenderedSection(index + 1, section.heading, html, days)

    def timeline(self) -> tuple[TimelineDay, ...]:
        incident_doc = self.view.incident.doc
        timeline = self.view.incident.incident.timeline
        lang = self.view.record.variant
        rendered = [
            (
                event.date,
                self.prose(
                    incident_doc,
                    ("timeline", i, "translations", lang)
                    if lang in event.translations
                    else ("timeline", i, "text"),
                    event.translations.get(lang, event.text),
                    self.as_of(event),
                ),
            )
            for i, event in enumerate(timeline)
            if any(event is shown for shown in self.view.events)
        ]
        return tuple(
            TimelineDay(day, tuple(html for _, html in group if html is not None))
            for day, group in groupby(sorted(rendered, key=lambda e: e[0]), key=lambda e: e[0])
        )

    def as_of(self, event: Event) -> Facts:
        """Facts inside an event are those known on the day the event became known."""
        return Facts(self.view.incident.incident.facts, event.known_on)

    def resolve(self, href: str) -> str:
        day = linked_day(href)
        if day is None:
            return href
        target = href.removeprefix("release:")
        linked = version_in(self.view.incident, day, self.view.record.variant)
        if linked is None and day in self.view.incident.unreadable:  # its own file says why
            return relative_url(self.here, page_dir(self.view.incident.id, day))
        if linked is None:
            said = _("link {href}: no release of this incident is dated {date}")
            raise ViewError(said.format(href=repr(href), date=target))
        if day > self.view.date:
            said = _("link {href}: a release cannot link to a later release")
            raise ViewError(said.format(href=repr(href)))
        return relative_url(self.here, release_dir(linked))


def _prose_context(view: ReleaseView, strings: Mapping[str, Any]) -> dict[str, Any]:
    lang = view.record.variant  # a translation's measures in its language, where given
    return {
        "strings": strings,
        "site": view.content.site,
        "org": view.content.site.organization,
        "incident": view.known,  # never the raw record: prose shows what was known on its date
        "release": view.record.release,
        "facts": view.facts,
        "contact": view.contact,
        "measures": {
            status: [m.translations.get(lang, m.text) for m in view.measures if m.status == status]
            for status in ("taken", "planned")
        },
        "attachment_patterns": list(view.attachment_patterns),
        "references": {r.id: r for r in view.references},
    }
