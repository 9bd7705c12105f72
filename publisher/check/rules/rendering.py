"""The prose renders: every release's Markdown and Jinja, rendered as the build will render it,
with the theme as loaded (its wording files parse, no link leads out of its folders).

What the series rules already located (a fact or link dated after the release, a name that
does not resolve) is not reported twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.prose import Prose, event_prose, release_prose
from publisher.check.rule import Rule, Subject
from publisher.check.rules.series import dated_in_prose, resolves
from publisher.errors import Problem
from publisher.render.prose import unrendered


def renders(subject: Subject) -> Iterator[Problem]:
    """Every release's prose renders with the templates' wording for its language."""
    if subject.theme is None:  # no templates (checking content alone), or broken ones
        yield from subject.theme_problems
        return
    covered = {(p.path, p.line) for p in (*dated_in_prose(subject), *resolves(subject))}
    for problem in subject.renderings.problems:
        if (problem.path, problem.line) not in covered:
            yield problem


def markup_renders(subject: Subject) -> Iterator[Problem]:
    """Markup that would print as plain text (a table that is not one, a footnote without its
    note), in every piece of release and timeline prose."""
    for incident in subject.content.incidents:
        pieces = [p for record in incident.releases for p in release_prose(record)]
        pieces += [prose for _, _, prose in event_prose(incident)]
        for prose in pieces:
            yield from _unrendered(prose)


def _unrendered(prose: Prose) -> Iterator[Problem]:
    starts = [0]
    for text in prose.text.splitlines(keepends=True):
        starts.append(starts[-1] + len(text))
    for index, message in unrendered(prose.text):
        yield prose.at(starts[min(index, len(starts) - 1)], message)


RULES = (
    Rule(
        "prose-renders",
        "error",
        "Every release's prose (greeting, intro, sections, closing, contact note, and the "
        "timeline events it shows) renders as the build renders it: Jinja names exist, the "
        "template syntax is valid, the release's language has wording in "
        "templates/strings/<lang>.yaml. The templates load: the wording files parse and no "
        "symbolic link in a templates folder leads out of it. Problems already found by "
        "dated-after-release or reference-resolves at the same line are not repeated.",
        "publisher/render/release.py and publisher/render/prose.py (shared with the build)",
        renders,
    ),
    Rule(
        "prose-markup",
        "error",
        "What an author wrote as Markdown renders as such, never as flattened text: rows of "
        "pipes that do not make a table (a table needs a header row, then a delimiter row "
        "|---|---|), and a footnote reference [^name] without its note [^name]: ... . Tables, "
        "definition lists (a term, then ': definition') and footnotes render in pages and PDFs.",
        "publisher/render/prose.py (unrendered; markdown-it-py with mdit-py-plugins)",
        markup_renders,
    ),
)
