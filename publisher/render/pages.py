"""Planning the site: every output file as (path, bytes), decided before anything is written."""

from __future__ import annotations

import json
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2

from publisher import memo
from publisher.errors import Problem, ReleaseProblems, RenderError, display_path
from publisher.messages import _
from publisher.model.content import Content, IncidentRecord, ReleaseRecord
from publisher.model.schedule import published_at
from publisher.model.view import view_release
from publisher.render.release import RenderedRelease, render_release
from publisher.render.theme import Theme
from publisher.render.urls import (
    absolute_url,
    page_dir,
    relative_url,
    release_dir,
    root_path,
    version_in,
)


class PdfFile(Protocol):
    """A finished PDF as the pages list it (publisher.pdf.plan makes them): where, its bytes."""

    @property
    def path(self) -> str:
        """Its path in the site."""

    @property
    def data(self) -> bytes:
        """Its bytes."""

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of its bytes."""


PdfFiles = Mapping[str, PdfFile]


@dataclass(frozen=True)
class Output:
    """One file of the site: its path relative to the site root and its bytes."""

    path: str
    data: bytes


def render_releases(content: Content, theme: Theme) -> list[RenderedRelease]:
    """Every release rendered as of its date; RenderError listing every problem if any fails."""
    rendered, problems = render_each(content, theme)
    if problems:
        raise RenderError(problems)
    return rendered


def render_each(
    content: Content, theme: Theme, keys: Mapping[str, str] | None = None
) -> tuple[list[RenderedRelease], list[Problem]]:
    """Every release that renders, as of its date, and the problems of those that do not;
    with the `keys` of their pages (publisher.render.reuse), their prose kept in the memo."""
    problems: list[Problem] = []
    rendered = []
    for incident in content.incidents:
        for record in (v for original in incident.releases for v in original.versions):
            one = render_one(content, theme, incident, record, keys)
            if isinstance(one, list):
                problems.extend(one)
            else:
                rendered.append(one)
    return rendered, problems


def render_one(
    content: Content,
    theme: Theme,
    incident: IncidentRecord,
    record: ReleaseRecord,
    keys: Mapping[str, str] | None = None,
) -> RenderedRelease | list[Problem]:
    """One release of `incident` rendered as of its date, or the problems that stop it; with
    the `keys` of the pages, its prose kept in the memo by its page's."""
    view = view_release(content, incident, record)
    if view.lang not in theme.strings:
        mark = record.doc.mark(("lang",))
        return [Problem(record.doc.path, mark.line, mark.col, "lang", _no_wording(view.lang))]
    key = keys.get(release_dir(record) + "index.html") if keys else None
    try:
        return render_release(view, theme.prose, theme.strings_for(view.lang), key)
    except ReleaseProblems as exc:
        return list(exc.problems)


def plan_pages(
    content: Content,
    theme: Theme,
    releases: list[RenderedRelease],
    pdfs: PdfFiles | None = None,
    kept: Mapping[str, bytes] | None = None,
    listing: str | None = None,
) -> list[Output]:
    """The pages, releases.json, static files and PDFs (by release id) of rendered releases;
    the release and incident pages in `kept` (by path) as they are there, and releases.json
    kept in the memo by the `listing` key (publisher.render.reuse) when there are no PDFs."""
    site_strings = _site_strings(content, theme)
    kept = kept or {}
    outputs = [
        _kept(kept, release_dir(r.view.record)) or release_page(theme, r, pdfs) for r in releases
    ]
    outputs += [
        _kept(kept, page_dir(i.id)) or _incident_page(content, theme, i, site_strings, pdfs)
        for i in content.incidents
    ]
    outputs.append(
        render_page(
            theme,
            "index.html",
            "index.html",
            {
                "strings": site_strings,
                "site": content.site,
                "root": "",
                "lang": content.site.language,
                "incidents": _incident_rows(content, ""),
            },
        )
    )
    outputs.append(_not_found_page(content, theme, site_strings))
    outputs.append(Output("releases.json", _releases_json(content, pdfs, listing)))
    outputs += [Output(path, data) for path, data in theme.static.items()]
    outputs += [Output(pdf.path, pdf.data) for pdf in (pdfs or {}).values()]
    return outputs


def _kept(kept: Mapping[str, bytes], folder: str) -> Output | None:
    data = kept.get(folder + "index.html")
    return None if data is None else Output(folder + "index.html", data)


