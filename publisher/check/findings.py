"""A finding of `publisher check`: one located line, `path:line:col: severity: rule-id: message`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from publisher.errors import Problem
from publisher.messages import _, counted
from publisher.source import Loc, Located, dotted

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong with the content, located as precisely as the input allows."""

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col or 1}" if self.line else self.path
        return f"{where}: {self.severity}: {self.rule}: {self.message}"

    def to_json(self) -> dict[str, object]:
        """The finding as a JSON object (same fields as the text line)."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }

    def to_problem(self) -> Problem:
        """The finding as a Problem, for the commands that stop on content errors."""
        field = "" if self.rule == "schema" else self.rule
        return Problem(self.path, self.line, self.col, field, self.message, self.severity)


def finding(problem: Problem, rule: str, severity: Severity) -> Finding:
    """A rule's Problem as a Finding: the field, if any, leads the message."""
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return Finding(problem.path, problem.line, problem.col, severity, rule, message)


def problem_at(doc: Located, loc: Loc, message: str) -> Problem:
    """A Problem at the value `loc` of `doc` (or its nearest located ancestor), named by `loc`."""
    mark = doc.mark(loc)
    return Problem(doc.path, mark.line, mark.col, dotted(loc), message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings ordered by file, line, column and rule, without duplicates."""
    return sorted(set(findings))


def findings_json(findings: Iterable[Finding]) -> str:
    """The findings as a JSON list of objects."""
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)


def has_failures(findings: Iterable[Finding], strict: bool) -> bool:
    """Whether the findings fail the check: any error, or any warning when `strict`."""
    return any(f.severity == "error" or strict for f in findings)


def format_findings(findings: list[Finding], form: str) -> str:
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


def summary(findings: list[Finding], scope: Scope | None = None) -> str:
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
