"""How `check` shows its findings (Problems a rule found): text lines or JSON, and a summary."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

from publisher.errors import Problem, Severity
from publisher.messages import _, counted
from publisher.source import Loc, Located, dotted


def problem_at(doc: Located, loc: Loc, message: str) -> Problem:
    """A Problem at the value `loc` of `doc` (or its nearest located ancestor), named by `loc`."""
    mark = doc.mark(loc)
    return Problem(doc.path, mark.line, mark.col, dotted(loc), message)


def found_by(problem: Problem, rule: str, severity: Severity) -> Problem:
    """`problem` as a finding of `rule`, at the rule's severity."""
    return replace(problem, rule=rule, severity=severity)


def to_json(problem: Problem) -> dict[str, object]:
    """A finding as a JSON object: its place, severity and rule, and the field leading the
    message as in the text line."""
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return {
        "path": problem.path,
        "line": problem.line,
        "col": problem.col,
        "severity": problem.severity,
        "rule": problem.rule,
        "message": message,
    }


def findings_json(findings: Iterable[Problem]) -> str:
    """The findings as a JSON list of objects."""
    return json.dumps([to_json(f) for f in findings], ensure_ascii=False, indent=2)


def has_failures(findings: Iterable[Problem], strict: bool) -> bool:
    """Whether the findings fail the check: any error, or any warning when `strict`."""
    return any(f.severity == "error" or strict for f in findings)


def format_findings(findings: list[Problem], form: str) -> str:
    """The findings as text lines or as a JSON list (`form` is 'text' or 'json')."""
    if form == "json":
        return findings_json(findings)
    return "\n".join(str(f) for f in findings)


@dataclass(frozen=True)
class Scope:
    """What a check looked at, for its summary line."""

    incidents: int
    releases: int
    mails: int
    regimes: tuple[str, ...]
    rules: int

    def __str__(self) -> str:
        fields = {
            "releases": counted(self.releases, "{n} release", "{n} releases"),
            "mails": counted(self.mails, "{n} notice mail", "{n} notice mails"),
            "rules": counted(self.rules, "{n} rule", "{n} rules"),
            "regimes": ", ".join(self.regimes),
        }
        if self.regimes:
            return counted(
                self.incidents,
                "checked {n} incident ({releases}, {mails}) under {regimes} with {rules}",
                "checked {n} incidents ({releases}, {mails}) under {regimes} with {rules}",
                **fields,
            )
        return counted(
            self.incidents,
            "checked {n} incident ({releases}, {mails}) with {rules}",
            "checked {n} incidents ({releases}, {mails}) with {rules}",
            **fields,
        )


def summary(findings: list[Problem], scope: Scope | None = None) -> str:
    """`2 errors, 1 warning`, `1 warning` (or `no findings`), after what was checked when
    `scope` says."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    counts = [
        counted(errors, "{n} error", "{n} errors") if errors else "",
        counted(warnings, "{n} warning", "{n} warnings") if warnings else "",
    ]
    said = _(", ").join(c for c in counts if c) or _("no findings")
    return _("{checked}: {findings}").format(checked=scope, findings=said) if scope else said
