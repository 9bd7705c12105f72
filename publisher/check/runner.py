"""Running the checks: read everything, apply every rule that is in force, sort the findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from publisher.check.deadlines import next_due
from publisher.check.findings import Scope, found_by
from publisher.check.parts import part_findings
from publisher.check.registry import RULES, SCHEMA
from publisher.check.rule import NOTHING_RENDERED, Rule, Subject
from publisher.check.rules.history import HISTORY
from publisher.clock import wall_clock
from publisher.errors import ContentError, Problem, sort_problems
from publisher.load.content import read_content
from publisher.load.publication import Publication, read_publication
from publisher.model.content import Content
from publisher.render.reuse import Reuse
from publisher.render.site import SiteRendering, render_site
from publisher.render.theme import Theme, load_theme
from publisher.reporter import Reporter


@dataclass(frozen=True)
class CheckResult:
    """The content as loaded (None if site.yaml could not be) and every finding, sorted."""

    content: Content | None
    findings: list[Problem]
    """Every finding: a located Problem with the rule that found it and its severity."""
    theme: Theme | None = None
    """The theme as the rules used it (None if the templates folder is missing or broken)."""
    site: SiteRendering = NOTHING_RENDERED
    """The render pass the rules read, over the whole content (nothing held back)."""
    next_deadline: datetime | None = None
    """When the next legal obligation not yet met becomes overdue (a check then says more)."""
    scope: Scope | None = None
    """What was checked (None if site.yaml could not be read)."""

    @property
    def errors(self) -> list[Problem]:
        """The findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[str]:
        """The findings of severity warning, each as the line `check` prints."""
        return [str(f) for f in self.findings if f.severity == "warning"]


def check_content(
    root: Path,
    regimes: Iterable[str] = (),
    templates: Path | None = None,
    now: datetime | None = None,
    history: bool = False,
    reuse: Reuse | None = None,
) -> CheckResult:
    """Every finding for the content under `root`, under the site's regimes plus `regimes`,
    the legal deadlines judged at `now` (default: the wall clock's now); with `history`, what
    a build now would refuse of the publication record (the build itself holds what it writes
    to the record, at its own moment). The pages `reuse` holds unchanged are read as the last
    build made them."""
    content, problems = read_content(root)
    findings = [found_by(p, SCHEMA.id, SCHEMA.severity) for p in problems]
    if content is None:
        return CheckResult(content, sort_problems(findings))
    in_force = frozenset(content.site.regimes) | frozenset(regimes)
    theme, broken = _theme(templates, reuse.theme if reuse else None)
    now = _zoned(now or wall_clock(), content)
    publication = None
    if history:
        publication, unread = _publication(root)
        findings += [found_by(p, HISTORY.id, HISTORY.severity) for p in unread]
    site = render_site(content, theme, reuse) if theme is not None else NOTHING_RENDERED
    subject = Subject(content, in_force, theme, broken, now, publication, site)
    findings += run_rules(subject, reuse.theme if reuse else None)
    deadline = next_due(content, in_force, now)
    scope = _scope(content, in_force)
    return CheckResult(content, sort_problems(findings), theme, site, deadline, scope)


def _zoned(moment: datetime, content: Content) -> datetime:
    """`moment`, in the site's time zone if it was given without one (`--as-of 2026-05-20T12:00`
    means noon where the site is, as a build reads it)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(content.site.timezone))


def _scope(content: Content, regimes: frozenset[str]) -> Scope:
    releases = [r for incident in content.incidents for r in incident.releases]
    rules = sum(rule.applies(regimes) for rule in RULES.values())
    mails = sum(r.release.notify is not None for r in releases)
    return Scope(len(content.incidents), len(releases), mails, tuple(sorted(regimes)), rules)


def _publication(root: Path) -> tuple[Publication | None, list[Problem]]:
    """The publication record in `root`, or why it cannot be read."""
    try:
        return read_publication(root), []
    except ContentError as exc:
        return None, list(exc.problems)


def _theme(
    templates: Path | None, identity: str | None
) -> tuple[Theme | None, tuple[Problem, ...]]:
    """The theme (the default under the project's `templates`, of `identity`) loaded once for
    all rules, or why it could not be."""
    try:
        return load_theme(templates, identity), ()
    except ContentError as exc:
        return None, tuple(exc.problems)


def run_rules(subject: Subject, theme: str | None = None) -> list[Problem]:
    """The findings of every rule that applies to `subject`, sorted: of the rules that read the
    whole content at once, and of the others part by part (publisher.check.parts, which keeps
    a part's findings when `theme` names the theme and the code)."""
    rules = [rule for rule in RULES.values() if rule.applies(subject.regimes)]
    found = [f for rule in rules if rule.whole for f in _findings(subject, rule)]
    found += part_findings(subject, [rule for rule in rules if not rule.whole], theme)
    return sort_problems(found)


def _findings(subject: Subject, rule: Rule) -> list[Problem]:
    """What `rule` finds in `subject`, each finding naming the rule."""
    assert rule.check is not None  # rule.applies says so
    return [found_by(problem, rule.id, rule.severity) for problem in rule.check(subject)]


def checked(
    root: Path,
    templates: Path | None,
    reporter: Reporter,
    now: datetime | None = None,
    reuse: Reuse | None = None,
) -> CheckResult:
    """The check of `root` if it found no errors (warnings are reported, an overdue legal
    deadline among them); else ContentError."""
    result = check_content(root, templates=templates, now=now, reuse=reuse)
    if result.errors or result.content is None:
        raise ContentError(result.errors)
    for warning in result.warnings:
        reporter.finding(warning)
    return result
