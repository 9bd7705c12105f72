"""What a rule is: an id, a severity, what it checks and why, and a pure function over content."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from publisher import parallel
from publisher.check.published import Published, Readable, mail_readables, publish
from publisher.check.reading import read_file
from publisher.errors import Problem, Severity
from publisher.load.publication import Publication
from publisher.model.content import Content
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
        """Every notice mail as rendered, once for every rule that reads them."""
        return () if self.theme is None else tuple(mail_readables(self.content, self.theme))

    @functools.cached_property
    def published(self) -> Published:
        """Every page, feed, printed release and static file, as a reader gets it."""
        if self.theme is None:
            return Published()
        if parallel.available() and not self.site.failed:  # both cores read the pages first
            pages = [(o.path, o.data) for o in self.site.outputs]
            pages += [(".html", markup.encode("utf-8")) for markup in self.site.prints.values()]
            parallel.shared(pages, _read_into_memo, bool)
        return publish(self.content, self.theme, self.site)


def _read_into_memo(page: tuple[str, bytes]) -> bool:
    """Read a published file (or a print, as HTML) as `publish` will, for the memo only."""
    return read_file(*page) is not None


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

    def applies(self, regimes: frozenset[str]) -> bool:
        """Whether the rule runs for a site under `regimes` (rules without a regime always do)."""
        return self.check is not None and (self.regime is None or self.regime in regimes)

    def explain(self) -> str:
        """The text `publisher check --explain` prints for this rule."""
        regime = f" (regime {self.regime})" if self.regime else ""
        return f"{self.id}: {self.severity}{regime}\n\n{self.summary}\n\nSource: {self.source}\n"