def catalog(content: Content, pdfs: PdfFiles | None = None) -> list[dict[str, Any]]:
    """releases.json: the public index of every release, newest first (with its PDF if made)."""
    rows = [
        {
            "id": record.id,
            "incident": incident.id,
            "date": record.release.date.isoformat(),
            "kind": record.release.kind,
            "title": record.release.title,
            "lang": record.release.lang or content.site.language,
            "url": release_dir(record),
            **_pdf_fields(pdfs, record.id),
            **({"translation_of": original.id} if record.translation else {}),
        }
        for incident in content.incidents
        for original in incident.releases
        for record in original.versions
    ]
    return sorted(rows, key=lambda row: (row["date"], row["id"]), reverse=True)


def _pdf_fields(pdfs: PdfFiles | None, release_id: str) -> dict[str, Any]:
    pdf = pdfs.get(release_id) if pdfs else None
    if pdf is None:
        return {}
    return {"pdf": pdf.path, "pdf_bytes": len(pdf.data), "pdf_sha256": pdf.sha256}


def _pdf_link(pdfs: PdfFiles | None, release_id: str, here: str) -> dict[str, Any] | None:
    pdf = pdfs.get(release_id) if pdfs else None
    if pdf is None:
        return None
    return {
        "url": relative_url(here, pdf.path),
        "name": pdf.path.rpartition("/")[2],
        "kb": max(1, round(len(pdf.data) / 1024)),
    }


def _site_strings(content: Content, theme: Theme) -> Mapping[str, Any]:
    lang = content.site.language
    if lang not in theme.strings:
        mark = content.site_doc.mark(("language",))
        problem = Problem(content.site_doc.path, mark.line, mark.col, "language", _no_wording(lang))
        raise RenderError([problem])
    return theme.strings_for(lang)


def _not_found_page(content: Content, theme: Theme, strings: Mapping[str, Any]) -> Output:
    """404.html: served at any path, so its links lead from the site's root path (`/incident/`),
    which works wherever the site is served from its base URL's path, as deployed and as
    `publisher serve` serves it."""
    root = root_path(content.site)
    return render_page(theme, "404.html", "404.html", {
        "strings": strings, "site": content.site, "root": root, "lang": content.site.language,
    })  # fmt: skip


def _no_wording(lang: str) -> str:
    return _("no wording for language '{lang}' (add templates/strings/{lang}.yaml)").format(
        lang=lang
    )


def release_page(theme: Theme, rendered: RenderedRelease, pdfs: PdfFiles | None) -> Output:
    view = rendered.view
    here = release_dir(view.record)
    lang = view.record.variant
    series = _series(view.incident, here, lang, theme, view.content.site.language, pdfs)
    own_feed = {"feed_url": relative_url(here, feed_path(lang, view.incident.id))} if lang else {}
    return render_page(
        theme,
        "release.html",
        here + "index.html",
        {
            "strings": theme.strings_for(view.lang),
            "site": view.content.site,
            "lang": view.lang,
            "root": relative_url(here, ""),
            "r": rendered,
            "view": view,
            "release": view.record.release,
            "published": published_at(view.record.release, view.content.site.timezone).isoformat(),
            "incident": view.known,
            "incident_url": relative_url(here, page_dir(view.incident.id)),
            "series": series,
            "previous_url": _url(here, view.incident, view.previous, lang),
            "next_url": _url(here, view.incident, view.next, lang),
            "latest": _latest(view.incident, view.record, here, lang),
            "pdf": _pdf_link(pdfs, view.record.id, here),
            "versions": release_versions(view.content, theme, view.incident, view.date, here),
            **own_feed,
        },
    )


def feed_path(lang: str, incident_id: str = "") -> str:
    """The feed of the site (or of an incident) in `lang`: `feed.xml` in the site's own
    language ('' here), `feed.<lang>.xml` in another."""
    folder = page_dir(incident_id) if incident_id else ""
    return folder + (f"feed.{lang}.xml" if lang else "feed.xml")


def release_versions(
    content: Content, theme: Theme, incident: IncidentRecord, day: Any, here: str
) -> list[dict[str, Any]]:
    """The release of `day` in each of its languages, for hreflang links and the language
    switch of its pages and PDFs (none if it has no translation)."""
    original = incident.release_on(day)
    if original is None or not original.translations:
        return []
    return [
        {
            "lang": (lang := record.release.lang or content.site.language),
            "name": _language_name(theme, lang),
            "url": relative_url(here, release_dir(record)),
            "href": absolute_url(content.site, release_dir(record)),
            "current": release_dir(record) == here,
            "original": record is original,
        }
        for record in original.versions
    ]


def _language_name(theme: Theme, lang: str) -> str:
    """What a language is called in itself (its strings' `language_name`), else its code."""
    strings = theme.strings_for(lang) if lang in theme.strings else {}
    return str(strings.get("language_name", lang))


