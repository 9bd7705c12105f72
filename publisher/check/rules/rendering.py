"""The prose renders: every release's Markdown and Jinja, rendered as the build will render it.

What the series rules already located (a fact or link dated after the release, a name that
does not resolve) is not reported twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.rule import Rule, Subject
from publisher.check.rules.series import dated_after, resolves
from publisher.errors import Problem
from publisher.load.theme import Theme
from publisher.model.view import view_release
from publisher.render.release import ReleaseProblems, render_release


def renders(subject: Subject) -> Iterator[Problem]:
    """Every release's prose renders with the templates' wording for its language."""
    theme = subject.theme
    if theme is None:  # no templates (checking content alone), or broken ones
        yield from subject.theme_problems
        return
    covered = {(p.path, p.line) for p in (*dated_after(subject), *resolves(subject))}
    for problem in _render_all(subject, theme):
        if (problem.path, problem.line) not in covered:
            yield problem


def _render_all(subject: Subject, theme: Theme) -> Iterator[Problem]:
    content = subject.content
    for incident in content.incidents:
        for record in incident.releases:
            view = view_release(content, incident, record)
            if view.lang not in theme.strings:
                mark = record.doc.mark(("lang",))
                wording = f"templates/strings/{view.lang}.yaml"
                message = f"no wording for language '{view.lang}' (add {wording})"
                yield Problem(record.doc.path, mark.line, mark.col, "lang", message)
                continue
            try:
                subject.rendered[record.id] = render_release(
                    view, theme.prose, theme.strings_for(view.lang)
                )
            except ReleaseProblems as exc:
                yield from exc.problems


RULES = (
    Rule(
        "prose-renders",
        "error",
        "Every release's prose (greeting, intro, sections, closing, contact note, and the "
        "timeline events it shows) renders as the build renders it: Jinja names exist, the "
        "template syntax is valid, the release's language has wording in "
        "templates/strings/<lang>.yaml. Problems already found by dated-after-release or "
        "reference-resolves at the same line are not repeated.",
        "publisher/render/release.py and publisher/render/prose.py (shared with the build)",
        renders,
    ),
)
