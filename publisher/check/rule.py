"""What a rule is: an id, a severity, what it checks and why, and a pure function over content."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from publisher.check.published import Published, Readable, mail_readables, publish
from publisher.errors import Problem, Severity
from publisher.load.publication import Publication
from publisher.model.content import Content, IncidentRecord
from publisher.render.release import RenderedRelease
from publisher.render.site import SiteRendering
from publisher.render.theme import Theme


@dataclass(frozen=True)
class Renderings:
    """Every release whose prose rendered, by id, and what stopped the others."""

    releases: dict[str, RenderedRelease]
    problems: tuple[Problem, ...]


NOTHING_RENDERED = SiteRendering((), ())
"""The render pass without a theme: nothing."""


@dataclass(frozen=True)
class Subject:
    """What the rules look at: the loaded content, the regimes in force, the templates.

    What the rules read as rendered is derived from these once, on first use, and never changed.
    """

    content: Content
    regimes: frozenset[str] = frozenset()
    theme: Theme | None = None
    """The theme, loaded once for every rule (None: the templates folder is missing or broken)."""
    theme_problems: tuple[Problem, ...] = ()
    """Why the theme could not be loaded."""
    now: datetime | None = None
    """The moment the legal deadlines are judged at (None: only what was done late)."""
    publication: Publication | None = None
    """The publication record and its archive, to hold what the content now makes to (None:
    not checked here; the build holds what it writes to it)."""
    site: SiteRendering = NOTHING_RENDERED
    """The render pass over the content, as the build renders it (nothing without a theme)."""
    whole: Content | None = None
    """On a part (`part`): the content it was cut from (None: the content is all of it)."""

    @functools.cached_property
    def renderings(self) -> Renderings:
        """Every release's prose as rendered, by id, and what stopped the others."""
        return Renderings({r.view.record.id: r for r in self.site.releases}, self.site.problems)

    @property
    def rendered(self) -> dict[str, RenderedRelease]:
        """Each release as rendered, by id."""
        return self.renderings.releases

    @functools.cached_property
    def mails(self) -> tuple[Readable, ...]:
        """Every notice mail of the subject's incidents as rendered, once for every rule that
        reads them."""
        if self.theme is None:
            return ()
        return tuple(mail_readables(self.everything, self.theme, self.content.incidents))

    @functools.cached_property
    def published(self) -> Published:
        """Every page, feed, printed release and static file, as a reader gets it."""
        if self.theme is None:
            return Published()
        return publish(self.everything, self.theme, self.site)

    @property
    def everything(self) -> Content:
        """All of the content: the whole that a part was cut from, else the content itself."""
        return self.whole or self.content

    def part(self, incident: IncidentRecord | None) -> Subject:
        """The subject cut to one incident, its pages, prints and mails (None: to the site's
        own pages and files, and no incident); what it compares across incidents is read from
        `everything`."""
        whole = self.everything
        content = replace(whole, incidents=() if incident is None else (incident,))
        site = self.site.part(incident, whole.incidents)
        return replace(self, content=content, whole=whole, site=site)


Check = Callable[[Subject], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """One rule: `check` yields located Problems; None for rules applied while loading."""

    id: str
    severity: Severity
    summary: str
    source: str
    check: Check | None = None
    regime: str | None = None
    whole: bool = False
    """The rule reads across incidents in a way no part shows (the clock, the publication
    record): it checks the whole content at once. Every other rule's findings are those it
    makes of each incident's part and of the site's, cut by `Subject.part`."""
    context: Callable[[Content], object] | None = None
    """What the rule reads of the whole content when it checks a part (the addresses every
    release gives): a part's findings are kept for the next check by its value too."""

    def applies(self, regimes: frozenset[str]) -> bool:
        """Whether the rule runs for a site under `regimes` (rules without a regime always do)."""
        return self.check is not None and (self.regime is None or self.regime in regimes)

    def explain(self) -> str:
        """The text `publisher check --explain` prints for this rule."""
        regime = f" (regime {self.regime})" if self.regime else ""
        return f"{self.id}: {self.severity}{regime}\n\n{self.summary}\n\nSource: {self.source}\n"