def _incident_page(
    content: Content,
    theme: Theme,
    incident: IncidentRecord,
    strings: Mapping[str, Any],
    pdfs: PdfFiles | None,
) -> Output:
    here = page_dir(incident.id)
    return render_page(
        theme,
        "incident.html",
        here + "index.html",
        {
            "strings": strings,
            "site": content.site,
            "lang": content.site.language,
            "root": relative_url(here, ""),
            "incident": incident.incident,
            "series": _series(incident, here, "", theme, content.site.language, pdfs),
        },
    )


def _incident_rows(content: Content, here: str) -> list[dict[str, Any]]:
    return [
        {
            "incident": incident.incident,
            "url": relative_url(here, page_dir(incident.id)),
            "latest": incident.releases[-1].release if incident.releases else None,
            "latest_url": relative_url(here, release_dir(incident.releases[-1]))
            if incident.releases
            else None,
        }
        for incident in content.incidents
    ]


def _latest(
    incident: IncidentRecord, record: ReleaseRecord, here: str, lang: str
) -> dict[str, Any] | None:
    """The incident's latest release (in `lang` where translated), for the notice on the page
    of an older one; None on the latest's own page."""
    last = incident.releases[-1]
    if last.release.date == record.release.date:
        return None
    shown = version_in(incident, last.release.date, lang) or last
    return {"release": shown.release, "url": relative_url(here, release_dir(shown))}


def _series(
    incident: IncidentRecord,
    here: str,
    lang: str,
    theme: Theme,
    site_lang: str,
    pdfs: PdfFiles | None = None,
) -> list[dict[str, Any]]:
    """The incident's releases, latest first, with links from `here`: each in `lang` where it
    has that translation, with its PDF and size (`pdf`, None without) and links to its other
    languages (`versions`)."""
    items = []
    dated: dict[Any, ReleaseRecord] = {}  # each date's release, as release_on finds it
    for record in incident.releases:
        dated.setdefault(record.release.date, record)
    for original in reversed(incident.releases):
        day = dated[original.release.date]
        shown = (day.in_language(lang) or day) if lang else day  # version_in, for each at once
        items.append(
            {
                "release": shown.release,
                "url": relative_url(here, release_dir(shown)),
                "current": release_dir(shown) == here,
                "pdf": _pdf_link(pdfs, shown.id, here),
                "versions": [
                    {
                        "lang": (code := v.release.lang or site_lang),
                        "name": _language_name(theme, code),
                        "url": relative_url(here, release_dir(v)),
                    }
                    for v in original.versions
                    if v is not shown and original.translations
                ],
            }
        )
    return items


def _url(
    here: str, incident: IncidentRecord, record: ReleaseRecord | None, lang: str
) -> str | None:
    if record is None:
        return None
    shown = version_in(incident, record.release.date, lang) or record
    return relative_url(here, release_dir(shown))


def render_page(theme: Theme, template: str, path: str, context: dict[str, Any]) -> Output:
    """Render `template` with `context` as the file `path`; RenderError located in the template."""
    if "site" in context:
        context = {"canonical": absolute_url(context["site"], path), **context}
    try:
        html = theme.pages.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            [_template_problem(theme, exc.name or template, exc.lineno, exc.message)]
        ) from None
    except jinja2.TemplateError as exc:
        name, line = _failing_template(theme, exc, template)
        raise RenderError([_template_problem(theme, name, line, str(exc))]) from None
    except (LookupError, ValueError, TypeError) as exc:  # e.g. a wording without its {placeholder}
        name, line = _failing_template(theme, exc, template)
        said = _("{kind}: {error} (check templates/strings/*.yaml for this wording)")
        message = said.format(kind=type(exc).__name__, error=exc)
        raise RenderError([_template_problem(theme, name, line, message)]) from None
    return Output(path, html.encode("utf-8"))


def _failing_template(theme: Theme, exc: Exception, default: str) -> tuple[str, int]:
    """The template file and line where a render failed, from Jinja's rewritten traceback."""
    roots = [layer.resolve() for layer in theme.layers]
    frames = [
        (root, f)
        for f in traceback.extract_tb(exc.__traceback__)
        for root in roots
        if Path(f.filename).is_relative_to(root)
    ]
    if not frames:
        return default, 0
    root, frame = frames[-1]
    return Path(frame.filename).relative_to(root).as_posix(), frame.lineno or 0


def _template_problem(theme: Theme, name: str, line: int | None, message: str | None) -> Problem:
    return Problem(display_path(theme.find(name)), line or 0, 1, "", message or "template error")


def _releases_json(content: Content, pdfs: PdfFiles | None, listing: str | None) -> bytes:
    name = memo.key("releases-json", listing) if listing and not pdfs else None
    kept: bytes | None = memo.get(name, bytes) if name else None
    if kept is not None:
        return kept
    data = _json(catalog(content, pdfs))
    if name:
        memo.put(name, data, bytes)
    return data


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
