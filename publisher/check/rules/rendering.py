"""The prose renders: every release's Markdown and Jinja, rendered as the build will render it,
with the theme as loaded (its wording files parse, no link leads out of its folders).

What the series rules already located (a fact or link dated after the release, a name that
does not resolve) is not reported twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.rule import Rule, Subject
from publisher.check.rules.series import dated_in_prose, resolves
from publisher.errors import Problem


def renders(subject: Subject) -> Iterator[Problem]:
    """Every release's prose renders with the templates' wording for its language."""
    if subject.theme is None:  # no templates (checking content alone), or broken ones
        yield from subject.theme_problems
        return
    covered = {(p.path, p.line) for p in (*dated_in_prose(subject), *resolves(subject))}
    for problem in subject.renderings.problems:
        if (problem.path, problem.line) not in covered:
            yield problem


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
)
