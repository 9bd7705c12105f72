"""What a rule is: an id, a severity, what it checks and why, and a pure function over content."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from publisher.check.findings import Severity
from publisher.errors import Problem
from publisher.load.theme import Theme
from publisher.model.content import Content
from publisher.render.release import RenderedRelease


@dataclass(frozen=True)
class Subject:
    """What the rules look at: the loaded content, the regimes in force, the templates."""

    content: Content
    regimes: frozenset[str] = frozenset()
    theme: Theme | None = None
    """The theme, loaded once for every rule (None: the templates folder is missing or broken)."""
    theme_problems: tuple[Problem, ...] = ()
    """Why the theme could not be loaded."""
    rendered: dict[str, RenderedRelease] = field(default_factory=dict)
    """Filled by the prose-renders rule: each release as rendered, by id, for the build to reuse."""


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
